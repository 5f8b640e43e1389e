"""Timelines as Vega-Lite specs: the data they carry and the year rule added to a cached spec."""

from __future__ import annotations

import html
import math
import re

import pytest

from geo import ACTIVITIES, EVIDENCE
from geo.render.charts import (
    membership_timeline,
    personnel_chart,
    records_timeline,
    region_counts,
    region_filtered,
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


def region(atlas, activities=tuple(ACTIVITIES), evidence=EVIDENCE, width: int | None = None):
    """The regional timeline's spec for a filter, as the page draws it."""
    counts = region_counts(atlas)
    spec = region_timeline(atlas, counts).to_dict()
    spec = region_filtered(spec, counts, activities, evidence)
    return spec if width is None else {**spec, "width": width}


def test_region_timeline_counts_records_per_year_activity_and_grade(mini):
    counts = region_counts(mini)
    found = counts.groupby(["year", "activity"])["records"].sum()
    assert found[(1985, "Military advisers")] == 1
    assert found[(2010, "Medical diplomacy")] == 1
    assert (1970, "Military advisers") not in found
    assert set(counts.loc[counts["evidence"] == "alleged", "activity"]) == {"Peacekeeping"}
    spec = region_timeline(mini, counts).to_dict()
    assert len(rows(spec)[1]) == len(counts)  # every activity and grade: the filter picks


def test_the_filter_narrows_the_bars_and_fits_their_scale_and_colours(mini):
    spec = region(mini, ACTIVITIES, ["alleged"])
    (bars,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
    assert bars["transform"] == [
        {"filter": {"field": "activity", "oneOf": list(ACTIVITIES.values())}},
        {"filter": {"field": "evidence", "oneOf": ["alleged"]}}]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Peacekeeping"]
    top = region_counts(mini).query("evidence == 'alleged'").groupby("year")["records"].sum()
    assert bars["encoding"]["y"]["scale"]["domain"] == [0, math.ceil(top.max() * 1.2) + 1]
    cached = region_timeline(mini, region_counts(mini)).to_dict()
    region_filtered(cached, region_counts(mini), ["peacekeeping"], ["alleged"])
    assert "transform" not in next(la for la in cached["layer"] if la["mark"]["type"] == "bar")


def test_the_year_rule_is_added_without_touching_the_cached_spec(mini):
    spec = region(mini)
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
    assert len(region_counts(atlas)) <= (atlas.last_year - 1958) * len(ACTIVITIES) * 3
    region_timeline(atlas, region_counts(atlas)).to_dict()  # no MaxRowsError


# --- the charts as Vega renders them (compiled and drawn by vl-convert, no browser) -------------

def compiled(chart, width: int) -> tuple[dict, str]:
    """The chart's (an Altair chart or a spec) compiled Vega spec and its SVG, at ``width``
    pixels."""
    vlc = pytest.importorskip("vl_convert")
    spec = {**chart, "width": width} if isinstance(chart, dict) else \
        chart.properties(width=width).to_dict()
    return vlc.vegalite_to_vega(spec), vlc.vegalite_to_svg(spec)


def svg_texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


@pytest.mark.parametrize("activities", [list(ACTIVITIES), ["medical_diplomacy"]])
def test_the_regional_timeline_spans_exactly_the_atlas_s_years(atlas, activities):
    vega, svg = compiled(region(atlas, activities), 700)
    (x,) = [s for s in vega["scales"] if s["name"] == "x"]
    assert x["domain"] == [atlas.first_year, atlas.last_year + 1]
    assert not x.get("zero") and not x.get("nice")
    (colour,) = [s for s in vega["scales"] if s["name"] == "color"]
    shown = svg_texts(svg)
    present = set(atlas.cooperation(activities=activities)["activity"].map(ACTIVITIES))
    assert set(colour["domain"]) == present  # the colour scale is the activities' alone
    drawn = set(re.findall(r'aria-label="[^"]*activity: ([^;"]*)', svg))
    assert drawn == present  # the bars drawn are the filter's (filtered in the browser)
    assert present <= set(shown)  # every activity present is in the legend
    assert set(atlas.eras["label"]) <= set(shown)  # every era is named


def test_the_records_chart_shows_every_record_and_every_activity(atlas):
    records = atlas.cooperation(country="VEN")
    _, svg = compiled(records_timeline(records, atlas.last_year), 300)
    shown = svg_texts(svg)
    labels = [t for t in shown if re.match(r"\d+\. ", t)]
    assert len(labels) == len(records) >= 10
    assert {ACTIVITIES[a] for a in records["activity"]} <= set(shown)


def test_the_year_rule_is_drawn_on_the_regional_timeline(atlas):
    vlc = pytest.importorskip("vl_convert")
    spec = region(atlas, width=600)
    assert 'stroke-dasharray="4,3"' not in vlc.vegalite_to_svg(spec)
    assert 'stroke-dasharray="4,3"' in vlc.vegalite_to_svg(with_year(spec, 1983, False))
