"""Below the map: the regional timeline beside the narratives of the era shown."""

from __future__ import annotations

import streamlit as st

from geo import Atlas
from geo.view.scene import Scene
from ui.cache import era_texts, region_chart


def timeline_and_narratives(atlas: Atlas, scene: Scene) -> None:
    """Records per year by activity over the era bands, beside the narratives of the era."""
    view = scene.view
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown("**Cuban cooperation over time** (records active each year, filtered)")
        region_chart(atlas, view.activities, view.evidence, view.year)
    with right:
        for text in era_texts(atlas, view.year):  # escaped HTML
            st.markdown(text, unsafe_allow_html=True)
        with st.expander("All narratives", key="narratives_open", on_change="rerun") as box:
            for text in era_texts(atlas, None) if box.open else ():  # drawn only while open
                st.markdown(text, unsafe_allow_html=True)
