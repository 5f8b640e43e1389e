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

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

LEAFLET_PACKAGE = "js_lib_leaflet"

def leaflet_dist() -> Path:
    """The folder holding Leaflet's ``dist`` files in the installed package (not imported)."""
    spec = importlib.util.find_spec(LEAFLET_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Leaflet is missing: pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / LEAFLET_PACKAGE


def leaflet_urls(root: str) -> tuple[str, str]:
    """(script, stylesheet) URLs of Leaflet served from the URL path ``root``."""
    root = "/" + root.strip("/")
    return f"{root}/leaflet.js", f"{root}/leaflet.css"


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
    """folium's GeoJson, rendered lazily; given ``bounds`` ([[south, west], [north, east]]),
    ``get_bounds`` does not walk every coordinate in Python."""

    def __init__(self, data, *, bounds: list[list[float]] | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self._bounds = bounds

    def _get_self_bounds(self) -> list[list[float | None]]:
        return self._bounds if self._bounds is not None else super()._get_self_bounds()


class LeanTooltip(folium.GeoJsonTooltip, Lean):
    pass


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


def standalone_html(m: folium.Map, header: str = "") -> str:
    """The map as one self-contained HTML file: Leaflet inlined, no external links at all;
    ``header`` (trusted, escaped HTML) above the map."""
    script, style = leaflet_inline()
    script = script.replace("</", "<\\/")
    html = m.get_root().render()
    if header:
        html = html.replace("<body>", f"<body>\n{header}", 1)
    for _, url in m.default_js:
        html = html.replace(f'<script src="{url}"></script>', f"<script>{script}</script>")
    for _, url in m.default_css:
        html = html.replace(f'<link rel="stylesheet" href="{url}"/>', f"<style>{style}</style>")
    return html
