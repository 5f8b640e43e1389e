"""The repository's data: contracts a published dataset must keep, and known history, exactly."""

from __future__ import annotations

import geopandas as gpd
import pytest

from tests.conftest import GEOMETRY

ORGANISATIONS = {"ALBA", "CELAC", "CARICOM", "MERCOSUR", "OAS", "TIAR", "UNASUR", "PROSUR",
                 "PETROCARIBE", "SICA", "PACIFIC_ALLIANCE", "OECS"}


def test_repository_data_has_no_problems(atlas):
    assert [str(p) for p in atlas.problems] == []


def test_every_required_organisation_is_present(atlas):
    assert set(atlas.organisations["org_id"]) >= ORGANISATIONS


def test_the_33_celac_states_and_the_territories_are_drawn(atlas):
    countries = atlas.countries
    assert (countries["kind"] == "state").sum() == 33  # CELAC has 33 member states
    assert set(countries.loc[countries["kind"] == "state", "iso3"]) == set(
        countries.loc[countries["celac"], "iso3"])
    small_islands = {"ATG", "DMA", "GRD", "KNA", "LCA", "VCT", "BRB"}
    assert small_islands <= set(countries["iso3"])
    assert {"PRI", "GUF", "GLP", "MTQ", "CUW", "ABW", "FLK", "MSR"} <= set(
        countries.loc[countries["kind"] == "territory", "iso3"])
    assert countries.geometry.is_valid.all() and not countries.geometry.is_empty.any()


def test_capital_points_lie_on_or_near_their_country(atlas):
    countries = atlas.countries
    capitals = gpd.GeoSeries(gpd.points_from_xy(countries["capital_lon"], countries["capital_lat"]),
                             crs="EPSG:4326").to_crs("EPSG:3857")
    distance_km = capitals.distance(countries.geometry.to_crs("EPSG:3857")) / 1000
    assert (distance_km <= 25).all(), distance_km[distance_km > 25]


def test_every_row_is_sourced(atlas):
    for frame in (atlas.organisations, atlas.memberships, atlas.records):
        assert frame["sources"].map(len).min() >= 1
        assert all(s["url"].startswith(("http://", "https://")) and s["title"]
                   for sources in frame["sources"] for s in sources)


def test_cooperation_covers_the_eras_and_partners_the_issue_asks_for(atlas):
    records = atlas.records
    assert len(records) >= 60
    assert records["iso3"].nunique() >= 20
    assert set(records["evidence"]) == {"documented", "reported", "alleged"}
    eras = {"export of revolution": (1959, 1978), "Central America": (1979, 1990),
            "Special Period": (1991, 1999), "Venezuela and ALBA": (2000, 2018),
            "2025-2026": (2025, 2026)}
    for era, (first, last) in eras.items():
        active = [atlas.cooperation(year=y) for y in range(first, last + 1)]
        assert sum(len(a) for a in active) > 0, era


@pytest.mark.parametrize(("org_id", "year", "expected"), [
    ("ALBA", 2009, {"ATG", "BOL", "CUB", "DMA", "ECU", "HND", "NIC", "VCT", "VEN"}),
    ("ALBA", 2019, {"ATG", "BOL", "CUB", "DMA", "GRD", "KNA", "LCA", "NIC", "VCT", "VEN"}),
    # Bolivia left in November 2019 and returned in November 2020; suspended in October 2025
    ("ALBA", 2020, {"ATG", "CUB", "DMA", "GRD", "KNA", "LCA", "NIC", "VCT", "VEN"}),
    ("ALBA", 2021, {"ATG", "BOL", "CUB", "DMA", "GRD", "KNA", "LCA", "NIC", "VCT", "VEN"}),
    ("ALBA", 2026, {"ATG", "CUB", "DMA", "GRD", "KNA", "LCA", "NIC", "VCT", "VEN"}),
    # Paraguay suspended June 2012 to August 2013; Venezuela suspended since December 2016
    ("MERCOSUR", 2013, {"ARG", "BRA", "URY", "VEN"}),
    ("MERCOSUR", 2017, {"ARG", "BRA", "PRY", "URY"}),
    ("MERCOSUR", 2025, {"ARG", "BOL", "BRA", "PRY", "URY"}),
    ("UNASUR", 2021, {"BOL", "GUY", "SUR", "VEN"}),
    ("PACIFIC_ALLIANCE", 2026, {"CHL", "COL", "MEX", "PER"}),
    ("OECS", 2026, {"ATG", "DMA", "GRD", "KNA", "LCA", "MSR", "VCT"}),
])
def test_members_on_1_july(atlas, org_id, year, expected):
    assert atlas.members(org_id, year) == expected


