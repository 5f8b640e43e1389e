"""Era bands and era narratives: loading, every check, era_of, and the published contracts."""

from __future__ import annotations

import csv
import tomllib

import pandas as pd
import pytest

from geo import DATA_DIR, Atlas, load_atlas
from geo.data.schema import FIRST_YEAR, Era, Narrative, sentences
from tests.conftest import ERAS, NARRATIVES, write_csv
from tests.test_validation import rewrite

ERA_IDS = ["export-of-revolution", "central-america-1980s", "special-period", "alba-years",
           "contemporary"]
NARRATIVE_IDS = ["historical-roots", "alba", "security-initiatives", "aid-and-training",
                 "venezuela-partnership", "contemporary-position", "outlook"]
SOURCE_KEYS = {"source_id", "title", "url", "publisher"}


# --- loading -------------------------------------------------------------------------------

def test_eras_load_in_order_with_int_years_and_resolved_sources(mini):
    eras = mini.eras
    assert list(eras["era_id"]) == [e["era_id"] for e in ERAS]
    assert list(eras["start_year"]) == [1959, 1979, 1991, 2004, 2016]
    assert list(eras["end_year"].astype(object).where(eras["end_year"].notna(), None)) == [
        1978, 1990, 2003, 2015, None]
    assert list(eras["preset_year"]) == [1967, 1983, 1998, 2009, 2026]
    assert eras["start_year"].dtype == "int64" and eras["preset_year"].dtype == "int64"
    assert eras["end_year"].dtype == "Int64"
    assert all(isinstance(value, int) for value in eras["preset_year"].tolist())
    for sources in eras["sources"]:
        assert [set(s) for s in sources] == [SOURCE_KEYS]
        assert sources[0]["source_id"] == "example-cuba"
        assert sources[0]["url"] == "http://example.org/cuba?x=1"


def test_narratives_load_by_order_with_resolved_sources(mini_dir):
    rows = [{**NARRATIVES[1], "order": "1"}, {**NARRATIVES[0], "order": "2"}]
    write_csv(mini_dir / "narratives.csv", rows)
    atlas = load_atlas(mini_dir)
    assert atlas.problems == ()
    texts = atlas.narratives
    assert list(texts["narrative_id"]) == ["alba", "historical-roots"]
    assert list(texts["order"]) == [1, 2]
    assert texts["end_year"].isna().tolist() == [True, False]
    assert texts["sources"].map(len).tolist() == [1, 1]
    assert set(texts["sources"][0][0]) == SOURCE_KEYS


def test_a_clean_mini_directory_has_no_problems(mini):
    assert mini.problems == ()
    assert len(mini.eras) == len(ERAS) and len(mini.narratives) == len(NARRATIVES)


def test_an_atlas_built_without_eras_has_empty_frames(mini):
    atlas = Atlas(countries=mini.countries, organisations=mini.organisations,
                  memberships=mini.memberships, records=mini.records, sources=mini.sources,
                  reviewed=mini.reviewed)
    assert atlas.eras.empty and atlas.narratives.empty
    assert {"era_id", "start_year", "end_year", "preset_year", "sources"} <= set(atlas.eras)
    assert atlas.era_of(2000) is None


def test_missing_files_are_problems_not_crashes(mini_dir):
    (mini_dir / "eras.csv").unlink()
    (mini_dir / "narratives.csv").unlink()
    atlas = load_atlas(mini_dir)
    problems = [str(p) for p in atlas.problems]
    assert any(p.startswith("data/eras.csv:0: file: cannot be read") for p in problems)
    assert any(p.startswith("data/narratives.csv:0: file: cannot be read") for p in problems)
    assert atlas.eras.empty and atlas.narratives.empty
    assert atlas.era_of(1990) is None
    assert len(atlas.records) > 0


# --- era_of --------------------------------------------------------------------------------

@pytest.mark.parametrize(("year", "expected"), [
    (1959, "export-of-revolution"), (1978, "export-of-revolution"),
    (1979, "central-america"), (1990, "central-america"), (1991, "special-period"),
    (2003, "special-period"), (2004, "alba-years"), (2015, "alba-years"),
    (2016, "contemporary"), (2026, "contemporary"),
    (1958, None), (2027, None),
])
def test_era_of_a_year(mini, year, expected):
    assert mini.era_of(year) == expected


# --- checks: each broken row is named by file, row and field, and left out ----------------

