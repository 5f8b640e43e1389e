"""Validation: every kind of broken row is reported as file:row: field: message and left out."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo import ACTIVITIES, DATA_DIR, load_atlas
from tests.conftest import COOPERATION, GEOMETRY, MEMBERSHIPS, PERSONNEL, episode, write_csv

*_FIRST, _LAST = (repr(a) for a in ACTIVITIES)  # pydantic's wording for a vocabulary
ONE_OF_THE_ACTIVITIES = f"Input should be {', '.join(_FIRST)} or {_LAST}"


def rewrite(path: Path, row: int, **changes) -> None:
    """Change cells of data row ``row`` (spreadsheet numbering: the header is row 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row - 2].update(changes)
    write_csv(path, rows)


@pytest.mark.parametrize(("file", "row", "changes", "expected"), [
    ("cooperation.csv", 3, {"evidence": "rumoured"},
     "data/cooperation.csv:3: evidence: Input should be 'documented', 'reported' or 'alleged'"),
    ("cooperation.csv", 2, {"activity": "training"},
     f"data/cooperation.csv:2: activity: {ONE_OF_THE_ACTIVITIES}"),
    ("cooperation.csv", 2, {"iso3": "XXX"},
     "data/cooperation.csv:2: iso3: 'XXX' is not an ISO 3166-1 alpha-3 code"),
    ("cooperation.csv", 2, {"iso3": "ESP"},
     "data/cooperation.csv:2: iso3: 'ESP' is not in countries.geojson"),
    ("cooperation.csv", 2, {"iso3": "CUB"},
     "data/cooperation.csv:2: iso3: Cuba cannot be its own cooperation partner"),
    ("cooperation.csv", 2, {"start": "1970-05", "end": "1966"},
     "data/cooperation.csv:2: row: end 1966 is before start 1970-05"),
    ("cooperation.csv", 2, {"start": "1967-03", "end": "1967-02-28"},
     "data/cooperation.csv:2: row: end 1967-02-28 is before start 1967-03"),
    ("cooperation.csv", 2, {"start": "sixties"},
     "data/cooperation.csv:2: start: 'sixties' is not a date of the form YYYY, YYYY-MM or "
     "YYYY-MM-DD"),
    ("cooperation.csv", 3, {"end": "2030"},
     "data/cooperation.csv:3: end: 2030 is after the review date 2026-11-25"),
    ("cooperation.csv", 3, {"end": "2026-12-24"},
     "data/cooperation.csv:3: end: 2026-12-24 is after the review date 2026-11-25"),
    ("cooperation.csv", 2, {"counterpart": "rebels"},
     "data/cooperation.csv:2: counterpart: Input should be 'government' or 'armed_opposition'"),
    ("cooperation.csv", 2, {"cuban_body": "KGB"},
     "data/cooperation.csv:2: cuban_body: Input should be 'armed_forces', 'interior_ministry', "
     "'intelligence', 'medical_services', 'civil_defence' or 'other'"),
    ("cooperation.csv", 2, {"last_attested": "example-alba"},
     "data/cooperation.csv:2: row: last_attested 'example-alba' is not one of its sources"),
    ("personnel.csv", 2, {"low": "4000"},
     "data/personnel.csv:2: row: low 4000 is above high 3500"),
    ("personnel.csv", 2, {"record_id": "ven-doctors-1999"},
     "data/personnel.csv:2: record_id: 'ven-doctors-1999' is not in cooperation.csv"),
    ("personnel.csv", 2, {"iso3": "VEN"},
     "data/personnel.csv:2: iso3: 'VEN' is not the country of its record ('NIC')"),
    ("personnel.csv", 3, {"date": "1985-02-30"},
     "data/personnel.csv:3: date: '1985-02-30' is not a real date (day is out of range for "
     "month)"),
    ("personnel.csv", 4, {"high": "many"},
     "data/personnel.csv:4: high: Input should be a valid integer, unable to parse string as "
     "an integer"),
    ("agreements.csv", 2, {"ended": "1999"},
     "data/agreements.csv:2: row: ended 1999 is before signed 2000-10-30"),
    ("agreements.csv", 3, {"subject": "friendship"},
     f"data/agreements.csv:3: subject: {ONE_OF_THE_ACTIVITIES}"),
    ("agreements.csv", 3, {"sources": "nope"},
     "data/agreements.csv:3: sources: 'nope' is not in sources.csv"),
    ("cooperation.csv", 6, {"evidence_note": ""},
     "data/cooperation.csv:6: row: an alleged record needs an evidence_note saying why"),
    ("cooperation.csv", 2, {"sources": ""},
     "data/cooperation.csv:2: sources: Value should have at least 1 item after validation, not 0"),
    ("cooperation.csv", 2, {"sources": "example-cuba;nope"},
     "data/cooperation.csv:2: sources: 'nope' is not in sources.csv"),
    ("cooperation.csv", 3, {"record_id": "bol-guerrilla-1966"},
     "data/cooperation.csv:3: record_id: 'bol-guerrilla-1966' repeats row 2"),
    ("memberships.csv", 2, {"start": "2004-13-01"},
     "data/memberships.csv:2: start: '2004-13-01' is not a real date "
     "(month must be in 1..12)"),
    ("memberships.csv", 2, {"start": "14/12/2004"},
     "data/memberships.csv:2: start: '14/12/2004' is not a date of the form YYYY, "
     "YYYY-MM or YYYY-MM-DD"),
    ("memberships.csv", 4, {"end": "2006-04-29"},
     "data/memberships.csv:4: row: end 2006-04-29 is not after start 2006-04-29"),
    ("memberships.csv", 2, {"status": "friend"},
     "data/memberships.csv:2: status: Input should be 'member', 'associate', 'observer', "
     "'suspended', 'inactive' or 'disputed'"),
    ("memberships.csv", 2, {"org_id": "NATO"},
     "data/memberships.csv:2: org_id: 'NATO' is not in organisations.csv"),
    ("memberships.csv", 2, {"start": "2003"},
     "data/memberships.csv:2: start: 2003 is before ALBA was founded (2004-12-14)"),
    ("memberships.csv", 5, {"start": "2019-06"},
     "data/memberships.csv:5: start: BOL in ALBA overlaps the episode at row 4"),
    ("sources.csv", 2, {"url": "javascript:alert(1)"},
     "data/sources.csv:2: url: 'javascript:alert(1)' is not an http(s) URL"),
    ("sources.csv", 2, {"url": "www.example.org/page"},
     "data/sources.csv:2: url: 'www.example.org/page' is not an http(s) URL"),
    ("organisations.csv", 2, {"kind": "club"},
     "data/organisations.csv:2: kind: Input should be 'political', 'economic', 'defence', "
     "'energy' or 'integration'"),
])
def test_broken_row_is_reported_and_left_out(mini_dir, file, row, changes, expected):
    rewrite(mini_dir / file, row, **changes)
    atlas = load_atlas(mini_dir)
    assert expected in [str(problem) for problem in atlas.problems]