@pytest.mark.parametrize(("iso3", "org_id", "year", "expected"), [
    ("CUB", "OAS", 1961, "member"),
    ("CUB", "OAS", 1962, "suspended"),     # excluded in January 1962
    ("CUB", "OAS", 2010, "inactive"),      # exclusion lifted in June 2009; Cuba did not return
    ("HND", "OAS", 2010, "suspended"),
    ("HND", "OAS", 2012, "member"),
    ("VEN", "OAS", 2020, None),
    ("NIC", "OAS", 2024, None),
    ("BRA", "CELAC", 2021, "suspended"),
    ("BRA", "CELAC", 2023, "member"),
    ("BOL", "MERCOSUR", 2020, "associate"),
    ("MEX", "TIAR", 2005, None),
    ("CHL", "PROSUR", 2023, "suspended"),
])
def test_status_on_1_july(atlas, iso3, org_id, year, expected):
    assert atlas.status(iso3, org_id, year) == expected


def test_celac_has_33_members_and_brazil_returns(atlas):
    assert len(atlas.members("CELAC", 2012)) == 33
    assert atlas.members("CELAC", 2021) == atlas.members("CELAC", 2012) - {"BRA"}
    assert atlas.members("CELAC", 2026) == atlas.members("CELAC", 2012)


@pytest.mark.parametrize("year", [1959, 1983, 2008, 2026])
def test_the_join_loses_and_doubles_nothing(atlas, year):
    frame = atlas.country_frame(year)
    assert len(frame) == len(atlas.countries) == len(GEOMETRY)
    assert frame["iso3"].is_unique
    assert frame["n_records"].sum() == len(atlas.cooperation(year=year)[
        lambda r: r["iso3"].isin(frame["iso3"])])


@pytest.mark.parametrize(("a", "b"), [("HTI", "DOM"), ("VEN", "COL"), ("ARG", "CHL"),
                                      ("GUF", "SUR"), ("MEX", "USA"), ("SXM", "MAF")])
def test_simplified_neighbours_still_share_their_border(atlas, a, b):
    shapes = atlas.countries.set_index("iso3").geometry.to_crs("EPSG:3857")
    shared_km = shapes[a].boundary.intersection(shapes[b].boundary).length / 1000
    overlap_km2 = shapes[a].intersection(shapes[b]).area / 1e6
    assert shared_km > 5
    assert overlap_km2 < 0.01


def test_open_records_are_attested_by_a_recent_source(atlas):
    """A record stays open only when a source of its last two years shows it running."""
    published = dict(zip(atlas.sources["source_id"], atlas.sources["published"], strict=True))
    open_records = atlas.records[atlas.records["end"].isna()]
    assert len(open_records)
    for row in open_records.itertuples():
        assert row.last_attested in row.source_ids, row.record_id
        when = published[row.last_attested]
        if isinstance(when, str) and when:
            assert int(when[:4]) >= atlas.reviewed.year - 2, row.record_id


def test_personnel_and_agreements_rest_on_known_records_and_sources(atlas):
    assert set(atlas.personnel["record_id"]) <= set(atlas.records["record_id"])
    assert (atlas.personnel["low"] <= atlas.personnel["high"]).all()
    assert all(len(s) for s in atlas.personnel["sources"])
    assert all(len(s) for s in atlas.agreements["sources"])
