"""The membership matrix: states x organisations in the year shown, the table beside the map.

It answers "which states were in ALBA in 2009?" for every reader (a screen reader too): sortable,
the focal organisation first and highlighted, a click on a row selects the country, and it
downloads as CSV.
"""

from __future__ import annotations

import streamlit as st

from geo import Atlas
from geo.render.matrix import matrix_styler
from geo.view.scene import Scene
from ui.cache import matrix


def _select_row(key: str, iso3: list[str]) -> None:
    rows = st.session_state[key]["selection"]["rows"]
    if rows:
        st.session_state["country"] = iso3[rows[0]]


def membership_matrix_section(atlas: Atlas, scene: Scene) -> None:
    """The matrix in an expander, drawn only while it is open: sort by any column, click a row
    to select the country."""
    view = scene.view
    states = len(atlas.states)
    with st.expander(f"Membership matrix, 1 July {view.year}: {states} states × "
                     f"{len(atlas.organisations)} organisations ({view.focus} highlighted)",
                     key="matrix_open", on_change="rerun") as box:
        if not box.open:
            return
        table = matrix(atlas, view.year)
        st.caption("Each cell is the state's status in the organisation (blank: not a member). "
                   "Sort by a column's header; click a row to select the country.")
        key = f"matrix_{view.year}_{view.country}"  # a fresh selection for each country shown
        st.dataframe(matrix_styler(table, view.focus), key=key, hide_index=True,
                     on_select=lambda: _select_row(key, list(table["iso3"])),
                     selection_mode="single-row", width="stretch",
                     column_order=["country", view.focus,
                                   *(c for c in table.columns[2:] if c != view.focus)])
        st.download_button("⬇ Matrix (CSV)", lambda: table.to_csv(index=False).encode("utf-8"),
                           file_name=f"alliance-atlas-matrix-{view.year}.csv", mime="text/csv",
                           on_click="ignore", key="matrix_csv")

