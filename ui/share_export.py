"""Sharing and exporting the view: the link that reproduces it (with the deck) and every download,
each describing itself (title, year, filters, sources) and framed as the map is."""

from __future__ import annotations

import streamlit as st

from geo import Atlas
from geo.io import exports
from geo.render import html, leaflet, slide, webmap
from geo.view.deck import Deck, Extent
from geo.view.scene import Scene, describe
from geo.view.state import View
from ui.deck import read_map_view
from ui.presenter import current_stop, frame_map
from ui.state import share_url


def share_and_export(atlas: Atlas, scene: Scene, default: View, default_stops: Deck,
                     assets: leaflet.Assets) -> None:
    """Copy a link to this view and deck; download the slide, the data and the offline map."""
    view = scene.view
    at = current_stop(view)
    title, note = (at[1].label(at[0] + 1), at[1].note) if at else (exports.TITLE, "")
    extent: Extent | None = st.session_state.get("_extent")
    share, downloads = st.columns([3, 2])
    with share.popover("🔗 Copy link to this view", use_container_width=True):
        st.code(share_url(view, default, default_stops), language=None, wrap_lines=True)
        st.caption("The link reproduces the year, filters, colour mode, country, comparison and "
                   "the briefing deck with its titles, notes and map extents.")
    with downloads.popover("⬇ Export this view", use_container_width=True, key="export_open",
                           on_change="rerun") as box:
        if not box.open:  # drawn only while open
            return
        framed = "the whole region" if extent is None else "the map as last framed"
        st.caption(f"Slides and the offline map show {framed}.")
        left, right = st.columns(2)
        with left:
            read_map_view("Frame as the map is now", "frame_exports", frame_map)
        right.button("Whole region", key="frame_region", on_click=frame_map, args=(None,),
                     disabled=extent is None, width="stretch")
        files = [
            ("Slide (PNG, 16:9)", "png", "image/png",
             lambda: slide.slide_png(atlas, scene, title, note, extent)),
            ("Slide (PDF)", "pdf", "application/pdf",
             lambda: slide.slide_pdf(atlas, scene, title, note, extent)),
            ("Records (CSV)", "csv", "text/csv", lambda: exports.records_csv(atlas, scene)),
            ("Agreements in force (CSV)", "agreements", "text/csv",
             lambda: exports.agreements_csv(atlas, scene)),
            ("Map data (GeoJSON)", "geojson", "application/geo+json",
             lambda: exports.map_geojson(atlas, scene)),
            ("Interactive map (HTML, works offline)", "html", "text/html",
             lambda: standalone(atlas, scene, assets, title, note, extent)),
            ("Sources (text)", "txt", "text/plain", lambda: exports.sources_text(atlas, scene)),
        ]
        for label, what, mime, make in files:
            ext, what = ("csv", what) if what == "agreements" else (what, "")
            st.download_button(label, make, file_name=exports.filename(view, ext, what),
                               mime=mime, on_click="ignore", key=f"export_{what or ext}",
                               width="stretch")


def standalone(atlas: Atlas, scene: Scene, assets: leaflet.Assets, title: str, note: str = "",
               extent: Extent | None = None) -> str:
    """The offline HTML page: the title block above the map, framed as ``extent``; the
    geometry and Leaflet inlined."""
    header = html.export_header(
        title, scene.view.year, describe(scene.view, atlas), note, atlas.reviewed.isoformat(),
        scene.sources, exports.user_supplied(scene) > 0)
    m = webmap.complete_map(atlas.countries, scene, assets, extent)
    return leaflet.standalone_html(m, webmap.geometry_script(atlas.countries), header)
