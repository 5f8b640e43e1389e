"""The view: every choice that shapes the page, as one small, serialisable value.

Widget keys, query-parameter names and the fields of :class:`View` are the same words, so a
copied URL reproduces the view. Reading parameters never fails: what cannot be used falls
back to its default and is reported as a short notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace

from geo.data.vocab import ACTIVITIES, EVIDENCE

MODES: dict[str, str] = {
    "alliances": "Membership status in one alliance",
    "cooperation": "Intensity of Cuban cooperation",
    "shared": "Alliances shared with Cuba",
}
PALETTES: dict[str, str] = {
    "standard": "Colour-blind safe",
    "contrast": "High contrast",
}
LIST_FIELDS = ("alliances", "activities", "evidence")
FLAG_FIELDS = ("present", "all_records", "basemap", "links")


@dataclass(frozen=True)
class View:
    """What the user chose. Lists are tuples in a fixed (vocabulary) order.

    ``focus`` is the focal organisation (alliance mode colours each state by its status in it);
    ``alliances`` are the alliance layers drawn on the map; ``links`` draws Cuba's links.
    """

    year: int
    alliances: tuple[str, ...]
    focus: str = ""
    activities: tuple[str, ...] = tuple(ACTIVITIES)
    evidence: tuple[str, ...] = tuple(EVIDENCE)
    mode: str = "cooperation"
    country: str | None = None
    compare: int | None = None
    palette: str = "standard"
    present: bool = False
    all_records: bool = False
    basemap: bool = False
    links: bool = True

    @classmethod
    def default(cls, year: int, organisations: Iterable[str]) -> View:
        """The first view: the latest year, every activity and evidence grade, no alliance layer,
        the first organisation (in id order) in focus."""
        return cls(year=year, alliances=(), focus=min(organisations, default=""))

    def to_query_params(self, default: View | None = None) -> dict[str, str | list[str]]:
        """Query parameters for the fields that differ from ``default`` (all when None)."""
        params: dict[str, str | list[str]] = {}
        base = asdict(default) if default else {}
        for name, value in asdict(self).items():
            if default is not None and base[name] == value:
                continue
            if name in LIST_FIELDS:
                params[name] = list(value) if value else [""]
            elif name in FLAG_FIELDS:
                params[name] = "1" if value else "0"
            else:
                params[name] = "" if value is None else str(value)
        return params

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, str | list[str]], default: View, years: range,
        alliances: Iterable[str], countries: Iterable[str],
    ) -> tuple[View, list[str]]:
        """The view a URL asks for, and a notice for every value that had to fall back.

        ``params`` maps names to a string or a list of strings (repeated parameters).
        """
        choices = {"alliances": tuple(alliances), "focus": tuple(alliances),
                   "activities": tuple(ACTIVITIES), "evidence": tuple(EVIDENCE),
                   "mode": tuple(MODES),
                   "palette": tuple(PALETTES), "country": tuple(countries)}
        known = {f.name for f in fields(cls)}
        unknown = [_shown(name) for name in params if name not in known]
        notices = [f"Unknown parameter{'s' if len(unknown) > 1 else ''} "
                   f"{', '.join(unknown[:3])}{_more(unknown, 3)} ignored."] if unknown else []
        changes: dict[str, object] = {}
        for name in known & set(params):
            raw = params[name]
            values = [raw] if isinstance(raw, str) else list(raw)
            value, problem = _parse(name, values, choices, years)
            if problem:
                notices.append(f"{_shown(name)}: {problem}; using the default.")
            else:
                changes[name] = value
        return replace(default, **changes), notices


def _shown(text: str, limit: int = 40) -> str:
    """A value from a link quoted in a notice: its repr, cut to ``limit`` characters."""
    return repr(text) if len(text) <= limit else repr(text[:limit - 3]) + "..."


def _more(items: list, shown: int) -> str:
    return f" and {len(items) - shown} more" if len(items) > shown else ""


def parse_year(text: str) -> int | None:
    """A year written in ASCII digits (``'1983'``), else None (``'²'``, 5,000 digits, ``'-1'``)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _parse(name: str, values: list[str], choices: dict[str, tuple[str, ...]],
           years: range) -> tuple[object, str | None]:
    """One parameter's value, or the reason it cannot be used."""
    if name in LIST_FIELDS:
        chosen = {v for v in values if v != ""}
        unknown = sorted(chosen - set(choices[name]))
        if unknown:
            return None, (f"unknown value{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(map(_shown, unknown[:3]))}{_more(unknown, 3)}")
        return tuple(v for v in choices[name] if v in chosen), None
    value = values[-1].strip() if values else ""
    if name in FLAG_FIELDS:
        if value in ("1", "true", "0", "false"):
            return value in ("1", "true"), None
        return None, "expected 1 or 0"
    if name in ("year", "compare"):
        if name == "compare" and value == "":
            return None, None
        if parse_year(value) in years:
            return parse_year(value), None
        return None, f"expected a year from {years.start} to {years.stop - 1}"
    if name == "country" and value == "":
        return None, None
    if value in choices.get(name, ()):
        return value, None
    return None, f"unknown value {_shown(value)}"
