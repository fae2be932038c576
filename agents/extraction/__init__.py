"""信息抽取: YAML schemas of typed fields, typed value finders, cue/pattern/embedding extraction with confidence.

Also the one reader of pasted records (JSON, YAML or 「字段：值」 lines) that other employees share.
The LangChain tool lives in ``agents.extraction.tools`` and registers itself on import.
"""

from agents.extraction.extract import ExtractedField, Extraction, extract
from agents.extraction.records import parse_record, record_text
from agents.extraction.schema import (
    ExtractionSchema,
    FieldSpec,
    SchemaError,
    choose_schema,
    load_schema,
    packaged_schemas,
)
from agents.extraction.values import Candidate, find_amounts, find_dates, find_orgs, find_resident_ids, find_usccs

__all__ = [
    "Candidate",
    "ExtractedField",
    "Extraction",
    "ExtractionSchema",
    "FieldSpec",
    "SchemaError",
    "choose_schema",
    "extract",
    "find_amounts",
    "find_dates",
    "find_orgs",
    "find_resident_ids",
    "find_usccs",
    "load_schema",
    "packaged_schemas",
    "parse_record",
    "record_text",
]
