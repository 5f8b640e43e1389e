"""Contracts that span rows and files. Each returns the rows that pass and the problems found."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from geo.data.dates import parse_partial_date
from geo.data.reading import Problem

Rows = list[dict]


def _split(rows: Rows, bad: dict[int, list[Problem]]) -> tuple[Rows, list[Problem]]:
    problems = [p for row in rows for p in bad.get(row["row"], [])]
    return [row for row in rows if row["row"] not in bad], problems


def unique(rows: Rows, key: str, file: str) -> tuple[Rows, list[Problem]]:
    """Keep the first row of each ``key`` value; later repeats are problems."""
    first: dict[str, int] = {}
    bad: dict[int, list[Problem]] = defaultdict(list)
    for row in rows:
        value = row[key]
        if value in first:
            bad[row["row"]].append(Problem(file, row["row"], key,
                                           f"{value!r} repeats row {first[value]}"))
        else:
            first[value] = row["row"]
    return _split(rows, bad)


def at_most(rows: Rows, limit: int, key: str, file: str, why: str) -> tuple[Rows, list[Problem]]:
    """Keep the first ``limit`` rows; each later one is a problem on ``key`` saying ``why``."""
    bad = {row["row"]: [Problem(file, row["row"], key, f"{row[key]!r}: more than {limit} rows; "
                                f"{why}")] for row in rows[limit:]}
    return _split(rows, bad)


def known(rows: Rows, field: str, allowed: Iterable[str], file: str, where: str
          ) -> tuple[Rows, list[Problem]]:
    """Keep rows whose ``field`` (a value or a list of values) is all in ``allowed``."""
    allowed = set(allowed)
    bad: dict[int, list[Problem]] = defaultdict(list)
    for row in rows:
        values = row[field] if isinstance(row[field], list) else [row[field]]
        for value in values:
            if value not in allowed:
                bad[row["row"]].append(Problem(file, row["row"], field,
                                               f"{value!r} is not in {where}"))
    return _split(rows, bad)


def within_lifetime(rows: Rows, organisations: Rows, file: str) -> tuple[Rows, list[Problem]]:
    """Keep episodes that start no earlier than their organisation was founded."""
    founded = {org["org_id"]: org["founded"] for org in organisations}
    bad: dict[int, list[Problem]] = defaultdict(list)
    for row in rows:
        start = founded[row["org_id"]]
        if parse_partial_date(row["start"]) < parse_partial_date(start):
            bad[row["row"]].append(Problem(
                file, row["row"], "start",
                f"{row['start']} is before {row['org_id']} was founded ({start})"))
    return _split(rows, bad)


def no_overlaps(rows: Rows, file: str) -> tuple[Rows, list[Problem]]:
    """Keep episodes that do not overlap an earlier-listed episode of the same country and body."""
    kept: dict[tuple[str, str], list[dict]] = defaultdict(list)
    bad: dict[int, list[Problem]] = defaultdict(list)
    for row in rows:
        start = parse_partial_date(row["start"])
        end = parse_partial_date(row["end"]) if row["end"] else None
        for other in kept[row["iso3"], row["org_id"]]:
            other_end = parse_partial_date(other["end"]) if other["end"] else None
            if (end is None or parse_partial_date(other["start"]) < end) and (
                    other_end is None or start < other_end):
                bad[row["row"]].append(Problem(
                    file, row["row"], "start",
                    f"{row['iso3']} in {row['org_id']} overlaps the episode at row {other['row']}"))
                break
        else:
            kept[row["iso3"], row["org_id"]].append(row)
    return _split(rows, bad)


def not_after(rows: Rows, fields: Iterable[str], last: date, file: str
              ) -> tuple[Rows, list[Problem]]:
    """Keep rows whose ``fields`` — years (int) or partial dates (text) — are not after the
    review date ``last`` (a year is after it when it is after its year)."""
    bad: dict[int, list[Problem]] = defaultdict(list)
    for row in rows:
        for name in fields:
            value = row[name]
            if isinstance(value, int) and value > last.year:
                why = f"{value} is after the review year {last.year}"
            elif isinstance(value, str) and value and parse_partial_date(value) > last:
                why = f"{value} is after the review date {last}"
            else:
                continue
            bad[row["row"]].append(Problem(file, row["row"], name, why))
    return _split(rows, bad)


def matches(rows: Rows, field: str, expected: Callable[[dict], object], file: str, what: str
            ) -> tuple[Rows, list[Problem]]:
    """Keep rows whose ``field`` equals ``expected(row)`` (``what`` names that value)."""
    bad = {row["row"]: [Problem(file, row["row"], field,
                                f"{row[field]!r} is not {what} ({expected(row)!r})")]
           for row in rows if row[field] != expected(row)}
    return _split(rows, bad)


def excluded(rows: Rows, field: str, value: str, file: str, why: str
             ) -> tuple[Rows, list[Problem]]:
    """Keep rows whose ``field`` is not ``value``."""
    bad = {row["row"]: [Problem(file, row["row"], field, why)]
           for row in rows if row[field] == value}
    return _split(rows, bad)


def same_set(flagged: set[str], expected: set[str], file: str, field: str, what: str
             ) -> list[Problem]:
    """Problems for each value flagged in ``file`` but not in ``expected`` (``what``), and back."""
    return [Problem(file, 0, field, f"{value!r} is flagged but is not among the {what}")
            for value in sorted(flagged - expected)] + [
            Problem(file, 0, field, f"{value!r} is among the {what} but is not flagged")
            for value in sorted(expected - flagged)]


def within(rows: Rows, field: str, start: str, end: str, last: int, file: str
           ) -> tuple[Rows, list[Problem]]:
    """Keep rows whose year ``field`` lies in their own ``[start, end]`` (an open end runs to
    ``last``, the review year)."""
    bad: dict[int, list[Problem]] = defaultdict(list)
    for row in rows:
        first, final = row[start], last if row[end] is None else row[end]
        if not first <= row[field] <= final:
            bad[row["row"]].append(Problem(file, row["row"], field,
                                           f"{row[field]} is outside {first}-{final}"))
    return _split(rows, bad)


def contiguous(rows: Rows, key: str, first: int, last: int, file: str
               ) -> tuple[Rows, list[Problem]]:
    """Spans ``start_year``..``end_year`` (inclusive; an open end is ongoing) must tile
    ``first``..``last`` without gaps or overlaps.

    A span overlapping an earlier-starting one is left out; gaps, and years at either end that no
    span covers, are reported on the span next to them, which is kept.
    """
    bad: dict[int, list[Problem]] = defaultdict(list)
    gaps: list[Problem] = []
    previous = None
    for row in sorted(rows, key=lambda r: (r["start_year"], r["row"])):
        start = row["start_year"]
        if previous is None:
            if start > first:
                gaps.append(Problem(file, row["row"], "start_year",
                                    f"leaves {_years(first, start - 1)} outside every span"))
        elif previous["end_year"] is None or start <= previous["end_year"]:
            bad[row["row"]].append(Problem(
                file, row["row"], "start_year",
                f"{row[key]!r} overlaps {previous[key]!r} at row {previous['row']}"))
            continue
        elif start > previous["end_year"] + 1:
            gaps.append(Problem(
                file, row["row"], "start_year",
                f"leaves {_years(previous['end_year'] + 1, start - 1)} between {previous[key]!r} "
                f"at row {previous['row']} and {row[key]!r}"))
        previous = row
    if previous is not None and previous["end_year"] is not None and previous["end_year"] < last:
        gaps.append(Problem(file, previous["row"], "end_year",
                            f"leaves {_years(previous['end_year'] + 1, last)} outside every span"))
    kept, problems = _split(rows, bad)
    return kept, problems + gaps


def _years(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"
