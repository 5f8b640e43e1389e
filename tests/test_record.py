"""The country panel's text, built once per country, year and filters."""

from __future__ import annotations

from geo.view.record import country_record


def test_the_record_lists_the_view_s_records_or_every_record(mini):
    records = mini.cooperation(year=2008)
    shown = country_record(mini, "VEN", 2008, records)
    assert (shown.name, shown.listed) == ("Venezuela", 2)
    assert shown.heading == "Cuban cooperation in 2008, filtered (2)"
    assert shown.status.startswith("In 2008: ") and shown.cards.count('class="atlas-record"') == 2
    assert shown.records_total == len(mini.cooperation(country="VEN")) >= shown.listed
    every = country_record(mini, "VEN", 2008, records, all_records=True)
    assert every.listed == every.records_total
    assert every.heading == f"All Cuban cooperation records ({every.records_total})"
    assert shown.episodes == (mini.memberships["iso3"] == "VEN").sum()


def test_cuba_lists_no_records_of_its_own(mini):
    cuba = country_record(mini, "CUB", 2008, mini.cooperation(year=2008))
    assert (cuba.listed, cuba.records_total, cuba.cards) == (0, 0, "")
