"""End to end: the real server, headless Chromium, real mouse clicks on the map."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import shapely
from playwright.sync_api import Frame, Page, expect
from shapely.geometry import LineString, Point

from geo import load_atlas
from geo.view.scene import build_scene
from geo.view.state import View
from tests.e2e.conftest import ARTIFACTS, MAP_FRAME
from tools.harness import MAP_COMPONENT

pytestmark = pytest.mark.slow

ATLAS = load_atlas()
STATES = set(ATLAS.countries.loc[ATLAS.countries["kind"] == "state", "iso3"])
ALL_SHAPES = set(ATLAS.countries["iso3"])
DEFAULT = View.default(ATLAS.last_year, sorted(ATLAS.organisations["org_id"]))

DRAWN = """() => { const seen = new Set();
  window.map.eachLayer(l => { if (l.feature && l.feature.properties.iso3 && l._path)
    seen.add(l.feature.properties.iso3); });
  return [...seen]; }"""
FILL = """iso3 => { let fill = null;
  window.map.eachLayer(l => { if (l.feature && l.feature.properties.iso3 === iso3
    && l.feature.geometry.type.endsWith("Polygon") && l.options.fillColor)
    fill = l.options.fillColor; });
  return fill; }"""
REDRAWS = "() => (window.feature_group || []).length"  # grows each time layers are redrawn
CHIPS = "colour => [...document.querySelectorAll('.atlas-chips i')]" \
        ".filter(i => i.outerHTML.includes(colour)).length"


def open_dashboard(page: Page, url: str) -> Frame:
    """Load the page and wait until every shape is drawn; return the map's frame."""
    page.goto(url)
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = next(f for f in page.frames if MAP_COMPONENT in f.url)
    frame.wait_for_function(f"() => window.map && ({DRAWN})().length >= {len(ALL_SHAPES)}",
                            timeout=60_000)
    settle(page)
    return frame


def settle(page: Page) -> None:
    """Wait until the script has finished running and the map has stopped moving on the page."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=30_000)
    boxes = [None, None]
    for _ in range(60):
        boxes = [boxes[1], page.locator(MAP_FRAME).bounding_box()]
        if boxes[0] == boxes[1]:
            return
        page.wait_for_timeout(250)


def click_map(page: Page, frame: Frame, lon: float, lat: float) -> None:
    """A real mouse click at a geographic point of the map."""
    point = frame.evaluate("([lat, lon]) => window.map.latLngToContainerPoint([lat, lon])",
                           [lat, lon])
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def quiet_point(iso3: str) -> tuple[float, float]:
    """A point inside ``iso3`` far from Cuba's links and from any capital (where dots sit)."""
    scene = build_scene(ATLAS, DEFAULT)
    shape = ATLAS.countries.set_index("iso3").geometry[iso3]
    busy = [LineString(line) for line in scene.links["line"]]
    busy += [Point(xy) for xy in zip(scene.states["lon"], scene.states["lat"],
                                     strict=True)]
    inside = shape.buffer(-0.3)
    minx, miny, maxx, maxy = inside.bounds
    grid = [Point(minx + (maxx - minx) * i / 20, miny + (maxy - miny) * j / 20)
            for i in range(21) for j in range(21)]
    grid = [p for p in grid if inside.contains(p)]
    best = max(grid, key=lambda p: min(shapely.distance(p, b) for b in busy))
    return best.x, best.y


def panel_heading(page: Page):
    return page.locator('.st-key-country_panel [data-testid="stHeading"] h3')


def test_the_map_draws_offline_with_every_country(page, server):
    frame = open_dashboard(page, server)
    assert set(frame.evaluate(DRAWN)) == ALL_SHAPES
    assert frame.evaluate("() => typeof L.version") == "string"
    legend = page.locator(".atlas-legend")
    assert legend.inner_text().startswith("Cuban cooperation records active in the year")
    assert frame.locator(".leaflet-control-layers").count() == 0  # the sidebar holds the layers
    assert page.external_requests == []
    assert page.errors == []


