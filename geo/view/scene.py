"""The scene: what the map shows for one view, as plain tables (no folium, no Streamlit).

The interactive map (:mod:`geo.render.webmap`) and the slide export draw the same scene, so the
colours, legend and filters on screen and on the slide always agree. Text meant for HTML
(``tooltip``) is escaped here, once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.data.atlas import CUBA, Atlas, by_status, cited_sources
from geo.data.vocab import ACTIVITIES, EVIDENCE, STATUSES
from geo.view.changes import changes
from geo.view.colours import (
    CLASSES,
    NOT_MEMBER,
    OPPOSITION,
    PALETTE,
    STATUS_COLOURS,
    Palette,
    qualitative,
)
from geo.view.state import MODES, View

LEGEND_TITLES = {
    "alliances": "Membership status in {focus}",
    "cooperation": "Cuban cooperation records active in the year",
    "shared": "Alliances shared with Cuba (full members)",
}
SMALL_ISLAND_AREA = 0.2  # square degrees: a small state under this is an Eastern Caribbean island
LINK_POINTS = 24

# Marks are laid out in screen pixels at LAYOUT_ZOOM, the smallest zoom the region opens at
# (a 1280x720 screen): at any larger zoom they only move further apart.
LAYOUT_ZOOM = 2.75
MARKER_RADIUS = 6  # small state markers: filled, in the state's colour
MIN_TARGET = 4  # pixels: a shape holding no disc this wide gets a marker
ISLAND_COLUMN = (-52.5, 25.5)  # (lon, lat) of the first island marker, in the open Atlantic
ISLAND_STEP = 15  # pixels between two island markers (north to south) at LAYOUT_ZOOM
CHIP = 6  # an alliance layer's mark: a square of CHIP pixels in the state's box of chips
CHIP_COLUMNS = 4
CHIP_RINGS = range(0, 100, 6)  # how far (px) a box of chips may move off its anchor


@dataclass(frozen=True)
class Scene:
    """Everything drawn for one view.

    ``states``: one row per CELAC state (``iso3, name, value, status, fill, tooltip, small``,
    ``opposed``: the records of Cuban support to an armed opposition there, never counted in
    ``value``; small states also have ``marker_lon, marker_lat``, where their marker is drawn);
    ``chips``: one row per (state, alliance layer) with a status that year (``slot``: the
    layer's place in the state's box); ``boxes``: where each state's box of chips is drawn
    (``lon, lat``, its size in pixels ``w, h`` and the ``anchor`` it is linked to when moved);
    ``links``: one row per partner with cooperation (``n, activity, colour, weight, line``;
    none when the view hides Cuba's links);
    ``records`` and ``statuses``: the rows behind it all (statuses in every organisation),
    with their sources; ``sources``: the distinct sources they cite
    (:func:`geo.data.atlas.cited_sources`);
    ``changes``: what changed since the comparison year (:func:`geo.view.changes.changes`), or
    None when the view compares nothing.
    """

    view: View
    palette: Palette
    states: pd.DataFrame
    legend_title: str
    legend: tuple[tuple[str, str], ...]
    chips: pd.DataFrame
    boxes: pd.DataFrame
    links: pd.DataFrame
    records: pd.DataFrame
    statuses: pd.DataFrame
    sources: pd.DataFrame
    org_colours: dict[str, str]
    activity_colours: dict[str, str]
    havana: tuple[float, float]
    changes: pd.DataFrame | None = None


def build_scene(atlas: Atlas, view: View) -> Scene:
    """The scene for ``view``: colours by mode, small island markers, the alliance layers'
    chips, Cuba's links, tooltips.

    Built from plain lists and dicts (the atlas's :meth:`~Atlas.status_map`) rather than pandas
    operations, and the boxes' layout is reused while the same states have boxes, so a view
    costs a few milliseconds (it runs on every year or filter the page has not seen yet).
    """
    palette = PALETTE[view.palette]
    statuses = atlas.statuses(view.year)
    by_state = atlas.status_map(view.year)
    records = atlas.cooperation(year=view.year, activities=view.activities,
                                evidence=view.evidence)
    geography = _geography(atlas.countries)
    iso3s = geography.states["iso3"]
    status = [by_state.get(iso3, {}).get(view.focus, "") for iso3 in iso3s]
    government, opposed = record_counts(records)
    value = _values(view, iso3s, by_state, government)
    org_colours = qualitative(sorted(atlas.organisations["org_id"]))
    activity_colours = qualitative(list(ACTIVITIES))
    countries = pd.DataFrame({
        **{column: geography.states[column] for column in ("iso3", "name")},
        "value": np.array(value, dtype=np.int64),
        "status": status,
        **{column: geography.states[column]
           for column in ("lon", "lat", "small", "marker_lon", "marker_lat")},
        "fill": [_fill(view, palette, *row) for row in zip(iso3s, value, status, strict=True)],
        "opposed": np.array([opposed.get(iso3, 0) for iso3 in iso3s], dtype=np.int64),
    })
    countries["tooltip"] = tooltips(countries, by_state, government, opposed, view.year)
    havana = geography.havana
    chips = _chips(iso3s, statuses, view, org_colours)
    return Scene(
        view=view, palette=palette, states=countries,
        legend_title=LEGEND_TITLES[view.mode].format(focus=view.focus),
        legend=_legend(view, palette),
        chips=chips, boxes=_boxes(geography, chips),
        links=_links(countries, records if view.links else records.iloc[:0],
                     activity_colours, havana),
        records=records, statuses=statuses, sources=cited_sources(records, statuses),
        org_colours=org_colours, activity_colours=activity_colours, havana=havana,
        changes=_changes(atlas, view),
    )


def _changes(atlas: Atlas, view: View) -> pd.DataFrame | None:
    """What changed between the comparison year and the year shown (None: no comparison)."""
    if view.compare is None or view.compare == view.year:
        return None
    return changes(atlas, view.compare, view.year, sorted(atlas.organisations["org_id"]),
                   view.activities, view.evidence)


def _values(view: View, iso3s: list[str], by_state: dict[str, dict[str, str]],
            government: Counter) -> list[int]:
    """Per country, the count the colour mode draws (alliance mode: 1 for a full member of the
    focal organisation, else 0, its colour is the status itself; cooperation mode: records of
    cooperation with its government; shared mode: organisations it is a full member of together
    with Cuba, 0 for Cuba)."""
    if view.mode == "alliances":
        return [int(by_state.get(iso3, {}).get(view.focus) == "member") for iso3 in iso3s]
    if view.mode == "cooperation":  # support to rebels is apart
        return [government.get(iso3, 0) for iso3 in iso3s]
    cuban = _full(by_state.get(CUBA, {}))
    return [0 if iso3 == CUBA else len(cuban & _full(by_state.get(iso3, {})))
            for iso3 in iso3s]


def record_counts(records: pd.DataFrame) -> tuple[Counter, Counter]:
    """Records per country: of cooperation with its government, of support to an armed
    opposition."""
    found = {"government": Counter(), "armed_opposition": Counter()}
    for iso3, counterpart in zip(records["iso3"].tolist(), records["counterpart"].tolist(),
                                 strict=True):
        found[counterpart][iso3] += 1
    return found["government"], found["armed_opposition"]


def _full(statuses: dict[str, str]) -> set[str]:
    return {org for org, status in statuses.items() if status == "member"}


def _fill(view: View, palette: Palette, iso3: str, value: int, status: str) -> str:
    if iso3 == CUBA:
        return palette.cuba
    if view.mode == "alliances":
        return palette.status_colour(status)
    return palette.class_colour(value)


def _legend(view: View, palette: Palette) -> tuple[tuple[str, str], ...]:
    """(colour, label) for every class or status the mode can produce, then Cuba."""
    if view.mode == "alliances":
        entries = [(STATUS_COLOURS[s], s) for s in STATUSES]
        entries.append((palette.status_colour(None), NOT_MEMBER))
    else:
        entries = [(palette.ramp[i], CLASSES[i]) for i in range(len(CLASSES))]
    return (*entries, (palette.cuba, "Cuba"))


def tooltips(countries: pd.DataFrame, by_state: dict[str, dict[str, str]], government: Counter,
             opposed: Counter, year: int) -> list[str]:
    """Escaped HTML per country: name, statuses in every organisation (``by_state``, as
    :meth:`Atlas.status_map` gives them; statuses in the order they first appear, alliances
    sorted), records of cooperation with its government and of support to an armed opposition
    (:func:`record_counts`)."""
    tips = []
    for iso3, name in zip(countries["iso3"].tolist(), countries["name"].tolist(), strict=True):
        lines = [f"<b>{escape(name)}</b> · {year}"]
        if iso3 not in by_state:
            lines.append("No membership in any organisation")
        else:
            lines += [f"{escape(status.capitalize())}: {', '.join(escape(o) for o in sorted(orgs))}"
                      for status, orgs in by_status(by_state[iso3]).items()]
        if iso3 != CUBA:
            lines.append(f"Cooperation with the government: {government.get(iso3, 0)} record(s)")
        if opposed.get(iso3):
            lines.append(f"Cuban support to armed opposition: {opposed[iso3]} record(s)")
        tips.append("<br>".join(lines))
    return tips


def _px(lon, lat) -> np.ndarray:
    """Web Mercator pixels at :data:`LAYOUT_ZOOM` of (lon, lat) arrays, as columns x, y."""
    size = 256 * 2**LAYOUT_ZOOM
    lat = np.radians(np.asarray(lat, dtype=float))
    x = (np.asarray(lon, dtype=float) + 180) / 360 * size
    y = (1 - np.log(np.tan(np.pi / 4 + lat / 2)) / np.pi) / 2 * size
    return np.column_stack([x, y])


def _lonlat(xy: np.ndarray) -> np.ndarray:
    """The inverse of :func:`_px`: (lon, lat) columns, rounded to 1e-3 degree."""
    size = 256 * 2**LAYOUT_ZOOM
    lon = xy[:, 0] / size * 360 - 180
    lat = np.degrees(2 * np.arctan(np.exp(np.pi * (1 - 2 * xy[:, 1] / size))) - np.pi / 2)
    return np.round(np.column_stack([lon, lat]), 3)


def island_markers(countries: gpd.GeoDataFrame) -> pd.DataFrame:
    """Where each small state's marker is drawn (``iso3, lon, lat`` of the capital,
    ``marker_lon, marker_lat``): a state whose shape holds no disc of :data:`MIN_TARGET` pixels
    at the opening zoom gets a filled marker, so it can be seen and clicked. The islands of the
    Eastern Caribbean (under :data:`SMALL_ISLAND_AREA`) stand in one column in the open
    Atlantic, north to south in the order of the islands, like an inset; every other small state
    gets the nearest spot where its marker covers no other land and no other marker. Each marker
    is linked to its capital by a leader line. Depends only on the geography (computed once)."""
    return _geography(countries).markers


@dataclass(frozen=True, eq=False)
class _Geography:
    """What a scene takes from the countries' table alone, worked out once per table: the
    states' columns (``iso3, name, lon, lat`` of the capital, ``small``, ``marker_lon,
    marker_lat``) as lists, Havana, and for the boxes of chips, per state the point its box is
    anchored to (in pixels at :data:`LAYOUT_ZOOM`; for a state with a marker, the point just
    right of the marker, where its box's left edge goes) and the order boxes are placed in
    (markers first, then smallest)."""

    countries: gpd.GeoDataFrame
    markers: pd.DataFrame
    states: dict[str, list]
    havana: tuple[float, float]
    anchors: dict[str, tuple[float, float]]
    rank: dict[str, tuple[bool, float, str]]
    islands: frozenset[str]


def _geography(countries: gpd.GeoDataFrame) -> _Geography:
    """The geography of ``countries``, computed once per table (kept for the last few)."""
    found = _GEOGRAPHY.get(id(countries))
    if found is None or found.countries is not countries:
        found = _GEOGRAPHY[id(countries)] = _survey(countries)
        while len(_GEOGRAPHY) > 8:
            del _GEOGRAPHY[next(iter(_GEOGRAPHY))]
    return found


_GEOGRAPHY: dict[int, _Geography] = {}


def _survey(countries: gpd.GeoDataFrame) -> _Geography:
    markers = _place_markers(countries)
    marker_px = dict(zip(markers["iso3"], _px(markers["marker_lon"], markers["marker_lat"]),
                         strict=True))
    where = dict(zip(markers["iso3"], zip(markers["marker_lon"].tolist(),
                                          markers["marker_lat"].tolist(), strict=True),
                     strict=True))
    nowhere = (np.nan, np.nan)  # a state with no marker
    states = countries[countries["kind"] == "state"]
    iso3s = states["iso3"].tolist()
    columns = {"iso3": iso3s, "name": states["name_en"].tolist(),
               "lon": states["capital_lon"].tolist(), "lat": states["capital_lat"].tolist(),
               "small": [iso3 in where for iso3 in iso3s],
               "marker_lon": [where.get(iso3, nowhere)[0] for iso3 in iso3s],
               "marker_lat": [where.get(iso3, nowhere)[1] for iso3 in iso3s]}
    anchors, rank = {}, {}
    for iso3, shape in zip(iso3s, states.geometry, strict=True):
        if iso3 in marker_px:  # beside its marker, clear of it
            x, y = marker_px[iso3]
            anchors[iso3] = (float(x) + MARKER_RADIUS + 3, float(y))
        else:
            part = max(getattr(shape, "geoms", [shape]), key=lambda g: g.area)
            inner = part.centroid if part.contains(part.centroid) else part.point_on_surface()
            anchors[iso3] = tuple(map(float, _px([inner.x], [inner.y])[0]))
        rank[iso3] = (iso3 not in marker_px, shape.area, iso3)
    cuba = iso3s.index(CUBA) if CUBA in iso3s else None
    havana = (float(columns["lon"][cuba]), float(columns["lat"][cuba])) if cuba is not None \
        else (np.nan, np.nan)
    return _Geography(countries, markers, columns, havana, anchors, rank, frozenset(marker_px))


def _place_markers(countries: gpd.GeoDataFrame) -> pd.DataFrame:
    def pixels(geometry):
        return shapely.transform(geometry, lambda xy: _px(xy[:, 0], xy[:, 1]))

    land = {iso3: pixels(g) for iso3, g in zip(countries["iso3"], countries.geometry,
                                                strict=True)}
    states = countries[(countries["kind"] == "state") & (countries["iso3"] != CUBA)]
    inner = {iso3: land[iso3].buffer(-MIN_TARGET).is_empty for iso3 in states["iso3"]}
    small = states[[inner[i] for i in states["iso3"]]]
    column = small[shapely.area(small.geometry.to_numpy()) < SMALL_ISLAND_AREA]
    column = column.sort_values("capital_lat", ascending=False)
    first = _px([ISLAND_COLUMN[0]], [ISLAND_COLUMN[1]])[0]
    placed = {iso3: first + np.array([0, i * ISLAND_STEP]) for i, iso3 in enumerate(column["iso3"])}
    rest = small[~small["iso3"].isin(placed)].sort_values("iso3")
    for iso3, lon, lat in zip(rest["iso3"], rest["capital_lon"], rest["capital_lat"],
                              strict=True):
        others = shapely.union_all([g for i, g in land.items() if i != iso3])
        shapely.prepare(others)
        placed[iso3] = _free_marker_spot(_px([lon], [lat])[0], others, list(placed.values()))
    order = [*column["iso3"], *rest["iso3"]]
    rows = states.set_index("iso3").loc[order]
    where = _lonlat(np.array([placed[i] for i in order])) if order else np.empty((0, 2))
    return pd.DataFrame({"iso3": order, "lon": rows["capital_lon"].to_numpy(),
                         "lat": rows["capital_lat"].to_numpy(),
                         "marker_lon": where[:, 0], "marker_lat": where[:, 1]})


def _free_marker_spot(anchor: np.ndarray, others, taken: list[np.ndarray]) -> np.ndarray:
    """The spot nearest ``anchor`` (on rings around it) where a marker covers no land in
    ``others`` and keeps clear of the markers ``taken``."""
    clear = MARKER_RADIUS + 2
    for radius in range(0, 120, 2):
        for k in range(max(1, radius)):
            angle = 2 * np.pi * k / max(1, radius)
            spot = anchor + radius * np.array([np.cos(angle), np.sin(angle)])
            if (all(np.hypot(*(spot - t)) >= 2 * clear for t in taken)
                    and not others.intersects(shapely.Point(spot).buffer(clear))):
                return spot
    return anchor


def _chips(iso3s: list[str], statuses: pd.DataFrame, view: View,
           org_colours: dict[str, str]) -> pd.DataFrame:
    """One chip per (state, alliance layer) with a status that year, in the layer's slot."""
    slot = {o: i for i, o in enumerate(sorted(view.alliances))}
    states = set(iso3s)
    rows = [(iso3, org, status) for iso3, org, status in zip(
        statuses["iso3"].tolist(), statuses["org_id"].tolist(), statuses["status"].tolist(),
        strict=True) if org in slot and iso3 in states]
    iso3, org, status = zip(*rows, strict=True) if rows else ((), (), ())
    return pd.DataFrame({
        "iso3": pd.Series(iso3, dtype="str"), "org_id": pd.Series(org, dtype="str"),
        "status": pd.Series(status, dtype="str"),
        "slot": np.array([slot[o] for o in org], dtype=np.int64),
        "colour": pd.Series([org_colours[o] for o in org], dtype="str"),
    })


def chip_box(layers: int) -> tuple[int, int]:
    """Width and height in pixels of a box holding ``layers`` chips (CHIP_COLUMNS a row)."""
    columns, rows = min(layers, CHIP_COLUMNS), -(-layers // CHIP_COLUMNS)
    return columns * (CHIP + 1) + 1, rows * (CHIP + 1) + 1


BOX_COLUMNS = ["iso3", "lon", "lat", "anchor_lon", "anchor_lat", "w", "h", "moved"]


def _boxes(geography: _Geography, chips: pd.DataFrame) -> pd.DataFrame:
    """Where each state's box of chips goes (:func:`_box_layout`), for the states with chips."""
    if chips.empty:
        return pd.DataFrame(columns=BOX_COLUMNS)
    w, h = chip_box(int(chips["slot"].max()) + 1)
    return _box_layout(geography, frozenset(chips["iso3"].tolist()), w, h)


@lru_cache(maxsize=128)
def _box_layout(shapes: _Geography, states: frozenset[str], w: int, h: int) -> pd.DataFrame:
    """Where the boxes of ``states`` go: beside its marker for a small island state, on a
    point inside its shape otherwise, moved (and then linked to that point) when it would
    overlap a marker or another box. Laid out in pixels at :data:`LAYOUT_ZOOM`, smallest
    states first, so no two marks overlap at the opening zoom or closer. It depends on which
    states have boxes and on their size only, so most years and filters reuse one layout
    (shared: never change it)."""
    markers = shapes.markers
    taken = [(x - MARKER_RADIUS - 1, y - MARKER_RADIUS - 1, x + MARKER_RADIUS + 1,
              y + MARKER_RADIUS + 1)
             for x, y in _px(markers["marker_lon"], markers["marker_lat"])]
    placed = []
    for iso3 in sorted(states, key=shapes.rank.__getitem__):
        ax, ay = shapes.anchors[iso3]
        anchor = (ax + w / 2, ay) if iso3 in shapes.islands else (ax, ay)
        x, y = _free_spot(anchor, w, h, taken)
        taken.append((x - w / 2 - 1, y - h / 2 - 1, x + w / 2 + 1, y + h / 2 + 1))
        placed.append((iso3, x, y, *anchor, (x, y) != anchor))
    frame = pd.DataFrame(placed, columns=["iso3", "x", "y", "ax", "ay", "moved"])
    centre = _lonlat(frame[["x", "y"]].to_numpy())
    anchor = _lonlat(frame[["ax", "ay"]].to_numpy())
    return pd.DataFrame({"iso3": frame["iso3"], "lon": centre[:, 0], "lat": centre[:, 1],
                         "anchor_lon": anchor[:, 0], "anchor_lat": anchor[:, 1],
                         "w": w, "h": h, "moved": frame["moved"]}, columns=BOX_COLUMNS)


def _free_spot(anchor: tuple[float, float], w: int, h: int,
               taken: list[tuple[float, float, float, float]]) -> tuple[float, float]:
    """The first centre on rings around ``anchor`` where a w x h box overlaps nothing taken
    (each ring's candidates tested at once)."""
    left, top, right, bottom = np.asarray(taken, dtype=float).reshape(-1, 4).T
    for radius in CHIP_RINGS:
        angle = 2 * np.pi * np.arange(max(1, radius)) / max(1, radius)
        x = (anchor[0] + radius * np.cos(angle))[:, None]
        y = (anchor[1] + radius * np.sin(angle))[:, None]
        hit = ((x - w / 2 < right) & (left < x + w / 2) & (y - h / 2 < bottom)
               & (top < y + h / 2)).any(axis=1)
        if (free := np.flatnonzero(~hit)).size:
            return float(x[free[0], 0]), float(y[free[0], 0])
    return anchor


def _links(countries: pd.DataFrame, records: pd.DataFrame, activity_colours: dict[str, str],
           havana: tuple[float, float]) -> pd.DataFrame:
    """One curved line from Havana per partner and counterpart: width by records, colour by
    main activity for cooperation with the government; support to an armed opposition is a
    separate line in its own colour (``counterpart`` says which).

    The main activity is the most frequent one; a tie goes to the first in the vocabulary.
    """
    order = {a: i for i, a in enumerate(ACTIVITIES)}
    where = {iso3: (name, float(lon), float(lat)) for iso3, name, lon, lat in zip(
        countries["iso3"].tolist(), countries["name"].tolist(), countries["lon"].tolist(),
        countries["lat"].tolist(), strict=True)}
    per_partner: dict[tuple[str, str], Counter] = {}
    for iso3, counterpart, activity in zip(records["iso3"].tolist(),
                                           records["counterpart"].tolist(),
                                           records["activity"].tolist(), strict=True):
        if iso3 in where:
            per_partner.setdefault((iso3, counterpart), Counter())[activity] += 1
    rows = []
    for iso3, counterpart in sorted(per_partner):
        counts = per_partner[iso3, counterpart]
        n = sum(counts.values())
        top = min(counts, key=lambda a: (-counts[a], order[a]))
        name, lon, lat = where[iso3]
        opposed = counterpart == "armed_opposition"
        rows.append({
            "iso3": iso3, "name": name, "n": n, "activity": top, "counterpart": counterpart,
            "colour": OPPOSITION if opposed else activity_colours[top],
            "weight": 2 + 1.5 * min(n, 6),
            "line": _curve(havana, (lon, lat), bow=-0.2 if opposed else 0.2),
        })
    columns = ["iso3", "name", "n", "activity", "counterpart", "colour", "weight", "line"]
    return pd.DataFrame(rows, columns=columns)


@lru_cache(maxsize=256)
def _curve(start: tuple[float, float], end: tuple[float, float],
           bow: float = 0.2) -> list[list[float]]:
    """A quadratic Bézier from ``start`` to ``end`` (lon, lat), bowed to the left (to the
    right when ``bow`` is negative). The same few lines are drawn in every view: computed once
    each (shared: never change one)."""
    (x0, y0), (x1, y1) = start, end
    cx, cy = (x0 + x1) / 2 - (y1 - y0) * bow, (y0 + y1) / 2 + (x1 - x0) * bow
    t = np.linspace(0, 1, LINK_POINTS)[:, None]
    points = (1 - t) ** 2 * [x0, y0] + 2 * (1 - t) * t * [cx, cy] + t**2 * [x1, y1]
    return np.round(points, 3).tolist()


def describe(view: View, atlas: Atlas) -> str:
    """The active filters in words, for titles, slides and exports."""
    mode = (f"Membership status in {view.focus}" if view.mode == "alliances"
            else MODES[view.mode])
    parts = [mode, f"as of 1 July {view.year}"]
    if view.alliances:
        parts.append("alliance layers: " + ", ".join(view.alliances))
    parts.append("all activities" if len(view.activities) == len(ACTIVITIES)
                 else "activities: " + (", ".join(ACTIVITIES[a].lower() for a in view.activities)
                                        or "none"))
    parts.append("all evidence grades" if len(view.evidence) == len(EVIDENCE)
                 else "evidence: " + (", ".join(view.evidence) or "none"))
    return "; ".join(parts)


def membership_matrix(atlas: Atlas, year: int) -> pd.DataFrame:
    """States x organisations on 1 July of ``year``: one row per CELAC state (``country``,
    ``iso3``), one column per organisation holding the status ('' when not a member)."""
    states = atlas.states.sort_values("name_en")
    statuses = atlas.statuses(year).pivot(index="iso3", columns="org_id", values="status")
    orgs = sorted(atlas.organisations["org_id"])
    table = statuses.reindex(index=states["iso3"], columns=orgs, fill_value="").fillna("")
    table.insert(0, "country", states["name_en"].to_numpy())
    return table.reset_index(names="iso3")[["country", "iso3", *orgs]]
