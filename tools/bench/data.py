"""The benchmark's inputs: scaled copies of ``data/``, the world, and the naive baseline's shapes.

Nothing here is committed: Natural Earth comes from the npm package ``world-atlas`` (fetched
with ``npm pack`` into ``tools/bench/.cache/``, which git ignores) and every derived data directory
is
written to a temporary folder by the run that uses it.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).absolute().parents[2]
CACHE = ROOT / "tools" / "bench" / ".cache"
WORLD_ATLAS = ("world-atlas", "2.0.2")
NAIVE_COUNTRIES = "naive-countries-10m.geojson"


class Unavailable(RuntimeError):
    """A benchmark input cannot be made here (no npm, no network, ...): the reason says which."""


def world_atlas(cache: Path = CACHE) -> Path:
    """The unpacked ``world-atlas`` package (TopoJSON countries at 1:10m, 1:50m, 1:110m)."""
    name, version = WORLD_ATLAS
    package = cache / f"{name}-{version}" / "package"
    if (package / "countries-10m.json").exists():
        return package
    cache.mkdir(parents=True, exist_ok=True)
    if shutil.which("npm") is None:
        raise Unavailable("npm is not on the PATH: cannot fetch world-atlas (Natural Earth)")
    try:
        subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=cache, check=True,
                       capture_output=True, timeout=300)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise Unavailable(f"npm pack {name}@{version} failed: "
                          f"{detail.decode(errors='replace').strip()[:200] or error}") from error
    partial = cache / f"{name}-{version}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    with tarfile.open(cache / f"{name}-{version}.tgz") as tar:
        tar.extractall(partial, filter="data")
    shutil.rmtree(package.parent, ignore_errors=True)
    partial.rename(package.parent)  # whole or not at all, should a run be interrupted
    return package


def build_script():
    """``scripts/build_countries.py`` as a module: the same ISO codes and simplification."""
    spec = importlib.util.spec_from_file_location("build_countries",
                                                  ROOT / "tools" / "build_countries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _natural_earth(scale: str, cache: Path):
    """Natural Earth countries at ``scale``, with ``iso3`` (features without a code dropped)."""
    import geopandas as gpd

    iso3_of = build_script().iso3_of
    frame = gpd.read_file(world_atlas(cache) / f"countries-{scale}.json", layer="countries")
    frame = frame.set_crs("EPSG:4326", allow_override=True)
    frame["iso3"] = [iso3_of(i) for i in frame["id"]]
    frame = frame[frame["iso3"].notna()].drop_duplicates("iso3")  # a few ids repeat: keep one
    return frame[["iso3", "id", "name", "geometry"]].reset_index(drop=True)


def _region_features(data_dir: Path) -> list[dict]:
    return json.loads((data_dir / "countries.geojson").read_text("utf-8"))["features"]


def naive_countries(data_dir: Path, cache: Path = CACHE) -> Path:
    """The region's states and territories at Natural Earth 1:10m, unsimplified, as GeoJSON.

    What a naive build would draw: the same countries as ``data/countries.geojson`` (USA and
    Canada, context land there, are left out rather than drawn whole), straight from the
    1:10m TopoJSON, with no simplification and no rounding.
    """
    target = cache / NAIVE_COUNTRIES
    if target.exists():
        return target
    wanted = {f["properties"]["iso3"] for f in _region_features(data_dir)
              if f["properties"]["kind"] != "context"}
    frame = _natural_earth("10m", cache)
    frame = frame[frame["iso3"].isin(wanted)][["iso3", "geometry"]]
    partial = target.with_suffix(".partial")
    partial.write_text(frame.to_json(drop_id=True), encoding="utf-8")
    partial.rename(target)
    return target


def scaled_data(data_dir: Path, factor: int, dest: Path) -> Path:
    """A copy of ``data_dir`` whose cooperation records are repeated ``factor`` times.

    Copy ``k`` of a record keeps every field but its ``record_id`` (suffixed ``-copy-k``).
    """
    dest = Path(dest)
    shutil.copytree(data_dir, dest, dirs_exist_ok=True)
    path = dest / "cooperation.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for k in range(factor):
            for row in rows:
                copy = dict(row)
                if k:
                    copy["record_id"] = f"{row['record_id']}-copy-{k}"
                writer.writerow(copy)
    return dest


def _polygonal(geometry):
    """Only the polygons of a geometry (make_valid can leave lines beside them)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    import shapely

    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def world_data(data_dir: Path, dest: Path, cache: Path = CACHE) -> Path:
    """A copy of ``data_dir`` whose ``countries.geojson`` holds every country of the world.

    The region's features are kept as built; every other country of Natural Earth 1:50m (USA
    and Canada whole instead of clipped) becomes a ``state``, simplified the way
    ``scripts/build_countries.py`` simplifies the region, with its representative point as
    capital. The memberships and records stay the region's.
    """
    import pycountry
    import shapely

    dest = Path(dest)
    shutil.copytree(data_dir, dest, dirs_exist_ok=True)
    region = _region_features(data_dir)
    kept = [f for f in region if f["properties"]["kind"] != "context"]
    known = {f["properties"]["iso3"] for f in kept}
    world = _natural_earth("50m", cache)
    world = world[~world["iso3"].isin(known)].reset_index(drop=True)
    simple = build_script().simplify(world[["iso3", "geometry"]])
    simple["geometry"] = [_polygonal(g) for g in simple.geometry]
    simple = simple[~simple.geometry.is_empty].merge(world[["iso3", "id"]], on="iso3")
    features = list(kept)
    for iso3, numeric, geometry in zip(simple["iso3"], simple["id"], simple.geometry,
                                       strict=True):
        point = geometry.representative_point()
        country = pycountry.countries.get(alpha_3=iso3)
        name = getattr(country, "common_name", None) or country.name
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geometry),
                         "properties": {
                             "iso3": iso3, "iso_n3": numeric, "name_en": name, "name_es": name,
                             "kind": "state", "celac": False, "sovereign_iso3": iso3,
                             "capital": "", "capital_lon": round(point.x, 4),
                             "capital_lat": round(point.y, 4),
                             "capital_source": "representative point"}})
    doc = {"type": "FeatureCollection", "features": features}
    (dest / "countries.geojson").write_text(json.dumps(doc, separators=(",", ":")), "utf-8")
    return dest
