"""The scene: what the map shows for one view, as plain tables (no folium, no Streamlit).

The interactive map (:mod:`geo.mapping`) and the slide export draw the same scene, so the
colours, legend and filters on screen and on the slide always agree. Text meant for HTML
(``tooltip``) is escaped here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import shapely

from geo.atlas import CUBA, Atlas
from geo.palette import CLASSES, PALETTE, Palette, qualitative
from geo.view import MODES, View
from geo.vocab import ACTIVITIES, EVIDENCE

LEGEND_TITLES = {
    "alliances": "Selected alliances the country is a full member of",
    "cooperation": "Cuban cooperation records active in the year",
    "shared": "Selected alliances shared with Cuba (full members)",
}
SMALL_ISLAND_AREA = 0.2  # square degrees: below this a state gets a click target at its capital
CHIP_COLUMNS = 6
CHIP_SPACING = 9  # pixels between the centres of two alliance dots
ARC_POINTS = 24


@dataclass(frozen=True)
class Scene:
    """Everything drawn for one view.

    ``countries``: one row per state (``iso3, name, value, fill, tooltip, small``);
    ``chips``: one row per (state, selected alliance) with a status that year;
    ``arcs``: one row per partner with cooperation (``n, activity, colour, weight, line``);
    ``records`` and ``statuses``: the filtered rows behind it all, with their sources.
    """

    view: View
    palette: Palette
    countries: pd.DataFrame
    legend_title: str
    legend: tuple[tuple[str, str], ...]
    chips: pd.DataFrame
    arcs: pd.DataFrame
    records: pd.DataFrame
    statuses: pd.DataFrame
    org_colours: dict[str, str]
    activity_colours: dict[str, str]
    havana: tuple[float, float]


def build_scene(atlas: Atlas, view: View) -> Scene:
    """The scene for ``view``: colours by mode, alliance dots, Cuba's links, tooltips."""
    palette = PALETTE[view.palette]
    states = atlas.countries[atlas.countries["kind"] == "state"]
    statuses = atlas.statuses(view.year)
    statuses = statuses[statuses["org_id"].isin(view.alliances)]
    records = atlas.cooperation(year=view.year, activities=view.activities,
                                evidence=view.evidence)
    value = _values(atlas, view, statuses, records).reindex(states["iso3"], fill_value=0)
    org_colours = qualitative(sorted(atlas.organisations["org_id"]))
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
    countries["tooltip"] = _tooltips(countries, statuses, records, view)
    cuba = states.set_index("iso3").loc[CUBA]
    havana = (float(cuba["capital_lon"]), float(cuba["capital_lat"]))
    return Scene(
        view=view, palette=palette, countries=countries,
        legend_title=LEGEND_TITLES[view.mode], legend=_legend(view, palette),
        chips=_chips(countries, statuses, org_colours, sorted(atlas.organisations["org_id"])),
        arcs=_arcs(countries, records, activity_colours, havana),
        records=records, statuses=statuses, org_colours=org_colours,
        activity_colours=activity_colours, havana=havana,
    )


def _values(atlas: Atlas, view: View, statuses: pd.DataFrame,
            records: pd.DataFrame) -> pd.Series:
    """Per country, the count the colour mode draws."""
    if view.mode == "alliances":
        return statuses[statuses["status"] == "member"].groupby("iso3").size()
    if view.mode == "cooperation":
        return records.groupby("iso3").size()
    return atlas.shared_with_cuba(view.year, view.alliances)


def _legend(view: View, palette: Palette) -> tuple[tuple[str, str], ...]:
    """(colour, label) for every class the mode can produce, then Cuba."""
    classes = len(CLASSES) if view.mode == "cooperation" else min(len(view.alliances) + 1,
                                                                  len(CLASSES))
    entries = [(palette.ramp[i], CLASSES[i]) for i in range(classes)]
    return (*entries, (palette.cuba, "Cuba"))


def _tooltips(countries: pd.DataFrame, statuses: pd.DataFrame, records: pd.DataFrame,
              view: View) -> list[str]:
    """Escaped HTML per country: name, statuses in the selected alliances, record count."""
    by_country = {iso3: g for iso3, g in statuses.groupby("iso3")}
    counts = records.groupby("iso3").size()
    tips = []
    for iso3, name in zip(countries["iso3"], countries["name"], strict=True):
        rows = by_country.get(iso3)
        lines = [f"<b>{escape(name)}</b> · {view.year}"]
        if rows is None:
            lines.append("No membership in the selected alliances")
        else:
            for status, group in rows.groupby("status", sort=False):
                orgs = ", ".join(escape(o) for o in sorted(group["org_id"]))
                lines.append(f"{escape(status.capitalize())}: {orgs}")
        if iso3 != CUBA:
            lines.append(f"Cooperation records: {int(counts.get(iso3, 0))}")
        tips.append("<br>".join(lines))
    return tips


def _chips(countries: pd.DataFrame, statuses: pd.DataFrame, org_colours: dict[str, str],
           org_order: list[str]) -> pd.DataFrame:
    """One dot per (state, alliance), in a fixed slot per alliance around the capital."""
    where = countries.set_index("iso3")[["name", "lon", "lat"]]
    chips = statuses[statuses["iso3"].isin(where.index)][["iso3", "org_id", "status"]]
    chips = chips.join(where, on="iso3").reset_index(drop=True)
    slot = chips["org_id"].map({org: i for i, org in enumerate(org_order)}).astype(int)
    rows = -(-len(org_order) // CHIP_COLUMNS)
    chips["dx"] = ((slot % CHIP_COLUMNS) - (CHIP_COLUMNS - 1) / 2) * CHIP_SPACING
    chips["dy"] = ((slot // CHIP_COLUMNS) - (rows - 1) / 2) * CHIP_SPACING + 2 * CHIP_SPACING
    chips["colour"] = chips["org_id"].map(org_colours)
    return chips


def _arcs(countries: pd.DataFrame, records: pd.DataFrame, activity_colours: dict[str, str],
          havana: tuple[float, float]) -> pd.DataFrame:
    """One curved line from Havana per partner: width by records, colour by main activity."""
    order = {a: i for i, a in enumerate(ACTIVITIES)}
    rows = []
    where = countries.set_index("iso3")
    for iso3, group in records.groupby("iso3"):
        if iso3 not in where.index:
            continue
        counts = group["activity"].value_counts()
        top = min(counts[counts == counts.max()].index, key=order.__getitem__)
        target = (float(where.at[iso3, "lon"]), float(where.at[iso3, "lat"]))
        name = where.at[iso3, "name"]
        rows.append({
            "iso3": iso3, "name": name, "n": len(group), "activity": top,
            "colour": activity_colours[top], "weight": 2 + 1.5 * min(len(group), 6),
            "line": _curve(havana, target),
            "tooltip": (f"<b>Cuba → {escape(name)}</b><br>{len(group)} record(s); mostly "
                        f"{escape(ACTIVITIES[top].lower())}"),
        })
    columns = ["iso3", "name", "n", "activity", "colour", "weight", "line", "tooltip"]
    return pd.DataFrame(rows, columns=columns)


def _curve(start: tuple[float, float], end: tuple[float, float]) -> list[list[float]]:
    """A quadratic Bézier from ``start`` to ``end`` (lon, lat), bowed to the left."""
    (x0, y0), (x1, y1) = start, end
    bow = 0.2
    cx, cy = (x0 + x1) / 2 - (y1 - y0) * bow, (y0 + y1) / 2 + (x1 - x0) * bow
    t = np.linspace(0, 1, ARC_POINTS)[:, None]
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
