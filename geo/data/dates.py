"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, as precise as the source allows.

A partial date stands for the first day of the period it names, so episodes that meet at a
boundary written as ``2019`` do not overlap: an episode covers ``[start, end)``.
"""

from __future__ import annotations

import re
from datetime import date

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> date:
    """First day of the period ``text`` names; ``ValueError`` with a readable message otherwise."""
    match = _PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a real date ({error})") from None


def as_of(year: int) -> date:
    """The reference day for membership questions about ``year``: 1 July."""
    return date(year, 7, 1)
