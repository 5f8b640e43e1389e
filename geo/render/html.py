"""The country panel's content as escaped HTML and plain tables (no Streamlit here).

Only ``http``/``https`` URLs become links; every text from the data or a user is escaped.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

import pandas as pd

from geo.data.vocab import ACTIVITIES
from geo.view.colours import EVIDENCE_COLOURS, NEUTRAL

PANEL_CSS = """<style>
.atlas-record { border-left: 4px solid #9aa; padding: 2px 0 2px 10px; margin: 0 0 12px; }
.atlas-record .meta { font-size: .85em; color: #555; }
.atlas-record .badge { color: #fff; border-radius: 8px; padding: 0 7px; font-size: .8em;
  font-weight: 600; }
.atlas-record .user { background: #444; }
.atlas-record p { margin: 2px 0 4px; }
.atlas-record ul { margin: 0; padding-left: 18px; font-size: .85em; }
</style>"""


def safe_link(url: str, text: str) -> str:
    """An escaped link when ``url`` is http(s); otherwise the escaped text and URL, inert."""
    if urlsplit(str(url).strip()).scheme.lower() in ("http", "https"):
        return (f'<a href="{escape(str(url).strip(), quote=True)}" target="_blank" '
                f'rel="noopener noreferrer">{escape(text)}</a>')
    return f"{escape(text)} ({escape(str(url))})"


def years_text(start: object, end: object) -> str:
    """'1979–1990', '2003–' (ongoing) or '2020'."""
    if pd.isna(end):
        return f"{start}–"
    return f"{start}" if start == end else f"{start}–{end}"


def records_html(records: pd.DataFrame) -> str:
    """One card per cooperation record: years, activity, evidence badge, text, sources."""
    cards = []
    for row in records.sort_values(["start_year", "record_id"]).itertuples():
        colour = EVIDENCE_COLOURS.get(row.evidence, NEUTRAL)
        user = getattr(row, "user_supplied", False) is True
        badges = f'<span class="badge" style="background:{colour}">{escape(row.evidence)}</span>'
        if user:
            badges += ' <span class="badge user">user-supplied</span>'
        sources = "".join(f"<li>{safe_link(s['url'], s['title'])}</li>" for s in row.sources)
        note = f'<div class="meta">{escape(row.evidence_note)}</div>' if isinstance(
            row.evidence_note, str) and row.evidence_note else ""
        cards.append(
            f'<div class="atlas-record"><div class="meta">'
            f"{escape(years_text(row.start_year, row.end_year))} · "
            f"{escape(ACTIVITIES.get(row.activity, row.activity))} · {badges}</div>"
            f"<b>{escape(row.title)}</b><p>{escape(row.description)}</p>{note}"
            f"<ul>{sources}</ul></div>")
    return PANEL_CSS + "".join(cards)


def status_summary(statuses: pd.DataFrame, year: int) -> str:
    """One line: 'In 2026: member of ALBA, CELAC; suspended in MERCOSUR' (plain text)."""
    if statuses.empty:
        return f"In {year}: in none of the alliances."
    parts = [f"{'member of' if status == 'member' else status + ' in'} "
             f"{', '.join(sorted(group['org_id']))}"
             for status, group in statuses.groupby("status", sort=False)]
    return f"In {year}: " + "; ".join(parts) + "."


def membership_table(history: pd.DataFrame, organisations: pd.DataFrame) -> pd.DataFrame:
    """A country's membership episodes as a readable table (organisation, status, dates)."""
    names = organisations.set_index("org_id")["name_en"]
    return pd.DataFrame({
        "organisation": history["org_id"].to_numpy(),
        "name": history["org_id"].map(names).to_numpy(),
        "status": history["status"].to_numpy(),
        "from": history["start"].to_numpy(),
        "until": history["end"].fillna("").to_numpy() if "end" in history else "",
        "source": [s[0]["url"] if s else "" for s in history["sources"]],
        "all sources": [[f"{x['title']} — {x['url']}" for x in s] for s in history["sources"]],
    })
