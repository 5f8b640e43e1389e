"""What changed between two years: memberships gained, lost or suspended, cooperation begun or
ended. Plain tables, so the map, the list and the exports read the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geo.data.atlas import Atlas

CHANGES: dict[str, str] = {
    "joined": "Joined (as member, associate or observer)",
    "left": "Left (no longer in the organisation)",
    "suspended": "Suspended, inactive or downgraded",
    "restored": "Back to full membership",
    "started": "Cooperation with Cuba began",
    "ended": "Cooperation with Cuba ended",
    "opposition_started": "Cuban support to armed opposition began",
    "opposition_ended": "Cuban support to armed opposition ended",
}
COLUMNS = ["iso3", "change", "subject", "detail"]


def membership_changes(atlas: Atlas, before: int, after: int,
                       org_ids: Iterable[str]) -> pd.DataFrame:
    """Per (country, organisation) whose status differs between 1 July of the two years."""
    orgs = list(org_ids)
    old, new = (atlas.statuses(y) for y in (before, after))
    old, new = (s[s["org_id"].isin(orgs)].set_index(["iso3", "org_id"])["status"]
                for s in (old, new))
    both = pd.concat({"old": old, "new": new}, axis=1).reset_index()
    both = both[both["old"].fillna("") != both["new"].fillna("")]
    rows = []
    for iso3, org, was, now in both[["iso3", "org_id", "old", "new"]].itertuples(index=False):
        was, now = (None if pd.isna(v) else v for v in (was, now))
        if now == "member":
            change = "restored" if was in ("suspended", "inactive") else "joined"
        elif now is None:
            change = "left"
        else:
            change = "suspended" if was == "member" or now in ("suspended", "inactive") \
                else "joined"
        rows.append({"iso3": iso3, "change": change, "subject": org,
                     "detail": f"{was or 'not in it'} → {now or 'not in it'}"})
    return pd.DataFrame(rows, columns=COLUMNS)


def cooperation_changes(atlas: Atlas, before: int, after: int, activities: Iterable[str],
                        evidence: Iterable[str]) -> pd.DataFrame:
    """Records active in one of the two years only: begun (after) or ended (before)."""
    old = atlas.cooperation(year=before, activities=activities, evidence=evidence)
    new = atlas.cooperation(year=after, activities=activities, evidence=evidence)
    started = new[~new["record_id"].isin(old["record_id"])].assign(change="started")
    ended = old[~old["record_id"].isin(new["record_id"])].assign(change="ended")
    found = pd.concat([started, ended])
    opposed = found["counterpart"] == "armed_opposition"
    found.loc[opposed, "change"] = "opposition_" + found.loc[opposed, "change"]
    return pd.DataFrame({"iso3": found["iso3"], "change": found["change"],
                         "subject": found["activity"], "detail": found["title"]},
                        columns=COLUMNS).reset_index(drop=True)


def changes(atlas: Atlas, before: int, after: int, org_ids: Iterable[str],
            activities: Iterable[str], evidence: Iterable[str]) -> pd.DataFrame:
    """Every change from ``before`` to ``after`` (either order), sorted by country and kind."""
    first, last = sorted((before, after))
    found = pd.concat([membership_changes(atlas, first, last, org_ids),
                       cooperation_changes(atlas, first, last, activities, evidence)])
    order = {c: i for i, c in enumerate(CHANGES)}
    found = found.assign(order=found["change"].map(order))
    return found.sort_values(["iso3", "order", "subject"]).drop(columns="order").reset_index(
        drop=True)


def main_change(found: pd.DataFrame) -> dict[str, str]:
    """Per country, the change drawn on the map (the first in ``CHANGES`` order)."""
    order = {c: i for i, c in enumerate(CHANGES)}
    ranked = found.assign(order=found["change"].map(order)).sort_values("order")
    return ranked.drop_duplicates("iso3").set_index("iso3")["change"].to_dict()
