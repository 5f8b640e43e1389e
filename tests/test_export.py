"""Exports of the current view: the slide (PNG, PDF), records CSV, map GeoJSON, sources text."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image

from geo import cited_sources
from geo.data.vocab import ACTIVITIES
from geo.io.exports import (
    AGREEMENT_COLUMNS,
    CSV_COLUMNS,
    agreements_csv,
    filename,
    map_geojson,
    records_csv,
    sources_text,
)
from geo.render.slide import slide_figure, slide_pdf, slide_png
from geo.view.colours import STATUS_COLOURS
from geo.view.scene import build_scene, describe
from geo.view.state import View
from tests.conftest import CELAC

HOSTILE = r"<script>alert('x')</script> $\alpha$ and an unbalanced $ {\bf x} %s _^"


def view(atlas, **changes) -> View:
    """The latest year, every activity and evidence grade, coloured by status in ALBA."""
    base = dataclasses.replace(View.default(atlas.last_year, atlas.organisations["org_id"]),
                               mode="alliances")
    return dataclasses.replace(base, **changes)


def scene_of(atlas, **changes):
    return build_scene(atlas, view(atlas, **changes))


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def panel_boxes(fig):
    renderer = fig.canvas.get_renderer()
    return [a.get_window_extent(renderer) for a in [*fig.texts, *fig.legends]]


# --- slide -------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes", [{}, {"palette": "contrast"},
                                     {"year": 1985, "mode": "cooperation", "country": "NIC"}])
def test_png_is_a_full_hd_slide_of_the_map(atlas, changes):
    scene = scene_of(atlas, **changes)
    image = Image.open(io.BytesIO(slide_png(atlas, scene))).convert("RGB")
    assert image.size == (1920, 1080)
    colours = {rgb for _, rgb in image.getcolors(maxcolors=1920 * 1080)}
    assert len(colours) > 200
    palette = scene.palette
    for colour in (palette.cuba, palette.sea, palette.land, "#ffffff"):
        assert hex_rgb(colour) in colours, colour
    assert {hex_rgb(fill) for fill in scene.states["fill"]} <= colours


def test_pdf_is_a_one_page_vector_slide(atlas):
    pdf = slide_pdf(atlas, scene_of(atlas))
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    assert slide_pdf(atlas, scene_of(atlas)) == pdf  # reproducible: no creation date


def test_slide_words_are_the_view(mini):
    scene = scene_of(mini, year=2010)
    fig = slide_figure(mini, scene, "Alliance Atlas")
    texts = [t.get_text().replace("\n", " ") for t in fig.texts]
    assert texts == [
        "Data: Alliance Atlas, reviewed 2026-11-25; boundaries: Natural Earth; "
        "3 sources cited for this view",
        "Alliance Atlas",
        "2010",
        "Membership status in ALBA; as of 1 July 2010; all activities; all evidence grades.",
    ]
    legends = [(legend.get_title().get_text(), [t.get_text() for t in legend.get_texts()])
               for legend in fig.legends]
    assert legends == [
        ("Membership status in ALBA", ["member", "associate", "observer", "suspended",
                                       "inactive", "disputed", "not a member", "Cuba"]),
        ("Cuba's links, by main activity (width: records)", ["Intelligence cooperation"]),
    ]
    assert len(cited_sources(scene.records, scene.statuses)) == 3


def test_slide_without_links_has_one_legend(mini):
    fig = slide_figure(mini, scene_of(mini, year=1995, activities=()), "Alliance Atlas")
    assert [legend.get_title().get_text() for legend in fig.legends] == [
        "Membership status in ALBA"]


def test_selected_country_is_named_on_the_slide(atlas):
    fig = slide_figure(atlas, scene_of(atlas, country="VCT"), "Alliance Atlas")
    assert "Outlined: Saint Vincent and the Grenadines (selected)" in [
        t.get_text().replace("\n", " ") for t in fig.texts]


@pytest.mark.parametrize("changes", [
    {}, {"year": 1961, "mode": "cooperation"}, {"year": 2007, "mode": "shared", "country": "ATG"},
    {"activities": tuple(list(ACTIVITIES)[:12]), "evidence": ("documented",), "country": "VCT"},
])
def test_panel_blocks_do_not_overlap_or_leave_the_slide(atlas, changes):
    fig = slide_figure(atlas, scene_of(atlas, **changes),
                       "Alliance Atlas: a long title for a briefing")
    boxes = panel_boxes(fig)
    for i, box in enumerate(boxes):
        assert box.x0 >= 0.5 * fig.bbox.width and box.x1 <= fig.bbox.width
        assert box.y0 >= 0 and box.y1 <= fig.bbox.height
        assert not any(box.overlaps(other) for other in boxes[i + 1:])


def test_crowded_panel_falls_back_to_a_denser_layout(atlas):
    """Thirteen activities in the links legend and a long filter sentence still fit."""
    scene = scene_of(atlas, year=2007, mode="cooperation", country="ATG",
                     activities=tuple(list(ACTIVITIES)[:12]), evidence=("documented", "reported"))
    arcs = pd.concat([scene.links.iloc[[0]]] * len(ACTIVITIES), ignore_index=True)
    arcs["activity"] = list(ACTIVITIES)
    arcs["colour"] = [scene.activity_colours[a] for a in ACTIVITIES]
    fig = slide_figure(atlas, dataclasses.replace(scene, links=arcs), "A much longer title " * 4)
    boxes = panel_boxes(fig)
    assert all(box.y0 >= 0 for box in boxes)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert [t.get_text() for t in fig.legends[-1].get_texts()] == list(ACTIVITIES.values())
    assert all(t.get_fontsize() >= 14 for legend in fig.legends for t in legend.get_texts())
    assert fig.texts[1].get_fontsize() >= 28  # the title


def test_hostile_text_is_drawn_as_written(atlas):
    scene = scene_of(atlas, country="VEN")
    countries = scene.states.copy()
    countries.loc[countries["iso3"] == "VEN", "name"] = HOSTILE
    scene = dataclasses.replace(scene, states=countries)
    assert Image.open(io.BytesIO(slide_png(atlas, scene, title=HOSTILE))).size == (1920, 1080)
    assert slide_pdf(atlas, scene, title=HOSTILE).startswith(b"%PDF")
    texts = ["".join(t.get_text().split()) for t in slide_figure(atlas, scene, HOSTILE).texts]
    assert texts[1].startswith("<script>alert('x')</script>$\\alpha$")
    assert any(t.startswith("Outlined:<script>alert('x')</script>$\\alpha$") for t in texts)


# --- records CSV -------------------------------------------------------------------------------

def test_csv_is_the_view_s_records_exactly(mini):
    scene = scene_of(mini, year=2010)
    assert read_csv(records_csv(mini, scene)) == [
        list(CSV_COLUMNS),
        ["ven-doctors-2003", "VEN", "Venezuela", "medical_diplomacy", "Medical diplomacy",
         "2003", "", "2003-04", "", "government", "medical_services",
         "Title of ven-doctors-2003", "What happened.", "documented", "",
         "Cuba abroad", "http://example.org/cuba?x=1", "no"],
        ["ven-intelligence-2008", "VEN", "Venezuela", "intelligence_cooperation",
         "Intelligence cooperation", "2008", "", "2008", "", "government", "",
         "Title of ven-intelligence-2008",
         "What happened.", "reported", "", "Cuba abroad", "http://example.org/cuba?x=1", "no"],
    ]


@pytest.mark.parametrize("changes", [
    {}, {"year": 1985}, {"year": 1966, "mode": "cooperation"},
    {"activities": ("medical_diplomacy",)}, {"activities": ()},
    {"evidence": ("alleged",)}, {"evidence": ("documented", "reported"), "year": 2008},
    {"activities": ("support_to_insurgency", "military_advisers"), "year": 1979},
])
def test_csv_rows_follow_the_filters(atlas, changes):
    scene = scene_of(atlas, **changes)
    rows = read_csv(records_csv(atlas, scene))
    assert rows[0] == list(CSV_COLUMNS)
    assert [row[0] for row in rows[1:]] == list(scene.records["record_id"])
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)


def test_csv_joins_several_sources(atlas):
    scene = scene_of(atlas, year=1963)
    record = scene.records[scene.records["record_id"] == "arg-egp-masetti-1963"].iloc[0]
    row = next(r for r in read_csv(records_csv(atlas, scene)) if r[0] == record["record_id"])
    assert row[-3] == " | ".join(s["title"] for s in record["sources"])
    assert row[-2] == " | ".join(s["url"] for s in record["sources"])
    assert row[-2].count(" | ") == len(record["sources"]) - 1 >= 1


def test_csv_defuses_formulas(mini):
    scene = scene_of(mini, year=2010)
    records = scene.records.copy()
    records["title"] = ['=HYPERLINK("http://evil.example","click")', "+1+2"]
    records["description"] = ["-3", "@SUM(A1)"]
    records["evidence_note"] = ["\tcmd", "a = b, safe"]
    scene = dataclasses.replace(scene, records=records)
    rows = read_csv(records_csv(mini, scene))
    column = {name: i for i, name in enumerate(CSV_COLUMNS)}
    assert [(r[column["title"]], r[column["description"]], r[column["evidence_note"]])
            for r in rows[1:]] == [
        ('\'=HYPERLINK("http://evil.example","click")', "'-3", "'\tcmd"),
        ("'+1+2", "'@SUM(A1)", "a = b, safe"),
    ]


def test_agreements_csv_lists_those_in_force_in_the_year(mini):
    rows = read_csv(agreements_csv(mini, scene_of(mini, year=2010)))
    assert rows[0] == list(AGREEMENT_COLUMNS)
    assert [r[0] for r in rows[1:]] == ["nic-security-2007", "ven-convenio-2000"]
    assert [r[0] for r in read_csv(agreements_csv(mini, scene_of(mini, year=2026)))[1:]] == [
        "nic-security-2007", "ven-convenio-2000"]  # ended during 2026: in force that year
    assert read_csv(agreements_csv(mini, scene_of(mini, year=1999)))[1:] == []


# --- map GeoJSON -------------------------------------------------------------------------------

def test_geojson_is_the_joined_map(mini):
    scene = scene_of(mini, year=2010)
    data = map_geojson(mini, scene)
    frame = gpd.read_file(io.BytesIO(data))
    assert len(frame) == len(CELAC)
    assert list(frame.columns) == ["iso3", "name", "year", "mode", "value", "fill",
                                   "memberships", "n_records", "geometry"]
    assert list(frame["iso3"]) == list(scene.states["iso3"])
    rows = {row["properties"]["iso3"]: row for row in json.loads(data)["features"]}
    assert rows["VEN"]["properties"] == {
        "iso3": "VEN", "name": "Venezuela", "year": 2010, "mode": "alliances", "value": 1,
        "fill": STATUS_COLOURS["member"], "memberships": {"ALBA": "member"}, "n_records": 2}
    assert rows["CHL"]["properties"]["memberships"] == {"MERCOSUR": "associate"}
    assert rows["CUB"]["properties"]["fill"] == scene.palette.cuba
    assert json.loads(data)["metadata"] == {
        "title": "Alliance Atlas",
        "view": {**dataclasses.asdict(scene.view), "alliances": [],
                 "activities": list(ACTIVITIES), "evidence": ["documented", "reported", "alleged"]},
        "filters": "Membership status in ALBA; as of 1 July 2010; all activities; "
                   "all evidence grades",
        "reviewed": "2026-11-25",
        "boundaries": "Natural Earth (simplified)",
        "user_supplied_records": 0,
        "sources": [
            {"title": "ALBA members", "publisher": "Example", "url": "https://example.org/alba"},
            {"title": "Cuba abroad", "publisher": "Example", "url": "http://example.org/cuba?x=1"},
            {"title": "Mercosur", "publisher": "Example", "url": "https://example.org/mercosur"},
        ],
    }


def test_geojson_of_the_real_view(atlas):
    scene = scene_of(atlas, mode="cooperation", palette="contrast")
    data = map_geojson(atlas, scene)
    frame = gpd.read_file(io.BytesIO(data))
    assert len(frame) == len(CELAC) and frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any()
    assert dict(zip(frame["iso3"], frame["fill"], strict=True)) == dict(
        zip(scene.states["iso3"], scene.states["fill"], strict=True))
    assert frame["n_records"].sum() == len(scene.records)
    sources = json.loads(data)["metadata"]["sources"]
    assert [s["url"] for s in sources] == list(cited_sources(scene.records, scene.statuses)["url"])


# --- sources text and file names ---------------------------------------------------------------

def test_sources_text_lists_the_cited_sources(mini):
    assert sources_text(mini, scene_of(mini, year=2010)) == (
        "Sources for this view (Alliance Atlas, reviewed 2026-11-25): Membership status in "
        "ALBA; as of 1 July 2010; all activities; all evidence grades\n"
        "ALBA members — Example — https://example.org/alba\n"
        "Cuba abroad — Example — http://example.org/cuba?x=1\n"
        "Mercosur — Example — https://example.org/mercosur\n"
    )


def test_sources_text_of_the_real_view(atlas):
    scene = scene_of(atlas, year=1985, mode="cooperation")
    lines = sources_text(atlas, scene).splitlines()
    cited = cited_sources(scene.records, scene.statuses)
    assert lines[0].endswith(describe(scene.view, atlas))
    assert lines[1:] == [f"{s.title} — {s.publisher} — {s.url}" for s in cited.itertuples()]


@pytest.mark.parametrize(("changes", "ext", "expected"), [
    ({}, "png", "alliance-atlas-2026-alliances.png"),
    ({"year": 1985, "mode": "cooperation"}, ".PDF", "alliance-atlas-1985-cooperation.pdf"),
    ({"country": "VEN", "mode": "shared"}, "csv", "alliance-atlas-2026-shared-ven.csv"),
    ({}, "../geo json", "alliance-atlas-2026-alliances.geojson"),
])
def test_filename(mini, changes, ext, expected):
    assert filename(view(mini, **changes), ext) == expected


def test_filename_needs_an_extension(mini):
    with pytest.raises(ValueError, match="not a file extension"):
        filename(view(mini), "./")
