"""Exports of the current view as data: its records (CSV), the joined map (GeoJSON) and the
sources behind it (text), plus safe file names. The slide is :mod:`geo.render.slide`.

Every function takes the atlas and the :class:`~geo.view.scene.Scene` the page draws and returns
bytes (or text), so what is downloaded is what is on screen.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict

import pandas as pd
from shapely.geometry import mapping

from geo.data.atlas import Atlas
from geo.data.vocab import ACTIVITIES
from geo.view.scene import Scene, describe
from geo.view.state import View

__all__ = ["AGREEMENT_COLUMNS", "CSV_COLUMNS", "TITLE", "agreements_csv", "filename",
           "map_geojson", "records_csv", "sources_text", "user_supplied"]

TITLE = "Alliance Atlas"
CSV_COLUMNS = ("record_id", "iso3", "country", "activity", "activity_label", "start_year",
               "end_year", "start", "end", "counterpart", "cuban_body", "title", "description",
               "evidence", "evidence_note", "source_titles", "source_urls", "user_supplied")
AGREEMENT_COLUMNS = ("agreement_id", "iso3", "country", "title", "signed", "ended", "subject",
                     "note", "source_titles", "source_urls")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
JOIN = " | "

def records_csv(atlas: Atlas, scene: Scene) -> bytes:
    """The view's cooperation records as UTF-8 CSV (columns :data:`CSV_COLUMNS`).

    ``user_supplied`` is ``yes`` for a row from this session's upload, else ``no``. Several
    sources are joined with `` | ``; a cell that a spreadsheet would run as a formula
    (starting with ``= + - @``, tab or carriage return) gets a leading apostrophe.
    """
    names = atlas.countries.set_index("iso3")["name_en"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in scene.records.itertuples(index=False):
        cells = [row.record_id, row.iso3, names.get(row.iso3, ""), row.activity,
                 ACTIVITIES.get(row.activity, row.activity), _year(row.start_year),
                 _year(row.end_year), row.start, row.end, row.counterpart, row.cuban_body,
                 row.title, row.description, row.evidence,
                 row.evidence_note, JOIN.join(s["title"] for s in row.sources),
                 JOIN.join(s["url"] for s in row.sources),
                 "yes" if getattr(row, "user_supplied", False) is True else "no"]
        writer.writerow([_cell(c) for c in cells])
    return buffer.getvalue().encode("utf-8")


def agreements_csv(atlas: Atlas, scene: Scene) -> bytes:
    """Cuba's agreements in force in the view's year with the states shown, as UTF-8 CSV
    (columns :data:`AGREEMENT_COLUMNS`), defused like :func:`records_csv`."""
    names = atlas.countries.set_index("iso3")["name_en"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(AGREEMENT_COLUMNS)
    found = atlas.agreements_of(year=scene.view.year)
    for row in found[found["iso3"].isin(scene.states["iso3"])].itertuples(index=False):
        cells = [row.agreement_id, row.iso3, names.get(row.iso3, ""), row.title, row.signed,
                 row.ended, row.subject, row.note, JOIN.join(s["title"] for s in row.sources),
                 JOIN.join(s["url"] for s in row.sources)]
        writer.writerow([_cell(c) for c in cells])
    return buffer.getvalue().encode("utf-8")


def user_supplied(scene: Scene) -> int:
    """How many of the view's records come from the session's upload."""
    return int(scene.records["user_supplied"].sum()) if "user_supplied" in scene.records else 0


def _year(value) -> str:
    return "" if pd.isna(value) else str(int(value))


def _cell(value) -> str:
    """Text for a CSV cell, defused against formula injection."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    if text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START[:4]):
        return "'" + text
    return text


def map_geojson(atlas: Atlas, scene: Scene) -> bytes:
    """The view's joined map as a GeoJSON FeatureCollection (UTF-8), one feature per state.

    Properties: ``iso3, name, year, mode, value, fill, memberships`` (``{org_id: status}`` in
    the selected alliances) and ``n_records``; the top-level ``metadata`` member holds the view,
    its filters in words, the review date and the cited sources.
    """
    shapes = atlas.countries.set_index("iso3").geometry
    statuses = {iso3: dict(zip(g["org_id"], g["status"], strict=True))
                for iso3, g in scene.statuses.groupby("iso3")}
    counts = scene.records.groupby("iso3").size()
    features = [{
        "type": "Feature",
        "properties": {"iso3": iso3, "name": name, "year": scene.view.year,
                       "mode": scene.view.mode, "value": int(value), "fill": fill,
                       "memberships": statuses.get(iso3, {}),
                       "n_records": int(counts.get(iso3, 0))},
        "geometry": mapping(shapes[iso3]),
    } for iso3, name, value, fill in zip(scene.states["iso3"], scene.states["name"],
                                         scene.states["value"], scene.states["fill"],
                                         strict=True)]
    sources = scene.sources
    document = {
        "type": "FeatureCollection",
        "metadata": {
            "title": TITLE,
            "view": asdict(scene.view),
            "filters": describe(scene.view, atlas),
            "reviewed": atlas.reviewed.isoformat(),
            "boundaries": "Natural Earth (simplified)",
            "user_supplied_records": user_supplied(scene),
            "sources": sources[["title", "publisher", "url"]].to_dict("records"),
        },
        "features": features,
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def sources_text(atlas: Atlas, scene: Scene) -> str:
    """The sources behind the view, one ``Title — Publisher — URL`` line each, under a header."""
    sources = scene.sources
    lines = [f"Sources for this view ({TITLE}, reviewed {atlas.reviewed.isoformat()}): "
             f"{describe(scene.view, atlas)}"]
    if n := user_supplied(scene):
        lines.append(f"Includes {n} user-supplied record(s), not curated; their sources are "
                     "listed as the user gave them.")
    lines += [" — ".join(" ".join(str(v).split()) for v in (s.title, s.publisher, s.url))
              for s in sources.itertuples()]
    return "\n".join(lines) + "\n"


def filename(view: View, ext: str, what: str = "") -> str:
    """A safe file name for an export of ``view``, e.g. ``alliance-atlas-2026-alliances.png``
    (``what`` the export holds is added when given: ``...-agreements.csv``)."""
    suffix = re.sub(r"[^a-z0-9]", "", ext.lower())
    if not suffix:
        raise ValueError(f"not a file extension: {ext!r}")
    parts = ["alliance-atlas", str(int(view.year)), view.mode]
    if view.country:
        parts.append(view.country)
    if what:
        parts.append(what)
    stem = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")
    return f"{stem}.{suffix}"
