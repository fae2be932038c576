"""会议纪要: transcript → 纪要 (会议概况, 议定事项 with 责任单位 and 时限, 参会人员 only from the transcript).

The LangChain tool lives in ``agents.minutes.tools`` and registers itself on import.
"""

from agents.minutes.minutes import Minutes, write_minutes
from agents.minutes.transcript import Person, Transcript, parse_transcript

__all__ = ["Minutes", "Person", "Transcript", "parse_transcript", "write_minutes"]
