"""Bring your own records: an upload overlaid on this session's map, clearly marked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import Atlas
from geo.io.upload import MAX_BYTES, TEMPLATE_COLUMNS, overlay, parse_upload, template_csv

UPLOAD_KEY = "upload"


def session_atlas(atlas: Atlas) -> Atlas:
    """The atlas this session maps: the curated one, plus its own valid uploaded rows."""
    with st.sidebar.expander("Your cooperation records (CSV or XLSX)"):
        st.caption(f"Overlaid for this session only and marked 'user-supplied'. Up to "
                   f"{MAX_BYTES // 1_000_000} MB; one record per row.")
        st.download_button("Download the template", template_csv,
                           file_name="alliance-atlas-template.csv", mime="text/csv",
                           on_click="ignore", key="template")
        with st.popover("What each column means"):
            st.dataframe(pd.DataFrame({"column": list(TEMPLATE_COLUMNS),
                                       "meaning": list(TEMPLATE_COLUMNS.values())}),
                         hide_index=True)
        uploaded = st.file_uploader("Your cooperation records (CSV or XLSX)",
                                    type=["csv", "xlsx", "txt"], key=UPLOAD_KEY,
                                    label_visibility="collapsed")
        if uploaded is None:
            st.session_state.pop("_upload", None)
            return atlas
        cached = st.session_state.get("_upload")
        if cached is None or cached[0] != uploaded.file_id:
            result = parse_upload(uploaded.name, uploaded.getvalue(), atlas)
            mine = overlay(atlas, result.records) if result.accepted else atlas
            cached = (uploaded.file_id, result, mine)
            st.session_state["_upload"] = cached
        _, result, mine = cached
        report = st.success if result.accepted and not result.rejected else st.warning
        report(f"{result.accepted} row(s) accepted, {result.rejected} rejected.")
        for notice in result.notices:
            st.caption(notice)
        if result.problems:
            st.dataframe(pd.DataFrame({"row": [p.row for p in result.problems],
                                       "field": [p.field for p in result.problems],
                                       "problem": [p.message for p in result.problems]}),
                         hide_index=True)
        return mine
