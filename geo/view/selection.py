"""What a click on the map selects: plain data in (the clicked feature and point), a decision out.

Only the clicked feature's ISO3 code is read from the browser, and only a code the atlas knows
is used: names and notes come from the atlas itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
from shapely.geometry import Point

CONTEXT_NOTE = {
    "territory": "A non-sovereign territory: the atlas records the 33 CELAC states.",
    "context": "Neighbouring land, drawn for context.",
}
NEAR = 0.3  # degrees: a click this close to the selected country's shape is still on it


@dataclass(frozen=True)
class Click:
    """The outcome of a click: when ``selects``, the selection becomes ``country`` (None clears
    it); ``note`` is a line to show under the map (None: no note)."""

    selects: bool = False
    country: str | None = None
    note: str | None = None


def click_outcome(places: gpd.GeoDataFrame, feature: dict | None, point: dict | None,
                  selected: str | None) -> Click:
    """Turn the clicked ``feature`` (a GeoJSON feature, or None) or the clicked ``point``
    (``{"lat", "lng"}``, when no feature was hit: a point on a state still selects it) into a
    :class:`Click`. Never fails.

    ``places`` is ``atlas.countries`` indexed by ``iso3``.
    """
    if feature:
        iso3 = str((feature.get("properties") or {}).get("iso3"))
        if iso3 not in places.index:
            return Click()
        if places.at[iso3, "kind"] == "state":
            return Click(selects=True, country=iso3)
        kind = places.at[iso3, "kind"]
        return Click(note=f"{places.at[iso3, 'name_en']}: {CONTEXT_NOTE[kind]}")
    if not point:
        return Click()
    try:
        where = Point(float(point.get("lng", 0)), float(point.get("lat", 0)))
    except (TypeError, ValueError, AttributeError):
        return Click()
    states = places[places["kind"] == "state"]
    under = states.index[states.geometry.contains(where)]
    if len(under):  # the feature's own event came late (or not at all): the shape decides
        return Click(selects=True, country=str(under[0]))
    if selected in places.index and not places.geometry[selected].buffer(NEAR).contains(where):
        return Click(selects=True, note="No country there: selection cleared.")
    return Click()
