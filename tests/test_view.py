"""The view as URL query parameters: every field round-trips; garbage falls back with a notice."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from geo.view.state import View

ORGS = ("ALBA", "CELAC", "OAS")
YEARS = range(1959, 2027)
DEFAULT = View.default(2026, ORGS, stops=(1967, 2009))


def parse(params: dict) -> tuple[View, list[str]]:
    return View.from_query_params(params, DEFAULT, YEARS, ORGS, ["VEN", "CUB", "DMA"])


CHANGED = {
    "year": 1983, "alliances": ("OAS",), "activities": ("peacekeeping", "medical_diplomacy"),
    "evidence": ("alleged",), "mode": "shared", "country": "DMA", "compare": 1975,
    "palette": "contrast", "present": True, "all_records": True, "basemap": True,
    "stops": (1962, 1983, 2026),
}


def test_every_field_is_covered():
    assert set(CHANGED) == {f.name for f in fields(View)}


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_each_field_round_trips_through_the_url(name):
    view = replace(DEFAULT, **{name: CHANGED[name]})
    params = view.to_query_params(DEFAULT)
    assert list(params) == [name]  # only what differs from the default
    assert parse(params) == (view, [])


def test_all_fields_at_once_and_empty_lists_round_trip():
    view = replace(DEFAULT, **CHANGED)
    assert parse(view.to_query_params(DEFAULT)) == (view, [])
    empty = replace(DEFAULT, alliances=(), activities=(), evidence=(), stops=())
    assert parse(empty.to_query_params(DEFAULT)) == (empty, [])


@pytest.mark.parametrize(("params", "notice"), [
    ({"year": "1800"}, "'year': expected a year from 1959 to 2026; using the default."),
    ({"year": "abc"}, "'year': expected a year from 1959 to 2026; using the default."),
    ({"compare": "-5"}, "'compare': expected a year from 1959 to 2026; using the default."),
    ({"mode": "x<script>"}, "'mode': unknown value 'x<script>'; using the default."),
    ({"palette": ""}, "'palette': unknown value ''; using the default."),
    ({"country": "ESP"}, "'country': unknown value 'ESP'; using the default."),
    ({"alliances": ["ALBA", "NATO"]}, "'alliances': unknown value(s) NATO; using the default."),
    ({"activities": ["spying"]}, "'activities': unknown value(s) spying; using the default."),
    ({"evidence": ["rumour"]}, "'evidence': unknown value(s) rumour; using the default."),
    ({"present": "yes"}, "'present': expected 1 or 0; using the default."),
    ({"stops": "1962,abc"}, "'stops': expected up to 12 comma-separated years; using the "
                            "default."),
    ({"stops": ",".join(["2000"] * 13)}, "'stops': expected up to 12 comma-separated years; "
                                         "using the default."),
    ({"utm_source": "mail"}, "Unknown parameter 'utm_source' ignored."),
])
def test_garbage_falls_back_to_the_default_with_a_notice(params, notice):
    assert parse(params) == (DEFAULT, [notice])


def test_one_bad_value_does_not_spoil_the_good_ones():
    view, notices = parse({"year": "1990", "mode": "nope", "country": "VEN"})
    assert view == replace(DEFAULT, year=1990, country="VEN")
    assert notices == ["'mode': unknown value 'nope'; using the default."]
