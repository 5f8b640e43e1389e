"""End to end: the map a briefer screen-shares, measured in the page at 1440x900 and 1280x720.

The four figures (see tests/e2e/measure.py) are written to test-artifacts/map-figures.json.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from geo import load_atlas
from geo.view.scene import build_scene
from geo.view.state import View
from tests.e2e.conftest import ARTIFACTS, MAP_FRAME
from tests.e2e.measure import figures, summary
from tests.e2e.test_dashboard import click_map, open_dashboard, panel_heading, settle

pytestmark = pytest.mark.slow

ATLAS = load_atlas()
DEFAULT = View.default(ATLAS.last_year, sorted(ATLAS.organisations["org_id"]))
SCENE = build_scene(ATLAS, DEFAULT)
STATES = set(SCENE.states["iso3"])
EASTERN_CARIBBEAN = ["ATG", "BRB", "DMA", "GRD", "KNA", "LCA", "VCT"]
NAMES = dict(zip(SCENE.states["iso3"], SCENE.states["name"], strict=True))
SIZES = {"1440x900": (1440, 900), "1280x720": (1280, 720)}


@contextmanager
def sized_page(browser, size: str) -> Iterator[Page]:
    """A page of its own at ``size`` (a key of ``SIZES``), closed after use."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()


def save(name: str, page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_default_map_is_big_uncluttered_and_every_state_has_a_free_target(
        browser, server, size):
    with sized_page(browser, size) as page:
        frame = open_dashboard(page, server)
        found = figures(page, frame)
        ARTIFACTS.mkdir(exist_ok=True)
        record = ARTIFACTS / "map-figures.json"
        known = json.loads(record.read_text()) if record.exists() else {}
        known[size] = {k: v for k, v in found.items() if k != "free"}
        record.write_text(json.dumps(known, indent=2))
        print(size, summary(found))
        if size == "1440x900":
            assert found["map_share"] >= 0.45, summary(found)
        assert found["covered_share"] <= 0.10, summary(found)
        assert found["overlapping_pairs"] == 0, summary(found)
        assert set(found["free"]) == STATES
        assert found["without_target"] == [], summary(found)
        box = found["map_box"]
        assert box["y"] + box["height"] <= SIZES[size][1]  # the whole map above the fold
        title = page.get_by_role("heading", name=f"Alliance Atlas · {ATLAS.last_year}")
        expect(title).to_be_in_viewport()
        save(f"map-default-{size}", page)


def test_a_click_on_each_small_island_state_and_on_cuba_selects_exactly_it(page, server):
    frame = open_dashboard(page, server)
    small = SCENE.states.set_index("iso3")
    targets = [(iso3, small.at[iso3, "marker_lon"], small.at[iso3, "marker_lat"])
               for iso3 in EASTERN_CARIBBEAN]
    # Cuba by Havana, where its links start (Havana itself is on the coast), then in the east.
    targets += [("CUB", -82.4, 22.95), ("CUB", -75.8, 20.4)]
    selected = None
    for iso3, lon, lat in targets:
        if iso3 == selected:  # a second click on the same state: clear it first
            page.get_by_role("button", name="Clear selection").click()
            expect(panel_heading(page)).to_have_count(0, timeout=20_000)
        click_map(page, frame, float(lon), float(lat))
        expect(panel_heading(page)).to_have_text(NAMES[iso3], timeout=20_000)
        assert f"country={iso3}" in page.url
        selected = iso3
    assert page.errors == []


def test_no_focus_rectangle_stays_on_the_map_after_a_click(page, server):
    frame = open_dashboard(page, server)
    small = SCENE.states.set_index("iso3")
    click_map(page, frame, float(small.at["GRD", "marker_lon"]),
              float(small.at["GRD", "marker_lat"]))
    expect(panel_heading(page)).to_have_text("Grenada", timeout=20_000)
    outline = frame.evaluate("""() => { const e = document.activeElement;
        const s = getComputedStyle(e); return [e.tagName, s.outlineStyle, s.outlineWidth]; }""")
    assert outline[0] in ("BODY", "DIV") or outline[1] == "none" or outline[2] == "0px", outline


@pytest.mark.parametrize("size", list(SIZES))
def test_a_selected_country_sits_beside_a_map_that_stays_big(browser, server, size):
    with sized_page(browser, size) as page:
        frame = open_dashboard(page, f"{server}/?country=GRD&mode=alliances&focus=ALBA"
                                     "&alliances=ALBA&alliances=CARICOM&alliances=OAS")
        expect(panel_heading(page)).to_have_text("Grenada", timeout=20_000)
        found = figures(page, frame)
        if size == "1440x900":
            assert found["map_share"] >= 0.45, summary(found)
        assert found["overlapping_pairs"] == 0, summary(found)
        assert found["without_target"] == [], summary(found)
        panel = page.locator(".st-key-country_panel").bounding_box()
        assert panel["x"] >= found["map_box"]["x"] + found["map_box"]["width"]  # beside it,
        assert panel["height"] <= found["map_box"]["height"] + 1  # no taller: it scrolls
        save(f"map-selected-{size}", page)


@pytest.mark.parametrize("size", list(SIZES))
def test_presentation_mode_keeps_the_whole_map_on_screen(browser, server, size):
    with sized_page(browser, size) as page:
        open_dashboard(page, f"{server}/?present=1&year=1983&country=NIC")
        box = page.locator(MAP_FRAME).bounding_box()
        assert box["y"] + box["height"] <= SIZES[size][1]
        expect(page.locator(".atlas-title .year")).to_be_in_viewport()
        save(f"map-presentation-{size}", page)


@pytest.mark.parametrize("size", list(SIZES))
def test_no_label_is_cut_off(browser, server, size):
    with sized_page(browser, size) as page:
        open_dashboard(page, f"{server}/?alliances=ALBA&alliances=CARICOM&alliances=CELAC"
                             "&alliances=OAS")
        cut = page.evaluate("""() => {
            const selectors = ['[data-testid="stSidebar"] label', '[data-testid="stButton"] p',
                '[data-testid="stSidebar"] [data-baseweb="tag"] span',
                '[data-testid="stRadio"] p', '[data-testid="stHeading"] h2'];
            return [...document.querySelectorAll(selectors.join(','))]
                .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
                .map(e => e.textContent); }""")
        assert cut == []


def test_a_click_on_a_row_of_the_membership_matrix_selects_the_country(page, server):
    open_dashboard(page, f"{server}/?year=2009&mode=alliances&focus=ALBA")
    expander = page.locator('[data-testid="stExpander"]').filter(
        has_text="Membership matrix, 1 July 2009")
    expander.locator("summary").click()
    grid = expander.locator('[data-testid="stDataFrame"]')
    expect(grid).to_be_visible(timeout=20_000)
    grid.scroll_into_view_if_needed()
    expect(grid.get_by_text("Argentina")).to_be_attached(timeout=20_000)  # rows drawn
    settle(page)
    box = grid.bounding_box()
    # Rows are sorted by country; the second is Argentina. Click its row marker (left edge).
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 35 + 17)
    expect(panel_heading(page)).to_have_text("Argentina", timeout=20_000)
    assert "country=ARG" in page.url
    save("map-matrix-1440x900", page)
    with page.expect_download() as download:
        page.get_by_role("button", name="⬇ Matrix (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert len(rows) == len(STATES)
    by_iso3 = {row["iso3"]: row for row in rows}
    assert by_iso3["VEN"]["ALBA"] == "member" and by_iso3["CHL"]["ALBA"] == ""
    assert set(rows[0]) == {"country", "iso3", *sorted(ATLAS.organisations["org_id"])}
