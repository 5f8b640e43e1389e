"""Alliance Atlas: the Streamlit page. It composes; the logic lives in ``geo``, widgets in ``ui``.

Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import os

import streamlit as st

from geo import DATA_DIR, Atlas, load_atlas
from geo.assets import install_leaflet, leaflet_urls
from geo.mapping import shapes_of
from ui import briefing, cache, controls, mapview, panel, state, uploads

st.set_page_config(page_title="Alliance Atlas", page_icon="🗺️", layout="wide")


@st.cache_resource
def get_atlas(data_dir: str) -> Atlas:
    """The validated atlas, loaded once per server: it is frozen and never mutated."""
    return load_atlas(data_dir)


@st.cache_resource
def get_shapes(data_dir: str) -> dict[str, dict]:
    """Each state's GeoJSON geometry, computed once per server."""
    return shapes_of(get_atlas(data_dir).countries)


@st.cache_resource
def get_assets(base_url: str) -> tuple[str, str]:
    """Leaflet copied into ./static once per server; its URLs under /app/static."""
    install_leaflet()
    return leaflet_urls(base_url)


data_dir = os.environ.get("ATLAS_DATA_DIR", str(DATA_DIR))
curated = get_atlas(data_dir)
assets = get_assets(st.get_option("server.baseUrlPath") or "")
shapes = get_shapes(data_dir)
default = state.default_view(curated)
state.start_session(curated)

controls.controls(curated)
atlas = uploads.session_atlas(curated)
view = state.current_view(default)
state.sync_url(view, default)
scene = cache.scene(atlas, view)

if view.present:
    briefing.title_block(atlas, scene)
else:
    st.header("Alliance Atlas", anchor=False)
    st.caption(f"Cuba's alliances and security cooperation in Latin America and the Caribbean, "
               f"{atlas.first_year}–{atlas.last_year}. Data reviewed "
               f"{atlas.reviewed:%d %B %Y}; every claim cites its sources.")
if atlas.problems:
    st.warning(f"{len(atlas.problems)} data problem(s): the rows listed here are left out; "
               "everything else is shown.")
    st.code("\n".join(str(p) for p in atlas.problems), language=None)
for notice in st.session_state.pop("_notices", []):
    st.info(notice)
briefing.presenter_bar(atlas, view)

if view.present and not view.country:  # presenting the region: the map takes the width
    map_area, panel_area = st.container(), None
else:
    map_area, panel_area = st.columns([2.8, 1.2], gap="small")
changed = briefing.changes_in_view(atlas, scene)
with map_area:
    mapview.show_map(atlas, scene, shapes, assets, changed)
    briefing.empty_notes(scene)
    briefing.what_changed(atlas, scene, changed)
    briefing.share_and_export(atlas, scene, default, shapes, assets)
if panel_area is not None:
    with panel_area:
        panel.country_panel(atlas, scene)
briefing.timeline_and_narratives(atlas, scene)
briefing.stops_editor(view, default)
briefing.sources_for_view(atlas, scene)
