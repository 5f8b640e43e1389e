"""The folium map, built from plain data: a stable base map and the layers a view adds.

The base map (sea, context land, assets, view) never changes with the filters, so the
browser keeps its view; everything that does change is returned by :func:`view_layers` as
feature groups drawn on top of it. No layer carries a country's coordinates: its features
name it and take its outline from :func:`geometry_script`, which the page loads once (so a new
view sends colours and tooltips, not outlines). Every clickable feature carries ``iso3`` and
``kind`` so a click can be turned into a selection. Nothing but Leaflet's zoom buttons sits on
the map: the legend (:func:`legend_html`) is drawn beside it by the page, and in a collapsed
box only in the standalone file (:func:`complete_map`).

The layers' script is sent whenever the view changes, so it is kept light: coordinates are
rounded to :data:`DECIMALS` (about 100 m, under the 0.01° simplification of the geometry),
features carry only the properties the browser uses (styles live in each layer's style
function, which folium turns into one switch per layer), and every element renders lazily,
once, without branca's default of compiling each rendered script again as a Jinja template
(see :class:`Lean`).
"""

from __future__ import annotations

import json
from html import escape

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element

from geo.data.atlas import CUBA
from geo.data.vocab import ACTIVITIES
from geo.render.leaflet import (
    GEOMETRY,
    SHARED,
    Assets,
    LeanFeatureGroup,
    LeanGeoJson,
    LeanMap,
    LeanTooltip,
    Legend,
)
from geo.view.changes import CHANGES, main_change
from geo.view.colours import CHANGE_COLOURS, HOLLOW, NEUTRAL, OPPOSITION, Palette
from geo.view.deck import Extent
from geo.view.scene import CHIP, CHIP_COLUMNS, MARKER_RADIUS, Scene, island_markers
from geo.view.selection import CONTEXT_NOTE

REGION_BOUNDS = [[-56.0, -118.0], [33.0, -34.0]]  # [[south, west], [north, east]]
REGION_EXTENT = Extent(west=-118.0, south=-56.0, east=-34.0, north=33.0, zoom=3.0)
DECIMALS = 3  # coordinates sent to the browser: 1e-3 degrees, about 110 m (< 1 px at zoom 9)

LEGEND_CSS = """
.atlas-legend {{ color: {text}; font: 12.5px/1.35 system-ui, sans-serif; display: flex;
  flex-wrap: wrap; gap: 2px 18px; align-items: baseline; }}
.atlas-legend section {{ display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: center; }}
.atlas-legend b {{ font-weight: 600; margin-right: 2px; }}
.atlas-legend .sw {{ display: inline-block; width: 14px; height: 11px; margin-right: 3px;
  border: 1px solid #666; vertical-align: -1px; }}
.atlas-legend .dot {{ display: inline-block; width: 11px; height: 11px; margin-right: 3px;
  border-radius: 50%; border: 1.5px solid {line}; box-sizing: border-box; vertical-align: -1px; }}
.atlas-legend .chip {{ display: inline-block; width: 9px; height: 9px; margin-right: 3px;
  border: 2px solid; box-sizing: border-box; vertical-align: -1px; }}
.atlas-legend .line {{ display: inline-block; width: 16px; height: 4px; margin-right: 3px;
  vertical-align: 2px; }}
.atlas-legend.large {{ font-size: 15px; }}
"""

CSS = """
html, body {{ margin: 0; overflow: hidden; }}
.folium-map {{ height: 100vh !important; }}
div.leaflet-container {{ background: {sea}; font: 12px/1.3 system-ui, sans-serif; }}
.leaflet-container :focus, .leaflet-interactive:focus {{ outline: none; }}
.atlas-chips {{ background: rgba(255,255,255,.9); border-radius: 2px;
  box-shadow: 0 0 0 1px rgba(0,0,0,.45); }}
.atlas-chips i {{ position: absolute; width: {chip}px; height: {chip}px; box-sizing: border-box;
  border: 2px solid; }}
.leaflet-control.atlas-legend-box {{ background: rgba(255,255,255,.94); padding: 4px 8px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.35); max-width: 520px; }}
.atlas-legend-box summary {{ cursor: pointer; font-weight: 600; }}
"""