def test_clicking_venezuela_shows_its_record_with_alba(page, server):
    frame = open_dashboard(page, server)
    click_map(page, frame, *quiet_point("VEN"))
    expect(panel_heading(page)).to_have_text("Venezuela", timeout=20_000)
    expect(page.get_by_text(re.compile(r"^In 2026: member of ALBA, "))).to_be_visible()
    expect(page.locator(".atlas-record").first).to_be_visible()
    assert "country=VEN" in page.url
    frame.wait_for_function(  # the selection outline is drawn
        "() => [...document.querySelectorAll('path.leaflet-interactive, path')]"
        ".some(p => p.getAttribute('stroke-width') === '4')", timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-venezuela.png", full_page=True)
    assert page.external_requests == [] and page.errors == []


def test_the_alliance_layers_are_chosen_in_the_sidebar_and_survive_a_year_change(
        page, server):
    frame = open_dashboard(page, server)
    scene = build_scene(ATLAS, replace(DEFAULT, alliances=("ALBA",)))
    alba = scene.org_colours["ALBA"]
    assert frame.evaluate(CHIPS, alba) == 0  # no layer by default
    page.get_by_role("combobox", name="Alliance layers on the map").click()
    page.keyboard.type("ALBA")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expected = int((scene.chips["org_id"] == "ALBA").sum())
    frame.wait_for_function(f"colour => ({CHIPS})(colour) === {expected}", arg=alba,
                            timeout=20_000)
    expect(page).to_have_url(re.compile(r"alliances=ALBA"), timeout=10_000)
    redraws = frame.evaluate(REDRAWS)
    page.get_by_role("slider").first.focus()
    page.keyboard.press("ArrowLeft")  # 2025: every layer is redrawn, ALBA's chips still on
    frame.wait_for_function(f"() => ({REDRAWS})() > {redraws}", timeout=20_000)
    year = replace(scene.view, year=ATLAS.last_year - 1)
    expected = int((build_scene(ATLAS, year).chips["org_id"] == "ALBA").sum())
    frame.wait_for_function(f"colour => ({CHIPS})(colour) === {expected}", arg=alba,
                            timeout=20_000)
    assert "alliances=ALBA" in page.url


def test_changing_the_year_recolours_without_resetting_the_view(page, server):
    frame = open_dashboard(page, server)
    frame.evaluate("() => window.map.setView([12, -72], 5, {animate: false})")
    before = frame.evaluate(FILL, "NIC")
    page.get_by_role("slider").first.focus()
    page.keyboard.press("Home")  # 1959
    frame.wait_for_function(f"() => ({FILL})('NIC') !== {before!r}", timeout=20_000)
    centre = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    assert frame.evaluate("() => window.map.getZoom()") == 5
    assert abs(centre[0] - 12) < 0.01 and abs(centre[1] + 72) < 0.01
    assert page.errors == []


def test_a_load_and_a_click_are_reported_once_each_and_the_click_without_its_outline(
        page, server):
    sent: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = open_dashboard(page, server)
    page.wait_for_timeout(1000)
    assert len(sent) == 1, "a page load asks for one run (a new map reports no empty click)"
    sent.clear()
    click_map(page, frame, *quiet_point("BOL"))
    expect(panel_heading(page)).to_have_text("Bolivia", timeout=20_000)
    page.wait_for_timeout(1000)  # past the frontend's own (debounced) report
    assert len(sent) == 1, f"{len(sent)} messages for one click"
    message = sent[0] if isinstance(sent[0], bytes) else sent[0].encode()
    assert b'"BOL"' in message and b"coordinates" not in message
    assert page.errors == []


def test_clicking_the_same_spot_again_after_the_box_chose_another_country_selects_it(
        page, server):
    frame = open_dashboard(page, server)
    spot = quiet_point("MEX")
    click_map(page, frame, *spot)
    expect(panel_heading(page)).to_have_text("Mexico", timeout=20_000)
    page.get_by_label("Country", exact=True).click()
    page.keyboard.type("Antigua")
    page.get_by_role("option", name="Antigua and Barbuda").click()
    expect(panel_heading(page)).to_have_text("Antigua and Barbuda", timeout=20_000)
    settle(page)
    click_map(page, frame, *spot)  # the very same point and feature as the first click
    expect(panel_heading(page)).to_have_text("Mexico", timeout=20_000)
    assert page.errors == []


def test_a_territory_explains_itself_and_the_sea_clears_the_selection(page, server):
    frame = open_dashboard(page, f"{server}/?country=VEN")
    expect(panel_heading(page)).to_have_text("Venezuela", timeout=20_000)
    san_juan = ATLAS.countries.set_index("iso3").loc["PRI", ["capital_lon", "capital_lat"]]
    click_map(page, frame, float(san_juan.iloc[0]) - 0.3, float(san_juan.iloc[1]) - 0.15)
    expect(page.get_by_text("Puerto Rico: A non-sovereign territory: the atlas records the 33 "
                            "CELAC states.")).to_be_visible(timeout=20_000)
    expect(panel_heading(page)).to_have_text("Venezuela")  # the selection stays
    click_map(page, frame, -100.0, 8.0)  # the Pacific, clear of the legend
    expect(page.get_by_text("No country there: selection cleared.")).to_be_visible(
        timeout=20_000)
    expect(panel_heading(page)).to_have_count(0)
    assert "country=" not in page.url and page.errors == []
