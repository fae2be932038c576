"""督办跟踪员: 督办事项 (事项, 责任单位, 时限) from minutes and documents, working-day deadlines, status."""

from agents.tracking.deadlines import Deadline, deadline_from
from agents.tracking.tasks import Task, assess, base_date, extract_tasks

__all__ = ["Deadline", "Task", "assess", "base_date", "deadline_from", "extract_tasks"]
