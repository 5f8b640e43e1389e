"""The map's component: streamlit-folium's own frontend, fed with arguments that are computed
once per base map and once per scene (``ui.cache`` keeps them), so a rerun renders no folium.

``st_folium`` builds, renders and hashes the whole map on every call (the base map as well as
the view's layers). Its frontend takes the same arguments from us: :func:`base_args` is what
``st_folium`` sends for the map itself, :func:`layers_args` the view's feature groups, both made
with streamlit-folium's own helpers, and :func:`draw` calls the frontend with them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import folium
import streamlit as st
import streamlit.components.v1 as components
import streamlit_folium

from geo.render.leaflet import LeanMap

# The frontend streamlit-folium ships (declared here, so its name is this module's).
_frontend = components.declare_component(
    "map", path=str(Path(streamlit_folium.__file__).parent / "frontend" / "build"))
RETURNED = ("last_active_drawing", "last_clicked")  # a click; never a pan or a zoom
# The frontend reports a click 250 ms late (its updates are debounced, for pans and zooms), with
# the last feature clicked even when this click hit none, and not at all when a click repeats
# the last one. This reports every click at once, after the frontend's own handlers have noted
# it (their counter of feature clicks tells whether this one hit a feature): the point, the
# feature hit without its outline (the page reads its ISO3 code) or null, and the click's
# number. The frontend's own report then finds nothing new to send.
REPORT_CLICK = """
var atlasClicks = {features: 0, clicks: 0};
map_div.on("click", function () { setTimeout(function () {
    var data = window.__GLOBAL_DATA__;
    if (!data || !window.Streamlit) { return; }
    var hit = data.last_object_clicked_count !== atlasClicks.features;
    atlasClicks.features = data.last_object_clicked_count;
    atlasClicks.clicks += 1;
    data.previous_data = {last_clicked: data.lat_lng_clicked,
                          last_active_drawing: data.last_active_drawing};
    var feature = hit ? data.last_active_drawing : null;
    window.Streamlit.setComponentValue({last_clicked: data.lat_lng_clicked, last_active_drawing:
        feature && {type: feature.type, properties: feature.properties},
        click: atlasClicks.clicks});
}, 0); });
"""


def base_args(m: folium.Map) -> dict:
    """The component's arguments for the map ``m`` with no layers added: as ``st_folium``
    makes them (its script, header, html, files and defaults; the script also reports a click
    at once, :data:`REPORT_CLICK`), plus ``key``, which changes when the script does (the
    frontend then starts a new map)."""
    m.get_root().render()
    html, header = streamlit_folium._get_html(m), streamlit_folium._get_header(m)
    script = streamlit_folium._get_map_string(m) + REPORT_CLICK
    bounds = m.get_bounds()
    # in the order the frontend builds its value: it compares the two as JSON text, and a
    # difference makes a new map report an empty click (a rerun of the fragment) as it starts
    default = {"last_clicked": None, "last_active_drawing": None,
               "bounds": {"_southWest": {"lat": bounds[0][0], "lng": bounds[0][1]},
                          "_northEast": {"lat": bounds[1][0], "lng": bounds[1][1]}},
               "zoom": m.options.get("zoom")}
    return {"script": script, "header": header, "html": html, "id": streamlit_folium.get_full_id(m),
            "key": "map_" + streamlit_folium.generate_js_hash(script, "map")[:16],
            "default": {k: v for k, v in default.items() if k in RETURNED},
            "css_links": [href for _, href in m.default_css],
            "js_links": [src for _, src in m.default_js]}


def layers_args(groups: list[folium.FeatureGroup], first: int = 0) -> str:
    """The component's ``feature_group`` argument: ``groups`` as the script that adds them to
    the map, numbered from ``first`` (so scripts made apart can follow each other)."""
    m = LeanMap(tiles=None)  # a parent to render them in; the script names the page's map
    m.get_root().render()
    return "".join(streamlit_folium._get_feature_group_string(group, m, idx)
                   for idx, group in enumerate(groups, start=first))


def draw(base: dict, layers: str, *, height: int, center, zoom,
         on_click: Callable[[], None]) -> None:
    """The map: ``base`` with ``layers`` on it (the browser keeps its view; only a change of
    ``layers`` is redrawn), ``height`` pixels tall before the page sizes it, moved to
    ``center``/``zoom`` when they change; ``on_click`` runs after a click, with the click in
    ``st.session_state["map"]``."""
    key = base["key"]

    def clicked() -> None:
        st.session_state["map"] = st.session_state.get(key) or {}
        on_click()

    _frontend(**{k: v for k, v in base.items() if k != "key"}, key=key, height=height,
              width=None, returned_objects=list(RETURNED), zoom=zoom, center=center,
              feature_group=layers, return_on_hover=False, layer_control=None,
              pixelated=False, wrap_longitude=False, on_change=clicked)