def _geojson(geometries) -> list[dict]:
    """Shapely geometries as GeoJSON dicts with coordinates rounded to :data:`DECIMALS` (shared
    borders stay shared: both sides round alike). GEOS writes the GeoJSON: much faster than
    ``__geo_interface__``."""
    geometries = shapely.transform(np.asarray(geometries, dtype=object),
                                   lambda xy: np.round(xy, DECIMALS))
    return json.loads("[" + ",".join(shapely.to_geojson(geometries)) + "]")


def geometry_script(countries: gpd.GeoDataFrame) -> str:
    """The script that gives the page every country's geometry by ISO3 (coordinates rounded
    to :data:`DECIMALS`), for the layers' shared features."""
    geometries = _geojson(countries.geometry.to_numpy())
    by_iso3 = dict(zip(countries["iso3"], geometries, strict=True))
    return f"window.{GEOMETRY} = {json.dumps(by_iso3, separators=(',', ':'))};\n"


def base_map(countries: gpd.GeoDataFrame, palette: Palette, assets: Assets,
             height: int = 640) -> folium.Map:
    """The stable map: the region in view, the sea, quiet context land, the leader lines from
    the small island states to their markers; Leaflet and the geometry from ``assets``. The map
    fills its frame (``height`` is the frame's height before the page sizes it).

    ``assets`` are the URLs of a locally served Leaflet and geometry script. Leaflet's keyboard
    handler is off: it focuses the map on click, which scrolls the page when the map is partly
    out of view and turns the click into a drag (keyboard users have the country search box).
    """
    m = LeanMap(location=[-8, -76], zoom_start=3, tiles=None, zoom_snap=0.25,
             zoom_delta=0.5, min_zoom=2, max_zoom=9, height=height,
             world_copy_jump=False, keyboard=False)
    m.default_js = [("leaflet", assets.script), ("geometry", assets.geometry)]
    m.default_css = [("leaflet_css", assets.stylesheet)]
    css = CSS.format(sea=palette.sea, chip=CHIP) + legend_css(palette)
    m.get_root().header.add_child(Element(f"<style>{css}</style>"))
    context = countries[countries["kind"] != "state"]
    features = [_shared(iso3, kind=kind, name=name,
                        tooltip=f"<b>{escape(name)}</b><br>{escape(CONTEXT_NOTE[kind])}")
                for iso3, kind, name in zip(context["iso3"], context["kind"], context["name_en"],
                                            strict=True)]
    land = {"fillColor": palette.land, "color": palette.land_line, "weight": 0.6,
            "fillOpacity": 1}
    LeanGeoJson(
        {"type": "FeatureCollection", "features": features}, name="Context land",
        control=False, style_function=lambda _: land,
        tooltip=LeanTooltip(fields=["tooltip"], labels=False),
    ).add_to(m)
    islands = island_markers(countries)
    leaders = [_feature({"type": "LineString", "coordinates": [[lon, lat], [mlon, mlat]]})
               for lon, lat, mlon, mlat in zip(islands["lon"], islands["lat"],
                                               islands["marker_lon"], islands["marker_lat"],
                                               strict=True)]
    leader = {"color": NEUTRAL, "weight": 1, "opacity": 0.8}
    LeanGeoJson(_collection(leaders), name="Island leaders", control=False, interactive=False,
                style_function=lambda _: leader).add_to(m)
    m.fit_bounds(REGION_BOUNDS)
    return m


def legend_css(palette: Palette) -> str:
    """The legend's style sheet, for the page that draws :func:`legend_html`."""
    return LEGEND_CSS.format(text=palette.text, line=palette.line)


def view_layers(scene: Scene) -> list[folium.FeatureGroup]:
    """The layers a view draws on the base map, bottom to top: the online basemap when chosen,
    the states, Cuba's links, Cuba itself (above its links, so all of it is a click target),
    the small island states' markers, the alliance layers' chips, the outlines of what changed.
    The selection's outline goes on top (:func:`selection_layer`), so a click changes no other
    layer.
    """
    groups = [_countries_layer(scene)]
    if len(scene.links):
        groups.append(_links_layer(scene))
    groups.append(_cuba_layer(scene))
    groups.append(_islands_layer(scene))
    if len(scene.boxes):
        groups.append(_chips_layer(scene))
    if scene.changes is not None and not scene.changes.empty:
        groups.append(changes_layer(main_change(scene.changes), scene.view.compare,
                                    CHANGES, CHANGE_COLOURS))
    if scene.view.basemap:
        online = folium.FeatureGroup(name="Online basemap", control=False)
        folium.TileLayer("OpenStreetMap").add_to(online)
        groups.insert(0, online)
    return groups


