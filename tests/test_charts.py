"""Timelines as Vega-Lite specs: the data they carry and the year rule added to a cached spec."""

from __future__ import annotations

from geo import ACTIVITIES, EVIDENCE
from geo.render.charts import (
    membership_timeline,
    personnel_chart,
    records_timeline,
    region_timeline,
    with_year,
)
from geo.view.colours import STATUS_COLOURS


def rows(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


def test_membership_timeline_has_one_bar_per_episode_coloured_by_status(mini):
    spec = membership_timeline(mini.history("PRY"), mini.reviewed).to_dict()
    (bars,) = rows(spec)
    assert [(b["organisation"], b["status"]) for b in bars] == [
        ("CELAC", "member"), ("MERCOSUR", "member"), ("MERCOSUR", "suspended"),
        ("MERCOSUR", "member")]
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour == {"domain": ["member", "suspended"],
                      "range": [STATUS_COLOURS["member"], STATUS_COLOURS["suspended"]]}


def test_records_timeline_spans_each_record_inclusive_of_its_last_year(mini):
    spec = records_timeline(mini.cooperation(country="VEN"), mini.last_year).to_dict()
    (bars,) = rows(spec)
    assert sorted((b["from"], b["to"]) for b in bars) == [(2003, 2027), (2008, 2027)]


def test_region_timeline_counts_records_per_year_and_activity(mini):
    spec = region_timeline(mini, ACTIVITIES, EVIDENCE).to_dict()
    counts = {(r["year"], r["activity"]): r["records"] for r in rows(spec)[1]}
    assert counts[(1985, "Military advisers")] == 1
    assert counts[(2010, "Medical diplomacy")] == 1
    assert (1970, "Military advisers") not in counts
    only_alleged = region_timeline(mini, ACTIVITIES, ["alleged"]).to_dict()
    assert {r["activity"] for r in rows(only_alleged)[1]} == {"Peacekeeping"}


def test_the_year_rule_is_added_without_touching_the_cached_spec(mini):
    spec = region_timeline(mini, ACTIVITIES, EVIDENCE).to_dict()
    marked = with_year(spec, 1983, temporal=False)
    assert len(marked["layer"]) == len(spec["layer"]) + 1
    assert marked["layer"][-1]["encoding"]["x"] == {"datum": 1983, "type": "quantitative"}
    dated = with_year(spec, 1983, temporal=True)["layer"][-1]["encoding"]["x"]
    assert dated == {"datum": {"year": 1983, "month": 7, "date": 1}, "type": "temporal"}


def test_personnel_chart_draws_every_figure_and_its_range(mini):
    spec = personnel_chart(mini.personnel_of("NIC")).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [(r["when"], r["low"], r["high"]) for r in rows] == [
        ("1984-01", 2500, 3500), ("1985", 786, 786)]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "point", "point"]
    assert spec["layer"][0]["encoding"]["y2"]["field"] == "high"


def test_charts_stay_up_at_the_upload_cap(mini):
    """5,000 uploaded records for one country: counted per year, under Altair's row limit."""
    from geo.io.upload import overlay, parse_upload
    from tests.hostile_uploads import csv_max_records

    result = parse_upload("max.csv", csv_max_records(), mini)
    assert result.accepted == 5000
    atlas = overlay(mini, result.records)
    records = atlas.cooperation(country="BRB")
    assert len(records) >= 5000
    (counts,) = rows(records_timeline(records, atlas.last_year).to_dict())  # no MaxRowsError
    assert {(c["year"], c["activity"], c["records"]) for c in counts} >= {
        (2020, ACTIVITIES["medical_diplomacy"], len(records))}
    assert len(counts) <= (atlas.last_year - 1958) * len(ACTIVITIES)
    region_timeline(atlas, ACTIVITIES, EVIDENCE).to_dict()
