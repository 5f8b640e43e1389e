"""End to end: Play steps the year without an error and keeps the zoom; a deck opened from its
link steps through its stops' whole views (year, title, note, map extent), from the keyboard."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import partial
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from geo.view.deck import Extent, Stop, from_link, to_link
from geo.view.state import View
from tests.e2e.conftest import ARTIFACTS, MAP_FRAME
from tests.e2e.test_dashboard import ATLAS, DEFAULT, DRAWN, STATES, open_dashboard, settle
from tools.harness import wait_until

pytestmark = pytest.mark.slow

ERROR_BOX = '[data-testid="stException"]'
YEAR = ("() => { const s = document.querySelector("
        "'[data-testid=stSidebar] [data-testid=stSliderThumbValue]');"
        " return s ? +s.textContent : 0; }")
VIEW = "() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]"


def PARSE(params):
    return View.from_query_params(params, DEFAULT, ATLAS.years,
                                  sorted(ATLAS.organisations["org_id"]), STATES)


DECK = (
    Stop(replace(DEFAULT, year=1962, mode="alliances"), "The missile crisis",
         "The OAS suspends Cuba.", Extent(-88.0, 15.0, -70.0, 26.0, 5.0)),
    Stop(replace(DEFAULT, year=1983, country="NIC", compare=1979), "Central America",
         "Advisers in Nicaragua.", Extent(-92.0, 7.0, -77.0, 18.0, 5.5)),
    Stop(replace(DEFAULT, year=2009, mode="shared"), "The ALBA years", "",
         Extent(-80.0, -20.0, -55.0, 12.0, 4.25)),
)


def map_shows(page: Page, extent) -> bool:
    """Whether the map on the page (whichever frame holds it now) shows ``extent``."""
    lat, lon = extent.center
    try:
        frame = page.locator(MAP_FRAME).last.element_handle(timeout=1000).content_frame()
        zoom, at_lat, at_lon = frame.evaluate(VIEW)
    except (PlaywrightError, AttributeError):  # the frame is being replaced
        return False
    near = 0.05  # degrees: a pixel or two at these zooms (a redrawn map may round its centre)
    return abs(zoom - extent.zoom) < 1e-6 and abs(at_lat - lat) < near and abs(at_lon - lon) < near


def no_error(page: Page) -> None:
    assert page.locator(ERROR_BOX).count() == 0
    assert page.get_by_text("This app has encountered an error").count() == 0


def test_play_steps_the_year_and_keeps_the_zoom(page, server):
    frame = open_dashboard(page, f"{server}/?year=1990")
    box = page.locator(MAP_FRAME).bounding_box()
    zoom = frame.evaluate("() => window.map.getZoom()")
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.35)
    page.mouse.wheel(0, -400)  # the real mouse wheel: zoom in
    frame.wait_for_function(f"() => window.map.getZoom() > {zoom}", timeout=10_000)
    frame.wait_for_function("() => !window.map._animatingZoom", timeout=10_000)
    zoomed = frame.evaluate(VIEW)

    page.get_by_role("button", name="Play years").click()
    page.wait_for_function(f"() => ({YEAR})() >= 1993", timeout=8_000)  # 3 steps within 8 s
    no_error(page)
    assert len(frame.evaluate(DRAWN)) > 30  # the map is still drawn
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play years")).to_be_visible(timeout=10_000)
    no_error(page)
    assert frame.evaluate(VIEW) == pytest.approx(zoomed, abs=1e-6)
    assert page.errors == []


def test_play_stops_at_the_last_year(page, server):
    last = DEFAULT.year
    open_dashboard(page, f"{server}/?year={last - 2}")
    page.get_by_role("button", name="Play years").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Play years")).to_be_visible(timeout=15_000)
    page.wait_for_function(f"() => ({YEAR})() === {last}", timeout=10_000)
    no_error(page)


def test_a_deck_link_steps_through_the_same_views_in_a_fresh_browser(browser, server):
    link = f"{server}/?present=1&deck={to_link(DECK, DEFAULT)}"
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_dashboard(page, link)
        for number, stop in enumerate(DECK, start=1):
            page.keyboard.press("PageDown")  # a clicker's "next"
            headline = page.locator(".atlas-title .headline")
            expect(headline).to_have_text(f"{stop.view.year}{stop.title}", timeout=20_000)
            if stop.note:
                expect(page.locator(".atlas-title .note")).to_have_text(stop.note)
            expect(page.get_by_text(f"Stop {number} of 3: {stop.title}")).to_be_visible()
            # a selected country takes a column, so the map may be drawn anew: ask each time
            wait_until(partial(map_shows, page, stop.extent), 20, 0.2, "the stop's extent")
            if stop.view.country:
                expect(page.locator('[data-testid="stHeading"] h3')).to_have_text("Nicaragua")
            map_box = page.locator(MAP_FRAME).bounding_box()
            assert map_box["y"] + map_box["height"] <= 720
            no_error(page)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"deck-stop-{number}-1280x720.png")
        page.keyboard.press("PageUp")
        expect(page.locator(".atlas-title .headline")).to_have_text("1983Central America",
                                                                    timeout=20_000)
        assert errors == []
    finally:
        page.context.close()


def test_adding_the_view_keeps_the_map_s_extent_and_the_deck_file_opens_elsewhere(
        page, browser, server, tmp_path):
    frame = open_dashboard(page, f"{server}/?year=1983&mode=shared")
    frame.evaluate("() => window.map.setView([13, -85], 6, {animate: false})")
    bounds = frame.evaluate("() => { const b = window.map.getBounds();"
                            " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
    page.get_by_text("Briefing deck: stops").click()
    page.get_by_text("＋ Add this view as a stop").click()
    expect(page).to_have_url(re.compile(r"deck="), timeout=20_000)
    deck, notices = from_link(parse_qs(urlparse(page.url).query)["deck"][0], PARSE)
    added = deck[-1]
    assert notices == [] and (added.view.year, added.view.mode) == (1983, "shared")
    assert added.extent.zoom == 6
    assert [added.extent.west, added.extent.south, added.extent.east,
            added.extent.north] == pytest.approx(bounds, abs=0.01)
    titles = page.locator('input[aria-label="Title"]')
    expect(titles).to_have_count(len(deck), timeout=20_000)  # the new stop's row is drawn
    settle(page)  # and the run that drew it is over: a value typed during a run can be lost
    title = titles.last
    title.fill("Central America, shared alliances")
    title.press("Enter")
    title.press("Tab")  # and leave the field, as a person moving on does

    def titled() -> bool:  # the edit has reached the deck (its link says so)
        link = parse_qs(urlparse(page.url).query).get("deck", [""])[0]
        return from_link(link, PARSE)[0][-1].title == "Central America, shared alliances"
    wait_until(titled, 20, 0.2, "the edited title in the link", page=page)
    expect(title).to_be_visible()  # the editor stays open
    with page.expect_download() as download:
        page.get_by_text("Save the deck (JSON)").click()
    saved = tmp_path / "deck.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["stops"][-1]["title"] == (
        "Central America, shared alliances")

    fresh = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    try:
        open_dashboard(fresh, server)
        fresh.get_by_text("Briefing deck: stops").click()  # drawn once open: wait for it
        editor = fresh.locator('[data-testid="stExpander"]', has_text="Briefing deck: stops")
        opener = editor.locator('[data-testid="stFileUploader"]')
        expect(opener).to_be_visible(timeout=20_000)
        opener.locator('input[type="file"]').set_input_files(str(saved))
        expect(fresh.get_by_text(f"Opened 'deck.json': {len(deck)} stop(s).")).to_be_visible(
            timeout=20_000)
        expect(fresh.locator('input[aria-label="Title"]').last).to_have_value(
            "Central America, shared alliances")
        no_error(fresh)
    finally:
        fresh.context.close()
