"""What changed between two years, on the tiny atlas."""

from __future__ import annotations

import pandas as pd

from geo import ACTIVITIES, EVIDENCE
from geo.view.changes import changes, main_change


def test_changes_between_two_years_list_memberships_and_cooperation(mini):
    found = changes(mini, 2011, 2013, ["ALBA", "MERCOSUR"], ACTIVITIES, EVIDENCE)
    assert found.to_dict("records") == [
        {"iso3": "PRY", "change": "suspended", "subject": "MERCOSUR",
         "detail": "member → suspended"},
        {"iso3": "VEN", "change": "joined", "subject": "MERCOSUR",
         "detail": "not in it → member"},
    ]


def test_order_of_years_does_not_matter_and_cooperation_ends_are_found(mini):
    one = changes(mini, 1985, 1995, ["ALBA"], ACTIVITIES, EVIDENCE)
    other = changes(mini, 1995, 1985, ["ALBA"], ACTIVITIES, EVIDENCE)
    pd.testing.assert_frame_equal(one, other)
    assert one.to_dict("records") == [
        {"iso3": "NIC", "change": "ended", "subject": "military_advisers",
         "detail": "Title of nic-advisers-1979"}]


def test_leaving_restoring_and_the_change_drawn_per_country(mini):
    found = changes(mini, 2009, 2021, ["ALBA", "CELAC"], ACTIVITIES, ["documented"])
    assert set(map(tuple, found[["iso3", "change", "subject"]].to_numpy())) >= {
        ("HND", "left", "ALBA"), ("VEN", "joined", "CELAC")}
    assert main_change(found)["HND"] == "joined"  # joined CELAC, left ALBA: first kind wins
    restored = changes(mini, 2014, 2024, ["MERCOSUR", "CELAC"], [], [])
    assert ("BRA", "restored", "CELAC") not in set(map(tuple, restored[
        ["iso3", "change", "subject"]].to_numpy()))  # member in both years
    back = changes(mini, 2021, 2024, ["CELAC"], [], [])
    assert ("BRA", "restored", "CELAC") in set(map(tuple, back[
        ["iso3", "change", "subject"]].to_numpy()))
