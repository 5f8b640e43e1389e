"""Row schemas of the curated data files (pydantic), enforced when the atlas loads.

Each model validates one CSV row as read (all text); blank optional cells become ``None``.
Checks that need more than one row or file live in :mod:`geo.data.checks`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from geo.data.dates import parse_partial_date
from geo.data.vocab import (
    ACTIVITIES,
    COUNTERPARTS,
    COUNTRY_KINDS,
    CUBAN_BODIES,
    EVIDENCE,
    ORG_KINDS,
    STATUSES,
)

FIRST_YEAR = 1959
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MARKUP = re.compile(r"[<>*#`\[\]\n\r\t]|https?://")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"'‘“(]?[A-Z0-9])")


def blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _check_date(text: str) -> str:
    parse_partial_date(text)
    return text


def _check_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise ValueError(f"{text!r} is not an http(s) URL")
    return text


def _check_iso3(code: str) -> str:
    if pycountry.countries.get(alpha_3=code) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 code")
    return code


def _split_ids(value):
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def vocabulary(values: dict[str, str]):
    return Literal[tuple(values)]


def _check_plain(text: str) -> str:
    if MARKUP.search(text):
        raise ValueError("must be plain text: no markup, links, tabs or line breaks")
    return text


def sentences(text: str) -> list[str]:
    """The sentences of a plain text (a break is ``.``, ``!`` or ``?``, a space, a capital)."""
    return [part for part in SENTENCE_BREAK.split(text.strip()) if part]


def _check_end_year(end_year: int | None, info: ValidationInfo) -> int | None:
    start_year = info.data.get("start_year")
    if end_year is not None and start_year is not None and end_year < start_year:
        raise ValueError(f"end_year {end_year} is before start_year {start_year}")
    return end_year


Text = Annotated[str, BeforeValidator(blank_to_none), Field(min_length=1)]
OptionalText = Annotated[str | None, BeforeValidator(blank_to_none)]
PartialDate = Annotated[str, BeforeValidator(blank_to_none), AfterValidator(_check_date)]
OptionalDate = Annotated[str | None, BeforeValidator(blank_to_none), AfterValidator(
    lambda v: v if v is None else _check_date(v))]
Url = Annotated[str, BeforeValidator(blank_to_none), AfterValidator(_check_url)]
Iso3 = Annotated[str, BeforeValidator(blank_to_none), Field(pattern=r"^[A-Z]{3}$"),
                 AfterValidator(_check_iso3)]
SourceIds = Annotated[list[Annotated[str, Field(pattern=SLUG)]], BeforeValidator(_split_ids),
                      Field(min_length=1)]
Year = Annotated[int, BeforeValidator(blank_to_none), Field(ge=FIRST_YEAR, le=2100)]
OptionalYear = Annotated[Year | None, BeforeValidator(blank_to_none)]


def _plain_text(max_length: int):
    """Non-empty plain text of at most ``max_length`` characters."""
    return Annotated[str, Field(min_length=1, max_length=max_length),
                     BeforeValidator(blank_to_none), AfterValidator(_check_plain)]


class Row(BaseModel):
    """A row of a data file: unknown columns are an error, values are stripped text."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Row):
    """``data/sources.csv``: one cited page."""

    source_id: Annotated[str, Field(pattern=SLUG)]
    title: Text
    url: Url
    publisher: Text
    published: OptionalDate = None
    accessed: PartialDate


class Organisation(Row):
    """``data/organisations.csv``: one organisation or alliance."""

    org_id: Annotated[str, Field(pattern=r"^[A-Z][A-Z_]*$")]
    name_en: Text
    name_es: Text
    kind: vocabulary(ORG_KINDS)
    founded: PartialDate
    ended: OptionalDate = None
    website: Annotated[str | None, BeforeValidator(blank_to_none),
                       AfterValidator(lambda v: v if v is None else _check_url(v))] = None
    description: Text
    sources: SourceIds


class Membership(Row):
    """``data/memberships.csv``: one continuous episode of one status of one country in one body."""

    iso3: Iso3
    org_id: Text
    status: vocabulary(STATUSES)
    start: PartialDate
    end: OptionalDate = None
    sources: SourceIds
    note: OptionalText = None

    @model_validator(mode="after")
    def _start_before_end(self):
        if self.end is not None and parse_partial_date(self.end) <= parse_partial_date(self.start):
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self


def record_rules(start_year: int, end_year: int | None, evidence: str,
                 evidence_note: str | None) -> None:
    """A cooperation record ends no earlier than it starts; an alleged one says why."""
    if end_year is not None and end_year < start_year:
        raise ValueError(f"end_year {end_year} is before start_year {start_year}")
    if evidence == "alleged" and not evidence_note:
        raise ValueError("an alleged record needs an evidence_note saying why")


