"""企业画像: the facts eligibility is judged on, read from an enterprise's own words or from a form.

Extraction is by pattern only, so every value can be traced to the words it came from (``sources``) and
a fact the text does not state stays unknown rather than guessed. Values that are inferred rather than
stated (成立年限 from a year, 中小企业 from 《中小企业划型标准规定》 thresholds, 研发占比 from two
amounts) carry a note in ``derived`` that the eligibility reasons repeat.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.errors import validation_problems
from agents.policies import patterns
from agents.policies import vocabulary as vocab
from agents.policies.vocabulary import FIELD_LABELS, QUALIFICATIONS

# Qualifications that are awarded only to SMEs, so holding one settles 中小企业身份.
_SME_QUALIFICATIONS = ("科技型中小企业", "专精特新中小企业", "专精特新“小巨人”企业")


class ProfileError(ValueError):
    """A form-style profile is malformed; the message names the field and the expected form."""


class EnterpriseProfile(BaseModel):
    """One enterprise as eligibility sees it; ``None`` means the fact is unknown, never false."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    registered_district: str | None = Field(None, description="注册地：滨江区、临川区、高新区、江临市或市外地名")
    industry: str | None = Field(None, description=f"行业，取值之一：{'、'.join(vocab.INDUSTRIES)}")
    annual_revenue_wan: float | None = Field(None, ge=0, description="上年度营业收入（万元）")
    employees: int | None = Field(None, ge=0, description="从业人数")
    established: int | dt.date | None = Field(None, description="成立年份或成立日期")
    years_established: float | None = Field(None, ge=0, description="成立年限（年）")
    qualifications: list[str] = Field(default_factory=list, description="已获得的资质")
    lacking: list[str] = Field(default_factory=list, description="明确不具备的资质")
    is_sme: bool | None = Field(None, description="是否属于中小企业")
    rd_ratio_pct: float | None = Field(None, ge=0, description="研发费用占营业收入比例（%）")
    invention_patents: int | None = Field(None, ge=0, description="发明专利授权数（件）")
    in_incubator: bool | None = Field(None, description="是否入驻孵化器或众创空间")
    derived: dict[str, str] = Field(default_factory=dict, description="推定得出的字段及推定依据")

    def knows(self, name: str) -> bool:
        """Whether the profile states field ``name`` (qualifications: any held or denied)."""
        if name == "qualifications":
            return bool(self.qualifications or self.lacking)
        return getattr(self, name) is not None

    def missing(self) -> list[str]:
        """Condition fields the profile leaves unknown, in ``FIELD_LABELS`` order."""
        return [name for name in FIELD_LABELS if not self.knows(name)]


