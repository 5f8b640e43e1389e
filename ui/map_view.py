"""The map: a stable base map plus the view's layers, its legend beside it; clicks become
selections. The map is sized by the page's height so it is whole on screen at 1280x720.

The map, the legend, the country search and the selected country's record are one fragment: a
click or a search reruns only them (and writes the URL), never the sidebar or the sections
below.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from geo import Atlas
from geo.render.leaflet import Assets
from geo.view.deck import Deck
from geo.view.scene import Scene
from geo.view.selection import click_outcome
from geo.view.state import View
from ui import cache, country_panel, map_component, state
from ui.presenter import current_stop

MAP_KEY = "map"
MAP_FRAME = 'iframe[title="ui.map_component.map"]'
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
    screen allows; no search box when presenting."""
    hide = "<style>.st-key-country_search { display: none; }</style>" if present else ""
    st.html(LAYOUT_CSS.format(frame=MAP_FRAME, above=ABOVE_MAP[present]) + hide)


@st.fragment
def map_and_record(atlas: Atlas, default: View, default_stops: Deck, assets: Assets) -> None:
    """The map and, beside it, the legend, the country search and the selected country's
    record (the same columns in every view, so the map is never redrawn from scratch).

    A fragment: a click or a search reruns only this, so it reads the view again and keeps the
    URL in step. When presenting, a click that leaves the stop shown reruns the page, whose
    title names the stop."""
    view = state.current_view(default)
    if view.present and current_stop(view) != st.session_state.get("_titled"):
        st.rerun()
    state.sync_url(view, default, default_stops)
    scene = cache.scene(atlas, view)
    map_area, side_area = st.columns([3, 1.05], gap="small")
    with map_area:
        show_map(atlas, scene, assets)
    with side_area.container(key="country_panel"):
        legend(atlas, scene)
        _country_search(atlas)
        country_panel.country_panel(atlas, scene)


def _country_search(atlas: Atlas) -> None:
    """A box to find a country by name; it shows the country selected on the map."""
    names = cache.state_names(atlas)
    with st.container(key="country_search"):
        st.selectbox("Country", list(names), key="country", format_func=names.__getitem__,
                     index=None, placeholder="Find a country by name",
                     filter_mode="contains", label_visibility="collapsed")


def _on_map_change(atlas: Atlas) -> None:
    """Turn a click on the map into a selection or an explanation (:func:`click_outcome`)."""
    state = st.session_state.get(MAP_KEY) or {}  # the feature hit, or None (map_component)
    click = click_outcome(atlas.countries.set_index("iso3"), state.get("last_active_drawing"),
                          state.get("last_clicked"), st.session_state.get("country"))
    if click.selects:
        st.session_state["country"] = click.country
    if click.selects or click.note:
        st.session_state["_map_note"] = click.note


def show_map(atlas: Atlas, scene: Scene, assets: Assets) -> None:
    """The map: a stable base plus this view's layers, so the view survives a rerun (both
    computed once and cached: a rerun renders no folium)."""
    view = scene.view
    height = 490 if view.present else 560  # presenting: room for a stop's note at 720 px
    # where a stop asked the map to go; the map moves only when this changes, so pans stay
    center, zoom, _ = st.session_state.get("_goto", (None, None, 0))
    map_component.draw(cache.map_base(atlas, view.palette, height, assets),
                       cache.map_layers(atlas, view), height=height, center=center,
                       zoom=zoom, on_click=partial(_on_map_change, atlas))


def legend(atlas: Atlas, scene: Scene) -> None:
    """What every colour, marker, square and line on the map means; then the note on the last
    click."""
    st.html(cache.legend(atlas, scene.view))
    if note := st.session_state.get("_map_note"):
        st.caption(note)