@pytest.mark.parametrize(("file", "row", "changes", "expected"), [
    ("eras.csv", 3, {"era_id": "export-of-revolution"},
     "data/eras.csv:3: era_id: 'export-of-revolution' repeats row 2"),
    ("eras.csv", 2, {"era_id": "Export Of Revolution"},
     "data/eras.csv:2: era_id: String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'"),
    ("eras.csv", 2, {"sources": "example-cuba;nope"},
     "data/eras.csv:2: sources: 'nope' is not in sources.csv"),
    ("eras.csv", 2, {"sources": ""},
     "data/eras.csv:2: sources: Value should have at least 1 item after validation, not 0"),
    ("eras.csv", 3, {"end_year": "1970"},
     "data/eras.csv:3: end_year: end_year 1970 is before start_year 1979"),
    ("eras.csv", 2, {"start_year": "1950"},
     "data/eras.csv:2: start_year: Input should be greater than or equal to 1959"),
    ("eras.csv", 2, {"preset_year": "1980"},
     "data/eras.csv:2: preset_year: 1980 is outside 1959-1978"),
    ("eras.csv", 6, {"preset_year": "2010"},
     "data/eras.csv:6: preset_year: 2010 is outside 2016-2026"),
    ("eras.csv", 6, {"preset_year": "2030"},
     "data/eras.csv:6: preset_year: 2030 is after the review year 2026"),
    ("eras.csv", 6, {"end_year": "2030"},
     "data/eras.csv:6: end_year: 2030 is after the review year 2026"),
    ("eras.csv", 3, {"start_year": "1975"},
     "data/eras.csv:3: start_year: 'central-america' overlaps 'export-of-revolution' at row 2"),
    ("eras.csv", 5, {"end_year": ""},
     "data/eras.csv:6: start_year: 'contemporary' overlaps 'alba-years' at row 5"),
    ("eras.csv", 2, {"summary": "Two sentences here. Not one."},
     "data/eras.csv:2: summary: must be one sentence, not 2"),
    ("eras.csv", 2, {"label": "<b>Export</b>"},
     "data/eras.csv:2: label: must be plain text: no markup, links, tabs or line breaks"),
    ("eras.csv", 2, {"label": "An era label far too long to fit on a preset button"},
     "data/eras.csv:2: label: String should have at most 40 characters"),
    ("narratives.csv", 3, {"narrative_id": "historical-roots"},
     "data/narratives.csv:3: narrative_id: 'historical-roots' repeats row 2"),
    ("narratives.csv", 3, {"order": "1"},
     "data/narratives.csv:3: order: 1 repeats row 2"),
    ("narratives.csv", 2, {"order": "0"},
     "data/narratives.csv:2: order: Input should be greater than or equal to 1"),
    ("narratives.csv", 2, {"text": "Only one sentence. And a second."},
     "data/narratives.csv:2: text: must be 3 to 5 sentences, not 2"),
    ("narratives.csv", 2, {"text": "One. Two. Three. Four. Five. Six."},
     "data/narratives.csv:2: text: must be 3 to 5 sentences, not 6"),
    ("narratives.csv", 2, {"text": "See https://example.org now. Then more. And more."},
     "data/narratives.csv:2: text: must be plain text: no markup, links, tabs or line breaks"),
    ("narratives.csv", 2, {"text": "A *bold* claim. Then more. And more."},
     "data/narratives.csv:2: text: must be plain text: no markup, links, tabs or line breaks"),
    ("narratives.csv", 2, {"start_year": "1990", "end_year": "1980"},
     "data/narratives.csv:2: end_year: end_year 1980 is before start_year 1990"),
    ("narratives.csv", 2, {"end_year": "2031"},
     "data/narratives.csv:2: end_year: 2031 is after the review year 2026"),
    ("narratives.csv", 3, {"sources": "nope"},
     "data/narratives.csv:3: sources: 'nope' is not in sources.csv"),
])
def test_broken_row_is_reported_and_left_out(mini_dir, file, row, changes, expected):
    rewrite(mini_dir / file, row, **changes)
    atlas = load_atlas(mini_dir)
    assert expected in [str(problem) for problem in atlas.problems]
    frame = atlas.eras if file == "eras.csv" else atlas.narratives
    key = "era_id" if file == "eras.csv" else "narrative_id"
    bad_row = int(expected.split(":")[1])
    assert bad_row not in set(frame["row"])
    assert len(frame) == len(ERAS if file == "eras.csv" else NARRATIVES) - 1
    assert frame[key].is_unique