def complete_map(countries: gpd.GeoDataFrame, scene: Scene, assets: Assets,
                 extent: Extent | None = None) -> folium.Map:
    """One map with the view's layers and a collapsed legend box on it, framed as ``extent``
    (None: the region); for files and tests (the dashboard sends the layers separately so the
    browser keeps its view)."""
    m = base_map(countries, scene.palette, assets)
    for group in [*view_layers(scene), *selection_layer(scene)]:
        group.add_to(m)
    Legend(legend_html(scene)).add_to(m)
    if extent is not None:
        m.fit_bounds([[extent.south, extent.west], [extent.north, extent.east]])
    return m


def legend_html(scene: Scene) -> str:
    """The legend's HTML: what every fill, marker, chip and line on the map means (escaped),
    in compact sections that wrap under the map."""
    palette, view = scene.palette, scene.view
    *classes, (cuba, cuba_label) = scene.legend
    sw = '<span class="sw" style="background:{}"></span>{}'.format
    sections = [[f"<b>{escape(scene.legend_title)}:</b>",
                 *(sw(c, escape(label)) for c, label in classes), sw(cuba, escape(cuba_label))]]
    context = [sw(palette.land, "territories and neighbours (not in the atlas)"),
               f'<span class="dot" style="background:{NEUTRAL}"></span>'
               "small state: a marker in its colour, linked to its capital"]
    if view.country:
        context.append(f'<span class="line" style="background:{palette.highlight}"></span>'
                       "selected country")
    sections.append(context)
    if len(scene.boxes):
        used = dict.fromkeys(scene.chips.sort_values("slot")["org_id"])
        sections.append(["<b>Alliance layers (one square each, in this order):</b>",
                         *(f'<span class="chip" style="background:{scene.org_colours[o]};'
                           f'border-color:{scene.org_colours[o]}"></span>{escape(o)}'
                           for o in used),
                         f'<span class="chip" style="background:{HOLLOW};border-color:{NEUTRAL}">'
                         "</span>hollow: associate, observer, suspended or inactive"])
    if len(scene.links):
        government = scene.links[scene.links["counterpart"] == "government"]
        links = ["<b>Cuba's links, by main activity (width: records):</b>",
                 *(f'<span class="line" style="background:{scene.activity_colours[a]}">'
                   f"</span>{escape(ACTIVITIES[a])}"
                   for a in dict.fromkeys(government["activity"]))]
        if (scene.links["counterpart"] == "armed_opposition").any():
            links.append(f'<span class="line" style="background:repeating-linear-gradient('
                         f'90deg,{OPPOSITION} 0 6px,transparent 6px 10px)"></span>'
                         "dashed: support to armed opposition (not counted as cooperation)")
        sections.append(links)
    if scene.changes is not None and not scene.changes.empty:
        sections.append([changes_legend(main_change(scene.changes), view.compare, CHANGES,
                                        CHANGE_COLOURS)])
    size = " large" if view.present else ""
    return (f'<div class="atlas-legend{size}">'
            + "".join(f"<section>{''.join(f'<span>{part}</span>' for part in parts)}</section>"
                      for parts in sections) + "</div>")


def _feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _shared(iso3: str, **properties) -> dict:
    """A feature drawn with the country's geometry from :func:`geometry_script`."""
    return _feature(SHARED, iso3=iso3, **properties)


def _state(scene: Scene, iso3: str) -> dict:
    """The scene's row for the state ``iso3``, as a dict."""
    at = scene.states["iso3"].tolist().index(iso3)
    return {column: values[at] for column, values in scene.states.items()}


def _lists(frame: pd.DataFrame, *columns: str) -> list[list]:
    """``columns`` of ``frame`` as Python lists (zipping pandas columns is slow)."""
    return [frame[column].tolist() for column in columns]


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _countries_layer(scene: Scene) -> folium.FeatureGroup:
    """The states but Cuba, filled with their colour."""
    palette = scene.palette
    group = LeanFeatureGroup(name="Countries", control=False)
    rows = [row for row in zip(*_lists(scene.states, "iso3", "fill", "tooltip"), strict=True)
            if row[0] != CUBA]
    fills = {iso3: fill for iso3, fill, _ in rows}
    polygons = [_shared(iso3, kind="state", tooltip=tip) for iso3, _, tip in rows]
    LeanGeoJson(
        _collection(polygons), name="Countries",
        style_function=lambda f: _country_style(f["properties"]["iso3"], fills, palette),
        highlight_function=lambda _: {"weight": 2.5, "color": palette.highlight},
        tooltip=LeanTooltip(fields=["tooltip"], labels=False, sticky=True),
    ).add_to(group)
    return group


