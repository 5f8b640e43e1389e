"""The briefing deck: its link and file round trips (every field), garbage decks, and the deck
as files (PDF pages, PowerPoint slides, offline HTML page)."""

from __future__ import annotations

import base64
import io
import json
import random
import re
import zlib
from dataclasses import fields, replace

import pytest
from pptx import Presentation

from geo.io.exports import CSV_COLUMNS, records_csv
from geo.io.upload import overlay, parse_upload
from geo.render import leaflet, webmap
from geo.render.html import export_header
from geo.render.powerpoint import deck_pptx
from geo.render.slide import Slide, map_limits, slide_figure, slides_pdf
from geo.view import deck as decks
from geo.view.deck import DISPLAY_FIELDS, DeckError, Extent, Stop
from geo.view.scene import build_scene, describe
from geo.view.state import View

ORGS = ("ALBA", "CELAC", "OAS")
DEFAULT = View.default(2026, ORGS)
CHANGED = {  # a value other than the default for every field a stop keeps
    "year": 1983, "alliances": ("OAS",), "activities": ("peacekeeping", "medical_diplomacy"),
    "evidence": ("alleged",), "mode": "shared", "country": "DMA", "compare": 1975,
    "all_records": True, "focus": "OAS", "links": False,
}
EXTENT = Extent(west=-92.5, south=7.25, east=-77.0, north=18.5, zoom=5.5)


def parse(params):
    return View.from_query_params(params, DEFAULT, range(1959, 2027), ORGS,
                                  ["VEN", "CUB", "DMA", "NIC"])


def test_a_stop_keeps_every_field_of_the_view_but_the_display():
    assert set(CHANGED) == set(decks.stop_fields())
    assert set(CHANGED) | set(DISPLAY_FIELDS) == {f.name for f in fields(View)}


@pytest.mark.parametrize("name", sorted(CHANGED))
@pytest.mark.parametrize("encoding", ["link", "json"])
def test_each_field_round_trips(name, encoding):
    stop = Stop(replace(DEFAULT, **{name: CHANGED[name]}), "Título <b>&", "Línea 1\nlínea 2",
                EXTENT)
    write, read = (decks.to_link, decks.from_link) if encoding == "link" else (
        decks.to_json, decks.from_json)
    assert read(write([stop], DEFAULT), parse) == ((stop,), [])


def test_a_whole_deck_round_trips_in_order_and_the_file_is_versioned():
    stops = (Stop(replace(DEFAULT, **CHANGED), "One", "", EXTENT),
             Stop(DEFAULT),
             Stop(replace(DEFAULT, year=1962), "", "Only a note"))
    assert decks.from_link(decks.to_link(stops, DEFAULT), parse) == (stops, [])
    data = json.loads(decks.to_json(stops, DEFAULT))
    assert (data["format"], data["version"]) == ("alliance-atlas-deck", 1)
    assert data["stops"][1] == {"view": {}}  # only what differs from the default
    assert decks.from_json(decks.to_json((), DEFAULT), parse) == ((), [])


def test_display_choices_stay_with_the_screen():
    stop = Stop(replace(DEFAULT, present=True, palette="contrast", basemap=True), "x")
    assert json.loads(decks.to_json([stop], DEFAULT))["stops"][0]["view"] == {}
    (read,), _ = decks.from_json(json.dumps({"version": 1, "stops": [
        {"view": {"present": "1", "palette": "contrast", "year": "1990"}}]}), parse)
    assert read.view == replace(DEFAULT, year=1990)


def test_a_long_deck_survives_its_own_link():
    words = random.Random(12).choices(  # varied words, so compression gets no free ride
        ["advisers", "Managua", "brigade", "OAS", "1983", "Sandinista", "doctors", "treaty",
         "Grenada", "exercise", "intelligence", "Caracas", "mission", "the", "of", "and"], k=9000)
    text = " ".join(words)
    stops = tuple(Stop(replace(DEFAULT, year=1959 + i, country="NIC", compare=1970),
                       text[i * 90:i * 90 + decks.MAX_TITLE].strip(),
                       text[5000 + i * 400:5000 + (i + 1) * decks.MAX_NOTE].strip(),
                       Extent(-90 + i / 8, 5, -70, 20 + i / 4, 4.25))
                  for i in range(decks.MAX_STOPS))
    assert all(len(s.note) > decks.MAX_NOTE - 20 for s in stops)  # every stop full
    link = decks.to_link(stops, DEFAULT)
    assert len(link) < 12_000  # a full deck; browsers take far more, Streamlit too
    assert decks.from_link(link, parse) == (stops, [])


