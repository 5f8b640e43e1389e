"""The slide: exactly the current view as a 16:9 PNG or PDF (map framed as on screen, title, the
presenter's note, year, filters in words, legend, what changed, source line), and a deck of them
as one PDF, a page per stop.

Drawn with matplotlib's object API on a private :class:`~matplotlib.figure.Figure` (never
pyplot's global state), so it is safe to call from any thread; text from the data is never read
as mathtext.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.text import Text

from geo.data.atlas import CUBA, Atlas
from geo.data.vocab import ACTIVITIES
from geo.io.exports import TITLE
from geo.view.changes import CHANGES, main_change
from geo.view.colours import CHANGE_COLOURS, OPPOSITION, Palette
from geo.view.deck import Extent
from geo.view.scene import Scene, describe

__all__ = ["Slide", "slide_figure", "slide_pdf", "slide_png", "slides_pdf"]

SLIDE_INCHES = (16, 9)
SLIDE_DPI = 120  # 16 × 9 in at 120 dpi: 1920 × 1080 px
EXTENT = (-118.0, -34.0, -56.0, 33.0)  # west, east, south, north: the region with the Antilles
MAP_WIDTH = (EXTENT[1] - EXTENT[0]) / (EXTENT[3] - EXTENT[2]) * SLIDE_INCHES[1] / SLIDE_INCHES[0]
PANEL = (MAP_WIDTH + 0.035, 0.975)  # left and right edge of the text panel (figure fraction)
# Font sizes (points), from the roomiest layout to the densest; the first that fits is used.
LAYOUTS = (
    {"title": 34, "year": 88, "body": 18, "body_lines": 8, "legend": 16},
    {"title": 32, "year": 64, "body": 16, "body_lines": 6, "legend": 15},
    {"title": 30, "year": 44, "body": 15, "body_lines": 4, "legend": 14},
)
FOOTER = 14
GAP = 0.028  # vertical space between blocks of the panel (figure fraction)
USER_MARK = "Includes user-supplied records (not curated)"


@dataclass(frozen=True)
class Slide:
    """What one slide shows: a scene, its title and note, the map's extent (None: region)."""

    scene: Scene
    title: str = TITLE
    note: str = ""
    extent: Extent | None = None


def slide_png(atlas: Atlas, scene: Scene, title: str = TITLE, note: str = "",
              extent: Extent | None = None) -> bytes:
    """The view as a 16:9 slide, 1920 × 1080 px PNG."""
    return _save(slide_figure(atlas, Slide(scene, title, note, extent)), "png", title)


def slide_pdf(atlas: Atlas, scene: Scene, title: str = TITLE, note: str = "",
              extent: Extent | None = None) -> bytes:
    """The view as a 16:9 slide, one-page vector PDF (16 × 9 in)."""
    return slides_pdf(atlas, [Slide(scene, title, note, extent)], title)


def slides_pdf(atlas: Atlas, slides: list[Slide], title: str = TITLE) -> bytes:
    """Slides as one vector PDF, a 16 × 9 in page each."""
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "Creator": TITLE,
                                    "CreationDate": None}) as pdf:
        for one in slides:
            fig = slide_figure(atlas, one)
            pdf.savefig(fig, facecolor=fig.get_facecolor())
    return buffer.getvalue()


def _save(fig: Figure, fmt: str, title: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=SLIDE_DPI, facecolor=fig.get_facecolor(),
                metadata={"Title": title, "Software": TITLE})
    return buffer.getvalue()


def slide_figure(atlas: Atlas, slide: Slide | Scene, title: str = TITLE) -> Figure:
    """The one drawing behind every slide format: the map on the left, the words on the right."""
    if isinstance(slide, Scene):
        slide = Slide(slide, title)
    fig = Figure(figsize=SLIDE_INCHES, dpi=SLIDE_DPI, facecolor="white")
    FigureCanvasAgg(fig)  # a renderer of its own, to measure text while laying out the panel
    _draw_map(fig.add_axes((0, 0, MAP_WIDTH, 1)), atlas, slide.scene, slide.extent)
    _draw_panel(fig, atlas, slide)
    return fig