def test_invalid_rows_are_left_out_and_the_rest_is_kept(mini_dir):
    rewrite(mini_dir / "cooperation.csv", 3, evidence="rumoured")
    rewrite(mini_dir / "memberships.csv", 5, start="2019-06")
    atlas = load_atlas(mini_dir)
    assert len(atlas.records) == len(COOPERATION) - 1
    assert "ven-doctors-2003" not in set(atlas.records["record_id"])
    assert len(atlas.memberships) == len(MEMBERSHIPS) - 1
    assert atlas.members("ALBA", 2019) == {"BOL", "CUB", "VEN"}


def test_a_broken_source_takes_out_what_rests_on_it_and_says_why(mini_dir):
    rewrite(mini_dir / "sources.csv", 2, url="not a url")
    atlas = load_atlas(mini_dir)
    assert [str(p) for p in atlas.problems] == [
        *(f"data/memberships.csv:{row}: org_id: 'ALBA' is not in organisations.csv"
          for row in range(2, 7)),
        "data/organisations.csv:2: sources: 'example-alba' is not in sources.csv",
        "data/sources.csv:2: url: 'not a url' is not an http(s) URL",
    ]
    assert set(atlas.organisations["org_id"]) == {"CELAC", "MERCOSUR"}
    assert set(atlas.memberships["org_id"]) == {"CELAC", "MERCOSUR"}
    assert len(atlas.records) == len(COOPERATION)


