"""Below the map: the regional timeline beside the narratives of the era shown."""

from __future__ import annotations

from html import escape

import streamlit as st

from geo import Atlas
from geo.render.html import safe_link, years_text
from geo.view.scene import Scene
from ui.cache import region_chart


def timeline_and_narratives(atlas: Atlas, scene: Scene) -> None:
    """Records per year by activity over the era bands, beside the narratives of the era."""
    view = scene.view
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown("**Cuban cooperation over time** (records active each year, filtered)")
        region_chart(atlas, view.activities, view.evidence, view.year)
    with right:
        if era := atlas.era_of(view.year):
            row = atlas.eras.set_index("era_id").loc[era]
            _sourced(row["label"], years_text(row["start_year"], row["end_year"]),
                     row["summary"], row["sources"])
        narratives = atlas.narratives.sort_values("order")
        end = narratives["end_year"].fillna(atlas.last_year)
        current = narratives[(narratives["start_year"] <= view.year) & (end >= view.year)]
        for row in current.itertuples():
            _sourced(row.title, years_text(row.start_year, row.end_year), row.text, row.sources)
        with st.expander("All narratives", key="narratives_open", on_change="rerun") as box:
            for row in narratives.itertuples() if box.open else ():  # drawn only while open
                _sourced(row.title, years_text(row.start_year, row.end_year), row.text,
                         row.sources)


def _sourced(title: str, years: str, text: str, sources: list[dict]) -> None:
    """A titled text with the links to its sources (everything escaped)."""
    links = "; ".join(safe_link(s["url"], s["title"]) for s in sources)
    st.markdown(f"<b>{escape(title)}</b> <small>({escape(years)})</small><br>{escape(text)}"
                f"<br><small>Sources: {links}</small>", unsafe_allow_html=True)
