"""Timelines as Vega-Lite charts (Altair, which works offline inside Streamlit)."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from geo.dates import as_of
from geo.vocab import STATUSES

STATUS_COLOURS = {"member": "#2c7fb8", "associate": "#7fcdbb", "observer": "#bdbdbd",
                  "suspended": "#d95f02", "inactive": "#8c6d31"}


def membership_timeline(history: pd.DataFrame, year: int, until: date) -> alt.Chart:
    """One row per organisation, one bar per episode coloured by status; a rule at ``year``.

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
                        legend=alt.Legend(orient="bottom")),
        tooltip=["organisation", "status", "dates"],
    )
    rule = alt.Chart(pd.DataFrame({"year": [as_of(year)]})).mark_rule(
        color="#000", strokeDash=[4, 3]).encode(x="year:T")
    return alt.layer(base, rule).properties(height=alt.Step(20))
