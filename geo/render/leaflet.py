"""Leaflet for folium: its files served by the app itself (so the map works with no internet at
all) and the folium/branca plumbing that keeps the map light to render.

Leaflet is third-party code: it is installed from PyPI (``django-js-lib-leaflet`` ships
Leaflet 1.9.4's ``dist`` files and needs nothing else) and served straight from the installed
package (:func:`leaflet_dist`), never copied: nothing is written at run time.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from folium.utilities import JsCode

LEAFLET_PACKAGE = "js_lib_leaflet"
GEOMETRY = "ATLAS_GEOMETRY"  # the page's global: ISO3 -> GeoJSON geometry (geometry_script)
SHARED = {"type": "Shared"}  # a feature's geometry: its country's, from the page's GEOMETRY
# Leaflet's ``filter`` sees each feature before its layer is made: a shared geometry is
# swapped for the country's (features without one are left out).
SHARED_FILTER = JsCode(f"""function (f) {{
    if (f.geometry.type === "Shared") {{ f.geometry = window.{GEOMETRY}[f.properties.iso3]; }}
    return Boolean(f.geometry);
}}""")

def leaflet_dist() -> Path:
    """The folder holding Leaflet's ``dist`` files in the installed package (not imported)."""
    spec = importlib.util.find_spec(LEAFLET_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Leaflet is missing: pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / LEAFLET_PACKAGE


class Assets(NamedTuple):
    """The URLs the map loads before its script runs: Leaflet and the geometry script."""

    script: str
    stylesheet: str
    geometry: str


def asset_urls(leaflet_root: str, geometry_url: str) -> Assets:
    """Leaflet's files served from the URL path ``leaflet_root``, and the geometry script."""
    root = "/" + leaflet_root.strip("/")
    return Assets(f"{root}/leaflet.js", f"{root}/leaflet.css", "/" + geometry_url.strip("/"))


def leaflet_inline() -> tuple[str, str]:
    """(script, stylesheet) text, for a standalone HTML file that needs no server."""
    dist = leaflet_dist()
    return (dist / "leaflet.js").read_text("utf-8"), (dist / "leaflet.css").read_text("utf-8")


class Deferred(Element):
    """Rendered text, produced when the page is rendered and inserted as it is."""

    def __init__(self, make: Callable[[], str]):
        super().__init__()
        self._make = make

    def render(self, **kwargs) -> str:
        return self._make()


class Lean(MacroElement):
    """A MacroElement whose header, html and script are rendered only when the page is.

    branca's ``MacroElement.render`` renders each macro at once and wraps the result in an
    ``Element``, which compiles it as a Jinja template: for a GeoJSON layer that means
    serialising the data and lexing the whole result again on every rerun, although
    ``st_folium`` builds its script from the macros directly. Here the figure gets a
    :class:`Deferred` part instead (same names, same order), so the standalone page is
    unchanged and the component's arguments cost one rendering. (That second pass is also
    how folium resolves elements used as style values, such as fill patterns: nothing here
    uses them.)
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element outside a Figure."
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if (macro := macros.get(part)) is not None:
                getattr(figure, part).add_child(Deferred(partial(macro, self, kwargs)),
                                                name=self.get_name())
        for element in self._children.values():
            if type(element).render is MacroElement.render:  # folium's plain helpers too
                Lean.render(element, **kwargs)
            else:
                element.render(**kwargs)


class LeanMap(folium.Map, Lean):
    pass


class LeanFeatureGroup(folium.FeatureGroup, Lean):
    pass


class LeanGeoJson(folium.GeoJson, Lean):
    """folium's GeoJson, rendered lazily. Features whose geometry is :data:`SHARED` take their
    country's from the page's geometry script, which the browser loads once (so a new view
    sends styles and tooltips, never coordinates)."""

    def __init__(self, data: dict, **kwargs):
        self._shared = any(f["geometry"] == SHARED for f in data.get("features", ()))
        if self._shared:
            kwargs["filter"] = SHARED_FILTER
        super().__init__(data, **kwargs)

    def _get_self_bounds(self) -> list[list[float | None]]:
        if self._shared:  # the coordinates are in the browser; the map frames the region
            return [[None, None], [None, None]]
        return super()._get_self_bounds()


class LeanTooltip(folium.GeoJsonTooltip, Lean):
    """folium's GeoJsonTooltip, rendered lazily and without the table style it compiles as
    two new Jinja templates on every render (the tooltips here show one ready-made field)."""

    def render(self, **kwargs) -> None:
        Lean.render(self, **kwargs)


class Legend(Lean):
    """An HTML legend in a Leaflet control, collapsed until opened (for the standalone file;
    the dashboard draws its legend beside the map); a newer legend replaces the previous one."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            if (window.atlasLegend) { window.atlasLegend.remove(); }
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "atlas-legend-box");
                div.innerHTML = "<details><summary>Legend</summary>"
                    + {{ this.html|tojson }} + "</details>";
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            window.atlasLegend = legend.addTo({{ this.map_name }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html

    @property
    def map_name(self) -> str:
        """The JS name of the map this legend is drawn on, read when it is rendered."""
        parent = self._parent
        while not isinstance(parent, folium.Map):
            parent = parent._parent
        return parent.get_name()


def standalone_html(m: folium.Map, geometry: str, header: str = "") -> str:
    """The map as one self-contained HTML file: Leaflet and the ``geometry`` script inlined, no
    external links at all; ``header`` (trusted, escaped HTML) above the map."""
    script, style = leaflet_inline()
    html = m.get_root().render()
    if header:
        html = html.replace("<body>", f"<body>\n{header}", 1)
    for (_, url), text in zip(m.default_js, (script, geometry), strict=True):
        text = text.replace("</", "<\\/")
        html = html.replace(f'<script src="{url}"></script>', f"<script>{text}</script>")
    for _, url in m.default_css:
        html = html.replace(f'<link rel="stylesheet" href="{url}"/>', f"<style>{style}</style>")
    return html