def _cuba_layer(scene: Scene) -> folium.FeatureGroup:
    """Cuba, drawn above its links so a click anywhere on it selects it."""
    palette = scene.palette
    row = _state(scene, CUBA)
    group = LeanFeatureGroup(name="Cuba", control=False)
    style = {"fillColor": row["fill"], "fillOpacity": 1, "color": palette.cuba_line,
             "weight": 1}
    LeanGeoJson(
        _collection([_shared(CUBA, kind="state", tooltip=row["tooltip"])]),
        name="Cuba", style_function=lambda _: style,
        highlight_function=lambda _: {"weight": 2},
        tooltip=LeanTooltip(fields=["tooltip"], labels=False, sticky=True),
    ).add_to(group)
    return group


def _islands_layer(scene: Scene) -> folium.FeatureGroup:
    """A filled marker in the state's colour for each small state, where
    :func:`geo.view.scene.island_markers` puts it (the leader lines are in the base map)."""
    palette = scene.palette
    small = [row for row in zip(*_lists(scene.states, "small", "iso3", "fill", "marker_lon",
                                        "marker_lat", "tooltip"), strict=True) if row[0]]
    styles = {iso3: {"fillColor": fill, "fillOpacity": 1, "fill": True, "color": palette.line,
                     "weight": 1.5, "radius": MARKER_RADIUS}
              for _, iso3, fill, *_ in small}
    targets = [_feature({"type": "Point", "coordinates": [lon, lat]}, iso3=iso3, kind="state",
                        tooltip=tip)
               for _, iso3, _, lon, lat, tip in small]
    group = LeanFeatureGroup(name="Small island states", control=False)
    LeanGeoJson(
        _collection(targets), name="Small island states",
        marker=folium.CircleMarker(radius=MARKER_RADIUS, fill=True),
        style_function=lambda f: styles[f["properties"]["iso3"]],
        highlight_function=lambda _: {"weight": 2.5, "color": palette.highlight},
        tooltip=LeanTooltip(fields=["tooltip"], labels=False),
    ).add_to(group)
    return group


def _country_style(iso3: str, fills: dict[str, str], palette: Palette) -> dict:
    return {"fillColor": fills[iso3], "fillOpacity": 0.92, "color": palette.line,
            "weight": palette.line_weight}


