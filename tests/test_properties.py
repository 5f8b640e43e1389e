"""Properties, checked on generated data: temporal queries, partial dates and the upload reader."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from geo.data.dates import as_of, parse_partial_date
from geo.data.vocab import ACTIVITIES, EVIDENCE, STATUSES
from geo.io.upload import TEMPLATE_COLUMNS, parse_upload

SETTINGS = settings(max_examples=75, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
PARTNERS = ["VEN", "BOL", "NIC", "GRD", "MEX"]
ORGS = ["ALBA", "MERCOSUR", "CELAC"]


# --- cooperation(year=...) ---------------------------------------------------------------------


@SETTINGS
@given(data=st.data())
def test_a_record_is_active_from_its_start_to_its_end_or_the_last_year(mini, data):
    last = mini.last_year
    rows = []
    for number in range(data.draw(st.integers(0, 8), label="records")):
        start = data.draw(st.integers(mini.first_year, last))
        rows.append({"record_id": f"r{number}", "iso3": data.draw(st.sampled_from(PARTNERS)),
                     "activity": data.draw(st.sampled_from(list(ACTIVITIES))),
                     "start_year": start,
                     "end_year": data.draw(st.none() | st.integers(start, last)),
                     "evidence": data.draw(st.sampled_from(list(EVIDENCE)))})
    records = pd.DataFrame(rows, columns=["record_id", "iso3", "activity", "start_year",
                                          "end_year", "evidence"])
    records[["start_year", "end_year"]] = records[["start_year", "end_year"]].astype("Int64")
    atlas = dataclasses.replace(mini, records=records)

    year = data.draw(st.integers(mini.first_year, last), label="year")
    country = data.draw(st.none() | st.sampled_from(PARTNERS), label="country")
    evidence = data.draw(st.none() | st.sets(st.sampled_from(list(EVIDENCE))), label="evidence")
    expected = {row["record_id"] for row in rows
                if row["start_year"] <= year <= (row["end_year"] or last)
                and country in (None, row["iso3"])
                and (evidence is None or row["evidence"] in evidence)}
    found = atlas.cooperation(year=year, country=country, evidence=evidence)
    assert set(found["record_id"]) == expected


# --- statuses and members ----------------------------------------------------------------------


@st.composite
def episodes(draw):
    """Non-overlapping episodes ``[start, end)`` of a few countries in a few organisations."""
    rows = []
    for iso3 in PARTNERS[:3]:
        for org_id in ORGS:
            days = sorted(draw(st.sets(st.dates(date(1950, 1, 1), date(2026, 12, 31)),
                                       max_size=4)))
            open_ended = draw(st.booleans())
            bounds = list(zip(days, [*days[1:], None], strict=False))
            for start, end in bounds if open_ended else bounds[:-1]:
                if draw(st.booleans()):  # leave some gaps between episodes
                    rows.append({"iso3": iso3, "org_id": org_id,
                                 "status": draw(st.sampled_from(list(STATUSES))),
                                 "start": start, "end": end, "sources": ["example-alba"]})
    return rows


def status_on(rows, iso3, org_id, year):
    day = as_of(year)
    found = [row["status"] for row in rows if (row["iso3"], row["org_id"]) == (iso3, org_id)
             and row["start"] <= day and (row["end"] is None or day < row["end"])]
    assert len(found) <= 1
    return found[0] if found else None


@SETTINGS
@given(rows=episodes(), data=st.data())
def test_statuses_follow_the_episodes_and_members_are_those_with_member_status(mini, rows, data):
    memberships = pd.DataFrame(rows, columns=["iso3", "org_id", "status", "start", "end",
                                              "sources"])
    memberships["start_date"] = pd.to_datetime(list(memberships["start"]))
    memberships["end_date"] = pd.to_datetime(list(memberships["end"]))
    atlas = dataclasses.replace(mini, memberships=memberships)

    year = data.draw(st.sampled_from(atlas.years), label="year")
    org_id = data.draw(st.sampled_from(ORGS), label="org_id")
    with_status = set(atlas.statuses(year).query("org_id == @org_id")["iso3"])
    assert atlas.members(org_id, year) <= with_status
    assert atlas.members(org_id, year) == {
        iso3 for iso3 in PARTNERS if status_on(rows, iso3, org_id, year) == "member"}
    for iso3 in PARTNERS[:3]:
        assert atlas.status(iso3, org_id, year) == status_on(rows, iso3, org_id, year)


# --- partial dates -----------------------------------------------------------------------------


@SETTINGS
@given(day=st.dates())
def test_partial_dates_round_trip(day):
    assert parse_partial_date(day.isoformat()) == day
    assert parse_partial_date(f"{day.year:04d}-{day.month:02d}") == day.replace(day=1)
    assert parse_partial_date(f" {day.year:04d} ") == date(day.year, 1, 1)


@SETTINGS
@given(text=st.text(max_size=20))
def test_anything_not_shaped_like_a_date_is_a_value_error(text):
    assume(not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text.strip()))
    with pytest.raises(ValueError, match="is not a date of the form"):
        parse_partial_date(text)


def is_real(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@SETTINGS
@given(year=st.integers(1, 9999), month=st.integers(0, 99), day=st.integers(0, 99))
def test_impossible_dates_are_a_value_error(year, month, day):
    assume(not is_real(year, month, day))
    with pytest.raises(ValueError, match="is not a real date"):
        parse_partial_date(f"{year:04d}-{month:02d}-{day:02d}")


# --- the upload reader -------------------------------------------------------------------------

# Any text but control characters (other than tab and line breaks), with CSV's awkward ones often.
CELL = st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(
    list("\t\n\r\",;' ")), max_size=25)
COLUMNS = list(TEMPLATE_COLUMNS)
URL = "https://example.org/report?id=1&lang=es"


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def accounted(result, rows):
    """Each non-blank data row is accepted or rejected, exactly once; blank rows are neither."""
    filled = {number for number, row in enumerate(rows, start=2) if any(c.strip() for c in row)}
    accepted = set(result.records["row"])
    rejected = {problem.row for problem in result.problems if problem.row > 1}  # not the file
    assert accepted | rejected == filled and not accepted & rejected
    assert (result.accepted, result.rejected) == (len(accepted), len(rejected))
    return accepted


@SETTINGS
@given(rows=st.lists(st.lists(CELL, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=6))
def test_any_text_rows_are_each_accepted_or_rejected(atlas, rows):
    accounted(parse_upload("any.csv", to_csv(rows), atlas), rows)


PLACES = [("VEN", "VEN"), ("Venezuela", "VEN"), ("haití", "HTI"), ("México", "MEX"),
          ("Brasil", "BRA"), ("Saint Kitts and Nevis", "KNA")]


@st.composite
def plausible_rows(draw):
    """Rows valid in every column but the free text, which is anything."""
    place, iso3 = draw(st.sampled_from(PLACES))
    start = draw(st.integers(1959, 2026))
    end = draw(st.none() | st.integers(start, 2026))
    cells = {"country": place, "activity": draw(st.sampled_from(list(ACTIVITIES))),
             "start_year": str(start), "end_year": "" if end is None else str(end),
             "title": draw(CELL), "description": draw(CELL),
             "evidence": draw(st.sampled_from(["documented", "reported"])),
             "evidence_note": draw(CELL), "counterpart": "", "source_url": URL,
             "source_title": draw(CELL)}
    return [cells[column] for column in COLUMNS], iso3


@SETTINGS
@given(drawn=st.lists(plausible_rows(), max_size=6))
def test_accepted_text_is_the_input_exactly(atlas, drawn):
    rows = [row for row, _ in drawn]
    result = parse_upload("text.csv", to_csv(rows), atlas)
    accepted = accounted(result, rows)

    expected, seen = set(), set()
    for number, (row, iso3) in enumerate(drawn, start=2):
        cells = dict(zip(COLUMNS, (cell.strip() for cell in row), strict=True))
        key = (iso3, *(cells[c] for c in COLUMNS[1:]))
        if cells["title"] and cells["description"] and key not in seen:
            expected.add(number)
            seen.add(key)
    assert accepted == expected

    for record in result.records.itertuples():
        given_cells = dict(zip(COLUMNS, rows[record.row - 2], strict=True))
        assert record.iso3 == drawn[record.row - 2][1]
        assert record.title == given_cells["title"].strip()
        assert record.description == given_cells["description"].strip()
        note = None if pd.isna(record.evidence_note) else record.evidence_note
        assert note == (given_cells["evidence_note"].strip() or None)
        assert record.sources[0]["title"] == (given_cells["source_title"].strip() or URL)


@SETTINGS
@given(row=plausible_rows(), control=st.characters(categories=("Cc",)).filter(
    lambda c: c not in "\t\n\r\x00"))
def test_a_control_character_rejects_its_row(atlas, row, control):
    cells, _ = row
    cells[COLUMNS.index("title")] = f"A{control}B"
    result = parse_upload("control.csv", to_csv([cells]), atlas)
    assert (result.accepted, result.rejected) == (0, 1)
    assert [(p.row, p.field) for p in result.problems if "control character" in p.message] == [
        (2, "title")]
