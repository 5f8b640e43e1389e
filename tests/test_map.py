"""The scene (what a view draws) and the folium map built from it, rendered to HTML."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from geo import ACTIVITIES, EVIDENCE
from geo.render import webmap as mapping
from geo.render.leaflet import leaflet_dist, leaflet_urls, standalone_html
from geo.view.colours import CLASSES, PALETTE
from geo.view.scene import build_scene, describe, tooltips
from geo.view.state import View

ASSETS = leaflet_urls("component/ui.cache.leaflet")


@pytest.fixture(scope="module")
def default(mini):
    return View.default(mini.last_year, sorted(mini.organisations["org_id"]))


def render(atlas, view: View) -> str:
    scene = build_scene(atlas, view)
    shapes = mapping.shapes_of(atlas.countries)
    return mapping.complete_map(atlas.countries, scene, shapes, ASSETS).get_root().render()


def fills(scene) -> dict[str, str]:
    return dict(zip(scene.states["iso3"], scene.states["fill"], strict=True))


def test_alliance_mode_counts_full_memberships_and_cuba_stands_apart(mini, default):
    view = replace(default, year=2013, mode="alliances")
    scene = build_scene(mini, view)
    values = dict(zip(scene.states["iso3"], scene.states["value"], strict=True))
    # 2013: VEN in ALBA, MERCOSUR, CELAC; PRY suspended from MERCOSUR (not counted); BOL in ALBA.
    assert (values["VEN"], values["PRY"], values["BOL"], values["CHL"]) == (3, 1, 2, 1)
    palette = PALETTE["standard"]
    assert fills(scene)["VEN"] == palette.ramp[3]
    assert fills(scene)["CUB"] == palette.cuba
    assert scene.legend == (*zip(palette.ramp[:4], CLASSES[:4], strict=True),
                            (palette.cuba, "Cuba"))


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


def test_every_alliance_a_country_is_in_gets_its_own_dot(mini, default):
    scene = build_scene(mini, replace(default, year=2013))
    venezuela = scene.dots[scene.dots["iso3"] == "VEN"]
    assert sorted(venezuela["org_id"]) == ["ALBA", "CELAC", "MERCOSUR"]
    assert venezuela[["dx", "dy"]].drop_duplicates().shape[0] == 3  # three distinct slots


def test_the_map_html_has_layers_colours_legend_and_tooltips(mini, default):
    view = replace(default, year=2013, mode="alliances", country="VEN")
    html = render(mini, view)
    scene = build_scene(mini, view)
    for org in ("ALBA", "CELAC", "MERCOSUR"):
        assert f'"{org}" : ' in html or f'"{org}": ' in html  # one toggleable layer each
    assert '"Cuba\'s links"' in html or "Cuba\\u0027s links" in html
    assert scene.palette.ramp[3] in html and scene.palette.cuba in html
    assert "Selected alliances the country is a full member of" in html
    assert "hollow: associate, observer, suspended or inactive" in html
    assert "territories and neighbours (not in the atlas)" in html
    assert "bold outline: the selected country" in html
    assert 'let fields = ["tooltip"]' in html
    assert "\\u003cb\\u003eVenezuela\\u003c/b\\u003e \\u00b7 2013" in html
    assert "window.atlasHidden" in html  # the layer control remembers toggles


def test_the_map_loads_nothing_from_the_internet(mini, default):
    html = render(mini, replace(default, country="BOL"))
    assert set(re.findall(r'(?:src|href)="([^"]+)"', html)) == set(ASSETS)
    assert not re.findall(r"https?://", html)


def test_standalone_html_inlines_leaflet(mini, default):
    scene = build_scene(mini, replace(default, country="VEN"))
    m = mapping.complete_map(mini.countries, scene, mapping.shapes_of(mini.countries), ASSETS)
    html = standalone_html(m)
    assert not re.findall(r"<(?:script|link)[^>]*(?:src|href)=", html)
    assert "<script src=" not in html and "<link rel=\"stylesheet\"" not in html
    assert "Leaflet 1.9.4" in html


def test_data_text_is_escaped_in_tooltips_and_legend(mini, default):
    scene = build_scene(mini, default)
    hostile = scene.states.assign(name="<img src=x onerror=alert(1)>")
    tips = tooltips(hostile, scene.statuses, scene.records, default)
    assert all("<img" not in tip and "&lt;img src=x onerror=alert(1)&gt;" in tip for tip in tips)
    assert "<script" not in mapping.legend_html(replace(scene, legend_title="<script>x"))


def test_high_contrast_palette_changes_every_map_colour(mini, default):
    html = render(mini, replace(default, palette="contrast"))
    contrast, standard = PALETTE["contrast"], PALETTE["standard"]
    assert contrast.sea in html and standard.sea not in html
    assert contrast.cuba in html and standard.cuba not in html


def test_filters_in_words(mini, default):
    assert describe(default, mini) == ("Intensity of Cuban cooperation; as of 1 July 2026; "
                                       "all alliances; all activities; all evidence grades")
    narrow = replace(default, alliances=("ALBA",), activities=("peacekeeping",),
                     evidence=("alleged",))
    assert describe(narrow, mini) == ("Intensity of Cuban cooperation; as of 1 July 2026; "
                                      "alliances: ALBA; activities: peacekeeping; "
                                      "evidence: alleged")


def test_small_island_states_get_a_click_target(atlas):
    scene = build_scene(atlas, View.default(atlas.last_year, sorted(
        atlas.organisations["org_id"])))
    small = set(scene.states.loc[scene.states["small"], "iso3"])
    assert {"DMA", "GRD", "LCA", "VCT", "KNA", "ATG", "BRB"} <= small
    assert not small & {"BRA", "MEX", "CUB", "JAM", "TTO", "BHS"}


def test_leaflet_is_served_from_the_installed_package():
    dist = leaflet_dist()
    assert (dist / "leaflet.js").read_text("utf-8").startswith("/* @preserve\n * Leaflet 1.9.4")
    assert (dist / "images" / "layers.png").stat().st_size > 0
    assert leaflet_urls("/atlas/component/x/") == ("/atlas/component/x/leaflet.js",
                                                   "/atlas/component/x/leaflet.css")


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
    shapes = mapping.shapes_of(mini.countries)
    m = mapping.base_map(mini.countries, PALETTE["standard"], ASSETS)
    mapping.changes_layer(main, shapes, 2011, CHANGES, CHANGE_COLOURS).add_to(m)
    html = m.get_root().render()
    assert CHANGE_COLOURS["suspended"] in html and CHANGE_COLOURS["joined"] in html
    assert CHANGE_COLOURS["left"] not in html
    legend = mapping.changes_legend(main, 2011, CHANGES, CHANGE_COLOURS)
    assert legend == (
        "<b>Changed since 2011 (dashed outlines)</b>"
        f'<div><span class="line" style="background:{CHANGE_COLOURS["joined"]}"></span>'
        "Joined (as member, associate or observer)</div>"
        f'<div><span class="line" style="background:{CHANGE_COLOURS["suspended"]}"></span>'
        "Suspended, inactive or downgraded</div>")
