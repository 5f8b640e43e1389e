"""The country panel's content as escaped HTML and plain tables (no Streamlit here).

Only ``http``/``https`` URLs become links; every text from the data or a user is escaped.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

import pandas as pd

from geo.data.atlas import Atlas, by_status
from geo.data.dates import parse_partial_date
from geo.data.vocab import ACTIVITIES, CUBAN_BODIES
from geo.view.colours import EVIDENCE_COLOURS, NEUTRAL, OPPOSITION

PANEL_CSS = f"""<style>
.atlas-record {{ border-left: 4px solid #9aa; padding: 2px 0 2px 10px; margin: 0 0 12px; }}
.atlas-record .meta {{ font-size: .85em; color: #555; }}
.atlas-record .badge {{ color: #fff; border-radius: 8px; padding: 0 7px; font-size: .8em;
  font-weight: 600; }}
.atlas-record .user {{ background: #444; }}
.atlas-record .opposed {{ background: {OPPOSITION}; }}
.atlas-record p {{ margin: 2px 0 4px; }}
.atlas-record ul {{ margin: 0; padding-left: 18px; font-size: .85em; }}
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


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(partial: object) -> str:
    """A partial date as precise as it is: '1966', 'Nov 1966' or '3 Nov 1966'."""
    if not isinstance(partial, str) or not partial:
        return ""
    day = parse_partial_date(partial)
    parts = partial.count("-")
    return (str(day.year), f"{MONTHS[day.month - 1]} {day.year}",
            f"{day.day} {MONTHS[day.month - 1]} {day.year}")[parts]


def span_text(start: object, end: object) -> str:
    """'Jul 1979 – 1990', '3 Apr 2003 – ongoing' or '2020' (a single period)."""
    first, last = date_text(start), date_text(end)
    if not last:
        return f"{first} – ongoing"
    return first if first == last else f"{first} – {last}"


def _plain(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def records_html(records: pd.DataFrame) -> str:
    """One card per cooperation record, in the order given: dates, activity, evidence and
    counterpart badges, the Cuban body, text, sources and the source that last attests it."""
    cards = []
    for row in records.itertuples():
        colour = EVIDENCE_COLOURS.get(row.evidence, NEUTRAL)
        badges = f'<span class="badge" style="background:{colour}">{escape(row.evidence)}</span>'
        if row.counterpart == "armed_opposition":
            badges += ' <span class="badge opposed">against the government: support to ' \
                      'armed opposition</span>'
        if getattr(row, "user_supplied", False) is True:
            badges += ' <span class="badge user">user-supplied</span>'
        if body := _plain(getattr(row, "cuban_body", None)):
            badges += f" · {escape(CUBAN_BODIES.get(body, body))}"
        sources = "".join(f"<li>{safe_link(s['url'], s['title'])}</li>" for s in row.sources)
        note = f'<div class="meta">{escape(row.evidence_note)}</div>' if _plain(
            row.evidence_note) else ""
        last = next((s for s in row.sources if s["source_id"] == getattr(
            row, "last_attested", None)), None)
        reviewed = f" (record reviewed {date_text(row.reviewed)})" if _plain(row.reviewed) else ""
        attested = (f'<div class="meta">Last attested by: {escape(last["title"])}'
                    f"{escape(reviewed)}</div>") if last else ""
        cards.append(
            f'<div class="atlas-record"><div class="meta">'
            f"{escape(span_text(row.start, row.end))} · "
            f"{escape(ACTIVITIES.get(row.activity, row.activity))} · {badges}</div>"
            f"<b>{escape(row.title)}</b><p>{escape(row.description)}</p>{note}"
            f"<ul>{sources}</ul>{attested}</div>")
    return PANEL_CSS + "".join(cards)


def agreements_html(agreements: pd.DataFrame) -> str:
    """One card per agreement: title, signed and ended (or in force), subject, note, sources."""
    cards = []
    for row in agreements.itertuples():
        ended = f"ended {date_text(row.ended)}" if _plain(row.ended) else "no end recorded"
        sources = "".join(f"<li>{safe_link(s['url'], s['title'])}</li>" for s in row.sources)
        note = f"<p>{escape(row.note)}</p>" if _plain(row.note) else ""
        cards.append(
            f'<div class="atlas-record"><div class="meta">signed {escape(date_text(row.signed))}'
            f" · {escape(ended)} · {escape(ACTIVITIES.get(row.subject, row.subject))}</div>"
            f"<b>{escape(row.title)}</b>{note}<ul>{sources}</ul></div>")
    return PANEL_CSS + "".join(cards)


def sourced_html(title: str, years: str, text: str, sources: list[dict]) -> str:
    """A titled text with the links to its sources (everything escaped)."""
    links = "; ".join(safe_link(s["url"], s["title"]) for s in sources)
    return (f"<b>{escape(title)}</b> <small>({escape(years)})</small><br>{escape(text)}"
            f"<br><small>Sources: {links}</small>")


def era_texts(atlas: Atlas, year: int | None) -> list[str]:
    """The summary of the era holding ``year`` and the narratives running in it (every
    narrative when ``year`` is None), as escaped HTML (:func:`sourced_html`)."""
    texts = []
    if year is not None and (era := atlas.era_of(year)):
        row = atlas.eras.set_index("era_id").loc[era]
        texts.append(sourced_html(row["label"], years_text(row["start_year"], row["end_year"]),
                                  row["summary"], row["sources"]))
    narratives = atlas.narratives.sort_values("order")
    if year is not None:
        end = narratives["end_year"].fillna(atlas.last_year)
        narratives = narratives[(narratives["start_year"] <= year) & (end >= year)]
    return texts + [sourced_html(row.title, years_text(row.start_year, row.end_year), row.text,
                                 row.sources) for row in narratives.itertuples()]


def status_summary(statuses: dict[str, str], year: int) -> str:
    """One line from ``{org_id: status}``: 'In 2026: member of ALBA, CELAC; suspended in
    MERCOSUR' (plain text; statuses in the order they first appear)."""
    if not statuses:
        return f"In {year}: in none of the alliances."
    parts = [f"{'member of' if status == 'member' else status + ' in'} {', '.join(sorted(orgs))}"
             for status, orgs in by_status(statuses).items()]
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


def personnel_table(personnel: pd.DataFrame) -> pd.DataFrame:
    """A country's personnel figures as a readable table (plain values; links as URLs)."""
    return pd.DataFrame({
        "date": [date_text(d) for d in personnel["date"]],
        "figure": [f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
                   for lo, hi in zip(personnel["low"], personnel["high"], strict=True)],
        "counted": personnel["counted"].to_numpy(),
        "note": personnel["note"].fillna("").to_numpy(),
        "source": [s[0]["url"] for s in personnel["sources"]],
    })


EXPORT_CSS = """<style>
.atlas-export { font: 15px/1.35 system-ui, sans-serif; color: #222; padding: 10px 14px; }
.atlas-export h1 { font-size: 1.5rem; margin: 0 0 2px; }
.atlas-export .year { font-size: 1.9rem; font-weight: 700; margin-right: .4rem; }
.atlas-export .note { font-style: italic; white-space: pre-line; }
.atlas-export .user { font-weight: 600; color: #8a1c00; }
.atlas-export details { font-size: .85rem; }
</style>"""


def export_header(title: str, year: int, filters: str, note: str, reviewed: str,
                  sources: pd.DataFrame, user_supplied: bool) -> str:
    """The title block of an exported page: title, year, filters in words, note, the review
    date and every source as plain text (no link leaves the file). Everything escaped."""
    items = "".join(f"<li>{escape(str(s.title))} — {escape(str(s.publisher))} — "
                    f"{escape(str(s.url))}</li>" for s in sources.itertuples())
    parts = [EXPORT_CSS, '<header class="atlas-export">',
             f'<h1><span class="year">{int(year)}</span>{escape(title)}</h1>',
             f'<div class="filters">{escape(filters)}</div>']
    if note:
        parts.append(f'<div class="note">{escape(note)}</div>')
    if user_supplied:
        parts.append('<div class="user">Includes user-supplied records (not curated).</div>')
    parts.append(f"<details><summary>Data: Alliance Atlas, reviewed {escape(reviewed)}; "
                 f"{len(sources)} sources cited for this view; boundaries: Natural Earth."
                 f"</summary><ul>{items}</ul></details></header>")
    return "".join(parts)
