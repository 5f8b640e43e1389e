"""The view as URL query parameters: every field round-trips; garbage falls back with a notice."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from geo.view.state import View

ORGS = ("ALBA", "CELAC", "OAS")
YEARS = range(1959, 2027)
DEFAULT = View.default(2026, ORGS)


def parse(params: dict) -> tuple[View, list[str]]:
    return View.from_query_params(params, DEFAULT, YEARS, ORGS, ["VEN", "CUB", "DMA"])


CHANGED = {
    "year": 1983, "alliances": ("OAS",), "activities": ("peacekeeping", "medical_diplomacy"),
    "evidence": ("alleged",), "mode": "shared", "country": "DMA", "compare": 1975,
    "palette": "contrast", "present": True, "all_records": True, "basemap": True,
    "focus": "OAS", "links": False,
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
    empty = replace(DEFAULT, alliances=(), activities=(), evidence=())
    assert parse(empty.to_query_params(DEFAULT)) == (empty, [])


@pytest.mark.parametrize(("params", "notice"), [
    ({"year": "1800"}, "'year': expected a year from 1959 to 2026; using the default."),
    ({"year": "abc"}, "'year': expected a year from 1959 to 2026; using the default."),
    ({"compare": "-5"}, "'compare': expected a year from 1959 to 2026; using the default."),
    ({"mode": "x<script>"}, "'mode': unknown value 'x<script>'; using the default."),
    ({"palette": ""}, "'palette': unknown value ''; using the default."),
    ({"country": "ESP"}, "'country': unknown value 'ESP'; using the default."),
    ({"alliances": ["ALBA", "NATO"]}, "'alliances': unknown value 'NATO'; using the default."),
    ({"focus": "NATO"}, "'focus': unknown value 'NATO'; using the default."),
    ({"focus": ""}, "'focus': unknown value ''; using the default."),
    ({"focus": ["ALBA", "<b>x"]}, "'focus': unknown value '<b>x'; using the default."),
    ({"links": "maybe"}, "'links': expected 1 or 0; using the default."),
    ({"activities": ["spying"]}, "'activities': unknown value 'spying'; using the "
                                  "default."),
    ({"evidence": ["rumour"]}, "'evidence': unknown value 'rumour'; using the default."),
    ({"present": "yes"}, "'present': expected 1 or 0; using the default."),
    ({"utm_source": "mail"}, "Unknown parameter 'utm_source' ignored."),
    ({"year": "\u00b2"}, "'year': expected a year from 1959 to 2026; using the default."),
    ({"compare": "\u0661\u0669\u0668\u0663"},  # Arabic-Indic digits
     "'compare': expected a year from 1959 to 2026; using the default."),
    ({"year": "9" * 5000}, "'year': expected a year from 1959 to 2026; using the default."),
    ({"alliances": ["X", "Y", "Z", "W"]}, "'alliances': unknown values 'W', 'X', 'Y' and 1 more; "
                                          "using the default."),
    ({"a" * 500_000: "1"}, f"Unknown parameter {'a' * 37!r}... ignored."),
    ({"u1": "", "u2": "", "u3": "", "u4": ""}, "Unknown parameters 'u1', 'u2', 'u3' and 1 more "
                                               "ignored."),
])
def test_garbage_falls_back_to_the_default_with_a_notice(params, notice):
    assert parse(params) == (DEFAULT, [notice])


HOSTILE = ["[Session expired](https://evil.example)", "![x](https://evil.example/t.png)",
           "<img src=x onerror=alert(1)>", "\u00b2", "\u0661\u0669\u0668\u0663", "9" * 5000,
           "x" * 500_000, "1,\u00b2", "-1", " ", "\x00", "NaN", "1e3", "0x7c3", "\ud800"]


@pytest.mark.parametrize("name", sorted(CHANGED))
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_any_value_of_any_parameter_falls_back_with_a_short_notice(name, value):
    view, notices = parse({name: [value, value]})
    assert all(len(notice) < 200 for notice in notices)
    if notices:
        assert getattr(view, name) == getattr(DEFAULT, name)


def test_the_default_view_has_a_focal_organisation_and_no_alliance_layer():
    assert (DEFAULT.focus, DEFAULT.alliances, DEFAULT.links) == ("ALBA", (), True)
    assert View.default(2026, ()).focus == ""


def test_one_bad_value_does_not_spoil_the_good_ones():
    view, notices = parse({"year": "1990", "mode": "nope", "country": "VEN"})
    assert view == replace(DEFAULT, year=1990, country="VEN")
    assert notices == ["'mode': unknown value 'nope'; using the default."]
