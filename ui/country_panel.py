"""The country panel: the selected country's memberships over time and its records."""

from __future__ import annotations

import streamlit as st

from geo import Atlas
from geo.render.html import membership_table, personnel_table
from geo.view.record import MAX_CARDS, CountryRecord
from geo.view.scene import Scene
from geo.view.state import View
from ui import cache


def country_panel(atlas: Atlas, scene: Scene) -> None:
    """The selected country's record: memberships over time, then its cooperation records,
    personnel and agreements (the text cached per country, year and filters)."""
    view = scene.view
    if not view.country:
        st.info("Click a country on the map, or type its name in the box above, to read its "
                "record.")
        return
    record = cache.country_record(atlas, view)
    st.subheader(record.facts.name)
    st.caption(record.facts.caption)
    st.button("Clear selection", key="clear", on_click=st.session_state.update,
              kwargs={"country": None})
    st.markdown(record.status)
    st.markdown(f"**Memberships over time** ({record.facts.episodes} episodes)")
    if not record.facts.episodes:
        st.write("No membership episode recorded.")
    else:
        cache.chart(atlas, "membership", view.country, year=view.year)
        with st.expander("Membership episodes with dates and sources", key="episodes_open",
                         on_change="rerun") as box:
            if box.open:  # drawn only while open
                st.dataframe(membership_table(atlas.history(view.country), atlas.organisations),
                             hide_index=True,
                             column_config={"source": st.column_config.LinkColumn("source"),
                                            "all sources": st.column_config.ListColumn()})
    if view.country == "CUB":
        st.write("Cuba is the subject of the atlas: its partners' panels list the cooperation.")
        return
    _records_section(atlas, view, record)
    _figures(atlas, view.country, record)


def _records_section(atlas: Atlas, view: View, record: CountryRecord) -> None:
    total = len(record.facts.every)
    if total:
        st.markdown(f"**Cuban cooperation over time** ({total} records, all years)")
        cache.chart(atlas, "records", view.country)
    st.toggle("Show all records (every year, activity and grade)", key="all_records")
    st.markdown(f"**{record.heading}**")
    if not record.listed:
        st.info(f"No record matches the filters in {view.year}; {total} record(s) in all for "
                "this country." if total else "No sourced cooperation record for this country.")
        return
    st.markdown(record.cards, unsafe_allow_html=True)
    if record.listed > MAX_CARDS:
        st.caption(f"The first {MAX_CARDS} of {record.listed:,} records are shown.")


def _figures(atlas: Atlas, iso3: str, record: CountryRecord) -> None:
    """Counts of Cuban personnel over time and the agreements with Cuba, when there are any."""
    if record.facts.personnel:
        st.markdown(f"**Cuban personnel over time** ({record.facts.personnel} figures; a bar "
                    "spans a range; hover a point for what was counted)")
        cache.chart(atlas, "personnel", iso3)
        with st.expander("Every figure: what was counted, whose figure, its source",
                         key="figures_open", on_change="rerun") as box:
            if box.open:  # drawn only while open
                st.dataframe(personnel_table(atlas.personnel_of(iso3)), hide_index=True,
                             column_config={"source": st.column_config.LinkColumn("source")})
    if record.facts.agreements:
        st.markdown(f"**Agreements with Cuba** ({record.facts.agreements})")
        st.markdown(record.facts.agreements_cards, unsafe_allow_html=True)