def map_limits(extent: Extent | None) -> tuple[float, float, float, float]:
    """(west, east, south, north) of the slide's map: ``extent`` (else the region) widened to
    the map's shape, so what was on screen is all on the slide."""
    if extent is None:
        return EXTENT
    aspect = (EXTENT[1] - EXTENT[0]) / (EXTENT[3] - EXTENT[2])  # width / height of the map
    west, east, south, north = extent.west, extent.east, extent.south, extent.north
    width, height = east - west, north - south
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        west, east = west - grow, east + grow
    else:
        grow = (width / aspect - height) / 2
        south, north = south - grow, north + grow
    return west, east, south, north


def _draw_map(ax, atlas: Atlas, scene: Scene, extent: Extent | None = None) -> None:
    """Sea, context land, the 33 states in their fills, outlines, small states, Cuba's links and
    the outlines of what changed, framed as ``extent``."""
    palette = scene.palette
    west, east, south, north = map_limits(extent)
    ax.set_facecolor(palette.sea)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal", adjustable="box", anchor="W")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_visible(False)

    countries = atlas.countries
    context = countries[countries["kind"] != "state"]
    _polygons(ax, context.geometry, palette.land, palette.land_line, 0.5, zorder=1)
    shapes = countries.set_index("iso3").geometry
    states = scene.states
    _polygons(ax, shapes.reindex(states["iso3"]), states["fill"], palette.line,
              palette.line_weight, zorder=2)

    small = states[states["small"]]  # island states too small to show their fill at this scale
    ax.scatter(small["lon"], small["lat"], s=110, c=list(small["fill"]), edgecolors=palette.line,
               linewidths=1.2, zorder=4)

    for arc in scene.links.sort_values("weight", ascending=False).itertuples():
        width = 0.75 * arc.weight  # folium pixels to points, a little bolder for projection
        halo = patheffects.withStroke(linewidth=width + 2.5, foreground="white", alpha=0.8)
        line = np.asarray(arc.line, dtype=float)
        dashes = (0, (3, 2)) if arc.counterpart == "armed_opposition" else "solid"
        ax.plot(line[:, 0], line[:, 1], color=arc.colour, linewidth=width, alpha=0.95,
                linestyle=dashes, solid_capstyle="round", zorder=5, path_effects=[halo])

    cuba = states[states["iso3"] == CUBA]  # on top of the links, which start in Havana
    _polygons(ax, shapes.reindex(cuba["iso3"]), cuba["fill"], palette.cuba_line, 1.6, zorder=6)

    for change, group in _changed(scene).items():
        _polygons(ax, shapes.reindex(group), "none", CHANGE_COLOURS[change], 3.0, zorder=7,
                  linestyle=(0, (4, 2.5)))

    selected = scene.view.country
    if selected in set(states["iso3"]):
        _polygons(ax, shapes.reindex([selected]), "none", palette.highlight, 3.2, zorder=7)
        row = states[states["iso3"] == selected].iloc[0]
        if row["small"]:
            ax.scatter([row["lon"]], [row["lat"]], s=420, facecolors="none",
                       edgecolors=palette.highlight, linewidths=3, zorder=7)


def _changed(scene: Scene) -> dict[str, list[str]]:
    """The countries outlined for each kind of change since the comparison year."""
    if scene.changes is None or scene.changes.empty:
        return {}
    groups: dict[str, list[str]] = {}
    for iso3, change in main_change(scene.changes).items():
        groups.setdefault(change, []).append(iso3)
    return {change: groups[change] for change in CHANGES if change in groups}


