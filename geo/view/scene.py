"""The scene: what the map shows for one view, as plain tables (no folium, no Streamlit).

The interactive map (:mod:`geo.render.webmap`) and the slide export draw the same scene, so the
colours, legend and filters on screen and on the slide always agree. Text meant for HTML
(``tooltip``) is escaped here, once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import shapely

from geo.data.atlas import CUBA, Atlas
from geo.data.vocab import ACTIVITIES, EVIDENCE
from geo.view.changes import changes
from geo.view.colours import CLASSES, OPPOSITION, PALETTE, Palette, qualitative
from geo.view.state import MODES, View

LEGEND_TITLES = {
    "alliances": "Selected alliances the country is a full member of",
    "cooperation": "Cuban cooperation records active in the year",
    "shared": "Selected alliances shared with Cuba (full members)",
}
SMALL_ISLAND_AREA = 0.2  # square degrees: below this a state gets a click target at its capital
DOT_COLUMNS = 6
DOT_SPACING = 9  # pixels between the centres of two alliance dots
LINK_POINTS = 24


@dataclass(frozen=True)
class Scene:
    """Everything drawn for one view.

    ``states``: one row per CELAC state (``iso3, name, value, fill, tooltip, small`` and
    ``opposed``, the records of Cuban support to an armed opposition there, never counted in
    ``value``);
    ``dots``: one row per (state, selected alliance) with a status that year;
    ``links``: one row per partner with cooperation (``n, activity, colour, weight, line``);
    ``records`` and ``statuses``: the filtered rows behind it all, with their sources;
    ``changes``: what changed since the comparison year (:func:`geo.view.changes.changes`), or
    None when the view compares nothing.
    """

    view: View
    palette: Palette
    states: pd.DataFrame
    legend_title: str
    legend: tuple[tuple[str, str], ...]
    dots: pd.DataFrame
    links: pd.DataFrame
    records: pd.DataFrame
    statuses: pd.DataFrame
    org_colours: dict[str, str]
    activity_colours: dict[str, str]
    havana: tuple[float, float]
    changes: pd.DataFrame | None = None


def build_scene(atlas: Atlas, view: View) -> Scene:
    """The scene for ``view``: colours by mode, alliance dots, Cuba's links, tooltips.

    Built from plain arrays and dicts rather than per-country pandas groups, so a view costs a
    few milliseconds (it runs on every filter change the page has not seen yet).
    """
    palette = PALETTE[view.palette]
    states = atlas.countries[atlas.countries["kind"] == "state"]
    statuses = atlas.statuses(view.year)
    statuses = statuses[statuses["org_id"].isin(view.alliances)]
    records = atlas.cooperation(year=view.year, activities=view.activities,
                                evidence=view.evidence)
    value = _values(atlas, view, statuses, records).reindex(states["iso3"], fill_value=0)
    orgs = sorted(atlas.organisations["org_id"])
    org_colours = qualitative(orgs)
    activity_colours = qualitative(list(ACTIVITIES))
    countries = pd.DataFrame({
        "iso3": states["iso3"].to_numpy(),
        "name": states["name_en"].to_numpy(),
        "value": value.to_numpy(),
        "small": shapely.area(states.geometry.to_numpy()) < SMALL_ISLAND_AREA,
        "lon": states["capital_lon"].to_numpy(),
        "lat": states["capital_lat"].to_numpy(),
    })
    countries["fill"] = [palette.cuba if iso3 == CUBA else palette.class_colour(v)
                         for iso3, v in zip(countries["iso3"], countries["value"], strict=True)]
    opposed = records[records["counterpart"] == "armed_opposition"].groupby("iso3").size()
    countries["opposed"] = opposed.reindex(countries["iso3"], fill_value=0).to_numpy()
    countries["tooltip"] = tooltips(countries, statuses, records, view)
    cuba = countries.loc[countries["iso3"] == CUBA, ["lon", "lat"]].iloc[0]
    havana = (float(cuba["lon"]), float(cuba["lat"]))
    return Scene(
        view=view, palette=palette, states=countries,
        legend_title=LEGEND_TITLES[view.mode], legend=_legend(view, palette),
        dots=_dots(countries, statuses, org_colours, orgs),
        links=_links(countries, records, activity_colours, havana),
        records=records, statuses=statuses, org_colours=org_colours,
        activity_colours=activity_colours, havana=havana,
        changes=_changes(atlas, view),
    )


def _changes(atlas: Atlas, view: View) -> pd.DataFrame | None:
    """What changed between the comparison year and the year shown (None: no comparison)."""
    if view.compare is None or view.compare == view.year:
        return None
    return changes(atlas, view.compare, view.year, view.alliances, view.activities,
                   view.evidence)


def _values(atlas: Atlas, view: View, statuses: pd.DataFrame,
            records: pd.DataFrame) -> pd.Series:
    """Per country, the count the colour mode draws."""
    if view.mode == "alliances":
        return statuses[statuses["status"] == "member"].groupby("iso3").size()
    if view.mode == "cooperation":  # cooperation with governments; support to rebels apart
        return records[records["counterpart"] == "government"].groupby("iso3").size()
    return atlas.shared_with_cuba(view.year, view.alliances)


def _legend(view: View, palette: Palette) -> tuple[tuple[str, str], ...]:
    """(colour, label) for every class the mode can produce, then Cuba."""
    classes = len(CLASSES) if view.mode == "cooperation" else min(len(view.alliances) + 1,
                                                                  len(CLASSES))
    entries = [(palette.ramp[i], CLASSES[i]) for i in range(classes)]
    return (*entries, (palette.cuba, "Cuba"))


def tooltips(countries: pd.DataFrame, statuses: pd.DataFrame, records: pd.DataFrame,
              view: View) -> list[str]:
    """Escaped HTML per country: name, statuses in the selected alliances, record count.

    Statuses are listed in the order they first appear in ``statuses``, alliances sorted.
    """
    by_country: dict[str, dict[str, list[str]]] = {}
    for iso3, status, org in zip(statuses["iso3"], statuses["status"], statuses["org_id"],
                                 strict=True):
        by_country.setdefault(iso3, {}).setdefault(status, []).append(org)
    counts = Counter(records.loc[records["counterpart"] == "government", "iso3"])
    opposed = Counter(records.loc[records["counterpart"] == "armed_opposition", "iso3"])
    tips = []
    for iso3, name in zip(countries["iso3"], countries["name"], strict=True):
        rows = by_country.get(iso3)
        lines = [f"<b>{escape(name)}</b> · {view.year}"]
        if rows is None:
            lines.append("No membership in the selected alliances")
        else:
            lines += [f"{escape(status.capitalize())}: {', '.join(escape(o) for o in sorted(orgs))}"
                      for status, orgs in rows.items()]
        if iso3 != CUBA:
            lines.append(f"Cooperation with the government: {counts.get(iso3, 0)} record(s)")
        if opposed.get(iso3):
            lines.append(f"Cuban support to armed opposition: {opposed[iso3]} record(s)")
        tips.append("<br>".join(lines))
    return tips


def _dots(countries: pd.DataFrame, statuses: pd.DataFrame, org_colours: dict[str, str],
           org_order: list[str]) -> pd.DataFrame:
    """One dot per (state, alliance), in a fixed slot per alliance around the capital."""
    row_of = {iso3: i for i, iso3 in enumerate(countries["iso3"])}
    keep = statuses["iso3"].isin(row_of).to_numpy()
    iso3, org = statuses["iso3"].array[keep], statuses["org_id"].array[keep]
    at = np.array([row_of[i] for i in iso3], dtype=np.int64)
    position = {o: i for i, o in enumerate(org_order)}
    slot = np.array([position[o] for o in org], dtype=np.int64)
    rows = -(-len(org_order) // DOT_COLUMNS)
    return pd.DataFrame({
        "iso3": iso3, "org_id": org, "status": statuses["status"].array[keep],
        "name": countries["name"].array[at], "lon": countries["lon"].to_numpy()[at],
        "lat": countries["lat"].to_numpy()[at],
        "dx": ((slot % DOT_COLUMNS) - (DOT_COLUMNS - 1) / 2) * DOT_SPACING,
        "dy": ((slot // DOT_COLUMNS) - (rows - 1) / 2) * DOT_SPACING + 2 * DOT_SPACING,
        "colour": pd.array([org_colours[o] for o in org], dtype=org.dtype),
    })


def _links(countries: pd.DataFrame, records: pd.DataFrame, activity_colours: dict[str, str],
           havana: tuple[float, float]) -> pd.DataFrame:
    """One curved line from Havana per partner and counterpart: width by records, colour by
    main activity for cooperation with the government; support to an armed opposition is a
    separate line in its own colour (``counterpart`` says which).

    The main activity is the most frequent one; a tie goes to the first in the vocabulary.
    """
    order = {a: i for i, a in enumerate(ACTIVITIES)}
    where = {iso3: (name, float(lon), float(lat)) for iso3, name, lon, lat in zip(
        countries["iso3"], countries["name"], countries["lon"], countries["lat"], strict=True)}
    per_partner: dict[tuple[str, str], Counter] = {}
    for iso3, counterpart, activity in zip(records["iso3"], records["counterpart"],
                                           records["activity"], strict=True):
        if iso3 in where:
            per_partner.setdefault((iso3, counterpart), Counter())[activity] += 1
    rows = []
    for iso3, counterpart in sorted(per_partner):
        counts = per_partner[iso3, counterpart]
        n = sum(counts.values())
        top = min(counts, key=lambda a: (-counts[a], order[a]))
        name, lon, lat = where[iso3]
        opposed = counterpart == "armed_opposition"
        what = ("support to armed opposition" if opposed
                else f"mostly {ACTIVITIES[top].lower()}")
        rows.append({
            "iso3": iso3, "name": name, "n": n, "activity": top, "counterpart": counterpart,
            "colour": OPPOSITION if opposed else activity_colours[top],
            "weight": 2 + 1.5 * min(n, 6),
            "line": _curve(havana, (lon, lat), bow=-0.2 if opposed else 0.2),
            "tooltip": f"<b>Cuba → {escape(name)}</b><br>{n} record(s); {escape(what)}",
        })
    columns = ["iso3", "name", "n", "activity", "counterpart", "colour", "weight", "line",
               "tooltip"]
    return pd.DataFrame(rows, columns=columns)


def _curve(start: tuple[float, float], end: tuple[float, float],
           bow: float = 0.2) -> list[list[float]]:
    """A quadratic Bézier from ``start`` to ``end`` (lon, lat), bowed to the left (to the
    right when ``bow`` is negative)."""
    (x0, y0), (x1, y1) = start, end
    cx, cy = (x0 + x1) / 2 - (y1 - y0) * bow, (y0 + y1) / 2 + (x1 - x0) * bow
    t = np.linspace(0, 1, LINK_POINTS)[:, None]
    points = (1 - t) ** 2 * [x0, y0] + 2 * (1 - t) * t * [cx, cy] + t**2 * [x1, y1]
    return np.round(points, 3).tolist()


def describe(view: View, atlas: Atlas) -> str:
    """The active filters in words, for titles, slides and exports."""
    orgs = sorted(atlas.organisations["org_id"])
    parts = [MODES[view.mode], f"as of 1 July {view.year}"]
    parts.append("all alliances" if list(view.alliances) == orgs
                 else "alliances: " + (", ".join(view.alliances) or "none"))
    parts.append("all activities" if len(view.activities) == len(ACTIVITIES)
                 else "activities: " + (", ".join(ACTIVITIES[a].lower() for a in view.activities)
                                        or "none"))
    parts.append("all evidence grades" if len(view.evidence) == len(EVIDENCE)
                 else "evidence: " + (", ".join(view.evidence) or "none"))
    return "; ".join(parts)
