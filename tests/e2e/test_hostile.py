"""Hostile text in the data files and in the URL: shown literally, never executed.

A second server reads a data directory whose country name, record title, description and
source title carry script, event-handler and markup payloads.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.conftest import COOPERATION, SOURCES, make_data_dir, write_csv
from tests.e2e.test_dashboard import open_dashboard, panel_heading
from tools.harness import MAP_FRAME, start_server

pytestmark = pytest.mark.slow

NAME = '<img src=x onerror="window.pwned=1">Venezuela'
TITLE = "<script>window.pwned=2</script>"
DESCRIPTION = '<svg onload="window.pwned=3"></svg> plain words'
SOURCE = '<a href="javascript:window.pwned=4">click</a>'
INJECTED = "() => !!(window.pwned || document.querySelector('img[src=x], svg[onload]'))"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    data = make_data_dir(tmp_path_factory.mktemp("hostile") / "data")
    countries = json.loads((data / "countries.geojson").read_text("utf-8"))
    for feature in countries["features"]:
        if feature["properties"]["iso3"] == "VEN":
            feature["properties"]["name_en"] = NAME
    (data / "countries.geojson").write_text(json.dumps(countries), "utf-8")
    records = [dict(r) for r in COOPERATION]
    records[1].update(title=TITLE, description=DESCRIPTION)  # ven-doctors-2003
    sources = [dict(s) for s in SOURCES]
    sources[3]["title"] = SOURCE  # example-cuba, cited by every record
    write_csv(data / "cooperation.csv", records)
    write_csv(data / "sources.csv", sources)
    process, url = start_server({"ATLAS_DATA_DIR": str(data)})
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_hostile_data_is_escaped_in_panel_tooltips_and_legend(page, hostile_server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    frame = open_dashboard(page, f"{hostile_server}/?country=VEN&year=2010")
    expect(panel_heading(page)).to_have_text(NAME, timeout=20_000)
    expect(page.locator(".atlas-record").get_by_text(TITLE)).to_be_visible()  # (and the chart)
    expect(page.get_by_text(DESCRIPTION)).to_be_visible()
    expect(page.get_by_text(SOURCE).first).to_be_visible()
    assert page.locator('a[href^="javascript"]').count() == 0
    tooltip = frame.evaluate("""() => { let tip = null; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties.iso3 === 'VEN' && l.feature.properties.tooltip)
          tip = l.feature.properties.tooltip; }); return tip; }""")
    assert "&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;Venezuela" in tooltip
    assert "<img" not in tooltip
    venezuela = frame.evaluate("""() => { let c = null; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties.iso3 === 'VEN' && l.getBounds) c = l.getBounds()
          .getCenter(); }); return window.map.latLngToContainerPoint(c); }""")
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + venezuela["x"], box["y"] + venezuela["y"])
    expect(frame.locator(".leaflet-tooltip").first).to_contain_text(NAME, timeout=10_000)
    assert not page.evaluate(INJECTED) and not frame.evaluate(INJECTED)
    assert dialogs == [] and page.errors == []


def test_hostile_query_parameters_fall_back_and_are_shown_literally(page, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    payload = '<img src=x onerror="window.pwned=5">'
    frame = open_dashboard(page, f"{server}/?mode={payload}&country={payload}")
    expect(page.get_by_text(f"'mode': unknown value '{payload}'; using the default.")
           ).to_be_visible(timeout=20_000)
    assert not page.evaluate(INJECTED) and not frame.evaluate(INJECTED)
    assert dialogs == [] and page.errors == []
