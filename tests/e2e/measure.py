"""The four figures of the map's readability, measured in the page as a person sees it.

- ``map_share``: the part of the viewport the map occupies (its box clipped to the viewport);
- ``covered_share``: the part of the map under in-map boxes (every Leaflet control);
- ``overlapping_pairs``: pairs of point marks of different states that overlap on screen
  (markers and dots as circles, boxes of chips as rectangles);
- ``without_target``: the states with no point whose 3 px neighbourhood, asked of
  ``document.elementFromPoint`` in the map's frame, is all that state's own polygon or marker
  (what a real click there would hit; links, other states and controls do not count).
"""

from __future__ import annotations

from playwright.sync_api import Frame, Page

from tools.harness import MAP_COMPONENT, MAP_FRAME

RADIUS = 3

FIGURES_JS = """radius => {
  const map = window.map, frame = map.getContainer().getBoundingClientRect();
  const owner = new Map(), marks = [], shapes = {};
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties, g = l.feature && l.feature.geometry;
    const el = l._path || l._icon;
    if (!p || !p.iso3 || !el || !g) return;
    if (g.type === "Point") {
      const r = el.getBoundingClientRect(), inner = el.firstElementChild;
      const round = !l._icon || (inner && getComputedStyle(inner).borderRadius === "50%");
      if (r.width > 0) marks.push({iso3: p.iso3, round, box: r, x: r.x + r.width / 2,
                                   y: r.y + r.height / 2, r: Math.max(r.width, r.height) / 2});
    }
    if (p.kind === "state" && g.type !== "LineString") {
      owner.set(el, p.iso3);
      (shapes[p.iso3] = shapes[p.iso3] || []).push(el);
    }
  });
  const whose = (x, y) => {
    if (x < frame.left || y < frame.top || x >= frame.right || y >= frame.bottom) return null;
    for (let e = document.elementFromPoint(x, y); e; e = e.parentElement) {
      if (owner.has(e)) return owner.get(e);
      if (e === map.getContainer()) return null;
    }
    return null;
  };
  const ring = [[0, 0]];
  for (const r of [radius / 2, radius]) for (let k = 0; k < 16; k++)
    ring.push([r * Math.cos(k * Math.PI / 8), r * Math.sin(k * Math.PI / 8)]);
  const freePoint = iso3 => {
    for (const el of shapes[iso3] || []) {
      const b = el.getBoundingClientRect();
      const step = Math.max(1, Math.min(b.width, b.height) / 40);
      for (let y = b.top + step / 2; y < b.bottom; y += step)
        for (let x = b.left + step / 2; x < b.right; x += step)
          if (whose(x, y) === iso3 && ring.every(([dx, dy]) => whose(x + dx, y + dy) === iso3))
            return [x - frame.left, y - frame.top];
    }
    return null;
  };
  const states = [...new Set(owner.values())].sort();
  const free = {};
  for (const iso3 of states) free[iso3] = freePoint(iso3);
  const overlap = (a, b) => {  // circles (markers, dots) and rectangles (boxes of chips)
    if (a.round && b.round) return Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r - 0.5;
    if (!a.round && !b.round)
      return Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left) > 0.5
        && Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top) > 0.5;
    const [c, q] = a.round ? [a, b.box] : [b, a.box];
    const dx = Math.max(q.left - c.x, 0, c.x - q.right);
    const dy = Math.max(q.top - c.y, 0, c.y - q.bottom);
    return Math.hypot(dx, dy) < c.r - 0.5;
  };
  let pairs = 0;
  for (let i = 0; i < marks.length; i++) for (let j = i + 1; j < marks.length; j++)
    if (marks[i].iso3 !== marks[j].iso3 && overlap(marks[i], marks[j])) pairs++;
  let covered = 0;
  for (const c of map.getContainer().querySelectorAll(".leaflet-control")) {
    const r = c.getBoundingClientRect();
    const w = Math.min(r.right, frame.right) - Math.max(r.left, frame.left);
    const h = Math.min(r.bottom, frame.bottom) - Math.max(r.top, frame.top);
    if (w > 0 && h > 0) covered += w * h;
  }
  return {marks: marks.length, overlapping_pairs: pairs, free,
          without_target: states.filter(s => !free[s]),
          covered_share: covered / (frame.width * frame.height)};
}"""


def map_frame(page: Page) -> Frame:
    return next(f for f in page.frames if MAP_COMPONENT in f.url)


def figures(page: Page, frame: Frame) -> dict:
    """The four figures (and the free point found for each state, in map pixels)."""
    box = page.locator(MAP_FRAME).bounding_box()
    view = page.viewport_size
    width = min(box["x"] + box["width"], view["width"]) - max(box["x"], 0)
    height = min(box["y"] + box["height"], view["height"]) - max(box["y"], 0)
    shown = max(width, 0) * max(height, 0)
    result = frame.evaluate(FIGURES_JS, RADIUS)
    result["map_share"] = shown / (view["width"] * view["height"])
    result["map_box"] = box
    return result


def summary(result: dict) -> str:
    return (f"map share {result['map_share']:.0%}; covered {result['covered_share']:.0%}; "
            f"overlapping marker pairs {result['overlapping_pairs']} of {result['marks']} marks; "
            f"states without a free {RADIUS} px target {len(result['without_target'])}: "
            f"{', '.join(result['without_target'])}")
