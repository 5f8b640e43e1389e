"""Uploads: every awkward file of tests/bad_files ends as exact counts and exact problems."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pandas as pd
import pytest

from geo.data.reading import Problem
from geo.io.upload import (
    MAX_BYTES,
    MAX_ROWS,
    TEMPLATE_COLUMNS,
    UploadResult,
    overlay,
    parse_upload,
    template_csv,
)

BAD_FILES = Path(__file__).resolve().parent / "bad_files"
NOT_TEXT = "is not a text CSV"

# file: (accepted, rejected, [(row, field, message fragment), ...], notice fragment or None)
CORPUS = {
    "bom.csv": (2, 0, [], None),
    "latin1.csv": (2, 0, [], "not UTF-8: read as Windows-1252"),
    "semicolon.csv": (2, 0, [], "columns separated by ';'"),
    "blank_lines.csv": (2, 1, [
        (7, "evidence", "Input should be 'documented', 'reported' or 'alleged'"),
    ], "skipped 4 blank rows"),
    "misspelled_header.csv": (0, 0, [
        (1, "header", "missing column 'country' (the header has 'contry': did you mean "
                      "'country'?)"),
        (1, "header", "missing column 'title' (the header has 'titel': did you mean 'title'?)"),
        (1, "header", "missing column 'source_url'"),
    ], "column 'notes' is not in the template and is ignored"),
    "unknown_country.csv": (3, 5, [
        (2, "country", "unknown country 'Venezuala': did you mean VEN (Venezuela)?"),
        (3, "country", "unknown country 'Atlantis': use an ISO3 code or the English or Spanish "
                       "name of one of the 33 CELAC states"),
        (4, "country", "Cuba cannot be its own cooperation partner"),
        (5, "country", "'Puerto Rico' (PRI) is a territory, not one of the 33 CELAC states"),
        (6, "country", "'ESP' (Spain) is outside the region"),
    ], None),
    "duplicates.csv": (2, 3, [
        (3, "row", "duplicates row 2"),
        (5, "row", "duplicates row 2"),
        (6, "row", "duplicates row 4"),
    ], None),
    "empty.csv": (0, 0, [(0, "file", "is empty")], None),
    "header_only.csv": (0, 0, [(0, "file", "has a header row but no records")], None),
    "binary.csv": (0, 0, [(0, "file", NOT_TEXT)], None),
    "good.xlsx": (3, 1, [
        (6, "row", "an alleged record needs an evidence_note saying why"),
    ], "only the first sheet ('Records') is read"),
    "corrupt.xlsx": (0, 0, [
        (0, "file", "cannot be read as an Excel .xlsx workbook: File is not a zip file"),
    ], None),
    "bad_years.csv": (1, 5, [
        (2, "start_year", "Input should be greater than or equal to 1959"),
        (3, "row", "end_year 1966 is before start_year 1970"),
        (4, "start_year", "2030 is after 2026, the last year of the atlas"),
        (5, "start_year", "Input should be a valid integer"),
        (6, "start_year", "is required"),
    ], None),
    "javascript_url.csv": (1, 3, [
        (2, "source_url", "'javascript:alert(1)' is not an http(s) URL"),
        (3, "source_url", "'www.piglix.com/piglix/US_invasion_of_Grenada' is not an http(s) URL"),
        (4, "source_url", "'data:text/html,<script>alert(1)</script>' is not an http(s) URL"),
    ], None),
    "hostile_text.csv": (2, 1, [
        (4, "title", "contains a control character (U+0007); only tabs and line breaks are "
                     "allowed"),
    ], None),
}


def upload(atlas, name: str, data: bytes | None = None) -> UploadResult:
    return parse_upload(name, (BAD_FILES / name).read_bytes() if data is None else data, atlas)


def outcome(result: UploadResult) -> tuple[int, int, list[tuple[int, str]]]:
    return result.accepted, result.rejected, [(p.row, p.field) for p in result.problems]


def test_the_corpus_is_complete():
    on_disk = {p.name for p in BAD_FILES.iterdir() if p.suffix != ".py"} - {"__pycache__"}
    assert on_disk == set(CORPUS)


@pytest.mark.parametrize(("name", "expected"), CORPUS.items(), ids=list(CORPUS))
def test_corpus(atlas, name, expected):
    accepted, rejected, problems, notice = expected
    result = upload(atlas, name)
    assert outcome(result) == (accepted, rejected, [(row, field) for row, field, _ in problems])
    for problem, (_, _, fragment) in zip(result.problems, problems, strict=True):
        assert problem.file == name
        assert fragment in problem.message
    assert len(result.records) == accepted
    assert (notice is None) == (not result.notices)
    assert notice is None or any(notice in text for text in result.notices)


def test_problems_print_as_file_row_field_message(atlas):
    assert str(upload(atlas, "bad_years.csv").problems[0]) == (
        "bad_years.csv:2: start_year: Input should be greater than or equal to 1959")


def test_text_is_kept_exactly_as_given(atlas):
    hostile = upload(atlas, "hostile_text.csv").records
    assert list(hostile["title"]) == ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
    assert hostile["description"].iloc[0] == (
        'He said "hi", then <b>left</b>; =HYPERLINK("http://x")')
    assert hostile["sources"].iloc[1][0]["title"] == "</a><a href=x>"
    for name in ("bom.csv", "latin1.csv"):
        haiti = upload(atlas, name).records.set_index("iso3").loc["HTI"]
        assert "Operación Milagro" in haiti["description"]
        assert haiti["sources"][0]["title"] == "Brigada médica de Cuba cumple 24 años en Haití"
    stripped = upload(atlas, "duplicates.csv").records  # surrounding spaces only are stripped
    assert set(stripped["title"]) == {"Henry Reeve COVID-19 brigade in Peru",
                                      "Henry Reeve COVID-19 brigades in Mexico City"}


def test_excel_numbers_and_dates_become_years(atlas):
    records = upload(atlas, "good.xlsx").records
    assert [(r.row, r.iso3, r.start_year, None if pd.isna(r.end_year) else r.end_year, r.evidence)
            for r in records.itertuples()] == [(2, "GRD", 1983, 1983, "documented"),
                                               (3, "HTI", 1998, None, "documented"),
                                               (5, "VEN", 2003, None, "documented")]


def test_records_look_like_the_curated_ones(atlas):
    records = upload(atlas, "semicolon.csv").records
    assert list(records.columns) == [*atlas.records.columns, "user_supplied"]
    assert dict(records.dtypes) == {**dict(atlas.records.dtypes), "user_supplied": bool}
    first = records.iloc[0]
    assert (first["row"], first["record_id"], first["iso3"], first["activity"]) == (
        2, "upload-2", "COL", "peace_mediation")
    assert first["source_ids"] == ["upload-2"]
    assert first["sources"] == [{
        "source_id": "upload-2", "title": "Chile, others to aid Colombian peace talks",
        "url": "https://www.upi.com/Top_News/World-News/2012/08/30/Chile-others-to-aid-Colombian-"
               "peace-talks/UPI-89231346339698/",
        "publisher": "user-supplied"}]
    assert records["user_supplied"].all()


def test_the_template_describes_every_column_and_parses_back(atlas):
    assert all(TEMPLATE_COLUMNS.values())
    data = template_csv()
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == list(TEMPLATE_COLUMNS)
    result = parse_upload("template.csv", data, atlas)
    assert outcome(result) == (1, 0, [])
    example = result.records.iloc[0]
    curated = atlas.records.set_index("title").loc[example["title"]]  # a real, sourced record
    assert (curated["iso3"], curated["start_year"], curated["end_year"]) == (
        example["iso3"], example["start_year"], example["end_year"])
    assert example["sources"][0]["url"] in set(atlas.sources["url"])


def test_oversized_files_are_refused_before_reading(atlas):
    result = parse_upload("big.csv", template_csv() + b"x" * MAX_BYTES, atlas)
    assert outcome(result) == (0, 0, [(0, "file")])
    assert "the limit is 2 MB" in result.problems[0].message


def test_too_many_records_are_refused(atlas):
    body = "VEN,peacekeeping,2000,,A title,What happened.,reported,,https://example.org,"
    data = "\n".join([",".join(TEMPLATE_COLUMNS), *[body] * (MAX_ROWS + 1)]).encode()
    assert len(data) < MAX_BYTES
    result = parse_upload("many.csv", data, atlas)
    assert result.problems == [Problem("many.csv", 0, "file",
                                       f"has more than {MAX_ROWS} records: split it into "
                                       "smaller files")]


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_are_not_a_text_csv(atlas, seed):
    data = random.Random(seed).randbytes(2000)
    result = parse_upload("random.csv", data, atlas)
    assert outcome(result) == (0, 0, [(0, "file")])
    assert NOT_TEXT in result.problems[0].message


def test_an_old_xls_workbook_is_refused_with_advice(atlas):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    result = parse_upload("old.xls", data, atlas)
    assert result.problems[0].message == (
        "is an old Excel .xls workbook: save it as .xlsx or as CSV (UTF-8)")


def test_a_workbook_named_csv_is_read_as_a_workbook(atlas):
    result = upload(atlas, "good.xlsx", (BAD_FILES / "good.xlsx").read_bytes())
    renamed = parse_upload("records.csv", (BAD_FILES / "good.xlsx").read_bytes(), atlas)
    assert outcome(renamed) == outcome(result)
    assert "records.csv is a zip file: read as an Excel .xlsx workbook" in renamed.notices


def test_tab_separated_utf16_as_excel_saves_unicode_text(atlas):
    rows = list(csv.reader(io.StringIO(template_csv().decode("utf-8-sig"))))
    text = "\r\n".join("\t".join(row) for row in rows)
    result = parse_upload("unicode.txt", text.encode("utf-16"), atlas)
    assert outcome(result) == (1, 0, [])
    assert result.notices == ["columns separated by tabs"]


def test_header_names_ignore_case_spaces_and_extra_columns(atlas):
    rows = list(csv.reader(io.StringIO(template_csv().decode("utf-8-sig"))))
    header = [name.replace("_", " ").title() for name in rows[0]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[*header, "Internal id"], [*rows[1], "42"]])
    result = parse_upload("mine.csv", buffer.getvalue().encode(), atlas)
    assert outcome(result) == (1, 0, [])
    assert result.notices == ["column 'Internal id' is not in the template and is ignored"]


def test_overlay_adds_the_uploaded_records_and_leaves_the_atlas_untouched(atlas):
    before = atlas.records.copy()
    records = upload(atlas, "good.xlsx").records
    overlaid = overlay(atlas, records)

    assert atlas.records.equals(before) and "user_supplied" not in atlas.records
    assert len(overlaid.records) == len(before) + 3
    assert list(overlaid.records.columns) == [*before.columns, "user_supplied"]
    assert overlaid.records["user_supplied"].dtype == bool
    assert overlaid.records["user_supplied"].sum() == 3

    def uploaded(year):
        found = overlaid.cooperation(year=year)
        return sorted(found.loc[found["user_supplied"], "record_id"])

    assert uploaded(1982) == []
    assert uploaded(1983) == ["upload-2"]                 # Grenada, 1983 only
    assert uploaded(1998) == ["upload-3"]                 # Haiti, ongoing from 1998
    assert uploaded(atlas.last_year) == ["upload-3", "upload-5"]
    curated = overlaid.cooperation(year=1983)
    curated = curated[~curated["user_supplied"]]
    assert set(curated["record_id"]) == set(atlas.cooperation(year=1983)["record_id"])
    assert overlaid.country_frame(1983).set_index("iso3").loc["GRD", "n_records"] == (
        atlas.country_frame(1983).set_index("iso3").loc["GRD", "n_records"] + 1)


def test_overlay_of_nothing_and_overlay_twice(atlas):
    empty = upload(atlas, "empty.csv").records
    assert list(empty.columns) == [*atlas.records.columns, "user_supplied"]
    same = overlay(atlas, empty)
    assert len(same.records) == len(atlas.records)
    assert not same.records["user_supplied"].any()
    twice = overlay(same, upload(same, "bom.csv").records)
    assert list(twice.records.columns) == list(same.records.columns)
    assert twice.records["user_supplied"].sum() == 2
    assert isinstance(twice.records, pd.DataFrame)


def test_too_long_title_and_description_are_counted_in_characters(atlas):
    row = dict(zip(TEMPLATE_COLUMNS, csv.DictReader(io.StringIO(
        template_csv().decode("utf-8-sig"))).__next__().values(), strict=True))
    row.update(title="T" * 121, description="D" * 601)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(TEMPLATE_COLUMNS))
    writer.writeheader()
    writer.writerow(row)
    result = parse_upload("long.csv", buffer.getvalue().encode(), atlas)
    assert [(p.field, p.message) for p in result.problems] == [
        ("title", "String should have at most 120 characters"),
        ("description", "String should have at most 600 characters")]
