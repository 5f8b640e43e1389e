"""The country panel's text: facts built once per country, the rest once per view."""

from __future__ import annotations

from geo.view.record import country_facts, country_record


def test_the_record_lists_the_view_s_records_or_every_record(mini):
    records = mini.cooperation(year=2008)
    facts = country_facts(mini, "VEN")
    assert facts.name == "Venezuela" and facts.caption.startswith("Venezuela · VEN · capital ")
    assert len(facts.every) == len(mini.cooperation(country="VEN"))
    assert facts.episodes == (mini.memberships["iso3"] == "VEN").sum()
    shown = country_record(mini, facts, 2008, records)
    assert shown.listed == 2 and shown.heading == "Cuban cooperation in 2008, filtered (2)"
    assert shown.status.startswith("In 2008: ") and shown.cards.count('class="atlas-record"') == 2
    every = country_record(mini, facts, 2008, records, all_records=True)
    assert every.listed == len(facts.every) >= shown.listed
    assert every.heading == f"All Cuban cooperation records ({len(facts.every)})"


def test_cuba_lists_no_records_of_its_own(mini):
    cuba = country_record(mini, country_facts(mini, "CUB"), 2008, mini.cooperation(year=2008))
    assert (cuba.listed, len(cuba.facts.every), cuba.cards) == (0, 0, "")
