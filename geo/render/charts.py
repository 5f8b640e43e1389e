"""Timelines as Vega-Lite charts (Altair, which works offline inside Streamlit)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

import altair as alt
import pandas as pd

from geo.data.atlas import Atlas
from geo.data.dates import parse_partial_date
from geo.data.vocab import ACTIVITIES, STATUSES
from geo.view.colours import ERA_BANDS, NEUTRAL, STATUS_COLOURS, qualitative


def membership_timeline(history: pd.DataFrame, until: date) -> alt.LayerChart:
    """One row per organisation, one bar per episode coloured by status (a layered chart, so
    :func:`with_year` can mark a year on it).

    ``history`` is :meth:`geo.Atlas.history` for one country; open episodes run to ``until``.
    """
    bars = pd.DataFrame({
        "organisation": history["org_id"],
        "status": history["status"],
        "from": history["start_date"],
        "to": history["end_date"].fillna(pd.Timestamp(until)),
        "dates": [f"{s} – {e if isinstance(e, str) else 'ongoing'}"
                  for s, e in zip(history["start"], history["end"], strict=True)],
    })
    statuses = [s for s in STATUSES if s in set(bars["status"])]
    base = alt.Chart(bars).mark_bar(cornerRadius=2, clip=True).encode(
        x=alt.X("from:T", title=None, scale=alt.Scale(domain=[date(1959, 1, 1), until])),
        x2="to:T",
        y=alt.Y("organisation:N", title=None, sort=None),
        color=alt.Color("status:N", title="Status",
                        scale=alt.Scale(domain=statuses,
                                        range=[STATUS_COLOURS[s] for s in statuses]),
                        legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=["organisation", "status", "dates"],
    )
    return alt.layer(base).properties(height=alt.Step(20))


TITLE_CHARS = 44  # a record's title on the narrow panel (whole in the tooltip)
# Streamlit fits a chart's width to its column; the height stays the plot's, plus legend
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _activity_scale(activities: list[str]) -> alt.Scale:
    colours = qualitative(list(ACTIVITIES))
    return alt.Scale(domain=[ACTIVITIES[a] for a in activities],
                     range=[colours[a] for a in activities])


def _activity_legend(columns: int) -> alt.Legend:
    """Every activity listed (no symbol or label limit), in columns that fit the chart."""
    return alt.Legend(orient="bottom", columns=columns, symbolLimit=0, labelLimit=0,
                      titleLimit=0)


def _short(title: str, chars: int = TITLE_CHARS) -> str:
    return title if len(title) <= chars else title[:chars - 1].rstrip() + "…"


MAX_BARS = 60
"""Most records drawn one bar each; more are counted per year (an upload may hold 5,000)."""


def records_timeline(records: pd.DataFrame, until: int) -> alt.LayerChart | alt.Chart:
    """A country's cooperation records as bars over the years, coloured by activity, each bar
    under its numbered title (the panel is narrow: titles shortened, whole in the tooltip), every
    activity in the legend; more than :data:`MAX_BARS` records are counted per year and activity
    instead."""
    if len(records) > MAX_BARS:
        return _records_per_year(records, until)
    numbered = [f"{i}. {_short(t)}" for i, t in enumerate(records["title"], start=1)]
    bars = pd.DataFrame({
        "label": numbered, "record": records["title"],
        "activity": records["activity"].map(ACTIVITIES),
        "evidence": records["evidence"], "from": records["start_year"].astype(int),
        "to": records["end_year"].fillna(until).astype(int) + 1,
    })
    present = [a for a in ACTIVITIES if a in set(records["activity"])]
    row = alt.Y("label:N", title=None, sort=None, axis=None)
    base = alt.Chart(bars).encode(y=row, tooltip=["record", "activity", "evidence", "from",
                                                  "to"])
    spans = base.mark_bar(cornerRadius=2, size=9, yOffset=6).encode(
        x=alt.X("from:Q", title=None, axis=alt.Axis(format="d", labelOverlap=True),
                scale=alt.Scale(domain=[1959, until + 1], nice=False, zero=False)),
        x2="to:Q",
        color=alt.Color("activity:N", title="Activity", scale=_activity_scale(present),
                        legend=_activity_legend(1)))
    titles = base.mark_text(align="left", baseline="bottom", dy=1, fontSize=11,
                            color=NEUTRAL).encode(x=alt.value(0), text="label:N")
    return alt.layer(spans, titles).properties(height=alt.Step(32), autosize=FIT_WIDTH)


def _records_per_year(records: pd.DataFrame, until: int) -> alt.Chart:
    """Records active each year, stacked by activity: one row per (year, activity) at most."""
    ends = records["end_year"].fillna(until).astype(int)
    spans = pd.DataFrame({"year": [range(int(s), int(e) + 1) for s, e in
                                   zip(records["start_year"], ends, strict=True)],
                          "activity": records["activity"].map(ACTIVITIES)}).explode("year")
    counts = spans.groupby(["year", "activity"]).size().rename("records").reset_index()
    present = [a for a in ACTIVITIES if a in set(records["activity"])]
    return alt.Chart(counts.assign(next=counts["year"] + 1)).mark_bar().encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", labelOverlap=True),
                scale=alt.Scale(domain=[1959, until + 1], nice=False, zero=False)),
        x2="next:Q",
        y=alt.Y("sum(records):Q", title="Records active"),
        color=alt.Color("activity:N", title="Activity", scale=_activity_scale(present),
                        legend=_activity_legend(1)),
        tooltip=["year:Q", "activity:N", "records:Q"]).properties(height=160,
                                                                   autosize=FIT_WIDTH)


def region_counts(atlas: Atlas) -> pd.DataFrame:
    """Records active per ``year``, ``activity`` (its label) and ``evidence`` grade: the
    regional timeline's data, every activity and grade (a filter picks from it)."""
    records = atlas.records
    years = range(atlas.first_year, atlas.last_year + 1)
    ends = records["end_year"].fillna(atlas.last_year)
    counts = pd.DataFrame(
        [(y, a, g) for s, e, a, g in zip(records["start_year"], ends, records["activity"],
                                         records["evidence"], strict=True)
         for y in range(int(s), int(e) + 1) if y in years],
        columns=["year", "activity", "evidence"])
    counts = counts.groupby(["year", "activity", "evidence"]).size().rename("records")
    counts = counts.reset_index()
    counts["activity"] = counts["activity"].map(ACTIVITIES)
    counts["next"] = counts["year"] + 1
    return counts


