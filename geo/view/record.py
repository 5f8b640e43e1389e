"""A country's record as the panel shows it: plain text and escaped HTML, built once per
country, year and filters, so the page draws it without touching a data frame."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.data.atlas import CUBA, Atlas
from geo.render.html import agreements_html, records_html, status_summary

MAX_CARDS = 100  # record cards drawn at most (the rest are counted)


@dataclass(frozen=True)
class CountryRecord:
    """What the panel says about one country in one view."""

    name: str
    caption: str
    status: str  # one line: its statuses in the year shown
    episodes: int  # membership episodes, every year
    records_total: int  # cooperation records, every year, unfiltered
    heading: str  # of the records listed
    cards: str  # the records listed (escaped HTML), at most MAX_CARDS
    listed: int  # records matching, before that cut
    personnel: int  # personnel figures
    agreements: int
    agreements_cards: str  # escaped HTML


def country_record(atlas: Atlas, iso3: str, year: int, records: pd.DataFrame,
                   all_records: bool = False) -> CountryRecord:
    """The record of ``iso3`` in ``year``; ``records`` are the view's records (every country's,
    filtered by year, activity and grade), or every record of the country's when
    ``all_records``."""
    row = atlas.countries.set_index("iso3").loc[iso3]
    statuses = atlas.statuses(year)
    every = atlas.cooperation(country=iso3) if iso3 != CUBA else records.iloc[:0]
    if all_records:
        listed, heading = every, f"All Cuban cooperation records ({len(every)})"
    else:
        listed = records[records["iso3"] == iso3] if iso3 != CUBA else records.iloc[:0]
        heading = f"Cuban cooperation in {year}, filtered ({len(listed)})"
    first = listed.sort_values(["start_year", "record_id"]).head(MAX_CARDS)
    deals = atlas.agreements_of(iso3)
    return CountryRecord(
        name=row["name_en"], caption=f"{row['name_es']} · {iso3} · capital {row['capital']}",
        status=status_summary(statuses[statuses["iso3"] == iso3], year),
        episodes=int((atlas.memberships["iso3"] == iso3).sum()), records_total=len(every),
        heading=heading, cards=records_html(first) if len(first) else "", listed=len(listed),
        personnel=len(atlas.personnel_of(iso3)), agreements=len(deals),
        agreements_cards=agreements_html(deals) if len(deals) else "")
