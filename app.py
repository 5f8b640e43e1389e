"""Alliance Atlas: the Streamlit page. It composes; the logic lives in ``geo``, widgets in ``ui``.

Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import os

import streamlit as st

from geo import DATA_DIR
from geo.data.validate import unservable
from ui import (
    cache,
    deck,
    map_view,
    matrix,
    notes,
    plain,
    presenter,
    share_export,
    sidebar,
    sources,
    state,
    timeline,
    your_records,
)

st.set_page_config(page_title="Alliance Atlas", page_icon="🗺️", layout="wide")

data_dir = os.environ.get("ATLAS_DATA_DIR", str(DATA_DIR))
curated = cache.atlas(data_dir)
if reason := unservable(curated):  # refuse with the reason, never a generic error page
    st.error("Alliance Atlas cannot start: its data is broken.")
    causes = [p for p in curated.problems if p.file.endswith("countries.geojson")]
    st.text(f"{reason}.\n\n" + "\n".join(plain.shorten(p) for p in causes[:50]))
    st.stop()
assets = cache.assets(st.get_option("server.baseUrlPath") or "", data_dir)
cache.prepare(curated)
default = state.default_view(curated)
default_stops = state.default_deck(curated, default)
state.start_session(curated)
presenter.advance(curated)  # Play's next year, set before the slider is drawn

sidebar.controls(curated)
atlas = your_records.session_atlas(curated)
view = state.current_view(default)
state.sync_url(view, default, default_stops)
scene = cache.scene(atlas, view)

map_view.layout(view.present)
if view.present:
    presenter.title_block(atlas, scene)
    presenter.presenter_bar(atlas, view)
else:
    with st.container(horizontal=True, vertical_alignment="center", gap="medium", key="title_row"):
        st.header(f"Alliance Atlas · {view.year}", anchor=False, width="content")
        presenter.presenter_bar(atlas, view)
    st.caption(f"Cuba's alliances and security cooperation in Latin America and the Caribbean, "
               f"{atlas.first_year}–{atlas.last_year}. Data reviewed "
               f"{atlas.reviewed:%d %B %Y}; every claim cites its sources.")
if atlas.problems:
    files = sorted({p.file for p in atlas.problems})
    st.warning(f"{len(atlas.problems)} data problem(s) in {', '.join(files)}: the rows listed "
               "here are left out; everything else is shown.")
    st.code("\n".join(plain.shorten(p) for p in atlas.problems), language=None)
plain.notices(st.session_state.pop("_notices", []))

# The map first, as tall as the screen allows; beside it the legend and the selected country's
# record (a fragment: a click reruns only these).
map_view.map_and_record(atlas, default, default_stops, assets)
notes.empty_notes(scene)
notes.what_changed(atlas, scene)
share_export.share_and_export(atlas, scene, default, default_stops, assets)
matrix.membership_matrix_section(atlas, scene)
timeline.timeline_and_narratives(atlas, scene)
deck.deck_editor(atlas, default)
sources.sources_for_view(atlas, scene)
state.settle()
