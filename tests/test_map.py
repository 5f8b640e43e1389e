"""The scene (what a view draws) and the folium map built from it, rendered to HTML."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
import shapely

from geo import ACTIVITIES, EVIDENCE
from geo.data.vocab import STATUSES
from geo.render import webmap as mapping
from geo.render.leaflet import GEOMETRY, asset_urls, leaflet_dist, standalone_html
from geo.render.matrix import matrix_styler
from geo.view.colours import PALETTE, STATUS_COLOURS
from geo.view.scene import (
    MARKER_RADIUS,
    _px,
    build_scene,
    describe,
    island_markers,
    membership_matrix,
    record_counts,
    tooltips,
)
from geo.view.state import View
from tests.conftest import CELAC

ASSETS = asset_urls("component/ui.cache.leaflet", "component/ui.cache.geometry/g.js")


@pytest.fixture(scope="module")
def default(mini):
    return View.default(mini.last_year, sorted(mini.organisations["org_id"]))


def render(atlas, view: View) -> str:
    scene = build_scene(atlas, view)
    return mapping.complete_map(atlas.countries, scene, ASSETS).get_root().render()


def fills(scene) -> dict[str, str]:
    return dict(zip(scene.states["iso3"], scene.states["fill"], strict=True))


def test_alliance_mode_colours_each_state_by_its_status_in_the_focal_organisation(mini, default):
    scene = build_scene(mini, replace(default, year=2013, mode="alliances", focus="MERCOSUR"))
    palette = PALETTE["standard"]
    # 2013: VEN a member, PRY suspended, CHL an associate, BOL not in MERCOSUR; Cuba apart.
    assert {iso3: fills(scene)[iso3] for iso3 in ("VEN", "PRY", "CHL", "BOL", "CUB")} == {
        "VEN": STATUS_COLOURS["member"], "PRY": STATUS_COLOURS["suspended"],
        "CHL": STATUS_COLOURS["associate"], "BOL": palette.ramp[0], "CUB": palette.cuba}
    assert scene.legend_title == "Membership status in MERCOSUR"
    assert scene.legend == (*((STATUS_COLOURS[s], s) for s in STATUSES),
                            (palette.ramp[0], "not a member"), (palette.cuba, "Cuba"))
    assert len(set(STATUS_COLOURS.values()) | {palette.ramp[0], palette.cuba}) == len(STATUSES) + 2


def test_cooperation_mode_follows_activity_and_evidence_filters(mini, default):
    scene = build_scene(mini, replace(default, year=2008, mode="cooperation"))
    assert {iso3: v for iso3, v in zip(scene.states["iso3"], scene.states["value"],
                                       strict=True) if v} == {"VEN": 2}
    only_documented = build_scene(mini, replace(default, year=2008, mode="cooperation",
                                                evidence=("documented",)))
    assert list(only_documented.records["record_id"]) == ["ven-doctors-2003"]
    nothing = build_scene(mini, replace(default, year=2008, activities=()))
    assert nothing.records.empty and nothing.links.empty


def test_shared_mode_counts_alliances_shared_with_cuba(mini, default):
    scene = build_scene(mini, replace(default, year=2013, mode="shared"))
    values = dict(zip(scene.states["iso3"], scene.states["value"], strict=True))
    assert (values["VEN"], values["BOL"], values["PRY"]) == (2, 2, 1)  # ALBA+CELAC; CELAC


def test_arcs_run_from_havana_with_width_by_records_and_colour_by_main_activity(mini, default):
    scene = build_scene(mini, replace(default, year=2008))
    arc = scene.links.set_index("iso3").loc["VEN"]
    assert arc["n"] == 2
    assert arc["activity"] == "intelligence_cooperation"  # tie broken by vocabulary order
    assert arc["colour"] == scene.activity_colours["intelligence_cooperation"]
    assert arc["line"][0] == pytest.approx(list(scene.havana), abs=1e-3)
    assert arc["line"][-1] == pytest.approx(
        [float(mini.countries.set_index("iso3").at["VEN", c]) for c in ("capital_lon",
                                                                          "capital_lat")],
        abs=1e-3)


def test_each_alliance_layer_gives_its_members_a_chip_in_a_fixed_slot(mini, default):
    scene = build_scene(mini, replace(default, year=2013, alliances=("ALBA", "CELAC",
                                                                      "MERCOSUR")))
    venezuela = scene.chips[scene.chips["iso3"] == "VEN"].set_index("org_id")
    assert dict(venezuela["slot"]) == {"ALBA": 0, "CELAC": 1, "MERCOSUR": 2}
    assert scene.chips.set_index(["iso3", "org_id"]).at[("PRY", "MERCOSUR"), "status"] == \
        "suspended"
    assert set(scene.boxes["iso3"]) == set(scene.chips["iso3"])
    assert build_scene(mini, default).boxes.empty  # no layer, no chip


def pixel_boxes(scene) -> list[tuple[str, shapely.Geometry]]:
    """Every point mark of the scene as a shape in pixels at the opening zoom."""
    marks = []
    small = scene.states[scene.states["small"]]
    for iso3, lon, lat in zip(small["iso3"], small["marker_lon"], small["marker_lat"],
                              strict=True):
        x, y = _px([lon], [lat])[0]
        marks.append((iso3, shapely.Point(x, y).buffer(MARKER_RADIUS)))
    for iso3, lon, lat, w, h in zip(scene.boxes["iso3"], scene.boxes["lon"], scene.boxes["lat"],
                                    scene.boxes["w"], scene.boxes["h"], strict=True):
        x, y = _px([lon], [lat])[0]
        marks.append((iso3, shapely.box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)))
    return marks


@pytest.mark.parametrize("layers", [(), ("ALBA",), ("ALBA", "CARICOM", "OAS"), "all"])
def test_no_two_marks_overlap_at_the_opening_zoom(atlas, layers):
    orgs = sorted(atlas.organisations["org_id"])
    view = View.default(atlas.last_year, orgs)
    scene = build_scene(atlas, replace(view, alliances=tuple(orgs) if layers == "all"
                                       else layers))
    marks = pixel_boxes(scene)
    assert len(marks) == scene.states["small"].sum() + len(scene.boxes)
    overlaps = [(a, b) for i, (a, one) in enumerate(marks) for b, other in marks[i + 1:]
                if one.intersection(other).area > 0.01]
    assert overlaps == []


def test_the_map_html_has_the_layers_and_a_collapsed_legend(mini, default):
    view = replace(default, year=2013, mode="alliances", country="VEN",
                   alliances=("ALBA", "MERCOSUR"))
    html = render(mini, view)
    scene = build_scene(mini, view)
    assert STATUS_COLOURS["member"] in html and scene.palette.cuba in html
    assert "Membership status in ALBA" in html
    assert "\\u003cdetails\\u003e\\u003csummary\\u003eLegend" in html or \
        "<details><summary>Legend" in html
    assert "L.control.layers" not in html  # one control for the layers: the sidebar's
    assert 'let fields = ["tooltip"]' in html
    assert "\\u003cb\\u003eVenezuela\\u003c/b\\u003e \\u00b7 2013" in html
    assert "atlas-chips" in html
    assert "outline: none" in html  # no focus rectangle left after a click


def test_the_legend_explains_every_mark(mini, default):
    view = replace(default, year=2013, mode="alliances", country="VEN",
                   alliances=("ALBA", "MERCOSUR"), compare=2011)
    legend = mapping.legend_html(build_scene(mini, view))
    for words in ("Membership status in ALBA", "not a member", "suspended", "Cuba",
                  "territories and neighbours (not in the atlas)", "selected country",
                  "small state: a marker in its colour, linked to its capital",
                  "Alliance layers (one square each, in this order):", ">ALBA<", ">MERCOSUR<",
                  "hollow: associate, observer, suspended or inactive",
                  "Cuba's links, by main activity (width: records):",
                  "Changed since 2011 (dashed outlines):"):
        assert words in legend, words
    plain = mapping.legend_html(build_scene(mini, replace(default, links=False)))
    assert "Alliance layers" not in plain and "Cuba's links" not in plain


def test_cuba_is_drawn_above_its_links_and_links_are_not_clickable(mini, default):
    scene = build_scene(mini, replace(default, year=2008))
    names = [g.layer_name for g in mapping.view_layers(scene)]
    assert names.index("Cuba") > names.index("Cuba's links")
    assert names[names.index("Cuba") + 1] == "Small island states"
    links = next(g for g in mapping.view_layers(scene) if g.layer_name == "Cuba's links")
    assert all(child.options.get("interactive") is False for child in links._children.values())
    assert build_scene(mini, replace(default, year=2008, links=False)).links.empty


def test_the_membership_matrix_is_states_by_organisations(mini):
    table = membership_matrix(mini, 2013)
    assert list(table.columns) == ["country", "iso3", "ALBA", "CELAC", "MERCOSUR"]
    assert len(table) == len(CELAC) and list(table["country"]) == sorted(table["country"])
    row = table.set_index("iso3").loc["PRY"]
    assert (row["MERCOSUR"], row["ALBA"]) == ("suspended", "")
    styled = matrix_styler(table, "MERCOSUR").to_html()
    assert STATUS_COLOURS["suspended"].lower() in styled.lower()
    assert "font-weight: bold" in styled


def test_the_map_loads_nothing_from_the_internet(mini, default):
    html = render(mini, replace(default, country="BOL"))
    assert set(re.findall(r'(?:src|href)="([^"]+)"', html)) == set(ASSETS)
    assert not re.findall(r"https?://", html)


def test_standalone_html_inlines_leaflet(mini, default):
    scene = build_scene(mini, replace(default, country="VEN"))
    m = mapping.complete_map(mini.countries, scene, ASSETS)
    html = standalone_html(m, mapping.geometry_script(mini.countries))
    assert not re.findall(r"<(?:script|link)[^>]*(?:src|href)=", html)
    assert "<script src=" not in html and "<link rel=\"stylesheet\"" not in html
    assert "Leaflet 1.9.4" in html
    assert html.index("Leaflet 1.9.4") < html.index(f"window.{GEOMETRY} = {{") < html.index(
        "L.map(")  # the geometry is defined before the map's script reads it


def test_layers_name_their_countries_and_the_page_loads_the_outlines_once(mini, default):
    """A view's layers carry no country outline (a year change sends colours and tooltips);
    every outline is in the geometry script, rounded, keyed by ISO3, and every layer feature
    that needs one names a country the script has."""
    script = mapping.geometry_script(mini.countries)
    prefix = f"window.{GEOMETRY} = "
    assert script.startswith(prefix)
    outlines = json.loads(script.removeprefix(prefix).rstrip(";\n"))
    assert set(outlines) == set(mini.countries["iso3"])
    coordinates = re.findall(r"-?\d+\.\d+", script)
    assert coordinates and all(len(c.split(".")[1]) <= mapping.DECIMALS for c in coordinates)
    view = replace(default, year=2013, country="VEN", compare=2011, alliances=("ALBA",))
    m = mapping.base_map(mini.countries, PALETTE["standard"], ASSETS)
    shared = []
    scene = build_scene(mini, view)
    for group in [*mapping.view_layers(scene), *mapping.selection_layer(scene)]:
        for layer in group._children.values():
            for feature in layer.data["features"]:
                if feature["geometry"]["type"] == "Shared":
                    shared.append(feature["properties"]["iso3"])
                else:  # only markers, chips and links carry their own coordinates
                    assert feature["geometry"]["type"] in {"Point", "LineString"}
        group.add_to(m)
    assert {"VEN", "CUB", "BOL"} <= set(shared) <= set(outlines)
    html = m.get_root().render()
    assert "MultiPolygon" not in html and '"Polygon"' not in html
    assert ASSETS.geometry in html


def test_data_text_is_escaped_in_tooltips_and_legend(mini, default):
    scene = build_scene(mini, default)
    hostile = scene.states.assign(name="<img src=x onerror=alert(1)>")
    tips = tooltips(hostile, mini.status_map(default.year), *record_counts(scene.records),
                    default.year)
    assert all("<img" not in tip and "&lt;img src=x onerror=alert(1)&gt;" in tip for tip in tips)
    assert "<script" not in mapping.legend_html(replace(scene, legend_title="<script>x"))


def test_high_contrast_palette_changes_every_map_colour(mini, default):
    html = render(mini, replace(default, palette="contrast"))
    contrast, standard = PALETTE["contrast"], PALETTE["standard"]
    assert contrast.sea in html and standard.sea not in html
    assert contrast.cuba in html and standard.cuba not in html


def test_filters_in_words(mini, default):
    assert describe(default, mini) == ("Intensity of Cuban cooperation; as of 1 July 2026; "
                                       "all activities; all evidence grades")
    narrow = replace(default, alliances=("ALBA",), activities=("peacekeeping",),
                     evidence=("alleged",), mode="alliances", focus="MERCOSUR")
    assert describe(narrow, mini) == ("Membership status in MERCOSUR; as of 1 July 2026; "
                                      "alliance layers: ALBA; activities: peacekeeping; "
                                      "evidence: alleged")


def test_every_state_too_small_to_click_gets_a_marker_off_other_land(atlas):
    markers = island_markers(atlas.countries).set_index("iso3")
    eastern = {"DMA", "GRD", "LCA", "VCT", "KNA", "ATG", "BRB"}
    assert eastern | {"JAM", "TTO", "BHS", "SLV"} <= set(markers.index)
    assert not set(markers.index) & {"BRA", "MEX", "CUB", "VEN", "COL"}
    column = markers.loc[sorted(eastern)]
    assert column["marker_lon"].nunique() == 1  # one column, like an inset
    assert list(markers.loc[list(eastern & set(markers.index))].sort_values(
        "lat", ascending=False).index) == list(column.sort_values("marker_lat",
                                                                  ascending=False).index)
    land = atlas.countries.set_index("iso3").geometry
    for iso3, row in markers.iterrows():
        spot = shapely.Point(row["marker_lon"], row["marker_lat"])
        others = land.drop(iso3)
        assert not others.intersects(spot).any(), iso3


def test_leaflet_is_served_from_the_installed_package():
    dist = leaflet_dist()
    assert (dist / "leaflet.js").read_text("utf-8").startswith("/* @preserve\n * Leaflet 1.9.4")
    assert (dist / "images" / "layers.png").stat().st_size > 0
    assert asset_urls("/atlas/component/x/", "atlas/component/y/g.js") == (
        "/atlas/component/x/leaflet.js", "/atlas/component/x/leaflet.css",
        "/atlas/component/y/g.js")


def test_vocabularies_have_distinct_colours(mini, default):
    scene = build_scene(mini, default)
    assert len(set(scene.activity_colours.values())) == len(ACTIVITIES)
    assert len(set(scene.org_colours.values())) == len(scene.org_colours)


def test_changes_are_outlined_in_distinct_colours_with_a_legend(mini, default):
    from geo.view.changes import CHANGES, changes, main_change
    from geo.view.colours import CHANGE_COLOURS

    found = changes(mini, 2011, 2013, ["ALBA", "MERCOSUR"], ACTIVITIES, EVIDENCE)
    main = main_change(found)
    assert main == {"PRY": "suspended", "VEN": "joined"}
    m = mapping.base_map(mini.countries, PALETTE["standard"], ASSETS)
    mapping.changes_layer(main, 2011, CHANGES, CHANGE_COLOURS).add_to(m)
    html = m.get_root().render()
    assert CHANGE_COLOURS["suspended"] in html and CHANGE_COLOURS["joined"] in html
    assert CHANGE_COLOURS["left"] not in html
    legend = mapping.changes_legend(main, 2011, CHANGES, CHANGE_COLOURS)
    assert legend == (
        "<b>Changed since 2011 (dashed outlines):</b>"
        f'<span><span class="line" style="background:{CHANGE_COLOURS["joined"]}"></span>'
        "Joined (as member, associate or observer)</span>"
        f'<span><span class="line" style="background:{CHANGE_COLOURS["suspended"]}"></span>'
        "Suspended, inactive or downgraded</span>")


def test_a_click_selects_by_feature_or_by_the_shape_under_the_point(atlas):
    from geo.view.selection import click_outcome

    places = atlas.countries.set_index("iso3")
    grenada = {"properties": {"iso3": "GRD", "kind": "state"}}
    assert click_outcome(places, grenada, None, None).country == "GRD"
    havana = {"lat": 22.95, "lng": -82.4}
    assert click_outcome(places, None, havana, "VCT").country == "CUB"  # no stale clearing
    sea = click_outcome(places, None, {"lat": 8.0, "lng": -100.0}, "VCT")
    assert (sea.selects, sea.country, sea.note) == (True, None,
                                                    "No country there: selection cleared.")
    assert click_outcome(places, None, {"lat": "x"}, "VCT") == click_outcome(places, None,
                                                                               None, None)


def test_the_tools_find_the_map_by_its_component_name():
    from tools.harness import MAP_COMPONENT, MAP_FRAME
    from ui import map_component
    from ui.map_view import MAP_FRAME as PAGE_MAP_FRAME

    assert map_component._frontend.name == MAP_COMPONENT
    assert PAGE_MAP_FRAME == MAP_FRAME == f'iframe[title="{MAP_COMPONENT}"]'
