"""The map: a stable base map plus the view's layers; clicks become selections."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from geo import Atlas
from geo.render import webmap
from geo.view.scene import Scene
from geo.view.selection import click_outcome

MAP_KEY = "map"


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


def show_map(atlas: Atlas, scene: Scene, shapes: dict, assets: tuple[str, str]) -> None:
    """The map: a stable base plus this view's layers, so the view and toggles survive."""
    height = 490 if scene.view.present else 620  # room for a stop's note at 720 px
    base = webmap.base_map(atlas.countries, scene.palette, assets, height=height)
    # where a stop asked the map to go; the map moves only when this changes, so pans stay
    center, zoom, _ = st.session_state.get("_goto", (None, None, 0))
    st_folium(base, key=MAP_KEY, height=height, use_container_width=True,
              returned_objects=["last_active_drawing", "last_clicked"],
              center=center, zoom=zoom,
              feature_group_to_add=webmap.view_layers(scene, shapes),
              layer_control=webmap.layer_control(),
              on_change=partial(_on_map_change, atlas))
    if note := st.session_state.get("_map_note"):
        st.caption(note)
