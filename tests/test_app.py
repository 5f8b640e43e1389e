"""The page's logic, driven through Streamlit's AppTest (the map itself is tested in a browser).

The page runs on the tiny fixture data (``tests/conftest.py``), so a fix to the real data never
breaks these tests; one smoke test opens the page on the repository's data.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import ACTIVITIES, load_atlas
from geo.view.deck import Extent, Stop, from_link, to_link
from geo.view.state import View

APP = str(Path(__file__).resolve().parents[1] / "app.py")
DEFAULT = View.default(2026, ("ALBA", "CELAC", "MERCOSUR"))  # the fixture data's


def parse(params):  # reads a stop's view as the page does (on the fixture data)
    return View.from_query_params(params, DEFAULT, range(1959, 2027), DEFAULT.alliances,
                                  ["NIC", "VEN", "CUB"])


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch, mini_path):
    """Every page in this module reads the tiny fixture data."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(mini_path))


def start(**query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception
    return app


def rerun(app: AppTest, **state) -> AppTest:
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception
    return app


def markdown(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def texts(app: AppTest) -> list[str]:
    return [t.value for t in app.text]


def infos(app: AppTest) -> list[str]:
    return [i.value for i in app.info]


def test_first_load_shows_the_latest_year_and_invites_a_click(mini):
    app = start()
    assert app.header[0].value == "Alliance Atlas · 2026"
    assert app.slider(key="year").value == mini.last_year == 2026
    assert app.selectbox(key="country").value is None
    assert app.multiselect(key="alliances").value == []  # no alliance layer yet
    assert app.selectbox(key="focus").value == "ALBA"  # the first organisation
    assert app.toggle(key="links").value is True
    assert app.multiselect(key="activities").value == list(ACTIVITIES)
    assert not app.warning
    assert infos(app) == ["Click a country on the map, or type its name in the box above, to "
                          "read its record."]
    assert any(e.label.startswith("Sources for this view (") for e in app.expander)


def test_the_page_opens_on_the_repository_data(monkeypatch):
    monkeypatch.delenv("ATLAS_DATA_DIR")
    atlas = load_atlas()
    app = start()
    assert app.slider(key="year").value == atlas.last_year
    assert app.multiselect(key="alliances").options == [
        o.replace("_", " ") for o in sorted(atlas.organisations["org_id"])]
    assert app.selectbox(key="focus").value == "ALBA"
    assert not app.warning  # the curated data are clean


def test_choosing_a_country_shows_its_record():
    app = start()
    app.selectbox(key="country").set_value("VEN").run()
    assert not app.exception
    assert app.subheader[0].value == "Venezuela"
    text = markdown(app)
    assert "In 2026: member of ALBA, CELAC; suspended in MERCOSUR." in text
    assert "Cuban cooperation in 2026, filtered (2)" in text
    assert 'class="atlas-record"' in text and 'href="http://example.org/cuba?x=1"' in text


def test_moving_the_year_changes_the_record_and_keeps_the_country():
    app = start(country="NIC")
    app.slider(key="year").set_value(1985).run()
    assert app.selectbox(key="country").value == "NIC"
    text = markdown(app)
    assert "In 1985: in none of the alliances." in text
    assert "Cuban cooperation in 1985, filtered (1)" in text
    assert "military_advisers" not in text and "Military advisers" in text


def test_filters_that_match_nothing_say_so():
    app = start(country="NIC")
    rerun(app, activities=[])
    assert "No activity or evidence grade selected, so no cooperation record can match." \
        in infos(app)
    assert any(i.startswith("No record matches the filters in 2026;") for i in infos(app))
    rerun(app, alliances=["CELAC"], activities=["peacekeeping"], year=1990)
    assert "None of the alliance layers had members on 1 July 1990." in infos(app)
    assert "No Cuban cooperation record matches these filters in 1990." in infos(app)


def test_show_all_records_lists_every_year():
    app = start(country="NIC", year="2026")
    filtered = markdown(app).count('class="atlas-record"')
    app.toggle(key="all_records").set_value(True).run()
    text = markdown(app)
    assert "All Cuban cooperation records (" in text
    assert text.count('class="atlas-record"') > filtered


def test_the_url_sets_the_view_and_bad_values_fall_back_with_a_notice():
    app = start(year="1983", mode="shared", alliances=["ALBA", "MERCOSUR"], country="GRD",
                focus="MERCOSUR", links="0")
    assert app.slider(key="year").value == 1983
    assert app.session_state["mode"] == "shared"
    assert app.multiselect(key="alliances").value == ["ALBA", "MERCOSUR"]
    assert app.selectbox(key="focus").value == "MERCOSUR"
    assert app.toggle(key="links").value is False
    assert app.subheader[0].value == "Grenada"
    app = start(year="3000", mode="<script>", country="XXX", junk="1", focus="NATO")
    assert app.slider(key="year").value == 2026
    assert app.session_state["mode"] == "cooperation"
    assert app.selectbox(key="country").value is None
    notices = texts(app)
    assert "'year': expected a year from 1959 to 2026; using the default." in notices
    assert "'mode': unknown value '<script>'; using the default." in notices
    assert "Unknown parameter 'junk' ignored." in notices
    assert "'focus': unknown value 'NATO'; using the default." in notices
    assert app.selectbox(key="focus").value == "ALBA"


def test_link_notices_are_plain_text_and_short(mini):
    link = "[Session expired](https://evil.example)"
    app = start(**{link: "1", "mode": "![x](https://evil.example/t.png)", "year": "\u00b2",
                   "stops": "9" * 5000, "x" * 100_000: "1"})
    assert app.slider(key="year").value == mini.last_year
    assert not any("evil" in m.value for m in [*app.markdown, *app.info, *app.caption])
    notices = texts(app)
    assert f"Unknown parameters {link!r}, {'x' * 37!r}... ignored." in notices
    assert "'mode': unknown value '![x](https://evil.example/t.png)'; using the default." \
        in notices
    assert all(len(notice) < 200 for notice in notices)


def test_the_view_is_written_back_to_the_url():
    app = start()
    app.slider(key="year").set_value(1962).run()
    app.selectbox(key="country").set_value("VEN").run()
    assert (app.query_params["year"], app.query_params["country"]) == ("1962", "VEN")
    assert "alliances" not in app.query_params  # defaults stay out of the URL
    app.multiselect(key="alliances").set_value(["MERCOSUR", "ALBA"]).run()
    app.selectbox(key="focus").set_value("MERCOSUR").run()
    app.slider(key="year").set_value(1983).run()  # the layers survive a year change
    assert app.multiselect(key="alliances").value == ["MERCOSUR", "ALBA"]
    assert sorted(app.query_params["alliances"]) == ["ALBA", "MERCOSUR"]
    assert app.query_params["focus"] == "MERCOSUR"


def test_broken_data_shows_a_banner_and_keeps_the_rest(monkeypatch, mini_dir):
    cooperation = mini_dir / "cooperation.csv"
    cooperation.write_text(cooperation.read_text("utf-8").replace("documented", "rumoured", 1),
                           encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(mini_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert app.warning[0].value == ("1 data problem(s) in data/cooperation.csv: the rows listed "
                                    "here are left out; everything else is shown.")
    assert app.code[0].value == ("data/cooperation.csv:2: evidence: Input should be "
                                 "'documented', 'reported' or 'alleged'")


def test_presentation_mode_shows_a_title_block_with_year_filters_and_sources():
    app = start(present="1", year="1983", alliances=["ALBA", "MERCOSUR"])
    text = markdown(app)
    assert '<span class="year">1983</span>Cuba\'s alliances and security cooperation' in text
    assert ("Intensity of Cuban cooperation; as of 1 July 1983; alliance layers: ALBA, MERCOSUR; "
            "all activities; all evidence grades") in text
    assert "Data: Alliance Atlas, reviewed 25 November 2026;" in text
    assert not app.header  # the page title gives way to the title block


def _deck_link(*stops: Stop) -> str:
    return to_link(stops, DEFAULT)


THREE = (
    Stop(replace(DEFAULT, year=1962, mode="alliances"), "Missile crisis", "OAS suspends Cuba."),
    Stop(replace(DEFAULT, year=1983, country="NIC", compare=1979), "Central America",
         extent=Extent(-92.0, 7.0, -77.0, 18.0, 5.5)),
    Stop(replace(DEFAULT, year=2008, alliances=("ALBA",)), "ALBA years"),
)


def test_next_and_previous_stop_step_through_the_deck_s_whole_views():
    app = start(deck=_deck_link(*THREE), year="1970")
    app.button(key="next_stop").click().run()
    assert (app.slider(key="year").value, app.session_state["mode"]) == (1962, "alliances")
    assert "Stop 1 of 3: Missile crisis" in texts(app)
    app.button(key="next_stop").click().run()
    assert app.slider(key="year").value == 1983
    assert (app.session_state["country"], app.session_state["compare"]) == ("NIC", 1979)
    assert app.session_state["_goto"][1] == 5.5  # the map is sent to the stop's extent
    app.button(key="next_stop").click().run()
    assert list(app.session_state["alliances"]) == ["ALBA"]
    app.button(key="next_stop").click().run()  # stays on the last stop
    assert app.slider(key="year").value == 2008
    app.button(key="prev_stop").click().run()
    assert app.slider(key="year").value == 1983


def test_presenting_a_stop_shows_its_title_and_note():
    app = start(deck=_deck_link(*THREE), present="1")
    app.button(key="next_stop").click().run()
    text = markdown(app)
    assert '<span class="year">1962</span>Missile crisis' in text
    assert '<div class="note">OAS suspends Cuba.</div>' in text


def test_the_deck_editor_edits_reorders_and_deletes_and_stays_open():
    app = start(deck=_deck_link(*THREE))
    assert not app.get("text_input")  # closed: nothing of the editor is drawn
    rerun(app, deck_open=True)
    app.text_input(key="stop_title_0").set_value("Crisis <b>1962</b>").run()
    assert app.session_state["_deck"][0].title == "Crisis <b>1962</b>"
    app.button(key="stop_go_0").click().run()
    assert "Stop 1 of 3: Crisis <b>1962</b>" in texts(app)  # shown as written
    app.text_input(key="stop_note_1").set_value("Advisers arrive.").run()
    app.button(key="stop_down_0").click().run()
    assert [s.title for s in app.session_state["_deck"]] == [
        "Central America", "Crisis <b>1962</b>", "ALBA years"]
    assert app.text_input(key="stop_title_1").value == "Crisis <b>1962</b>"
    app.button(key="stop_delete_2").click().run()
    assert [s.title for s in app.session_state["_deck"]] == ["Central America",
                                                            "Crisis <b>1962</b>"]
    deck, notices = from_link(app.query_params["deck"], parse)
    assert deck == app.session_state["_deck"] and notices == []
    assert deck[0].note == "Advisers arrive." and deck[0].extent == THREE[1].extent
    assert app.session_state["deck_open"] is True and app.text_input(key="stop_title_0")


def test_the_default_deck_is_the_eras_and_stays_out_of_the_url(mini):
    app = start()
    assert [s.view.year for s in app.session_state["_deck"]] == list(mini.eras["preset_year"])
    assert "deck" not in app.query_params


def test_a_damaged_deck_link_falls_back_with_a_notice(mini):
    app = start(deck="not-a-deck")
    assert any("damaged or incomplete" in t for t in texts(app))
    assert len(app.session_state["_deck"]) == len(mini.eras)


def test_older_stops_links_still_open_as_a_deck():
    app = start(stops="1962,1983")
    assert [s.view.year for s in app.session_state["_deck"]] == [1962, 1983]
    app = start(stops="1962,\u00b2," + "9" * 5000 + ",abc,1990")
    assert [s.view.year for s in app.session_state["_deck"]] == [1962, 1990]


def test_the_membership_matrix_shows_the_year():
    app = start(year="2009", focus="ALBA")
    matrix = next(e for e in app.expander if e.label.startswith("Membership matrix, 1 July 2009"))
    assert not matrix.dataframe  # closed: not drawn
    matrix = next(e for e in rerun(app, matrix_open=True).expander
                  if e.label.startswith("Membership matrix, 1 July 2009"))
    table = matrix.dataframe[0].value
    table = getattr(table, "data", table)  # a Styler holds its frame
    assert set(table.loc[table["ALBA"] == "member", "iso3"]) == {"CUB", "VEN", "BOL", "HND"}
    assert table.set_index("iso3").at["CHL", "MERCOSUR"] == "associate"
    assert any(b.label == "⬇ Matrix (CSV)" for b in matrix.get("download_button"))


def test_what_changed_lists_joins_and_departures():
    app = start(compare="2005", year="2010", alliances=["ALBA"])
    changed = next(e for e in app.expander if e.label.startswith("What changed from 2005"))
    rows = set(map(tuple, changed.dataframe[0].value[["country", "change", "in"]].to_numpy()))
    assert ("Bolivia", "Joined (as member, associate or observer)", "ALBA") in rows
    assert ("Venezuela", "Joined (as member, associate or observer)", "ALBA") not in rows


def test_the_era_narratives_and_their_sources_are_shown():
    app = start(year="2009")
    text = markdown(app)
    assert ("<b>Alba years</b> <small>(2004–2015)</small><br>What marked the alba-years "
            "era.") in text  # the era band, with its summary
    era = text.split("<b>Alba years</b>")[1].split("<b>")[0]
    assert 'Sources: <a href="http://example.org/cuba?x=1"' in era  # ... and its own sources
    assert text.count("Sources: <a href=") >= 2  # the narratives of 2009 cite theirs


def test_play_starts_over_from_the_first_year_and_pauses():
    app = start()
    app.button(key="play").click().run()
    assert app.session_state["playing"] is True
    assert app.slider(key="year").value == 1959
    assert app.button(key="play").label == "Pause"
    app.button(key="play").click().run()
    assert app.session_state["playing"] is False


def test_a_reconnected_pages_first_message_wins_over_the_url():
    """A new session whose first run carries a widget value (a reconnect) keeps that value."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["year"] = "1990"
    app.session_state["year"] = 1975
    app.run()
    assert not app.exception
    assert app.slider(key="year").value == 1975
    assert app.query_params["year"] == "1975"


def test_selection_order_does_not_reach_the_link():
    app = start()
    every = app.multiselect(key="alliances").value
    rerun(app, alliances=list(reversed(every)), evidence=["alleged", "documented"])
    assert "alliances" not in app.query_params  # all of them, in any order: the default
    assert app.query_params["evidence"] == ["documented", "alleged"]


def test_a_broken_feature_is_left_out_with_a_banner_naming_the_file(monkeypatch, mini_dir):
    path = mini_dir / "countries.geojson"
    text = path.read_text("utf-8").replace('"type":"MultiPolygon"', '"type":"Point"', 1)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(mini_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert " data problem(s) in data/countries.geojson" in app.warning[0].value
    assert "geometry: must be a Polygon or MultiPolygon, not 'Point'" in app.code[0].value
    assert app.slider(key="year")  # the page is served


def test_unusable_geometry_refuses_with_the_reason(monkeypatch, mini_dir):
    (mini_dir / "countries.geojson").write_text('{"type": "FeatureCollection", "features": [')
    monkeypatch.setenv("ATLAS_DATA_DIR", str(mini_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert app.error[0].value == "Alliance Atlas cannot start: its data is broken."
    assert app.text[0].value.startswith(
        "no country could be read from data/countries.geojson: the map has nothing to draw.\n\n"
        "data/countries.geojson:0: file: cannot be read as GeoJSON: ")
    assert not app.slider


def test_play_takes_a_step_per_tick_before_the_slider_and_stops_at_the_last_year():
    app = start(year="2024")
    app.button(key="play").click().run()
    assert app.slider(key="year").value == 2024  # the first step comes a period later
    for year in (2025, 2026):
        app = rerun(app, _tick=True)
        assert app.slider(key="year").value == year
    assert app.session_state["playing"] is False and app.button(key="play").label == "Play years"


def test_while_presenting_the_arrow_buttons_step_the_year():
    app = start(present="1", year="1990")
    app.button(key="year_next").click().run()
    assert app.session_state["year"] == 1991
    app.button(key="year_back").click().run()
    app.button(key="year_back").click().run()
    assert app.session_state["year"] == 1989