@dataclass
class ProfileExtraction:
    """An extracted profile, the fields it could not fill and the words each filled field came from."""

    profile: EnterpriseProfile
    missing: list[str]
    sources: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the profile, the missing fields with their Chinese labels, the sources."""
        return {
            "profile": self.profile.model_dump(mode="json"),
            "missing": [{"field": name, "label": FIELD_LABELS[name].ask} for name in self.missing],
            "sources": self.sources,
        }


def extract_profile(text: str, current_year: int | None = None) -> ProfileExtraction:
    """Read an enterprise profile from free text such as 「滨江区的软件公司，2019年成立，营收3200万元」.

    Args:
        text: the enterprise's own description.
        current_year: the year relative dates (去年成立, 成立3年) count from; defaults to this year.

    Returns:
        The profile, the condition fields the text did not state, and the words behind each value.
    """
    year = current_year or dt.date.today().year
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, reader in patterns.READERS.items():
        found = reader(text)
        if found is not None:
            values[name], sources[name] = found
    held, lacking, words = patterns.read_qualifications(text)
    values.update(qualifications=held, lacking=lacking)
    if words:
        sources["qualifications"] = "、".join(words)
    derived: dict[str, str] = {}
    established = patterns.read_established(text, year)
    if established is not None:
        founded, years, derived["years_established"], sources["years_established"] = established
        values.update(established=founded, years_established=years)
    rd = patterns.read_rd(text)
    revenue: float = values.get("annual_revenue_wan") or 0.0
    if rd is not None and (rd[0] == "pct" or revenue):  # an amount says nothing about the share without revenue
        kind, amount, sources["rd_ratio_pct"] = rd
        values["rd_ratio_pct"] = amount if kind == "pct" else round(amount / revenue * 100, 2)
        if kind == "wan":
            derived["rd_ratio_pct"] = f"按研发费用{amount:g}万元 ÷ 营业收入{revenue:g}万元计算"
    profile = EnterpriseProfile(**values, derived=derived)
    _derive(profile)
    return ProfileExtraction(profile, profile.missing(), sources)


def profile_from_mapping(data: Mapping[str, Any], current_year: int | None = None) -> ProfileExtraction:
    """Validate a form-style profile (the ``EnterpriseProfile`` field names), normalising its words.

    A form's qualification list is taken as complete: a qualification it does not list counts as not held.

    Args:
        data: field → value, e.g. ``{"registered_district": "滨江", "annual_revenue_wan": 3200}``.
        current_year: the year ``established`` is counted from; defaults to this year.

    Raises:
        ProfileError: an unknown field or a value of the wrong type, naming the field and the known ones.
    """
    unknown = sorted(set(data) - set(EnterpriseProfile.model_fields))
    if unknown:
        known = ", ".join(EnterpriseProfile.model_fields)
        raise ProfileError(f"unknown profile field(s) {', '.join(unknown)}; known: {known}")
    try:
        profile = EnterpriseProfile.model_validate(dict(data))
    except ValidationError as exc:
        problems = validation_problems(exc)
        raise ProfileError(f"invalid profile: {problems}") from exc
    if profile.registered_district:
        profile.registered_district = vocab.normalise_district(profile.registered_district)
    if profile.industry:
        profile.industry = vocab.normalise_industry(profile.industry)
    profile.qualifications = [vocab.normalise_qualification(q) for q in profile.qualifications]
    if "qualifications" in data and "lacking" not in data:
        profile.lacking = [q for q in QUALIFICATIONS if q not in profile.qualifications]
    if profile.years_established is None and profile.established is not None:
        year = current_year or dt.date.today().year
        founded = profile.established if isinstance(profile.established, int) else profile.established.year
        profile.years_established = float(max(year - founded, 0))
        profile.derived["years_established"] = f"按成立年份{founded}年、当前年份{year}年计算"
    _derive(profile)
    return ProfileExtraction(profile, profile.missing(), {})


def parse_profile(value: str | Mapping[str, Any], current_year: int | None = None) -> ProfileExtraction:
    """A profile from free text, a JSON object string, or a mapping (see the two functions above).

    Raises:
        ProfileError: the value is empty, or a JSON/mapping profile is malformed.
    """
    if isinstance(value, Mapping):
        return profile_from_mapping(value, current_year)
    text = value.strip()
    if not text:
        raise ProfileError("profile is empty; pass the enterprise's own words (注册地、行业、营收…) or a JSON object")
    if text.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ProfileError(f"profile looks like JSON but does not parse: {exc}") from exc
        if not isinstance(data, dict):
            raise ProfileError("a JSON profile must be an object of field → value")
        return profile_from_mapping(data, current_year)
    return extract_profile(text, current_year)


def _derive(profile: EnterpriseProfile) -> None:
    """Fill 中小企业身份 from a qualification or the size standard when the enterprise did not state it."""
    if profile.is_sme is not None:
        return
    qualification = next((q for q in _SME_QUALIFICATIONS if q in profile.qualifications), None)
    if qualification:
        profile.is_sme, profile.derived["is_sme"] = True, f"{qualification}均属中小企业"
        return
    verdict = vocab.sme_by_standard(profile.industry, profile.employees, profile.annual_revenue_wan)
    if verdict is not None:
        profile.is_sme, profile.derived["is_sme"] = verdict
