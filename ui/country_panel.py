"""The country panel: the selected country's memberships over time and its records."""

from __future__ import annotations

import streamlit as st

from geo import Atlas
from geo.render.html import (
    agreements_html,
    membership_table,
    personnel_table,
    records_html,
    status_summary,
)
from geo.view.scene import Scene
from ui.cache import chart

MAX_CARDS = 100


def country_panel(atlas: Atlas, scene: Scene) -> None:
    """The selected country's record: memberships over time, then its cooperation records."""
    iso3 = scene.view.country
    if not iso3:
        st.info("Click a country on the map, or search for one in the sidebar, to read its "
                "record.")
        return
    row = atlas.countries.set_index("iso3").loc[iso3]
    st.subheader(row["name_en"])
    st.caption(f"{row['name_es']} · {iso3} · capital {row['capital']}")
    st.button("Clear selection", key="clear", on_click=st.session_state.update,
              kwargs={"country": None})
    statuses = atlas.statuses(scene.view.year)
    st.markdown(status_summary(statuses[statuses["iso3"] == iso3], scene.view.year))
    history = atlas.history(iso3)
    st.markdown(f"**Memberships over time** ({len(history)} episodes)")
    if history.empty:
        st.write("No membership episode recorded.")
    else:
        chart(atlas, "membership", iso3, year=scene.view.year)
        with st.expander("Membership episodes with dates and sources", key="episodes_open",
                         on_change="rerun") as box:
            if box.open:  # drawn only while open
                st.dataframe(membership_table(history, atlas.organisations), hide_index=True,
                             column_config={"source": st.column_config.LinkColumn("source"),
                                            "all sources": st.column_config.ListColumn()})
    _records_section(atlas, scene, iso3)


def _records_section(atlas: Atlas, scene: Scene, iso3: str) -> None:
    if iso3 == "CUB":
        st.write("Cuba is the subject of the atlas: its partners' panels list the cooperation.")
        return
    view = scene.view
    every = atlas.cooperation(country=iso3)
    if len(every):
        st.markdown(f"**Cuban cooperation over time** ({len(every)} records, all years)")
        chart(atlas, "records", iso3)
    st.toggle("Show all records (every year, activity and grade)", key="all_records")
    if view.all_records:
        records = every
        heading = f"All Cuban cooperation records ({len(records)})"
    else:
        records = scene.records[scene.records["iso3"] == iso3]
        heading = f"Cuban cooperation in {view.year}, filtered ({len(records)})"
    st.markdown(f"**{heading}**")
    if records.empty:
        total = len(every)
        st.info(f"No record matches the filters in {view.year}; {total} record(s) in all "
                "for this country." if total else "No sourced cooperation record for this "
                "country.")
    else:
        first = records.sort_values(["start_year", "record_id"]).head(MAX_CARDS)
        st.markdown(records_html(first), unsafe_allow_html=True)
        if len(records) > MAX_CARDS:
            st.caption(f"The first {MAX_CARDS} of {len(records):,} records are shown.")
    _figures(atlas, iso3)


def _figures(atlas: Atlas, iso3: str) -> None:
    """Counts of Cuban personnel over time and the agreements with Cuba, when there are any."""
    counts = atlas.personnel_of(iso3)
    if len(counts):
        st.markdown(f"**Cuban personnel over time** ({len(counts)} figures; a bar spans a "
                    "range; hover a point for what was counted)")
        chart(atlas, "personnel", iso3)
        with st.expander("Every figure: what was counted, whose figure, its source",
                         key="figures_open", on_change="rerun") as box:
            if box.open:  # drawn only while open
                st.dataframe(personnel_table(counts), hide_index=True,
                             column_config={"source": st.column_config.LinkColumn("source")})
    deals = atlas.agreements_of(iso3)
    if len(deals):
        st.markdown(f"**Agreements with Cuba** ({len(deals)})")
        st.markdown(agreements_html(deals), unsafe_allow_html=True)
