"""The map: a stable base map plus the view's layers, its legend beside it; clicks become
selections. The map is sized by the page's height so it is whole on screen at 1280x720."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from geo import Atlas
from geo.render import webmap
from geo.render.leaflet import Assets
from geo.view.scene import Scene
from geo.view.selection import click_outcome

MAP_KEY = "map"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# What sits above the map (header bar, title row, caption; in presentation mode the title block
# and the presenter bar), in pixels: the map takes the rest of the screen's height.
ABOVE_MAP = {False: 160, True: 215}  # presenting: room for a stop's title and note
LAYOUT_CSS = """<style>
.block-container {{ padding: 3.4rem 1rem 3rem; max-width: 100%; }}
.st-key-title_row h2 {{ font-size: 1.6rem; white-space: nowrap; }}
{frame}, .st-key-country_panel {{ height: clamp(380px, calc(100vh - {above}px), 900px)
  !important; }}
.st-key-country_panel {{ overflow-y: auto; overflow-x: hidden; padding-right: .4rem;
  flex: 0 0 auto !important; min-height: 0 !important; }}
</style>"""


def layout(present: bool) -> None:
    """The page's frame: slim margins; the map (and the country panel beside it) as tall as the
    screen allows."""
    st.html(LAYOUT_CSS.format(frame=MAP_FRAME, above=ABOVE_MAP[present]))


def _on_map_change(atlas: Atlas) -> None:
    """Turn a click on the map into a selection or an explanation (:func:`click_outcome`)."""
    state = st.session_state.get(MAP_KEY) or {}
    drawing = state.get("last_active_drawing")
    if drawing and drawing == st.session_state.get("_seen_drawing"):
        drawing = None  # the same feature again: this change was a click on the sea
    elif drawing:
        st.session_state["_seen_drawing"] = drawing
    click = click_outcome(atlas.countries.set_index("iso3"), drawing, state.get("last_clicked"),
                          st.session_state.get("country"))
    if click.selects:
        st.session_state["country"] = click.country
    if click.selects or click.note:
        st.session_state["_map_note"] = click.note


def show_map(atlas: Atlas, scene: Scene, assets: Assets) -> None:
    """The map: a stable base plus this view's layers, so the view survives a rerun."""
    height = 490 if scene.view.present else 560  # presenting: room for a stop's note at 720 px
    base = webmap.base_map(atlas.countries, scene.palette, assets, height=height)
    # where a stop asked the map to go; the map moves only when this changes, so pans stay
    center, zoom, _ = st.session_state.get("_goto", (None, None, 0))
    st_folium(base, key=MAP_KEY, height=height, use_container_width=True,
              returned_objects=["last_active_drawing", "last_clicked"],
              center=center, zoom=zoom,
              feature_group_to_add=webmap.view_layers(scene),
              on_change=partial(_on_map_change, atlas))


def legend(scene: Scene) -> None:
    """What every colour, marker, square and line on the map means; then the note on the last
    click."""
    st.html(f"<style>{webmap.legend_css(scene.palette)}</style>{webmap.legend_html(scene)}")
    if note := st.session_state.get("_map_note"):
        st.caption(note)