def _polygons(ax, geometries, facecolor, edgecolor: str, linewidth: float, zorder: int,
              linestyle="solid") -> None:
    """Draw (multi)polygons as one collection; ``facecolor`` is one colour or one per shape."""
    paths, keep = [], []
    for i, geometry in enumerate(geometries):
        path = _path(geometry)
        if path is not None:
            paths.append(path)
            keep.append(i)
    if isinstance(facecolor, str):
        facecolor = [facecolor] * len(keep)
    else:
        colours = list(facecolor)
        facecolor = [colours[i] for i in keep]
    ax.add_collection(PathCollection(paths, facecolors=facecolor, edgecolors=edgecolor,
                                     linewidths=linewidth, joinstyle="round", zorder=zorder,
                                     linestyles=linestyle),
                      autolim=False)


def _path(geometry) -> Path | None:
    """A matplotlib path of a (multi)polygon's rings; None when there is nothing to draw."""
    if geometry is None or geometry.is_empty:
        return None
    vertices, codes = [], []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    return Path(np.concatenate(vertices), np.concatenate(codes)) if vertices else None


def _draw_panel(fig: Figure, atlas: Atlas, slide: Slide) -> None:
    """Title, year, filters, legends and source line, stacked top-down by measured height.

    If the stack would run into the source line, it is drawn again in a denser layout.
    """
    scene = slide.scene
    n = len(scene.sources)
    footer = (f"Data: Alliance Atlas, reviewed {atlas.reviewed.isoformat()};\nboundaries: "
              f"Natural Earth; {n} source{'' if n == 1 else 's'} cited for this view")
    if _user_supplied(scene):
        footer = f"{USER_MARK}.\n{footer}"
    panel = _Panel(fig, scene.palette)
    floor = panel.text(footer, 0.035, FOOTER, 3, va="bottom")
    for layout in LAYOUTS:
        drawn = len(fig.texts), len(fig.legends)
        if _stack(panel, atlas, slide, layout) > floor + GAP or layout is LAYOUTS[-1]:
            break
        for artist in [*fig.texts[drawn[0]:], *fig.legends[drawn[1]:]]:
            artist.remove()
    fig.add_artist(Line2D([MAP_WIDTH] * 2, [0, 1], color=scene.palette.land_line, linewidth=1,
                          transform=fig.transFigure))


def _user_supplied(scene: Scene) -> bool:
    return "user_supplied" in scene.records and bool(scene.records["user_supplied"].any())


def _stack(panel: _Panel, atlas: Atlas, slide: Slide, size: dict) -> float:
    """Draw the panel's blocks from the top; returns the y of the last block's bottom."""
    scene = slide.scene
    y = panel.text(slide.title, 0.94, size["title"], 2, fontweight="bold") - 0.01
    y = panel.text(str(scene.view.year), y, size["year"], 1, fontweight="bold") - 0.012
    if slide.note:
        y = panel.text(slide.note, y, size["body"], size["body_lines"] - 1,
                       style="italic") - 0.012
    y = panel.text(_sentence(describe(scene.view, atlas)), y, size["body"], size["body_lines"])
    selected = scene.states.loc[scene.states["iso3"] == scene.view.country, "name"]
    if len(selected):
        y = panel.text(f"Outlined: {selected.iloc[0]} (selected)", y - 0.01, size["body"], 2,
                       fontweight="bold")
    palette = scene.palette
    swatches = [Patch(facecolor=colour, edgecolor=palette.line, linewidth=0.8, label=label)
                for colour, label in scene.legend]
    y = panel.legend(swatches, scene.legend_title, y - GAP, min(4, len(swatches)),
                     size["legend"])
    if len(scene.links):
        government = scene.links[scene.links["counterpart"] == "government"]
        present = [a for a in ACTIVITIES if a in set(government["activity"])]
        lines = [Line2D([], [], color=scene.activity_colours[a], linewidth=5,
                        solid_capstyle="round", label=ACTIVITIES[a]) for a in present]
        if (scene.links["counterpart"] == "armed_opposition").any():
            lines.append(Line2D([], [], color=OPPOSITION, linewidth=5, linestyle=(0, (3, 2)),
                                label="Support to armed opposition"))
        y = panel.legend(lines, "Cuba's links, by main activity (width: records)", y - GAP,
                         1 if len(lines) < 4 else 2, size["legend"])
    if changed := _changed(scene):
        outlines = [Line2D([], [], color=CHANGE_COLOURS[c], linewidth=3, linestyle=(0, (4, 2)),
                           label=CHANGES[c]) for c in changed]
        y = panel.legend(outlines, f"Changed since {scene.view.compare} (dashed outlines)",
                         y - GAP, 1, size["legend"])
    return y


