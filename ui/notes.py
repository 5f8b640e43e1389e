"""Notes under the map: what changed since the comparison year, and why the map is empty."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import ACTIVITIES, Atlas
from geo.view.changes import CHANGES
from geo.view.scene import Scene


def what_changed(atlas: Atlas, scene: Scene) -> None:
    """The list of changes drawn on the map."""
    view, found = scene.view, scene.changes
    if found is None:
        return
    first, last = sorted((view.compare, view.year))
    names = atlas.countries.set_index("iso3")["name_en"]
    with st.expander(f"What changed from {first} to {last} ({len(found)})", expanded=True):
        if found.empty:
            st.info(f"Nothing changed between {first} and {last} under these filters.")
        else:
            shown = pd.DataFrame({
                "country": found["iso3"].map(names), "change": found["change"].map(CHANGES),
                "in": [ACTIVITIES.get(s, s) for s in found["subject"]],
                "detail": found["detail"]})
            st.dataframe(shown, hide_index=True, width="stretch")


def empty_notes(scene: Scene) -> None:
    """Say so when the filters match nothing: the map is never silently blank."""
    view = scene.view
    if view.alliances and scene.chips.empty:
        st.info(f"None of the alliance layers had members on 1 July {view.year}.")
    if not view.activities or not view.evidence:
        st.info("No activity or evidence grade selected, so no cooperation record can match.")
    elif scene.records.empty:
        st.info(f"No Cuban cooperation record matches these filters in {view.year}.")
