"""The folium map, built from plain data: a stable base map and the layers a view adds.

The base map (sea, context land, assets, view) never changes with the filters, so the
browser keeps its view and layer toggles; everything that does change is returned by
:func:`view_layers` as feature groups drawn on top of it. Every clickable feature carries
``iso3`` and ``kind`` so a click can be turned into a selection.

The map is rebuilt and sent whole on every rerun, so it is kept light: coordinates are rounded
to :data:`DECIMALS` (about 100 m, under the 0.01° simplification of the geometry), features
carry only the properties the browser uses (styles live in each layer's style function, which
folium turns into one switch per layer), and every element renders lazily, once, without
branca's default of compiling each rendered script again as a Jinja template (see
:class:`Lean`).
"""

from __future__ import annotations

import json
from html import escape

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element

from geo.data.vocab import ACTIVITIES
from geo.render.leaflet import (
    LeanFeatureGroup,
    LeanGeoJson,
    LeanMap,
    LeanTooltip,
    Legend,
    RememberingLayerControl,
)
from geo.view.changes import CHANGES, main_change
from geo.view.colours import CHANGE_COLOURS, HOLLOW, OPPOSITION, Palette
from geo.view.deck import Extent
from geo.view.scene import Scene
from geo.view.selection import CONTEXT_NOTE

REGION_BOUNDS = [[-56.0, -118.0], [33.0, -34.0]]  # [[south, west], [north, east]]
REGION_EXTENT = Extent(west=-118.0, south=-56.0, east=-34.0, north=33.0, zoom=3.0)
DECIMALS = 3  # coordinates sent to the browser: 1e-3 degrees, about 110 m (< 1 px at zoom 9)

CSS = """
div.leaflet-container {{ background: {sea}; font: 12px/1.3 system-ui, sans-serif; }}
.atlas-dot i {{ display: block; width: 100%; height: 100%; box-sizing: border-box;
  border-radius: 50%; border: 2px solid; box-shadow: 0 0 0 1px #fff; }}
.atlas-legend {{ background: rgba(255,255,255,.94); color: {text}; padding: 6px 8px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.35); max-width: 300px; }}
.atlas-legend b {{ display: block; margin: 4px 0 2px; }}
.atlas-legend .ramp {{ display: flex; gap: 2px; }}
.atlas-legend .ramp div {{ flex: 1; text-align: center; min-width: 30px; }}
.atlas-legend .ramp span {{ display: block; height: 12px; border: 1px solid #666; }}
.atlas-legend .grid {{ display: grid; grid-template-columns: repeat(3, auto); gap: 1px 8px; }}
.atlas-legend .grid.wide {{ grid-template-columns: repeat(2, auto); }}
.atlas-legend .dot {{ display: inline-block; width: 9px; height: 9px; margin-right: 4px;
  border-radius: 50%; border: 2px solid; box-sizing: border-box; vertical-align: -1px; }}
.atlas-legend .line {{ display: inline-block; width: 16px; height: 4px; margin-right: 4px;
  vertical-align: 2px; }}
.leaflet-control-layers {{ font-size: 11.5px; }}
.leaflet-control-layers-overlays {{ display: grid; grid-template-columns: repeat(2, auto);
  column-gap: 6px; }}
.leaflet-control-layers label {{ margin: 0; }}
.atlas-legend summary {{ cursor: pointer; font-weight: 600; }}
.atlas-legend.large {{ font-size: 15px; max-width: 400px; }}
.atlas-legend.large .ramp span {{ height: 18px; }}
.atlas-legend.large .dot {{ width: 13px; height: 13px; }}
"""


def _geojson(geometries) -> tuple[list[dict], list[list[float]] | None]:
    """Shapely geometries as GeoJSON dicts with coordinates rounded to :data:`DECIMALS` (shared
    borders stay shared: both sides round alike), and their bounds [[south, west], [north,
    east]] (None when there is nothing). GEOS writes the GeoJSON: much faster than
    ``__geo_interface__``."""
    geometries = shapely.transform(np.asarray(geometries, dtype=object),
                                   lambda xy: np.round(xy, DECIMALS))
    bounds = None
    if len(geometries) and not shapely.is_empty(geometries).all():
        west, south, east, north = shapely.total_bounds(geometries)
        bounds = [[float(south), float(west)], [float(north), float(east)]]
    return json.loads("[" + ",".join(shapely.to_geojson(geometries)) + "]"), bounds