@pytest.mark.parametrize(("row", "changes", "expected"), [
    (3, {"start_year": "1981"},
     "data/eras.csv:3: start_year: leaves 1979-1980 between 'export-of-revolution' at row 2 "
     "and 'central-america'"),
    (2, {"start_year": "1960"},
     "data/eras.csv:2: start_year: leaves 1959 outside every span"),
    (6, {"end_year": "2020", "preset_year": "2018"},
     "data/eras.csv:6: end_year: leaves 2021-2026 outside every span"),
])
def test_gaps_are_reported_but_the_eras_are_kept(mini_dir, row, changes, expected):
    rewrite(mini_dir / "eras.csv", row, **changes)
    atlas = load_atlas(mini_dir)
    assert [str(p) for p in atlas.problems] == [expected]
    assert len(atlas.eras) == len(ERAS)


def test_a_broken_era_leaves_the_rest_and_the_narratives_served(mini_dir):
    rewrite(mini_dir / "eras.csv", 4, summary="Not. One.")
    atlas = load_atlas(mini_dir)
    assert [str(p) for p in atlas.problems] == [
        "data/eras.csv:4: summary: must be one sentence, not 2",
        "data/eras.csv:5: start_year: leaves 1991-2003 between 'central-america' at row 3 "
        "and 'alba-years'",
    ]
    assert "special-period" not in set(atlas.eras["era_id"])
    assert atlas.era_of(1995) is None and atlas.era_of(2005) == "alba-years"
    assert len(atlas.narratives) == len(NARRATIVES)


# --- the catalogue describes both files exactly --------------------------------------------

@pytest.mark.parametrize(("name", "model"), [("eras.csv", Era), ("narratives.csv", Narrative)])
def test_catalogue_header_and_schema_agree(name, model):
    entry = tomllib.loads((DATA_DIR / "catalogue.toml").read_text("utf-8"))["files"][name]
    assert {"title", "producer", "licence", "accessed", "description"} <= set(entry)
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == list(model.model_fields) == list(entry["columns"])
    assert all(entry["columns"].values())


# --- the repository's data ------------------------------------------------------------------

def test_five_contiguous_eras_cover_1959_to_the_review_year(atlas):
    eras = atlas.eras
    assert list(eras["era_id"]) == ERA_IDS
    assert eras["start_year"].iloc[0] == FIRST_YEAR
    ends = eras["end_year"].fillna(atlas.last_year).astype(int).tolist()
    assert ends[-1] == atlas.last_year and pd.isna(eras["end_year"].iloc[-1])
    assert eras["start_year"].tolist()[1:] == [end + 1 for end in ends[:-1]]
    assert all(start <= preset <= end for start, preset, end in
               zip(eras["start_year"], eras["preset_year"], ends, strict=True))
    assert [atlas.era_of(y) for y in range(FIRST_YEAR, atlas.last_year + 1)].count(None) == 0


@pytest.mark.parametrize(("year", "expected"), [
    (1959, "export-of-revolution"), (1967, "export-of-revolution"),
    (1979, "central-america-1980s"), (1983, "central-america-1980s"),
    (1991, "special-period"), (2004, "alba-years"), (2009, "alba-years"),
    (2019, "contemporary"), (2026, "contemporary"),
])
def test_the_eras_follow_the_sourced_turning_points(atlas, year, expected):
    assert atlas.era_of(year) == expected


def test_seven_narratives_in_order(atlas):
    texts = atlas.narratives
    assert list(texts["narrative_id"]) == NARRATIVE_IDS
    assert list(texts["order"]) == list(range(1, 8))
    assert all(3 <= len(sentences(text)) <= 5 for text in texts["text"])
    assert all(FIRST_YEAR <= start <= atlas.last_year for start in texts["start_year"])


def test_every_era_and_narrative_cites_a_source_that_resolves(atlas):
    for frame in (atlas.eras, atlas.narratives):
        assert frame["sources"].map(len).min() >= 1
        assert all(set(s) == SOURCE_KEYS and s["url"].startswith(("http://", "https://"))
                   and s["title"] for sources in frame["sources"] for s in sources)
    assert all(len(sentences(summary)) == 1 for summary in atlas.eras["summary"])


def test_sources_file_stays_sorted_by_id():
    with (DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        ids = [row["source_id"] for row in csv.DictReader(handle)]
    assert ids == sorted(ids)
