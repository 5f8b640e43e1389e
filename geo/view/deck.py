"""The briefing deck: an ordered list of stops, each a whole view with the map's extent, a title
and a note, and its two encodings (plain data, no Streamlit).

A stop's view is written with :meth:`View.to_query_params` and read back with the same parser
as a link (``parse_view``), so a stop carries every field of the view, checked the same way.
Display choices (``present``, ``palette``, ``basemap``) belong to the screen, not to a stop.

- In a link: ``deck=`` + base64url (no padding) of the zlib-compressed compact JSON of
  :func:`to_data`: about 60 characters a stop plus its words, so a deck of
  :data:`MAX_STOPS` stops with notes stays well under browsers' URL limits.
- As a file: the same JSON, indented, with ``format`` and ``version`` members.

Reading never fails on content: unknown members are ignored, values that cannot be used fall
back (with a notice); a file or link that is not a deck at all raises :class:`DeckError` with a
message for the user.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace

from geo.view.state import View

__all__ = ["DISPLAY_FIELDS", "FORMAT", "MAX_STOPS", "VERSION", "Deck", "DeckError", "Extent",
           "Stop", "ViewParser", "from_json", "from_link", "to_json", "to_link"]

FORMAT = "alliance-atlas-deck"
VERSION = 1
MAX_STOPS = 30
MAX_TITLE = 80
MAX_NOTE = 400
MAX_LINK = 24_000  # characters of an encoded deck accepted from a link
MAX_JSON = 200_000  # bytes of a deck file (or of a link once inflated)
DISPLAY_FIELDS = ("present", "palette", "basemap")
ViewParser = Callable[[Mapping[str, str | list[str]]], tuple[View, list[str]]]


class DeckError(ValueError):
    """A link or file that is not a deck; the message is meant for the user."""


@dataclass(frozen=True)
class Extent:
    """What the map showed: its bounds in degrees and Leaflet's zoom level."""

    west: float
    south: float
    east: float
    north: float
    zoom: float

    @property
    def center(self) -> tuple[float, float]:
        """(lat, lon) of the middle of the bounds on the (Web Mercator) map."""
        def y(lat: float) -> float:
            return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        mid = (y(self.south) + y(self.north)) / 2
        lat = math.degrees(2 * math.atan(math.exp(mid)) - math.pi / 2)
        return round(lat, 4), round((self.west + self.east) / 2, 4)

    def to_list(self) -> list[float]:
        return [round(v, 3) for v in (self.west, self.south, self.east, self.north)] + [
            round(self.zoom, 2)]

    @classmethod
    def from_list(cls, values: object) -> Extent | None:
        """An extent from ``[west, south, east, north, zoom]``; None when it is not one."""
        if not isinstance(values, list | tuple) or len(values) != 5:
            return None
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                   for v in values):
            return None
        west, south, east, north, zoom = (float(v) for v in values)
        if not (-85 <= south < north <= 85 and -540 <= west < east <= 540 and 0 <= zoom <= 20):
            return None
        return cls(west, south, east, north, zoom)


@dataclass(frozen=True)
class Stop:
    """One step of a briefing: the view, what the map framed (None: the whole region), the
    presenter's title and note."""

    view: View
    title: str = ""
    note: str = ""
    extent: Extent | None = None

    def label(self, number: int) -> str:
        return self.title or f"Stop {number}: {self.view.year}"


Deck = tuple[Stop, ...]


def clean_text(text: object, limit: int) -> str:
    """Plain text of at most ``limit`` characters, without control characters (newlines kept
    in notes)."""
    text = re.sub(r"[\x00-\x09\x0b-\x1f\x7f]", " ", str(text or ""))
    return text.strip()[:limit]


def to_data(deck: Iterable[Stop], default: View) -> dict:
    """The deck as plain JSON-ready data: only what differs from ``default`` per view."""
    stops = []
    for stop in deck:
        item: dict = {"view": stop.view.to_query_params(_without_display(default, stop.view))}
        if stop.title:
            item["title"] = stop.title
        if stop.note:
            item["note"] = stop.note
        if stop.extent is not None:
            item["extent"] = stop.extent.to_list()
        stops.append(item)
    return {"format": FORMAT, "version": VERSION, "stops": stops}


