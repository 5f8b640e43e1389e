"""Validate everything under ``data/``: ``python -m geo.data.validate [DATA_DIR]``.

Prints each problem as ``file:row: field: message`` (for the geometry, the row is the feature's
number) and exits 0 when there is none, 1 when rows are left out but the rest can be served,
and 2 when the atlas cannot be served at all (then the app refuses to start: see
:func:`unservable`).
"""

from __future__ import annotations

import argparse
import sys

from geo.data.atlas import DATA_DIR, Atlas, load_atlas


def unservable(atlas: Atlas) -> str | None:
    """Why nothing can be drawn from ``atlas``, or None when what is valid can be served."""
    if len(atlas.states):
        return None
    files = sorted({p.file for p in atlas.problems if p.file.endswith("countries.geojson")})
    return (f"no country could be read from {files[0] if files else 'countries.geojson'}: "
            "the map has nothing to draw")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.data.validate", description=__doc__)
    parser.add_argument("data_dir", nargs="?", default=DATA_DIR)
    args = parser.parse_args(argv)
    atlas = load_atlas(args.data_dir)
    for problem in atlas.problems:
        print(problem)
    if reason := unservable(atlas):
        print(f"cannot serve the atlas: {reason}", file=sys.stderr)
        return 2
    if atlas.problems:
        print(f"{len(atlas.problems)} problem(s): those rows are left out", file=sys.stderr)
        return 1
    records = atlas.records
    print(f"ok: {len(atlas.countries)} countries, {len(atlas.organisations)} organisations, "
          f"{len(atlas.memberships)} membership episodes, {len(records)} cooperation records "
          f"with {records['iso3'].nunique()} partners, {len(atlas.sources)} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
