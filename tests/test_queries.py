"""Temporal queries on the tiny atlas: exact answers, including exits, suspensions and returns."""

from __future__ import annotations

import pytest

from tests.conftest import CELAC, GEOMETRY


def test_tiny_atlas_has_no_problems(mini):
    assert mini.problems == ()


@pytest.mark.parametrize(("org_id", "year", "expected"), [
    ("ALBA", 2004, set()),                        # founded 14 December 2004: not yet on 1 July
    ("ALBA", 2005, {"CUB", "VEN"}),
    ("ALBA", 2009, {"BOL", "CUB", "HND", "VEN"}),  # Honduras in
    ("ALBA", 2010, {"BOL", "CUB", "VEN"}),         # Honduras left in January 2010
    ("ALBA", 2019, {"BOL", "CUB", "VEN"}),         # Bolivia left in November 2019 ...
    ("ALBA", 2020, {"CUB", "VEN"}),
    ("ALBA", 2021, {"BOL", "CUB", "VEN"}),         # ... and returned in November 2020
    ("MERCOSUR", 2012, {"PRY"} - {"PRY"}),         # Paraguay suspended 29 June 2012
    ("MERCOSUR", 2013, {"VEN"}),
    ("MERCOSUR", 2014, {"PRY", "VEN"}),
    ("MERCOSUR", 2017, {"PRY"}),                   # Venezuela suspended; Chile only associate
    ("MERCOSUR", 1990, set()),
])
def test_members(mini, org_id, year, expected):
    assert mini.members(org_id, year) == expected


@pytest.mark.parametrize(("iso3", "org_id", "year", "expected"), [
    ("PRY", "MERCOSUR", 2012, "suspended"),
    ("PRY", "MERCOSUR", 2013, "suspended"),   # reinstated 15 August 2013, after 1 July
    ("PRY", "MERCOSUR", 2014, "member"),
    ("VEN", "MERCOSUR", 2026, "suspended"),
    ("CHL", "MERCOSUR", 1995, None),
    ("CHL", "MERCOSUR", 1996, "associate"),   # a year-only start counts from 1 January
    ("BRA", "CELAC", 2020, "suspended"),
    ("BRA", "CELAC", 2023, "member"),
    ("HND", "ALBA", 2010, None),
    ("MEX", "ALBA", 2015, None),
])
def test_status(mini, iso3, org_id, year, expected):
    assert mini.status(iso3, org_id, year) == expected


def test_celac_flag_matches_membership(mini):
    assert len(mini.members("CELAC", 2026)) == len(CELAC)
    assert mini.members("CELAC", 2021) == mini.members("CELAC", 2026) - {"BRA"}


@pytest.mark.parametrize("year", [1800, 2027])
def test_years_outside_the_data_are_refused(mini, year):
    with pytest.raises(ValueError, match=f"year {year} is outside 1959-2026"):
        mini.members("ALBA", year)


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["bol-guerrilla-1966", "ven-doctors-2003", "ven-intelligence-2008", "nic-advisers-1979",
          "grd-peacekeeping-2020"]),
    ({"year": 1967}, ["bol-guerrilla-1966"]),
    ({"year": 1968}, []),
    ({"year": 2026}, ["ven-doctors-2003", "ven-intelligence-2008"]),   # ongoing runs to review
    ({"year": 2019, "country": "VEN", "activities": ["intelligence_cooperation"]},
     ["ven-intelligence-2008"]),
    ({"country": "VEN", "evidence": ["documented"]}, ["ven-doctors-2003"]),
    ({"activities": []}, []),
    ({"year": 1985, "evidence": ["documented", "alleged"]}, ["nic-advisers-1979"]),
])
def test_cooperation_filters(mini, filters, expected):
    assert list(mini.cooperation(**filters)["record_id"]) == expected


def test_cooperation_rows_carry_sources(mini):
    row = mini.cooperation(country="BOL").iloc[0]
    assert row["sources"] == [{"source_id": "example-cuba", "title": "Cuba abroad",
                               "url": "http://example.org/cuba?x=1", "publisher": "Example"}]
    assert row["start_year"] == 1966 and row["end_year"] == 1967
    assert row["evidence"] == "documented"


def test_history_lists_every_episode_in_order(mini):
    history = mini.history("BOL")
    ends = history["end"].fillna("")
    assert list(zip(history["org_id"], history["status"], history["start"], ends,
                    strict=True)) == [
        ("ALBA", "member", "2006-04-29", "2019-11-15"),
        ("ALBA", "member", "2020-11", ""),
        ("CELAC", "member", "2011-12-03", ""),
    ]


def test_shared_with_cuba(mini):
    shared = mini.shared_with_cuba(2019)
    assert shared["VEN"] == 2 and shared["BOL"] == 2 and shared["MEX"] == 1
    assert "CUB" not in shared.index
    assert mini.shared_with_cuba(2019, ["ALBA"]).to_dict() == {"BOL": 1, "VEN": 1}


def test_country_frame_joins_without_loss_or_duplicates(mini):
    frame = mini.country_frame(2019)
    assert len(frame) == len(mini.countries) == len(GEOMETRY)
    assert frame["iso3"].is_unique
    assert set(frame["iso3"]) == set(mini.countries["iso3"])
    by_iso3 = frame.set_index("iso3")
    assert by_iso3.loc["VEN", "memberships"] == ["ALBA", "CELAC"]
    assert by_iso3.loc["VEN", "statuses"] == {"ALBA": "member", "CELAC": "member",
                                              "MERCOSUR": "suspended"}
    assert by_iso3.loc["VEN", "n_records"] == 2
    assert by_iso3.loc["CHL", "statuses"] == {"CELAC": "member", "MERCOSUR": "associate"}
    assert by_iso3.loc["PRI", "memberships"] == [] and by_iso3.loc["PRI", "n_records"] == 0
    assert frame.crs == "EPSG:4326"


def test_statuses_carry_their_sources_and_cited_sources_lists_each_once(mini):
    from geo import cited_sources

    statuses = mini.statuses(2013)
    paraguay = statuses[(statuses["iso3"] == "PRY")].iloc[0]
    assert (paraguay["status"], [s["source_id"] for s in paraguay["sources"]]) == (
        "suspended", ["example-mercosur"])
    cited = cited_sources(statuses, mini.cooperation(year=2013))
    assert list(cited["source_id"]) == ["example-alba", "example-celac", "example-cuba",
                                        "example-mercosur"]
    assert list(cited.columns) == ["source_id", "title", "publisher", "url"]
    assert cited_sources(mini.cooperation(year=1900)).empty