def _without_display(default: View, view: View) -> View:
    """``default`` with the display choices of ``view`` (so they never differ)."""
    return replace(default, **{name: getattr(view, name) for name in DISPLAY_FIELDS})


def from_data(data: object, parse_view: ViewParser) -> tuple[Deck, list[str]]:
    """A deck from :func:`to_data`'s shape, and notices for what was left out or fell back."""
    if not isinstance(data, dict) or not isinstance(data.get("stops"), list):
        raise DeckError("This is not an Alliance Atlas deck (no list of stops).")
    if data.get("format", FORMAT) != FORMAT:
        raise DeckError(f"This file is a {str(data.get('format'))[:40]!r}, not an Alliance "
                        "Atlas deck.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DeckError("This deck has no valid version number.")
    if version > VERSION:
        raise DeckError(f"This deck is version {version}; this atlas reads version {VERSION}. "
                        "Update the atlas to open it.")
    items, notices = data["stops"], []
    if len(items) > MAX_STOPS:
        notices.append(f"Only the first {MAX_STOPS} of {len(items)} stops were kept.")
    stops = []
    for number, item in enumerate(items[:MAX_STOPS], start=1):
        if not isinstance(item, dict):
            notices.append(f"Stop {number} is not a stop; left out.")
            continue
        params = item.get("view") if isinstance(item.get("view"), dict) else {}
        params = {k: v for k, v in params.items() if isinstance(k, str)
                  and k not in DISPLAY_FIELDS and _is_param(v)}
        view, problems = parse_view(params)
        notices += [f"Stop {number}: {p}" for p in problems]
        extent = Extent.from_list(item.get("extent"))
        if item.get("extent") is not None and extent is None:
            notices.append(f"Stop {number}: the map extent is not usable; the whole region is "
                           "shown.")
        stops.append(Stop(view=view, title=clean_text(item.get("title"), MAX_TITLE),
                          note=clean_text(item.get("note"), MAX_NOTE), extent=extent))
    return tuple(stops), notices


def _is_param(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value))


def to_json(deck: Iterable[Stop], default: View) -> bytes:
    """The deck as a small, readable JSON file (UTF-8)."""
    return json.dumps(to_data(deck, default), ensure_ascii=False, indent=1).encode("utf-8")


def from_json(raw: bytes | str, parse_view: ViewParser) -> tuple[Deck, list[str]]:
    """A deck from a JSON file; :class:`DeckError` when the file is not one."""
    if len(raw) > MAX_JSON:
        raise DeckError(f"This file is larger than a deck can be ({MAX_JSON // 1000} KB).")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise DeckError("This file is not JSON: it cannot be a deck.") from None
    return from_data(data, parse_view)


def to_link(deck: Iterable[Stop], default: View) -> str:
    """The deck as a compact, URL-safe string (compressed, versioned JSON)."""
    text = json.dumps(to_data(deck, default), ensure_ascii=False, separators=(",", ":"))
    packed = zlib.compress(text.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def from_link(value: str, parse_view: ViewParser) -> tuple[Deck, list[str]]:
    """A deck from :func:`to_link`'s string; :class:`DeckError` when it is not one."""
    value = value.strip()
    if len(value) > MAX_LINK or not re.fullmatch(r"[A-Za-z0-9_-]+", value):
        raise DeckError("The deck in this link is damaged or incomplete.")
    try:
        packed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON)
        if inflater.unconsumed_tail or not inflater.eof:
            raise DeckError("The deck in this link is damaged or incomplete.")
    except (binascii.Error, zlib.error, ValueError) as error:
        if isinstance(error, DeckError):
            raise
        raise DeckError("The deck in this link is damaged or incomplete.") from None
    return from_json(raw, parse_view)


def stop_fields() -> tuple[str, ...]:
    """The fields of :class:`View` a stop sets (every one but the display choices)."""
    return tuple(f.name for f in fields(View) if f.name not in DISPLAY_FIELDS)