def test_unknown_members_are_ignored_and_bad_values_fall_back_with_notices():
    data = {"format": "alliance-atlas-deck", "version": 1, "extra": [1, 2], "stops": [
        {"view": {"year": "1990", "mode": "nope", "colour": "red"}, "title": "A" * 500,
         "note": "\x00bell\x07", "extent": [-200, 50, 10, 40, 3], "future": True},
        "not a stop",
        {"view": ["year", 1990], "title": 5},
    ]}
    stops, notices = decks.from_json(json.dumps(data), parse)
    assert [s.view for s in stops] == [replace(DEFAULT, year=1990), DEFAULT]
    assert len(stops[0].title) == decks.MAX_TITLE and stops[0].note == "bell"
    assert stops[0].extent is None and stops[1].title == "5"
    assert notices == [
        "Stop 1: Unknown parameter 'colour' ignored.",
        "Stop 1: 'mode': unknown value 'nope'; using the default.",
        "Stop 1: the map extent is not usable; the whole region is shown.",
        "Stop 2 is not a stop; left out."]


def test_more_stops_than_a_deck_holds_are_cut_with_a_notice():
    data = {"version": 1, "stops": [{"view": {}}] * (decks.MAX_STOPS + 5)}
    stops, notices = decks.from_json(json.dumps(data), parse)
    assert len(stops) == decks.MAX_STOPS
    assert notices == [f"Only the first {decks.MAX_STOPS} of {decks.MAX_STOPS + 5} stops were "
                       "kept."]


def _packed(text: str) -> str:
    return base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "not JSON"),
    (b"\xff\xfe garbage", "not JSON"),
    (b"[1, 2]", "no list of stops"),
    (b'{"stops": {}}', "no list of stops"),
    (b'{"format": "slides", "version": 1, "stops": []}', "not an Alliance Atlas deck"),
    (b'{"stops": []}', "no valid version"),
    (b'{"version": "1", "stops": []}', "no valid version"),
    (b'{"version": true, "stops": []}', "no valid version"),
    (b'{"version": 9, "stops": []}', "version 9; this atlas reads version 1"),
    (b"[" * 100_000, "not JSON"),
    (b" " * (decks.MAX_JSON + 1), "larger than a deck"),
])
def test_files_that_are_not_decks_get_a_clear_message(raw, message):
    with pytest.raises(DeckError, match=message):
        decks.from_json(raw, parse)


@pytest.mark.parametrize("link", [
    "", "not a deck!", "abc", "%%%", "A" * (decks.MAX_LINK + 1), _packed("[]"),
    _packed('{"version": 1, "stops": [') , _packed("x" * 10)[:-3],
    base64.urlsafe_b64encode(zlib.compress(b"0" * (decks.MAX_JSON * 2))).decode().rstrip("="),
])
def test_damaged_links_get_a_clear_message(link):
    with pytest.raises(DeckError):
        decks.from_link(link, parse)


def test_the_extent_centre_is_the_middle_on_the_map():
    lat, lon = EXTENT.center
    assert lon == pytest.approx(-84.75)
    assert (EXTENT.south + EXTENT.north) / 2 < lat < EXTENT.north  # Mercator stretches the north
    assert Extent.from_list([-10, 5, 10, 20, "3"]) is None
    assert Extent.from_list([-10, 5, 10, float("nan"), 3]) is None


# --- the deck as files ---------------------------------------------------------------------

def _slides(atlas, n: int = 3) -> list[Slide]:
    orgs = tuple(sorted(atlas.organisations["org_id"]))
    years = [1962, 1983, 2009, 2015][:n]
    return [Slide(build_scene(atlas, View(year=y, alliances=orgs, compare=y - 4)),
                  f"Stop {i}: {y}", f"A note on {y}", EXTENT if y == 1983 else None)
            for i, y in enumerate(years, start=1)]


