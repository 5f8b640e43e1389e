"""The sidebar: year and era presets, filters, colour mode, comparison, display."""

from __future__ import annotations

import streamlit as st

from geo import ACTIVITIES, EVIDENCE, Atlas
from geo.view.state import MODES, PALETTES
from ui.cache import era_presets


def org_label(org_id: str) -> str:
    return org_id.replace("_", " ")


def _era_presets(atlas: Atlas) -> None:
    """One button per era: jumps the year slider to the era's preset year."""
    eras = era_presets(atlas)

    def jump() -> None:
        if era := st.session_state.get("era"):
            st.session_state["year"] = eras[era][1]
            st.session_state["era"] = None

    st.pills("Jump to an era", list(eras), key="era", on_change=jump,
             format_func=lambda era: eras[era][0])


def controls(atlas: Atlas) -> None:
    """The sidebar: year with era presets, filters, colour mode, comparison, display."""
    orgs = sorted(atlas.organisations["org_id"])
    years = list(range(atlas.first_year, atlas.last_year + 1))
    with st.sidebar:
        st.slider("Year (memberships as of 1 July)", atlas.first_year, atlas.last_year,
                  key="year")
        _era_presets(atlas)
        st.radio("Colour countries by", list(MODES), key="mode", format_func=MODES.__getitem__)
        st.selectbox("Focal alliance", orgs, key="focus", format_func=org_label,
                     help="The colour mode 'Membership status in one alliance' colours each state "
                          "by its status in this organisation; the matrix highlights it.")
        st.multiselect("Alliance layers on the map", orgs, key="alliances",
                       format_func=org_label, placeholder="None: choose alliances to mark",
                       help="Each layer marks its members with a small square in the "
                            "alliance's colour beside the state (hollow: not a full member).")
        st.toggle("Cuba's links", key="links",
                  help="Lines from Havana to each partner with cooperation records.")
        st.multiselect("Cooperation activities", list(ACTIVITIES), key="activities",
                       format_func=ACTIVITIES.__getitem__, placeholder="No activity selected",
                       wrap=False)
        st.pills("Evidence grades", list(EVIDENCE), key="evidence", selection_mode="multi",
                 help="documented: official or archival; reported: reputable press or "
                      "research; alleged: claimed without independent corroboration")
        st.selectbox("Compare with year (what changed)", [None, *years], key="compare",
                     format_func=lambda y: "No comparison" if y is None else str(y))
        with st.expander("Display"):
            st.radio("Palette", list(PALETTES), key="palette", format_func=PALETTES.__getitem__,
                     horizontal=True)
            st.toggle("Online basemap (needs internet)", key="basemap")
