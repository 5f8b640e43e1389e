"""Analysts' own cooperation records: check an uploaded CSV or Excel file, overlay it on the atlas.

Pure functions, no Streamlit: the page reads the uploaded bytes, calls :func:`parse_upload`, shows
its problems and notices, and maps ``overlay(atlas, result.records)`` for that session only.

>>> result = parse_upload("mine.csv", template_csv(), load_atlas())   # doctest: +SKIP
>>> result.accepted, result.rejected                                  # doctest: +SKIP
(1, 0)

Rows are validated with the curated schema's types (:mod:`geo.data.schema`), countries are
resolved to ISO3 codes, and accepted rows become records like the curated ones, with
``user_supplied=True``.
Text is kept exactly as given (only surrounding whitespace is stripped): escaping is the
renderer's job, never this module's. Whatever the bytes, nothing raises: every problem is reported
as ``file:row: field: message`` with the row numbered as a spreadsheet shows it (header = row 1).
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import hashlib
import io
import re
import unicodedata
from typing import Annotated

import pandas as pd
import pycountry
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, model_validator

from geo.data.atlas import CUBA, Atlas
from geo.data.reading import Problem, problems_of
from geo.data.schema import (
    OptionalText,
    OptionalYear,
    Row,
    Url,
    Year,
    blank_to_none,
    record_rules,
    vocabulary,
)
from geo.data.vocab import ACTIVITIES, COUNTERPARTS, EVIDENCE
from geo.io.spreadsheet import (
    ALLOWED_CONTROLS,
    MAX_BYTES,
    MAX_ROWS,
    Refused,
    cell_text,
    column_name,
    read_rows,
)

__all__ = ["MAX_BYTES", "MAX_ROWS", "TEMPLATE_COLUMNS", "UploadResult", "overlay",
           "parse_upload", "template_csv"]

TEMPLATE_COLUMNS: dict[str, str] = {
    "country": "The partner state: an ISO3 code (VEN) or its name in English or Spanish "
               "(Venezuela, Haití). One of the 33 CELAC states other than Cuba. Required.",
    "activity": "Kind of cooperation, as an id or its label: "
                + "; ".join(f"{key} ({label})" for key, label in ACTIVITIES.items())
                + ". Required.",
    "start_year": "First year of the cooperation (1959 or later, not after the atlas's last "
                  "year). Required.",
    "end_year": "Last year of the cooperation, not before start_year; leave blank if ongoing.",
    "title": "Short title shown on the map, at most 120 characters. Required.",
    "description": "What happened, in a few sentences, at most 600 characters. Required.",
    "evidence": "How well it is attested: documented (official or archival record), reported "
                "(reputable journalism or research) or alleged (claimed, uncorroborated). "
                "Required.",
    "evidence_note": "Why that evidence level; required when evidence is alleged.",
    "counterpart": "government (Cuba worked with the state's government; the default when "
                   "blank) or armed_opposition (Cuba backed insurgents fighting it).",
    "source_url": "Address of the source, an http:// or https:// URL. Required.",
    "source_title": "Title of the source; the URL is shown when blank.",
}
REQUIRED = ("country", "activity", "start_year", "title", "description", "evidence",
            "source_url")
YEAR_COLUMNS = ("start_year", "end_year")
PUBLISHER = "user-supplied"

# A real record of data/cooperation.csv (brb-covid-brigade-2020) with its first source.
EXAMPLE = {
    "country": "Barbados",
    "activity": "medical_diplomacy",
    "start_year": "2020",
    "end_year": "2022",
    "title": "Henry Reeve COVID-19 brigade in Barbados",
    "description": "A Cuban brigade of about 100 nurses and a doctor arrived in Barbados in April "
                   "2020 at the government's request. It was reinforced in January 2021 and "
                   "returned home on 2 June 2022 (126 staff) with thanks from Prime Minister "
                   "Mottley.",
    "evidence": "documented",
    "evidence_note": "Confirmed by the Barbadian government and the Cuban Foreign Ministry.",
    "counterpart": "government",
    "source_url": "https://barbadostoday.bb/2021/01/26/cuban-reinforcements-for-covid-19-battle/",
    "source_title": "Cuban reinforcements for COVID-19 battle",
}


@dataclasses.dataclass(frozen=True)
class UploadResult:
    """What came of one uploaded file.

    ``records`` has the columns of ``atlas.records`` plus ``user_supplied`` (True), one row per
    accepted record; ``problems`` names each refused row (or the file: row 0, or its header);
    ``accepted`` and ``rejected`` count data rows (blank rows are neither; both are 0 when the
    file as a whole is refused); ``notices`` are file-level remarks (encoding, ignored columns).
    """

    records: pd.DataFrame
    problems: list[Problem]
    accepted: int
    rejected: int
    notices: list[str]


def template_csv() -> bytes:
    """A CSV template to fill in: the header and one real record as an example (UTF-8, BOM)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(TEMPLATE_COLUMNS))
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return buffer.getvalue().encode("utf-8-sig")