def base_map(countries: gpd.GeoDataFrame, palette: Palette, assets: tuple[str, str],
             height: int = 640) -> folium.Map:
    """The stable map: the region in view, the sea, quiet context land; Leaflet from ``assets``.

    ``assets`` is (script URL, stylesheet URL) of a locally served Leaflet. Leaflet's keyboard
    handler is off: it focuses the map on click, which scrolls the page when the map is partly
    out of view and turns the click into a drag (keyboard users have the country search box).
    """
    m = LeanMap(location=[-8, -76], zoom_start=3, tiles=None, zoom_snap=0.25,
             zoom_delta=0.5, min_zoom=2, max_zoom=9, height=height,
             world_copy_jump=False, keyboard=False)
    m.default_js = [("leaflet", assets[0])]
    m.default_css = [("leaflet_css", assets[1])]
    m.get_root().header.add_child(Element(
        f"<style>{CSS.format(sea=palette.sea, text=palette.text)}</style>"))
    context = countries[countries["kind"] != "state"]
    geometries, bounds = _geojson(context.geometry.to_numpy())
    features = [{
        "type": "Feature", "geometry": geometry,
        "properties": {"iso3": iso3, "kind": kind, "name": name,
                       "tooltip": f"<b>{escape(name)}</b><br>{escape(CONTEXT_NOTE[kind])}"},
    } for iso3, kind, name, geometry in zip(
        context["iso3"], context["kind"], context["name_en"],
        geometries, strict=True)]
    land = {"fillColor": palette.land, "color": palette.land_line, "weight": 0.6,
            "fillOpacity": 1}
    LeanGeoJson(
        {"type": "FeatureCollection", "features": features}, name="Context land",
        control=False, style_function=lambda _: land, bounds=bounds,
        tooltip=LeanTooltip(fields=["tooltip"], labels=False),
    ).add_to(m)
    m.fit_bounds(REGION_BOUNDS)
    return m


def view_layers(scene: Scene, shapes: dict[str, dict]) -> list[folium.FeatureGroup]:
    """The layers a view draws on the base map: the online basemap when chosen, countries (with
    the legend), one layer per selected alliance, Cuba's links, the outlines of what changed and
    the selection outline. ``shapes`` maps ISO3 to a GeoJSON geometry.
    """
    legend_extra, changed = "", None
    if scene.changes is not None and not scene.changes.empty:
        main = main_change(scene.changes)
        changed = changes_layer(main, shapes, scene.view.compare, CHANGES, CHANGE_COLOURS)
        legend_extra = changes_legend(main, scene.view.compare, CHANGES, CHANGE_COLOURS)
    groups = [_countries_layer(scene, shapes, legend_extra)]
    groups += [_alliance_layer(scene, org_id) for org_id in scene.view.alliances
               if org_id in set(scene.dots["org_id"])]
    if len(scene.links):
        groups.append(_links_layer(scene))
    if changed is not None:
        groups.append(changed)
    if scene.view.country in shapes:
        groups.append(_selection_layer(scene, shapes[scene.view.country]))
    if scene.view.basemap:
        online = folium.FeatureGroup(name="Online basemap", control=False)
        folium.TileLayer("OpenStreetMap").add_to(online)
        groups.insert(0, online)
    return groups


def complete_map(countries: gpd.GeoDataFrame, scene: Scene, shapes: dict[str, dict],
                 assets: tuple[str, str], extent: Extent | None = None) -> folium.Map:
    """One map with the view's layers and the layer control on it, framed as ``extent`` (None:
    the region); for files and tests (the dashboard sends the layers separately so the browser
    keeps its view)."""
    m = base_map(countries, scene.palette, assets)
    for group in view_layers(scene, shapes):
        group.add_to(m)
    layer_control().add_to(m)
    if extent is not None:
        m.fit_bounds([[extent.south, extent.west], [extent.north, extent.east]])
    return m


def layer_control() -> folium.LayerControl:
    """The control listing the view's overlays: open, in the empty South Atlantic corner."""
    return RememberingLayerControl(collapsed=False, position="bottomright")


