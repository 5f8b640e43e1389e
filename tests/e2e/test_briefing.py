"""End to end: a shared URL reproduces the view; uploads stay in their session."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_dashboard import DRAWN, open_dashboard, panel_heading
from tools.harness import MAP_FRAME, ROOT

pytestmark = pytest.mark.slow

HOSTILE = ROOT / "tests" / "bad_files" / "hostile_text.csv"


def test_a_copied_url_reproduces_the_view_in_a_fresh_browser(page, browser, server):
    open_dashboard(page, server)
    page.get_by_role("slider").first.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")  # 2023
    page.get_by_label("Country").first.click()
    page.keyboard.type("Nicaragua")
    page.keyboard.press("Enter")
    expect(panel_heading(page)).to_have_text("Nicaragua", timeout=20_000)
    page.get_by_text("Alliances shared with Cuba").click()
    expect(page).to_have_url(re.compile(r"(?=.*mode=shared)(?=.*country=NIC)(?=.*year=2023)"),
                             timeout=10_000)
    url = page.url
    assert "country=NIC" in url and "mode=shared" in url

    fresh = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    try:
        frame = open_dashboard(fresh, url)
        expect(panel_heading(fresh)).to_have_text("Nicaragua", timeout=20_000)
        expect(fresh.get_by_text("In 2023: member of ALBA")).to_be_visible()
        assert fresh.get_by_role("slider").first.get_attribute("aria-valuenow") in (None, "2023")
        legend = fresh.locator(".atlas-legend").inner_text()
        assert "Alliances shared with Cuba (full members)" in legend
        assert set(frame.evaluate(DRAWN)) >= {"NIC", "CUB"}
    finally:
        fresh.context.close()


def test_presentation_mode_fits_a_1280_by_720_screen_share(browser, server):
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    try:
        open_dashboard(page, f"{server}/?present=1&year=1983&country=NIC")
        expect(page.locator(".atlas-title .year")).to_have_text("1983")
        map_box = page.locator(MAP_FRAME).bounding_box()
        assert map_box["y"] + map_box["height"] <= 720  # the whole map is on screen
        expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
        assert "large" in page.locator(".atlas-legend").get_attribute("class")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "presentation-1983.png")
    finally:
        page.context.close()


def test_an_upload_is_shown_literally_and_only_in_its_own_session(page, browser, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_dashboard(page, f"{server}/?country=GRD&all_records=1")
    page.get_by_text("Your cooperation records (CSV or XLSX)").first.click()
    page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(HOSTILE))
    expect(page.get_by_text("2 row(s) accepted, 1 rejected.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("<script>alert(1)</script>", exact=False).first).to_be_visible(
        timeout=20_000)
    expect(page.locator(".atlas-record .user").first).to_have_text("user-supplied")
    assert page.locator("img[src='x']").count() == 0
    assert dialogs == [] and page.errors == []

    other = browser.new_context().new_page()
    try:
        open_dashboard(other, f"{server}/?country=GRD&all_records=1")
        expect(other.locator(".atlas-record").first).to_be_visible(timeout=20_000)
        assert other.locator(".atlas-record .user").count() == 0
    finally:
        other.context.close()