def parse_upload(name: str, data: bytes, atlas: Atlas) -> UploadResult:
    """Check the uploaded file ``name`` (CSV or .xlsx bytes) against the template and ``atlas``.

    Never raises on bad input: a file that cannot be used at all gives one problem at row 0.
    """
    notices: list[str] = []
    try:
        rows = read_rows(data, name, notices, TEMPLATE_COLUMNS)
        return _check(name, rows, atlas, notices)
    except Refused as refusal:
        problems = refusal.problems or [Problem(name, 0, "file", refusal.message)]
        return UploadResult(_frame([], atlas), problems, 0, 0, notices)


def overlay(atlas: Atlas, records: pd.DataFrame) -> Atlas:
    """A new atlas whose records are the curated ones plus ``records`` (``atlas`` is untouched).

    The records gain a boolean ``user_supplied`` column, False for the curated rows.
    """
    curated = atlas.records
    if "user_supplied" not in curated:
        curated = curated.assign(user_supplied=pd.Series(False, index=curated.index, dtype=bool))
    if len(records):
        added = records.reindex(columns=curated.columns)
        added["user_supplied"] = True
        curated = pd.concat([curated, added], ignore_index=True)
    else:
        curated = curated.copy()
    digest = hashlib.sha256(repr(records.drop(columns="row", errors="ignore").to_dict(
        "records")).encode()).hexdigest()[:16]
    return dataclasses.replace(atlas, records=curated, version=f"{atlas.version}+upload@{digest}")


# --- checking the rows ------------------------------------------------------------------------


def _check(name: str, rows: list[list], atlas: Atlas, notices: list[str]) -> UploadResult:
    numbered = [(number, row) for number, row in enumerate(rows, start=1)
                if any(cell_text(cell).strip() for cell in row)]
    if not numbered:
        raise Refused("is empty")
    (header_row, header), *body = numbered
    columns = _header(name, header_row, header, notices)
    width = max(i for i, cell in enumerate(header) if cell_text(cell).strip()) + 1
    if not body:
        raise Refused("has a header row but no records")
    if len(body) > MAX_ROWS:
        raise Refused(f"has more than {MAX_ROWS} records: split it into smaller files")
    blank = len(rows) - header_row - len(body)
    if blank > 0:
        notices.append(f"skipped {blank} blank row{'s' if blank > 1 else ''}")

    context = {"places": _Places(atlas), "last_year": atlas.last_year}
    accepted: list[dict] = []
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for number, cells in body:
        record = {column: cell_text(cells[i], column in YEAR_COLUMNS) if i < len(cells) else ""
                  for column, i in columns.items()}
        found = []
        if any(cell_text(cell).strip() for cell in cells[width:]):
            found.append(Problem(name, number, "row",
                                 f"has cells beyond the {width} columns of the header"))
        try:
            valid = Upload.model_validate(record, context=context)
        except ValidationError as error:
            found.extend(problems_of(name, number, error))
        else:
            key = tuple(valid.model_dump().values())
            if not found and key in seen:
                found.append(Problem(name, number, "row", f"duplicates row {seen[key]}"))
            elif not found:
                seen[key] = number
                accepted.append({"row": number, **valid.model_dump()})
        problems.extend(found)
    return UploadResult(_frame(accepted, atlas), problems, len(accepted),
                        len(body) - len(accepted), notices)


