"""Text from a link, an upload or the data files, shown as plain text: never Markdown or HTML
(``st.info`` and ``st.caption`` would render ``[a](url)`` as a link and ``![](url)`` as an image
the browser fetches), and cut short."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

LIMIT = 300
"""Most characters of one line shown."""

MAX_LINES = 20
"""Most lines shown in one box; the rest are counted."""


def shorten(text: str, limit: int = LIMIT) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def notices(lines: Iterable[str]) -> None:
    """``lines`` as plain text in one bordered box (nothing when there are none)."""
    lines = list(lines)
    if not lines:
        return
    with st.container(border=True):
        for line in lines[:MAX_LINES]:
            st.text(shorten(line))
        if len(lines) > MAX_LINES:
            st.text(f"… and {len(lines) - MAX_LINES} more")
