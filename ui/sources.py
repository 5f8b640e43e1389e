"""The sources behind everything on screen."""

from __future__ import annotations

import streamlit as st

from geo import Atlas
from geo.io import exports
from geo.view.scene import Scene


def sources_for_view(atlas: Atlas, scene: Scene) -> None:
    """Every source cited by what is on screen, as a table and as copyable text."""
    cited = scene.sources
    with st.expander(f"Sources for this view ({len(cited)})", key="sources_open",
                     on_change="rerun") as box:
        if not box.open:  # drawn only while open
            return
        st.dataframe(cited.drop(columns="source_id"), hide_index=True,
                     column_config={"url": st.column_config.LinkColumn("url")})
        st.code(exports.sources_text(atlas, scene), language=None, wrap_lines=True)