def shapes_of(countries: gpd.GeoDataFrame) -> dict[str, dict]:
    """ISO3 → GeoJSON geometry of each state (computed once, reused by every view), with
    coordinates rounded to :data:`DECIMALS`."""
    states = countries[countries["kind"] == "state"]
    return dict(zip(states["iso3"], _geojson(states.geometry.to_numpy())[0], strict=True))


def legend_html(scene: Scene) -> str:
    """The legend's HTML: what every fill, dot and line on the map means (escaped)."""
    *classes, (cuba, cuba_label) = scene.legend
    html = [f"<b>{escape(scene.legend_title)}</b>", '<div class="ramp">']
    html += [f'<div><span style="background:{c}"></span>{escape(label)}</div>'
             for c, label in classes]
    html.append(f'<div><span style="background:{cuba}"></span>{escape(cuba_label)}</div></div>')
    palette = scene.palette
    html.append(f'<div><span class="line" style="background:{palette.land};'
                f'border:1px solid {palette.land_line};height:9px"></span>'
                "territories and neighbours (not in the atlas)</div>")
    if scene.view.country:
        html.append(f'<div><span class="line" style="background:{palette.highlight}"></span>'
                    "bold outline: the selected country</div>")
    orgs = [o for o in scene.view.alliances if o in set(scene.dots["org_id"])]
    if orgs:
        html.append('<b>Alliances (dots by the capital)</b><div class="grid">')
        html += [f'<div><span class="dot" style="background:{scene.org_colours[o]};'
                 f'border-color:{scene.org_colours[o]}"></span>{escape(o)}</div>' for o in orgs]
        html.append('</div><div><span class="dot" style="border-color:#555"></span>'
                    "hollow: associate, observer, suspended or inactive</div>")
    if len(scene.links):
        html.append("<b>Cuba's links: main activity</b><div class=\"grid wide\">")
        government = scene.links[scene.links["counterpart"] == "government"]
        html += [f'<div><span class="line" style="background:{scene.activity_colours[a]}">'
                 f"</span>{escape(ACTIVITIES[a])}</div>"
                 for a in dict.fromkeys(government["activity"])]
        if (scene.links["counterpart"] == "armed_opposition").any():
            html.append(f'<div><span class="line" style="background:repeating-linear-gradient('
                        f'90deg,{OPPOSITION} 0 6px,transparent 6px 10px)"></span>'
                        "dashed: support to armed opposition (not counted as cooperation)</div>")
        html.append("</div>")
    return "".join(html)


def _feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _countries_layer(scene: Scene, shapes: dict[str, dict],
                     legend_extra: str = "") -> folium.FeatureGroup:
    """Filled states, a click target at the capital of each small island state, the legend."""
    palette = scene.palette
    group = LeanFeatureGroup(name="Countries", control=False)
    rows = scene.states
    fills = dict(zip(rows["iso3"], rows["fill"], strict=True))
    polygons = [_feature(shapes[iso3], iso3=iso3, kind="state", tooltip=tip)
                for iso3, tip in zip(rows["iso3"], rows["tooltip"], strict=True)]
    LeanGeoJson(
        _collection(polygons), name="Countries",
        style_function=lambda f: _country_style(f["properties"]["iso3"], fills, palette),
        highlight_function=lambda _: {"weight": 2.5, "color": palette.highlight},
        tooltip=LeanTooltip(fields=["tooltip"], labels=False, sticky=True),
    ).add_to(group)
    small = rows[rows["small"]]
    targets = [_feature({"type": "Point", "coordinates": [lon, lat]}, iso3=iso3, kind="state",
                        tooltip=tip)
               for iso3, lon, lat, tip in zip(small["iso3"], small["lon"], small["lat"],
                                              small["tooltip"], strict=True)]
    if targets:
        LeanGeoJson(
            _collection(targets), name="Small island states",
            marker=folium.CircleMarker(radius=7),
            style_function=lambda f: {**_country_style(f["properties"]["iso3"], fills, palette),
                                      "weight": 1.5, "color": palette.line},
            tooltip=LeanTooltip(fields=["tooltip"], labels=False),
        ).add_to(group)
    Legend(legend_html(scene) + legend_extra, large=scene.view.present).add_to(group)
    return group


