"""Sharing and exporting the view: the link that reproduces it and every download."""

from __future__ import annotations

import streamlit as st

from geo import Atlas
from geo.io import exports
from geo.render import leaflet, slide, webmap
from geo.view.scene import Scene
from geo.view.state import View
from ui.state import share_url


def share_and_export(atlas: Atlas, scene: Scene, default: View, shapes: dict,
                     assets: tuple[str, str]) -> None:
    """Copy a link to this view; download the slide, the data and the interactive map."""
    view = scene.view
    share, downloads = st.columns([3, 2])
    with share.popover("🔗 Copy link to this view", use_container_width=True):
        st.code(share_url(view, default), language=None, wrap_lines=True)
        st.caption("The link reproduces the year, filters, colour mode, country and stops.")
    with downloads.popover("⬇ Export this view", use_container_width=True):
        files = [
            ("Slide (PNG, 16:9)", "png", "image/png", lambda: slide.slide_png(atlas, scene)),
            ("Slide (PDF)", "pdf", "application/pdf", lambda: slide.slide_pdf(atlas, scene)),
            ("Records (CSV)", "csv", "text/csv", lambda: exports.records_csv(atlas, scene)),
            ("Agreements in force (CSV)", "agreements", "text/csv",
             lambda: exports.agreements_csv(atlas, scene)),
            ("Map data (GeoJSON)", "geojson", "application/geo+json",
             lambda: exports.map_geojson(atlas, scene)),
            ("Interactive map (HTML, works offline)", "html", "text/html",
             lambda: _standalone(atlas, scene, shapes, assets)),
            ("Sources (text)", "txt", "text/plain", lambda: exports.sources_text(atlas, scene)),
        ]
        for label, what, mime, make in files:
            ext, what = ("csv", what) if what == "agreements" else (what, "")
            st.download_button(label, make, file_name=exports.filename(view, ext, what),
                               mime=mime, on_click="ignore", key=f"export_{what or ext}",
                               width="stretch")


def _standalone(atlas: Atlas, scene: Scene, shapes: dict, assets: tuple[str, str]) -> str:
    return leaflet.standalone_html(webmap.complete_map(atlas.countries, scene, shapes, assets))