def test_wrong_header_names_the_columns(mini_dir):
    write_csv(mini_dir / "cooperation.csv", [{**r, "extra": ""} for r in COOPERATION])
    atlas = load_atlas(mini_dir)
    assert [str(p) for p in atlas.problems] == [
        "data/cooperation.csv:1: header: columns differ from the schema: missing [], "
        "unexpected ['extra']",
        *(f"data/personnel.csv:{row}: record_id: {p['record_id']!r} is not in cooperation.csv"
          for row, p in enumerate(PERSONNEL, start=2))]  # what rests on the records goes too
    assert atlas.records.empty and len(atlas.memberships) == len(MEMBERSHIPS)


def test_missing_file_is_a_problem_not_a_crash(mini_dir):
    (mini_dir / "cooperation.csv").unlink()
    atlas = load_atlas(mini_dir)
    assert len(atlas.records) == 0
    assert any(str(p).startswith("data/cooperation.csv:0: file: cannot be read")
               for p in atlas.problems)
    assert atlas.cooperation(year=2000).empty


def test_an_empty_memberships_file_still_joins_every_country(mini_dir):
    (mini_dir / "memberships.csv").write_text(",".join(MEMBERSHIPS[0]) + "\n", encoding="utf-8")
    frame = load_atlas(mini_dir).country_frame(2000)
    assert len(frame) == len(GEOMETRY)
    assert frame["memberships"].map(len).sum() == 0 and frame["statuses"].map(len).sum() == 0


def test_celac_flags_must_match_memberships(mini_dir):
    write_csv(mini_dir / "memberships.csv",
              [e for e in MEMBERSHIPS if not (e["iso3"] == "DMA" and e["org_id"] == "CELAC")]
              + [episode("PRI", "CELAC", "member", "2011-12-03", "", "example-celac")])
    problems = [str(p) for p in load_atlas(mini_dir).problems]
    assert problems == [
        "data/countries.geojson:0: celac: 'DMA' is flagged but is not among the CELAC members "
        "in memberships.csv on 1 July 2026",
        "data/countries.geojson:0: celac: 'PRI' is among the CELAC members in memberships.csv "
        "on 1 July 2026 but is not flagged",
    ]


def run_validate(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo.data.validate", str(data_dir)],
                          capture_output=True, text=True, cwd=Path(__file__).parents[1])


def test_validate_command_passes_on_the_repository_data():
    result = run_validate(DATA_DIR)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("ok: 54 countries, ")


def test_validate_command_fails_precisely_on_a_broken_copy(tmp_path):
    copy = shutil.copytree(DATA_DIR, tmp_path / "data")
    with (copy / "personnel.csv").open(encoding="utf-8", newline="") as handle:
        counted = {row["record_id"] for row in csv.DictReader(handle)}
    with (copy / "cooperation.csv").open(encoding="utf-8", newline="") as handle:
        row = next(n for n, r in enumerate(csv.DictReader(handle), start=2)
                   if r["record_id"] not in counted)  # nothing else rests on it
    rewrite(copy / "cooperation.csv", row, evidence="rumoured")
    result = run_validate(copy)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"data/cooperation.csv:{row}: evidence: Input should be 'documented', 'reported' or "
        "'alleged'"]


@pytest.mark.parametrize(("line", "expected"), [
    ("extra-1959,CHL,peacekeeping,1990,1990,government,,T,D,reported,,,2026,example-cuba,SURPLUS",
     "data/cooperation.csv:7: row: more cells than the 14 columns"),
    ("short-1959,CHL,peacekeeping,1990",
     "data/cooperation.csv:7: row: fewer cells than the 14 columns"),
])
def test_misshapen_rows_are_reported_not_guessed(mini_dir, line, expected):
    with (mini_dir / "cooperation.csv").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    atlas = load_atlas(mini_dir)
    assert [str(p) for p in atlas.problems] == [expected]
    assert len(atlas.records) == len(COOPERATION)


def test_blank_lines_and_a_byte_order_mark_are_harmless(mini_dir):
    path = mini_dir / "sources.csv"
    path.write_text("\ufeff" + path.read_text("utf-8") + "\n,,,,,\n\n", encoding="utf-8")
    assert load_atlas(mini_dir).problems == ()