def _header(name: str, number: int, header: list, notices: list[str]) -> dict[str, int]:
    """Position of each template column in the header; refuses a header missing any."""
    names = [column_name(cell) for cell in header]
    columns: dict[str, int] = {}
    problems = []
    for position, column in enumerate(names):
        if column in TEMPLATE_COLUMNS:
            if column in columns:
                problems.append(Problem(name, number, "header",
                                        f"column {column!r} appears more than once"))
            columns.setdefault(column, position)
    unknown = {column: cell_text(cell).strip() for column, cell in zip(names, header, strict=True)
               if column and column not in TEMPLATE_COLUMNS}
    suggested = set()
    for column in TEMPLATE_COLUMNS:
        if column in columns:
            continue
        close = difflib.get_close_matches(column, list(unknown), n=1, cutoff=0.6)
        if close:
            suggested.add(close[0])
            problems.append(Problem(name, number, "header", (
                f"missing column {column!r} (the header has {_shown(unknown[close[0]])}: "
                f"did you mean {column!r}?)")))
        elif column in REQUIRED:
            problems.append(Problem(name, number, "header", f"missing column {column!r}"))
    ignored = [_shown(label) for column, label in unknown.items() if column not in suggested]
    if ignored:
        more = f" and {len(ignored) - 3} more" if len(ignored) > 3 else ""
        notices.append(f"column{'s' if len(ignored) > 1 else ''} {', '.join(ignored[:3])}{more} "
                       f"{'are' if len(ignored) > 1 else 'is'} not in the template and "
                       f"{'are' if len(ignored) > 1 else 'is'} ignored")
    if problems:
        raise Refused(problems=problems)
    return columns


class _Places:
    """Country names and codes of the atlas, for resolving what users write to an ISO3 code."""

    def __init__(self, atlas: Atlas):
        countries = atlas.countries
        self.names = dict(zip(countries["iso3"], countries["name_en"], strict=True))
        self.kinds = dict(zip(countries["iso3"], countries["kind"], strict=True))
        self.states = sum(kind == "state" for kind in self.kinds.values())
        self.keys: dict[str, str] = {}
        for row in countries.itertuples():
            for label in (row.iso3, row.name_en, row.name_es):
                self.keys.setdefault(_key(label), row.iso3)
        self.partners = {key: iso3 for key, iso3 in self.keys.items()
                         if self.kinds[iso3] == "state" and iso3 != CUBA}

    def resolve(self, value: str) -> str:
        iso3 = self.keys.get(_key(value))
        if iso3 is None:
            try:
                iso3 = pycountry.countries.lookup(value).alpha_3
            except LookupError:
                close = difflib.get_close_matches(_key(value), list(self.partners), n=1,
                                                  cutoff=0.6)
                if close:
                    iso3 = self.partners[close[0]]
                    raise ValueError(f"unknown country {_shown(value)}: did you mean {iso3} "
                                     f"({self.names[iso3]})?") from None
                raise ValueError(f"unknown country {_shown(value)}: use an ISO3 code or the "
                                 f"English or Spanish name of one of the {self.states} CELAC "
                                 f"states") from None
        if iso3 == CUBA:
            raise ValueError("Cuba cannot be its own cooperation partner")
        if self.kinds.get(iso3) != "state":
            what = "a territory" if self.kinds.get(iso3) == "territory" else "outside the region"
            label = self.names.get(iso3) or pycountry.countries.get(alpha_3=iso3).name
            label = iso3 if _key(label) == _key(value) else label
            raise ValueError(f"{_shown(value)} ({label}) is {what}, not one of the {self.states} "
                             f"CELAC states")
        return iso3


def _shown(value: str) -> str:
    """A value quoted in a message: its repr, cut to 60 characters."""
    return repr(value) if len(value) <= 60 else repr(value[:57]) + "..."


def _key(text: str) -> str:
    """Loose form of a name for matching: no accents, case or punctuation."""
    letters = unicodedata.normalize("NFKD", str(text).casefold())
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", letters.replace("&", " and ")).split())


_ACTIVITY_KEYS = {_key(label): key for key, label in ACTIVITIES.items()} | {
    _key(key): key for key in ACTIVITIES}


