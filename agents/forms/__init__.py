"""表单填报: YAML form schemas filled by the extraction engine, validated (身份证, 统一社会信用代码, 日期, 电话).

The LangChain tool lives in ``agents.forms.tools`` and registers itself on import.
"""

from agents.forms.form import (
    FilledField,
    FilledForm,
    FormError,
    FormSchema,
    choose_form,
    fill_form,
    load_form,
    packaged_forms,
)
from agents.forms.validators import VALIDATORS, check_date, check_phone, check_resident_id, check_uscc

__all__ = [
    "VALIDATORS",
    "FilledField",
    "FilledForm",
    "FormError",
    "FormSchema",
    "check_date",
    "check_phone",
    "check_resident_id",
    "check_uscc",
    "choose_form",
    "fill_form",
    "load_form",
    "packaged_forms",
]