def _chips_layer(scene: Scene) -> folium.FeatureGroup:
    """The alliance layers: per state, a small box with one square per layer it has a status
    in (filled: full member; hollow: any other status), in the layer's fixed place. Boxes are
    laid out so none overlaps another or a marker; a moved box is linked to its state by a thin
    line. Not clickable: they never hide a click target."""
    chips, boxes = scene.chips, scene.boxes
    html: dict[str, str] = {}
    for iso3, slot, colour, status in zip(chips["iso3"].tolist(), chips["slot"].tolist(),
                                          chips["colour"].tolist(), chips["status"].tolist(),
                                          strict=True):
        html[iso3] = html.get(iso3, "") + (
            f'<i style="left:{1 + (slot % CHIP_COLUMNS) * (CHIP + 1)}px;'
            f'top:{1 + (slot // CHIP_COLUMNS) * (CHIP + 1)}px;border-color:{colour};'
            f'background:{colour if status == "member" else HOLLOW}"></i>')
    styles = {iso3: {"html": html[iso3], "iconSize": [int(w), int(h)],
                     "iconAnchor": [int(w) // 2, int(h) // 2]}
              for iso3, w, h in zip(*_lists(boxes, "iso3", "w", "h"), strict=True)}
    features = [_feature({"type": "Point", "coordinates": [lon, lat]}, iso3=iso3)
                for iso3, lon, lat in zip(*_lists(boxes, "iso3", "lon", "lat"), strict=True)]
    leaders = [_feature({"type": "LineString", "coordinates": [[ax, ay], [lon, lat]]})
               for moved, ax, ay, lon, lat in zip(*_lists(boxes, "moved", "anchor_lon",
                                                          "anchor_lat", "lon", "lat"),
                                                  strict=True) if moved]
    group = LeanFeatureGroup(name="Alliance layers", control=False)
    if leaders:
        leader = {"color": NEUTRAL, "weight": 1, "opacity": 0.7}
        LeanGeoJson(_collection(leaders), interactive=False,
                    style_function=lambda _: leader).add_to(group)
    LeanGeoJson(
        _collection(features), name="Alliance layers",
        marker=folium.Marker(icon=folium.DivIcon(class_name="atlas-chips"),
                             interactive=False, keyboard=False),
        style_function=lambda f: styles[f["properties"]["iso3"]],
    ).add_to(group)
    return group


def _links_layer(scene: Scene) -> folium.FeatureGroup:
    """Curved lines from Havana to each partner: width by records, colour by main activity;
    support to an armed opposition dashed, in its own colour. Not clickable, so they never hide
    a state (its tooltip counts its records)."""
    iso3s, counterparts, colours, weights, lines = _lists(
        scene.links, "iso3", "counterpart", "colour", "weight", "line")
    keys = [f"{iso3}:{counterpart}" for iso3, counterpart in zip(iso3s, counterparts,
                                                                 strict=True)]
    styles = {key: {"color": colour, "opacity": 0.85, "weight": weight, "lineCap": "round",
                    **({"dashArray": "8 6"} if counterpart == "armed_opposition" else {})}
              for key, colour, weight, counterpart in zip(keys, colours, weights, counterparts,
                                                          strict=True)}
    features = [_feature({"type": "LineString", "coordinates": line}, iso3=iso3, link=key)
                for key, iso3, line in zip(keys, iso3s, lines, strict=True)]
    group = LeanFeatureGroup(name="Cuba's links", control=False)
    LeanGeoJson(
        _collection(features), name="Cuba's links", interactive=False,
        style_function=lambda f: styles[f["properties"]["link"]],
    ).add_to(group)
    return group


def selection_layer(scene: Scene) -> list[folium.FeatureGroup]:
    """A bold outline around the selected country, and around its marker for a small island
    state (not clickable, so it never hides it); no layer when no state is selected."""
    if scene.view.country not in set(scene.states["iso3"]):
        return []
    group = LeanFeatureGroup(name="Selected country", control=False)
    outline = {"fill": False, "color": scene.palette.highlight, "weight": 4, "opacity": 1}
    features = [_shared(scene.view.country)]
    row = _state(scene, scene.view.country)
    if row["small"]:
        features.append(_feature({"type": "Point", "coordinates": [row["marker_lon"],
                                                                  row["marker_lat"]]},
                                 iso3=scene.view.country))
    LeanGeoJson(
        _collection(features), style_function=lambda _: outline, interactive=False,
        marker=folium.CircleMarker(radius=MARKER_RADIUS + 3, fill=False),
    ).add_to(group)
    return [group]


def changes_layer(main_change: dict[str, str], since: int, labels: dict[str, str],
                  colours: dict[str, str]) -> folium.FeatureGroup:
    """Outlines in a distinct colour for each country that changed since ``since``."""
    features = [_shared(iso3, kind="state", colour=colours[change],
                        tooltip=f"Since {since}: {escape(labels[change])}")
                for iso3, change in main_change.items()]
    group = LeanFeatureGroup(name=f"Changes since {since}")
    if features:
        LeanGeoJson(
            _collection(features), name=f"Changes since {since}",
            style_function=lambda f: {"fill": False, "color": f["properties"]["colour"],
                                      "weight": 4, "opacity": 0.95, "dashArray": "6 4"},
            tooltip=LeanTooltip(fields=["tooltip"], labels=False, sticky=True),
        ).add_to(group)
    return group


def changes_legend(main_change: dict[str, str], since: int, labels: dict[str, str],
                   colours: dict[str, str]) -> str:
    """Legend rows for the change outlines drawn (escaped HTML)."""
    kinds = [k for k in labels if k in set(main_change.values())]
    rows = "".join(f'<span><span class="line" style="background:{colours[k]}"></span>'
                   f"{escape(labels[k])}</span>" for k in kinds)
    return f"<b>Changed since {since} (dashed outlines):</b>{rows}" if kinds else ""
