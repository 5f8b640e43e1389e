"""The map: a stable base map plus the view's layers; clicks become selections."""

from __future__ import annotations

from functools import partial

import folium
import pandas as pd
import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from geo import Atlas, mapping
from geo.changes import CHANGE_COLOURS, CHANGES, main_change
from geo.scene import Scene

MAP_KEY = "map"


def _on_map_change(atlas: Atlas) -> None:
    """Turn a click on the map into a selection or an explanation; never fails.

    Only the clicked feature's ISO3 code is read from the browser, and only a code the atlas
    knows is used: names and notes come from the atlas itself.
    """
    state = st.session_state.get(MAP_KEY) or {}
    drawing = state.get("last_active_drawing")
    clicked = state.get("last_clicked")
    places = atlas.countries.set_index("iso3")
    if drawing and drawing != st.session_state.get("_seen_drawing"):
        st.session_state["_seen_drawing"] = drawing
        iso3 = str((drawing.get("properties") or {}).get("iso3"))
        if iso3 not in places.index:
            return
        if places.at[iso3, "kind"] == "state":
            st.session_state["country"] = iso3
            st.session_state["_map_note"] = None
        else:
            st.session_state["_map_note"] = (
                f"{places.at[iso3, 'name_en']}: {mapping.CONTEXT_NOTE[places.at[iso3, 'kind']]}")
        return
    selected = st.session_state.get("country")
    if clicked and selected in places.index:
        point = Point(clicked.get("lng", 0), clicked.get("lat", 0))
        if not places.geometry[selected].buffer(0.3).contains(point):
            st.session_state["country"] = None
            st.session_state["_map_note"] = "No country there: selection cleared."


def show_map(atlas: Atlas, scene: Scene, shapes: dict, assets: tuple[str, str],
             changed: pd.DataFrame | None = None) -> None:
    """The map: a stable base plus this view's layers, so the view and toggles survive.

    ``changed`` (from :func:`geo.changes.changes`) adds outlines of what changed.
    """
    height = 510 if scene.view.present else 620
    base = mapping.base_map(atlas.countries, scene.palette, assets, height=height)
    extra, since = None, scene.view.compare
    if changed is not None and not changed.empty:
        main = main_change(changed)
        extra = mapping.changes_layer(main, shapes, since, CHANGES, CHANGE_COLOURS)
        legend = mapping.changes_legend(main, since, CHANGES, CHANGE_COLOURS)
    layers = mapping.view_layers(scene, shapes, legend_extra=legend if extra else "")
    if extra is not None:
        layers.append(extra)
    if scene.view.basemap:
        online = folium.FeatureGroup(name="Online basemap", control=False)
        folium.TileLayer("OpenStreetMap").add_to(online)
        layers.insert(0, online)
    st_folium(base, key=MAP_KEY, height=height, use_container_width=True,
              returned_objects=["last_active_drawing", "last_clicked"],
              feature_group_to_add=layers, layer_control=mapping.layer_control(),
              on_change=partial(_on_map_change, atlas))
    if note := st.session_state.get("_map_note"):
        st.caption(note)