def _activity(value):
    value = _required(value)
    found = _ACTIVITY_KEYS.get(_key(value))
    if found is None:
        close = difflib.get_close_matches(_key(value), list(_ACTIVITY_KEYS), n=1, cutoff=0.6)
        hint = (f"did you mean {_ACTIVITY_KEYS[close[0]]!r}?" if close else
                "use an id or label from the template")
        raise ValueError(f"unknown activity {_shown(value)}: {hint}")
    return found


def _required(value):
    value = blank_to_none(value)
    if value is None:
        raise ValueError("is required")
    return value


def _lower(value):
    value = _required(value)
    return value.lower() if isinstance(value, str) else value


def _counterpart(value):
    """Blank means the usual case: cooperation with the government."""
    text = blank_to_none(value)
    return text.lower() if isinstance(text, str) else "government"


def _printable(value: str | None) -> str | None:
    """Refuse control characters other than tab and line breaks (they garble pages and files)."""
    for character in value or "":
        if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
            raise ValueError(f"contains a control character (U+{ord(character):04X}); only "
                             "tabs and line breaks are allowed")
    return value


def _no_space(url: str) -> str:
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):
        raise ValueError(f"{_shown(url)} is not an http(s) URL")
    return url


def _country(value, info):
    return info.context["places"].resolve(_required(value))


def _not_after_last_year(year: int | None, info) -> int | None:
    last = info.context["last_year"]
    if year is not None and year > last:
        raise ValueError(f"{year} is after {last}, the last year of the atlas")
    return year


def _checked(limit: int):
    """Required text of at most ``limit`` characters, without control characters."""
    return Annotated[str, Field(min_length=1, max_length=limit), BeforeValidator(_required),
                     AfterValidator(_printable)]



class Upload(Row):
    """One uploaded row, as the template names its columns (see ``TEMPLATE_COLUMNS``)."""

    country: Annotated[str, BeforeValidator(_country)]
    activity: Annotated[vocabulary(ACTIVITIES), BeforeValidator(_activity)]
    start_year: Annotated[Year, BeforeValidator(_required), AfterValidator(_not_after_last_year)]
    end_year: Annotated[OptionalYear, AfterValidator(_not_after_last_year)] = None
    title: _checked(120)  # as geo.data.schema.Cooperation
    description: _checked(600)
    evidence: Annotated[vocabulary(EVIDENCE), BeforeValidator(_lower)]
    evidence_note: Annotated[OptionalText, AfterValidator(_printable)] = None
    counterpart: Annotated[vocabulary(COUNTERPARTS),
                           BeforeValidator(_counterpart)] = "government"
    source_url: Annotated[Url, BeforeValidator(_required), AfterValidator(_no_space)]
    source_title: Annotated[Annotated[str, Field(max_length=300)] | None,
                            BeforeValidator(blank_to_none), AfterValidator(_printable)] = None

    @model_validator(mode="after")
    def _consistent(self):
        record_rules(self.start_year, self.end_year, self.evidence, self.evidence_note)
        return self


def _frame(rows: list[dict], atlas: Atlas) -> pd.DataFrame:
    """Accepted rows shaped like ``atlas.records``, plus ``user_supplied`` (True)."""
    records = []
    for row in rows:
        record_id = f"upload-{row['row']}"
        source = {"source_id": record_id, "title": row["source_title"] or row["source_url"],
                  "url": row["source_url"], "publisher": PUBLISHER}
        end = None if row["end_year"] is None else str(row["end_year"])
        records.append({**row, "record_id": record_id, "iso3": row["country"],
                        "start": str(row["start_year"]), "end": end,
                        "reviewed": None,
                        "sources": [source], "source_ids": [record_id]})
    columns = [column for column in atlas.records.columns if column != "user_supplied"]
    frame = pd.DataFrame(records, columns=columns)
    frame["row"] = frame["row"].astype("int64")
    for column in columns:  # the curated records' types, even where every value is empty
        if column not in ("row", "sources", "source_ids"):
            frame[column] = frame[column].astype(atlas.records[column].dtype)
    frame["user_supplied"] = pd.Series(True, index=frame.index, dtype=bool)
    return frame
