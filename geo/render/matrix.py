"""The membership matrix as a pandas Styler: each status cell in its colour, the focal
organisation's column marked."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from geo.view.colours import STATUS_COLOURS

DARK = {"member"}  # statuses whose colour needs white text


def matrix_styler(table: pd.DataFrame, focus: str) -> Styler:
    """``table`` (:func:`geo.view.scene.membership_matrix`) styled: status colours, white text
    on the dark ones, the ``focus`` column in bold with a tinted blank cell."""
    def cell(status: str, focal: bool = False) -> str:
        if not status:
            return "background-color: #eef3f8" if focal else ""
        text = "#ffffff" if status in DARK else "#1d1d1d"
        weight = "; font-weight: bold" if focal else ""
        return f"background-color: {STATUS_COLOURS[status]}; color: {text}{weight}"

    orgs = list(table.columns[2:])
    styler = table.style.map(cell, subset=[o for o in orgs if o != focus])
    if focus in orgs:
        styler = styler.map(lambda s: cell(s, True), subset=[focus])
    return styler