def _country_style(iso3: str, fills: dict[str, str], palette: Palette) -> dict:
    cuba = iso3 == "CUB"
    return {"fillColor": fills[iso3], "fillOpacity": 0.92,
            "color": palette.cuba_line if cuba else palette.line,
            "weight": 2.2 if cuba else palette.line_weight}


def _alliance_layer(scene: Scene, org_id: str) -> folium.FeatureGroup:
    """One dot per country with a status in ``org_id``, in the alliance's fixed slot.

    Dots are not clickable: at the regional zoom they would hide a neighbour's click target.
    The dot's look (filled or hollow) and slot are in the layer's style switch, by ``iso3``.
    """
    dots = scene.dots[scene.dots["org_id"] == org_id]
    colour = scene.org_colours[org_id]
    styles = {iso3: {"html": _dot_html(colour, status), "iconAnchor": [4 - dx, 4 - dy]}
              for iso3, dx, dy, status in zip(dots["iso3"], dots["dx"], dots["dy"],
                                              dots["status"], strict=True)}
    features = [_feature({"type": "Point", "coordinates": [lon, lat]}, iso3=iso3)
                for iso3, lon, lat in zip(dots["iso3"], dots["lon"], dots["lat"],
                                          strict=True)]
    group = LeanFeatureGroup(name=escape(org_id))
    LeanGeoJson(
        _collection(features), name=escape(org_id),
        marker=folium.Marker(icon=folium.DivIcon(class_name="atlas-dot", icon_size=(8, 8)),
                             interactive=False, keyboard=False),
        style_function=lambda f: styles[f["properties"]["iso3"]],
    ).add_to(group)
    return group


def _dot_html(colour: str, status: str) -> str:
    fill = colour if status == "member" else HOLLOW
    return f'<i style="background:{fill};border-color:{colour}"></i>'


def _links_layer(scene: Scene) -> folium.FeatureGroup:
    """Curved lines from Havana to each partner: width by records, colour by main activity;
    support to an armed opposition dashed, in its own colour."""
    links = scene.links
    keys = (links["iso3"] + ":" + links["counterpart"]).tolist()
    styles = {key: {"color": colour, "opacity": 0.85, "weight": weight, "lineCap": "round",
                    **({"dashArray": "8 6"} if counterpart == "armed_opposition" else {})}
              for key, colour, weight, counterpart in zip(keys, links["colour"],
                                                          links["weight"],
                                                          links["counterpart"], strict=True)}
    features = [_feature({"type": "LineString", "coordinates": line}, iso3=iso3, kind="state",
                         link=key, tooltip=tip)
                for key, iso3, line, tip in zip(keys, links["iso3"], links["line"],
                                                links["tooltip"], strict=True)]
    group = LeanFeatureGroup(name="Cuba's links")
    LeanGeoJson(
        _collection(features), name="Cuba's links",
        style_function=lambda f: styles[f["properties"]["link"]],
        highlight_function=lambda _: {"opacity": 1},
        tooltip=LeanTooltip(fields=["tooltip"], labels=False, sticky=True),
    ).add_to(group)
    return group


def _selection_layer(scene: Scene, geometry: dict) -> folium.FeatureGroup:
    """A bold outline around the selected country (not clickable, so it never hides it)."""
    group = LeanFeatureGroup(name="Selected country", control=False)
    LeanGeoJson(
        _collection([_feature(geometry, iso3=scene.view.country)]),
        style_function=lambda _: {"fill": False, "color": scene.palette.highlight,
                                  "weight": 4, "opacity": 1},
        interactive=False,
    ).add_to(group)
    return group


def changes_layer(main_change: dict[str, str], shapes: dict[str, dict], since: int,
                  labels: dict[str, str], colours: dict[str, str]) -> folium.FeatureGroup:
    """Outlines in a distinct colour for each country that changed since ``since``."""
    features = [_feature(shapes[iso3], iso3=iso3, kind="state", colour=colours[change],
                         tooltip=f"Since {since}: {escape(labels[change])}")
                for iso3, change in main_change.items() if iso3 in shapes]
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
    rows = "".join(f'<div><span class="line" style="background:{colours[k]}"></span>'
                   f"{escape(labels[k])}</div>" for k in kinds)
    return f"<b>Changed since {since} (dashed outlines)</b>{rows}" if kinds else ""