class Cooperation(Row):
    """``data/cooperation.csv``: one episode of Cuban cooperation with (or against) one partner.

    ``start`` and ``end`` are partial dates as precise as the sources (``end`` is the last
    period the record covers; empty: ongoing on the review date); ``start_year`` and
    ``end_year`` are derived from them. ``last_attested`` names the cited source that last
    attests the activity; ``reviewed`` is when the record was last checked against its sources.
    """

    record_id: Annotated[str, Field(pattern=SLUG)]
    iso3: Iso3
    activity: vocabulary(ACTIVITIES)
    start: PartialDate
    end: OptionalDate = None
    counterpart: vocabulary(COUNTERPARTS)
    cuban_body: Annotated[vocabulary(CUBAN_BODIES) | None, BeforeValidator(blank_to_none)] = None
    title: Annotated[Text, Field(max_length=120)]
    description: Annotated[Text, Field(max_length=600)]
    evidence: vocabulary(EVIDENCE)
    evidence_note: OptionalText = None
    last_attested: Annotated[Annotated[str, Field(pattern=SLUG)] | None,
                             BeforeValidator(blank_to_none)] = None
    reviewed: PartialDate
    sources: SourceIds

    @computed_field
    @property
    def start_year(self) -> int:
        return int(self.start[:4])

    @computed_field
    @property
    def end_year(self) -> int | None:
        return None if self.end is None else int(self.end[:4])

    @model_validator(mode="after")
    def _consistent(self):
        if self.end is not None and self.end[:len(self.start)] < self.start[:len(self.end)]:
            raise ValueError(f"end {self.end} is before start {self.start}")
        record_rules(self.start_year, self.end_year, self.evidence, self.evidence_note)
        if self.last_attested is not None and self.last_attested not in self.sources:
            raise ValueError(f"last_attested {self.last_attested!r} is not one of its sources")
        return self


class Personnel(Row):
    """``data/personnel.csv``: one count (or range) of Cuban personnel in a country at a date,
    attached to the cooperation record it belongs to."""

    personnel_id: Annotated[str, Field(pattern=SLUG)]
    record_id: Annotated[str, Field(pattern=SLUG)]
    iso3: Iso3
    date: PartialDate
    low: Annotated[int, Field(ge=0)]
    high: Annotated[int, Field(ge=0)]
    counted: Annotated[Text, Field(max_length=200)]
    sources: SourceIds
    note: OptionalText = None

    @model_validator(mode="after")
    def _low_not_above_high(self):
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self


class Agreement(Row):
    """``data/agreements.csv``: one Cuba–partner agreement, from signing to its end (empty:
    in force, or no end found)."""

    agreement_id: Annotated[str, Field(pattern=SLUG)]
    iso3: Iso3
    title: Annotated[Text, Field(max_length=200)]
    signed: PartialDate
    ended: OptionalDate = None
    subject: vocabulary(ACTIVITIES)
    sources: SourceIds
    note: OptionalText = None

    @model_validator(mode="after")
    def _ends_after_signing(self):
        if self.ended is not None and parse_partial_date(self.ended) < parse_partial_date(
                self.signed):
            raise ValueError(f"ended {self.ended} is before signed {self.signed}")
        return self


class Era(Row):
    """``data/eras.csv``: one era band of the timeline and the year its preset jumps to.

    ``end_year`` is inclusive (empty: ongoing on the review date). That ``preset_year`` lies in
    the era and that the eras tile the years without gaps or overlaps are checked across rows
    (:func:`geo.data.checks.within`, :func:`geo.data.checks.contiguous`).
    """

    era_id: Annotated[str, Field(pattern=SLUG)]
    label: _plain_text(40)
    start_year: Year
    end_year: OptionalYear = None
    preset_year: Year
    summary: _plain_text(400)
    sources: SourceIds

    _end_after_start = field_validator("end_year")(_check_end_year)

    @field_validator("summary")
    @classmethod
    def _one_sentence(cls, summary: str) -> str:
        if len(found := sentences(summary)) != 1:
            raise ValueError(f"must be one sentence, not {len(found)}")
        return summary


class Narrative(Row):
    """``data/narratives.csv``: one short era narrative shown beside the timeline.

    ``start_year``/``end_year`` are the years the text speaks about (empty end: ongoing).
    """

    narrative_id: Annotated[str, Field(pattern=SLUG)]
    order: Annotated[int, Field(ge=1)]
    title: _plain_text(80)
    start_year: Year
    end_year: OptionalYear = None
    text: _plain_text(1600)
    sources: SourceIds

    _end_after_start = field_validator("end_year")(_check_end_year)

    @field_validator("text")
    @classmethod
    def _three_to_five_sentences(cls, text: str) -> str:
        if not 3 <= len(found := sentences(text)) <= 5:
            raise ValueError(f"must be 3 to 5 sentences, not {len(found)}")
        return text


class CountryProperties(Row):
    """Properties of one feature of ``data/countries.geojson``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    iso3: Iso3
    iso_n3: Annotated[str, Field(pattern=r"^\d{3}$")]
    name_en: Text
    name_es: Text
    kind: vocabulary(COUNTRY_KINDS)
    celac: bool
    sovereign_iso3: Iso3
    capital: str
    capital_lon: Annotated[float, Field(ge=-180, le=180)]
    capital_lat: Annotated[float, Field(ge=-90, le=90)]
    capital_source: Text


