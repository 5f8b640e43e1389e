"""Bring your own records: an upload overlaid on this session's map, clearly marked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import Atlas
from geo.io.upload import MAX_BYTES, TEMPLATE_COLUMNS, overlay, parse_upload, template_csv
from ui import plain

UPLOAD_KEY = "upload"
MAX_PROBLEMS = 200


def session_atlas(atlas: Atlas) -> Atlas:
    """The atlas this session maps: the curated one, plus its own valid uploaded rows."""
    with st.sidebar.expander("Your cooperation records (CSV or XLSX)"):
        st.caption(f"Overlaid for this session only and marked 'user-supplied'. Up to "
                   f"{MAX_BYTES // 1_000_000} MB; one record per row.")
        st.download_button("Download the template", template_csv,
                           file_name="alliance-atlas-template.csv", mime="text/csv",
                           on_click="ignore", key="template")
        with st.popover("What each column means", key="columns_open", on_change="rerun") as box:
            if box.open:  # drawn only while open
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
        plain.notices(result.notices)
        if result.problems:
            shown = result.problems[:MAX_PROBLEMS]
            st.dataframe(pd.DataFrame({"row": [p.row for p in shown],
                                       "field": [plain.shorten(p.field, 40) for p in shown],
                                       "problem": [plain.shorten(p.message) for p in shown]}),
                         hide_index=True)
            if len(result.problems) > MAX_PROBLEMS:
                st.text(f"The first {MAX_PROBLEMS} of {len(result.problems):,} problems are "
                        "listed: fix these and upload the file again.")
        return mine