def region_timeline(atlas: Atlas, counts: pd.DataFrame) -> alt.LayerChart:
    """Records active per year, stacked by activity, over the era bands and their names, for
    every activity and grade (``counts``: :func:`region_counts`); :func:`region_filtered`
    narrows it to a filter without building it again.

    Every layer shares one x scale fixed to the atlas's years (no zero, no rounding), each year
    a bar one year wide; the era bands are greys of their own marks, so the colour scale and its
    legend are the activities' alone; era names alternate between two rows.
    """
    years = range(atlas.first_year, atlas.last_year + 1)
    eras = atlas.eras.assign(
        end=atlas.eras["end_year"].fillna(atlas.last_year).astype(int) + 1,
        row=[i % 2 for i in range(len(atlas.eras))])
    scale = alt.Scale(domain=[years.start, years.stop], nice=False, zero=False)
    axis = alt.Axis(format="d", labelOverlap=True)
    x = alt.X("start_year:Q", title=None, axis=axis, scale=scale)
    rows = [alt.Chart(eras).transform_filter(f"datum.row == {row}") for row in (0, 1)]
    bands = [chart.mark_rect(color=ERA_BANDS[row]).encode(
        x=x, x2="end:Q", tooltip=[alt.Tooltip("label:N", title="Era")])
        for row, chart in enumerate(rows)]
    labels = [chart.mark_text(align="left", baseline="top", dx=3, dy=3 + 14 * row, fontSize=11,
                              color=NEUTRAL).encode(x=x, y=alt.value(0), text="label:N")
              for row, chart in enumerate(rows)]
    stacked = alt.Chart(counts).mark_bar().encode(
        x=alt.X("year:Q", title=None, scale=scale, axis=axis),
        x2="next:Q",
        y=alt.Y("sum(records):Q", title="Records active",
                scale=alt.Scale(domain=[0, 1], nice=False),  # set by region_filtered
                axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("activity:N", title="Activity", scale=_activity_scale(list(ACTIVITIES)),
                        legend=_activity_legend(2)),
        tooltip=["year:Q", "activity:N", alt.Tooltip("sum(records):Q", title="records")])
    return alt.layer(*bands, stacked, *labels).properties(height=240, autosize=FIT_WIDTH)


def region_filtered(spec: dict, counts: pd.DataFrame, activities: Iterable[str],
                    evidence: Iterable[str]) -> dict:
    """The regional timeline's ``spec`` (:func:`region_timeline`, as a dict) for these
    activities and grades: its bars filtered in the browser, the y scale fitted to them (with
    headroom for the era names) and the colours and legend the activities' present; a new dict
    (the cached spec is left as it is), made in well under a millisecond."""
    activities, evidence = list(activities), list(evidence)
    labels = [ACTIVITIES[a] for a in activities]
    shown = counts[counts["activity"].isin(labels) & counts["evidence"].isin(evidence)]
    top = int(shown.groupby("year")["records"].sum().max()) if len(shown) else 1
    found = set(shown["activity"])
    present = [a for a in ACTIVITIES if ACTIVITIES[a] in found]
    colours = _activity_scale(present).to_dict()
    layers = []
    for layer in spec["layer"]:
        if _mark(layer) == "bar":
            encoding = layer["encoding"]
            y = {**encoding["y"], "scale": {**encoding["y"]["scale"],
                                            "domain": [0, math.ceil(top * 1.2) + 1]}}
            colour = {**encoding["color"], "scale": colours}
            layer = {**layer, "encoding": {**encoding, "y": y, "color": colour},
                     "transform": [{"filter": {"field": "activity", "oneOf": labels}},
                                   {"filter": {"field": "evidence", "oneOf": evidence}}]}
        layers.append(layer)
    return {**spec, "layer": layers}


def _mark(layer: dict) -> str:
    mark = layer.get("mark")
    return mark.get("type", "") if isinstance(mark, dict) else str(mark)


def with_year(spec: dict, year: int, temporal: bool) -> dict:
    """A layered chart's Vega-Lite ``spec`` with a dashed rule at ``year`` (1 July when the x
    axis is temporal), added to the spec rather than rebuilt: cached specs stay reusable."""
    datum = {"year": year, "month": 7, "date": 1} if temporal else year
    rule = {"data": {"values": [{}]},  # one mark: the layers above bring their own data
            "mark": {"type": "rule", "color": "#000", "strokeDash": [4, 3]},
            "encoding": {"x": {"datum": datum, "type": "temporal" if temporal
                               else "quantitative"}}}
    return {**spec, "layer": [*spec["layer"], rule]}


def personnel_chart(personnel: pd.DataFrame) -> alt.LayerChart:
    """Counts of Cuban personnel in one country over time: a point per figure and a vertical
    bar from low to high where a source gives a range. What was counted is in the tooltip and
    the table beside the chart (the labels are too long for a legend in a side panel).

    ``personnel`` is :meth:`geo.Atlas.personnel_of` for one country.
    """
    rows = pd.DataFrame({
        "date": [parse_partial_date(d) for d in personnel["date"]],
        "when": personnel["date"], "low": personnel["low"], "high": personnel["high"],
        "counted": personnel["counted"],
        "figure": [f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
                   for lo, hi in zip(personnel["low"], personnel["high"], strict=True)],
    })
    base = alt.Chart(rows).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", labelOverlap=True)),
        tooltip=[alt.Tooltip("when:N", title="date"), "counted:N", "figure:N"])
    y = alt.Y("low:Q", title="Cuban personnel", axis=alt.Axis(format="~s"))
    ranges = base.mark_rule(strokeWidth=3, color=NEUTRAL).encode(y=y, y2="high:Q")
    lows = base.mark_point(filled=True, size=60, color=NEUTRAL).encode(y=y)
    highs = base.mark_point(filled=True, size=60, color=NEUTRAL).encode(y="high:Q")
    return alt.layer(ranges, lows, highs).properties(height=180)
