"""Every colour the atlas draws with, in one place: the two colour-blind-safe map palettes
(standard and high contrast), the qualitative colours of organisations and activities, the status,
change and evidence colours.

Counts are drawn in six classes (0, 1, 2, 3, 4, 5 or more) on a ColorBrewer sequential ramp;
organisations and activities take distinct colours from Paul Tol's qualitative schemes, in
the order of their ids, so no colour is hard-coded against a name.
"""

from __future__ import annotations

from dataclasses import dataclass

# Paul Tol's "muted" scheme, then "vibrant" orange, blue and magenta, then black; past those,
# Tol's "light" scheme and the darker half of "dark" (distinct, but less safe for colour-blind
# readers): enough for 22 organisations or activities, and load_atlas refuses more.
QUALITATIVE = ("#332288", "#CC6677", "#117733", "#DDCC77", "#88CCEE", "#882255", "#44AA99",
               "#999933", "#AA4499", "#EE7733", "#0077BB", "#EE3377", "#000000",
               "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33",
               "#AAAA00", "#222255")
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

    def status_colour(self, status: str | None) -> str:
        """The fill for a membership status (:data:`STATUS_COLOURS`); not a member: the
        palette's zero class."""
        return STATUS_COLOURS.get(status or "", self.ramp[0])


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
    """A distinct colour for each id, in the given order (at most ``len(QUALITATIVE)``)."""
    if len(ids) > len(QUALITATIVE):
        raise ValueError(f"{len(ids)} ids but only {len(QUALITATIVE)} distinct colours")
    return dict(zip(ids, QUALITATIVE, strict=False))


# Membership statuses (the map's focal-alliance mode, the matrix, the timelines), categorical and
# colour-blind safe (Okabe-Ito): blue, sky blue, yellow, orange, grey, reddish purple; "not a
# member" takes the palette's zero class (near white).
STATUS_COLOURS = {"member": "#0072B2", "associate": "#56B4E9", "observer": "#F0E442",
                  "suspended": "#E69F00", "inactive": "#999999", "disputed": "#CC79A7"}
NOT_MEMBER = "not a member"
# Cuban support to an armed opposition (never counted as cooperation with the government).
OPPOSITION = "#b2182b"
# What changed (Okabe-Ito): green, vermillion, orange, sky blue, blue, reddish purple.
CHANGE_COLOURS: dict[str, str] = {"joined": "#009E73", "left": "#D55E00", "suspended": "#E69F00",
                                  "restored": "#56B4E9", "started": "#0072B2",
                                  "ended": "#CC79A7", "opposition_started": "#b2182b",
                                  "opposition_ended": "#762a83"}
# Evidence badges in the country panel (PRGn and PuOr ends: readable white text).
EVIDENCE_COLOURS = {"documented": "#1b7837", "reported": "#b35806", "alleged": "#762a83"}
ERA_BANDS = ("#f2f2f2", "#e0e0e0")  # alternating era bands behind the timelines
HOLLOW = "#ffffff"  # the inside of a hollow (not full member) alliance dot
NEUTRAL = "#555555"  # text and outlines that carry no data