class _Panel:
    """Places wrapped text and legends in the right-hand panel, measuring what it draws."""

    def __init__(self, fig: Figure, palette: Palette):
        self.fig, self.palette = fig, palette
        self.left, right = PANEL
        self.renderer = fig.canvas.get_renderer()
        self.width = (right - self.left) * fig.bbox.width  # pixels

    def _box(self, artist):
        return artist.get_window_extent(self.renderer)

    def text(self, words: str, y: float, size: int, max_lines: int, va: str = "top",
             **style) -> float:
        """Wrapped text anchored at ``y`` (its top, or bottom); returns its other edge."""
        shown = _plain(self.fig.text(self.left, y, "", fontsize=size, va=va, ha="left",
                                     color=self.palette.text, **style))
        for chars in range(int(self.width / (0.5 * size)), 8, -2):
            shown.set_text(_wrap(words, chars, max_lines))
            if self._box(shown).width <= self.width:
                break
        height = self._box(shown).height / self.fig.bbox.height
        return y - height if va == "top" else y + height

    def legend(self, handles: list, title: str, y: float, ncols: int, size: int) -> float:
        """A framed legend whose top-left corner is at ``y``; returns the y of its bottom.

        Its title is wrapped, then its columns reduced, until it fits the panel's width.
        """
        tries = [(columns, chars) for columns in range(ncols, 0, -1) for chars in (60, 44, 32)]
        for columns, chars in tries:
            legend = self.fig.legend(
                handles=handles, title=_wrap(title, chars, 3), loc="upper left",
                bbox_to_anchor=(self.left, y), ncols=columns, fontsize=size,
                title_fontsize=size, alignment="left", frameon=True,
                edgecolor=self.palette.land_line, facecolor="white", framealpha=1,
                borderaxespad=0, handlelength=1.6, handleheight=1.1, columnspacing=1.2,
                labelspacing=0.45,
                labelcolor=self.palette.text)
            legend.get_title().set_fontweight("bold")
            legend.get_title().set_color(self.palette.text)
            box = self._box(_plain(legend))
            if box.width <= self.width or (columns, chars) == tries[-1]:
                break
            legend.remove()
        return y - box.height / self.fig.bbox.height


def _plain(artist):
    """Switch off mathtext and TeX for every text in ``artist``: data is shown as written."""
    for item in artist.findobj(Text):
        item.set_usetex(False)
        item.set_parse_math(False)
    return artist


def _wrap(words: str, chars: int, max_lines: int) -> str:
    """``words`` in lines of at most ``chars`` (paragraphs kept); the last line shortened."""
    chars = max(chars, 8)
    words = re.sub(r"[\x00-\x09\x0b-\x1f\x7f]", " ", str(words))  # control characters
    lines = [line for paragraph in words.split("\n")
             for line in textwrap.wrap(" ".join(paragraph.split()), chars)] or [""]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        lines = [*lines[:max_lines - 1], textwrap.shorten(rest, chars, placeholder=" …")]
    return "\n".join(lines)


def _sentence(filters: str) -> str:
    return filters[:1].upper() + filters[1:] + "."
