"""Colours: two colour-blind-safe palettes (standard and high contrast), chosen once here.

Counts are drawn in six classes (0, 1, 2, 3, 4, 5 or more) on a ColorBrewer sequential ramp;
organisations and activities take distinct colours from Paul Tol's qualitative schemes, in
the order of their ids, so no colour is hard-coded against a name.
"""

from __future__ import annotations

from dataclasses import dataclass

# Paul Tol's "muted" scheme, then "vibrant" orange, blue and magenta, then black.
QUALITATIVE = ("#332288", "#CC6677", "#117733", "#DDCC77", "#88CCEE", "#882255", "#44AA99",
               "#999933", "#AA4499", "#EE7733", "#0077BB", "#EE3377", "#000000")
CLASSES = ("0", "1", "2", "3", "4", "5 or more")


@dataclass(frozen=True)
class Palette:
    """Every colour the map, its legend and the slide export use."""

    sea: str
    land: str  # context land and territories: quiet, never a data colour
    land_line: str
    line: str  # borders of the countries in the data
    line_weight: float
    ramp: tuple[str, ...]  # one colour per class of CLASSES
    cuba: str
    cuba_line: str
    highlight: str  # outline of the selected country
    text: str

    def class_colour(self, count: int) -> str:
        """The fill for a count (0, 1, ..., 5 or more)."""
        return self.ramp[min(max(int(count), 0), len(self.ramp) - 1)]


PALETTE = {
    # ColorBrewer YlGnBu behind a near-white zero class; a deep red (RdBu) for Cuba.
    "standard": Palette(sea="#d4e4ef", land="#e8e4dc", land_line="#c6bfb2", line="#5f6b73",
                        line_weight=0.7,
                        ramp=("#fbfbf7", "#c7e9b4", "#7fcdbb", "#1d91c0", "#225ea8", "#0c2c84"),
                        cuba="#b2182b", cuba_line="#000000", highlight="#000000",
                        text="#1d1d1d"),
    # ColorBrewer Greys on white with black borders; Okabe-Ito orange for Cuba.
    "contrast": Palette(sea="#ffffff", land="#d9d9d9", land_line="#8c8c8c", line="#000000",
                        line_weight=1.2,
                        ramp=("#ffffff", "#d9d9d9", "#a6a6a6", "#737373", "#404040", "#0d0d0d"),
                        cuba="#e69f00", cuba_line="#000000", highlight="#e69f00",
                        text="#000000"),
}


def qualitative(ids: list[str] | tuple[str, ...]) -> dict[str, str]:
    """A distinct colour for each id, in the given order (at most 13)."""
    if len(ids) > len(QUALITATIVE):
        raise ValueError(f"{len(ids)} ids but only {len(QUALITATIVE)} distinct colours")
    return dict(zip(ids, QUALITATIVE, strict=False))
