"""Validate everything under ``data/``: ``python -m geo.data.validate [DATA_DIR]``.

Prints each problem as ``file:row: field: message`` and exits 1 if there is any, else prints a
summary and exits 0.
"""

from __future__ import annotations

import argparse
import sys

from geo.data.atlas import DATA_DIR, load_atlas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.data.validate", description=__doc__)
    parser.add_argument("data_dir", nargs="?", default=DATA_DIR)
    args = parser.parse_args(argv)
    atlas = load_atlas(args.data_dir)
    for problem in atlas.problems:
        print(problem)
    if atlas.problems:
        print(f"{len(atlas.problems)} problem(s)", file=sys.stderr)
        return 1
    records = atlas.records
    print(f"ok: {len(atlas.countries)} countries, {len(atlas.organisations)} organisations, "
          f"{len(atlas.memberships)} membership episodes, {len(records)} cooperation records "
          f"with {records['iso3'].nunique()} partners, {len(atlas.sources)} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
