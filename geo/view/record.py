"""A country's record as the panel shows it: plain text and escaped HTML, so the page draws it
without touching a data frame. What holds for every view (:func:`country_facts`) is built once
per country; what the year and the filters change (:func:`country_record`), once per view."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.data.atlas import CUBA, Atlas
from geo.render.html import agreements_html, records_html, status_summary

MAX_CARDS = 100  # record cards drawn at most (the rest are counted)


@dataclass(frozen=True)
class CountryFacts:
    """What the panel says about one country in every view."""

    iso3: str
    name: str
    caption: str
    episodes: int  # membership episodes, every year
    every: pd.DataFrame  # its cooperation records, every year, unfiltered (none for Cuba)
    personnel: int  # personnel figures
    agreements: int
    agreements_cards: str  # escaped HTML


@dataclass(frozen=True)
class CountryRecord:
    """What the panel says about one country in one view."""

    facts: CountryFacts
    status: str  # one line: its statuses in the year shown
    heading: str  # of the records listed
    cards: str  # the records listed (escaped HTML), at most MAX_CARDS
    listed: int  # records matching, before that cut


def country_facts(atlas: Atlas, iso3: str) -> CountryFacts:
    """The facts of ``iso3`` that no year or filter changes."""
    row = atlas.countries.set_index("iso3").loc[iso3]
    deals = atlas.agreements_of(iso3)
    return CountryFacts(
        iso3=iso3, name=row["name_en"],
        caption=f"{row['name_es']} · {iso3} · capital {row['capital']}",
        episodes=int((atlas.memberships["iso3"] == iso3).sum()),
        every=atlas.cooperation(country=iso3) if iso3 != CUBA else atlas.records.iloc[:0],
        personnel=len(atlas.personnel_of(iso3)), agreements=len(deals),
        agreements_cards=agreements_html(deals) if len(deals) else "")


def country_record(atlas: Atlas, facts: CountryFacts, year: int, records: pd.DataFrame,
                   all_records: bool = False) -> CountryRecord:
    """The record of ``facts``' country in ``year``; ``records`` are the view's records (every
    country's, filtered by year, activity and grade), or every record of the country's when
    ``all_records``."""
    iso3 = facts.iso3
    rows = facts.every if all_records else records
    found = _in_order(rows, None if all_records else iso3) if iso3 != CUBA else []
    heading = (f"All Cuban cooperation records ({len(found)})" if all_records
               else f"Cuban cooperation in {year}, filtered ({len(found)})")
    first = rows.iloc[found[:MAX_CARDS]]
    return CountryRecord(
        facts=facts, status=status_summary(atlas.status_map(year).get(iso3, {}), year),
        heading=heading, cards=records_html(first) if len(first) else "", listed=len(found))


def _in_order(records: pd.DataFrame, iso3: str | None) -> list[int]:
    """The positions of ``iso3``'s rows in ``records`` (every row: None), by start year then
    id: one take of the frame, not a filter and a sort."""
    countries, starts, ids = (records[c].tolist() for c in ("iso3", "start_year", "record_id"))
    return sorted((i for i, country in enumerate(countries) if iso3 in (None, country)),
                  key=lambda i: (starts[i], ids[i]))