def test_the_deck_pdf_has_a_page_per_stop(atlas):
    data = slides_pdf(atlas, _slides(atlas))
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 3


def test_the_deck_pptx_has_a_slide_per_stop_with_its_title_note_and_sources(atlas):
    slides = _slides(atlas)
    deck = Presentation(io.BytesIO(deck_pptx(atlas, slides, "Briefing")))
    assert len(deck.slides) == 3
    for page, one in zip(deck.slides, slides, strict=True):
        texts = [s.text_frame.text for s in page.shapes if s.has_text_frame]
        assert texts == [f"{one.title}\n{one.note}"]
        assert any(s.shape_type == 13 for s in page.shapes)  # the slide image
        notes = page.notes_slide.notes_text_frame.text
        assert one.note in notes and "Sources (" in notes and "https://" in notes
    assert deck.core_properties.title == "Briefing"


def test_a_slide_is_framed_as_the_map_was_and_shows_what_changed(atlas):
    fig = slide_figure(atlas, _slides(atlas)[1])  # 1983 against 1979, framed on Central America
    ax = fig.axes[0]
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    assert west <= EXTENT.west and east >= EXTENT.east and south <= EXTENT.south
    assert north >= EXTENT.north and east - west < 40
    assert (west, east, south, north) == pytest.approx(map_limits(EXTENT))
    words = " ".join(t.get_text() for t in fig.texts)
    titles = [legend.get_title().get_text() for legend in fig.legends]
    assert "A note on 1983" in words
    assert any(t.startswith("Changed since 1979") for t in titles)


def test_the_offline_page_describes_itself_and_links_nothing_outside(atlas):
    (one,) = _slides(atlas, 1)
    scene = one.scene
    header = export_header("<Stop> & co", scene.view.year, describe(scene.view, atlas),
                           "Note <i>", "2026-11-25",
                           atlas.sources.head(2).assign(url="https://example.org/a"), False)
    assets = leaflet.Assets("/l.js", "/l.css", "/g.js")
    page = leaflet.standalone_html(webmap.complete_map(atlas.countries, scene, assets, EXTENT),
                                   webmap.geometry_script(atlas.countries), header)
    assert '<span class="year">1962</span>&lt;Stop&gt; &amp; co</h1>' in page
    assert describe(scene.view, atlas) in page and "Note &lt;i&gt;" in page
    assert "https://example.org/a" in page and "<i>" not in page.split("</header>")[0]
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # Leaflet's own code aside
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", markup)
    assert not re.findall(r"<(?:script|link|img)[^>]*(?:src|href)=", page)
    assert "fitBounds(" in page and "[7.25, -92.5]" in page


def test_uploaded_records_are_marked_in_the_csv_and_on_the_slide(atlas):
    upload = (b"country,activity,start_year,end_year,title,description,evidence,source_title,"
              b"source_url\nNIC,medical_diplomacy,1983,1984,Mine,Text,reported,Paper,"
              b"https://example.org/p\n")
    result = parse_upload("mine.csv", upload, atlas)
    assert result.accepted == 1, result.problems
    mine = overlay(atlas, result.records)
    orgs = tuple(sorted(atlas.organisations["org_id"]))
    scene = build_scene(mine, View(year=1983, alliances=orgs))
    rows = list(csv_rows(records_csv(mine, scene)))
    assert rows[0] == list(CSV_COLUMNS) and rows[0][-1] == "user_supplied"
    title = CSV_COLUMNS.index("title")
    assert {r[-1] for r in rows[1:] if r[title] == "Mine"} == {"yes"}
    assert {r[-1] for r in rows[1:] if r[title] != "Mine"} == {"no"}
    words = " ".join(t.get_text() for t in slide_figure(atlas, scene).texts)
    assert "Includes user-supplied records" in words


def csv_rows(data: bytes):
    import csv
    return csv.reader(io.StringIO(data.decode("utf-8")))
