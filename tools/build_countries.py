"""Build ``data/countries.geojson`` from registry packages.

Sources (all fetched with ``npm pack`` from the npm registry, pinned):

* ``world-atlas`` — Natural Earth admin-0 countries at 1:50m as TopoJSON (public domain);
* ``world-countries`` — English and Spanish common names and capital names (ODbL);
* the PyPI package ``countryinfo`` — capital coordinates (MIT), each checked against the geometry.

Natural Earth draws France's and the Netherlands' Caribbean departments and islands as parts of
the European state; they are split off here by location (French Guiana, Guadeloupe, Martinique,
Caribbean Netherlands). The USA and Canada are clipped to the map's frame and kept as context land.

Run ``python scripts/build_countries.py`` (needs ``npm`` on the PATH); reruns give the same file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pycountry
import shapely
import topojson
from countryinfo import CountryInfo
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "countries.geojson"

WORLD_ATLAS = ("world-atlas", "2.0.2")
WORLD_COUNTRIES = ("world-countries", "5.1.0")
TOLERANCE_DEG = 0.01  # Douglas-Peucker tolerance on the shared arcs, in degrees (~1 km)
DECIMALS = 4  # coordinates rounded to 1e-4 degrees (~11 m)
CAPITAL_MAX_KM = 25  # a capital point farther than this from its country is rejected

#: The 33 member states of CELAC.
CELAC = [
    "ATG", "ARG", "BHS", "BRB", "BLZ", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DMA", "DOM",
    "ECU", "SLV", "GRD", "GTM", "GUY", "HTI", "HND", "JAM", "MEX", "NIC", "PAN", "PRY", "PER",
    "KNA", "LCA", "VCT", "SUR", "TTO", "URY", "VEN",
]
#: Non-sovereign territories of the region, with the state that administers them.
TERRITORIES = {
    "PRI": "USA", "VIR": "USA",
    "GUF": "FRA", "GLP": "FRA", "MTQ": "FRA", "MAF": "FRA", "BLM": "FRA",
    "ABW": "NLD", "CUW": "NLD", "SXM": "NLD", "BES": "NLD",
    "AIA": "GBR", "BMU": "GBR", "VGB": "GBR", "CYM": "GBR", "MSR": "GBR", "TCA": "GBR",
    "FLK": "GBR", "SGS": "GBR",
}
#: Neighbouring land drawn as context, clipped to this frame (lon/lat bounds).
CONTEXT = ("USA", "CAN")
CONTEXT_FRAME = box(-128.0, 5.0, -50.0, 50.0)
#: Parts of a European state's multipolygon that lie in the region, by the box that holds them.
SPLITS = {
    "FRA": {"GUF": (-55.0, 1.5, -51.0, 6.0), "GLP": (-62.0, 15.7, -60.9, 16.6),
            "MTQ": (-61.3, 14.3, -60.7, 15.0)},
    "NLD": {"BES": (-69.0, 11.9, -62.8, 17.8)},
}


def npm_package(name: str, version: str, dest: Path) -> Path:
    """Download ``name@version`` from the npm registry into ``dest``; return its unpacked folder."""
    subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=dest, check=True,
                   capture_output=True)
    with tarfile.open(dest / f"{name}-{version}.tgz") as tar:
        tar.extractall(dest / name, filter="data")
    return dest / name / "package"


def iso3_of(numeric: str | None) -> str | None:
    """ISO 3166-1 alpha-3 for a numeric code, or None when the code is not assigned."""
    country = pycountry.countries.get(numeric=numeric) if isinstance(numeric, str) else None
    return country.alpha_3 if country else None


def region_shapes(atlas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per region country/territory/context land: columns iso3, kind, geometry."""
    atlas = atlas.assign(iso3=[iso3_of(i) for i in atlas["id"]]).set_index("iso3")
    rows = []
    for iso3 in CELAC:
        rows.append((iso3, "state", atlas.geometry[iso3]))
    for state, parts in SPLITS.items():
        for iso3, bounds in parts.items():
            rows.append((iso3, "territory", atlas.geometry[state].intersection(box(*bounds))))
    for iso3 in TERRITORIES:
        if iso3 in atlas.index:
            rows.append((iso3, "territory", atlas.geometry[iso3]))
    for iso3 in CONTEXT:
        rows.append((iso3, "context", atlas.geometry[iso3].intersection(CONTEXT_FRAME)))
    frame = gpd.GeoDataFrame(rows, columns=["iso3", "kind", "geometry"], crs="EPSG:4326")
    missing = (set(CELAC) | set(TERRITORIES)) - set(frame["iso3"])
    if missing:
        raise SystemExit(f"not in Natural Earth 1:50m: {sorted(missing)}")
    return frame


def simplify(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplify on shared arcs (borders stay shared) and round coordinates."""
    topo = topojson.Topology(frame, prequantize=False, toposimplify=TOLERANCE_DEG,
                             prevent_oversimplify=True)
    out = topo.to_gdf().set_crs("EPSG:4326", allow_override=True)
    rounded = shapely.transform(out.geometry.values, lambda xy: np.round(xy, DECIMALS))
    out["geometry"] = shapely.make_valid(rounded)
    return out


def capital_point(iso3: str, shape) -> tuple[float, float, str]:
    """(lon, lat, source) of the capital; the shape's representative point when none fits."""
    try:
        lat, lon = CountryInfo(iso3).capital_latlng()
    except Exception:
        lat = lon = None
    if lat is not None:
        point = shapely.Point(lon, lat)
        km = gpd.GeoSeries([point, shape], crs="EPSG:4326").to_crs("EPSG:3857")
        if km.iloc[0].distance(km.iloc[1]) / 1000 <= CAPITAL_MAX_KM:
            return round(lon, DECIMALS), round(lat, DECIMALS), "countryinfo"
    rep = shape.representative_point()
    return round(rep.x, DECIMALS), round(rep.y, DECIMALS), "representative point"


def build(workdir: Path) -> dict:
    """Return the GeoJSON document (a dict) for the region."""
    atlas_dir = npm_package(*WORLD_ATLAS, workdir)
    names_dir = npm_package(*WORLD_COUNTRIES, workdir)
    atlas = gpd.read_file(atlas_dir / "countries-50m.json", layer="countries").set_crs("EPSG:4326")
    names = {c["cca3"]: c for c in json.loads((names_dir / "countries.json").read_text("utf-8"))}

    frame = simplify(region_shapes(atlas))
    records = []
    for row in frame.itertuples():
        info = names[row.iso3]
        lon, lat, capital_source = capital_point(row.iso3, row.geometry)
        records.append({
            "iso3": row.iso3,
            "iso_n3": pycountry.countries.get(alpha_3=row.iso3).numeric,
            "name_en": info["name"]["common"],
            "name_es": info["translations"]["spa"]["common"],
            "kind": row.kind,
            "celac": row.iso3 in CELAC,
            "sovereign_iso3": TERRITORIES.get(row.iso3, row.iso3),
            "capital": (info.get("capital") or [""])[0],
            "capital_lon": lon,
            "capital_lat": lat,
            "capital_source": capital_source,
            "geometry": row.geometry,
        })
    out = gpd.GeoDataFrame(records, crs="EPSG:4326").sort_values("iso3")
    doc = json.loads(out.to_json(drop_id=True))
    doc["metadata"] = {
        "title": "Latin America and the Caribbean: countries, territories and context land",
        "source": "Natural Earth admin-0 countries 1:50m, via the npm package "
                  f"{WORLD_ATLAS[0]}@{WORLD_ATLAS[1]} (countries-50m.json)",
        "names": f"npm package {WORLD_COUNTRIES[0]}@{WORLD_COUNTRIES[1]} (ODbL)",
        "capitals": "PyPI package countryinfo (capital_latlng), kept when within "
                    f"{CAPITAL_MAX_KM} km of the country, else the shape's representative point",
        "simplification": f"topojson toposimplify (Douglas-Peucker on shared arcs), tolerance "
                          f"{TOLERANCE_DEG} degrees, prevent_oversimplify; coordinates rounded to "
                          f"{DECIMALS} decimals",
        "licence": "Natural Earth: public domain; names: ODbL (world-countries)",
        "built_by": "scripts/build_countries.py",
    }
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        doc = build(Path(tmp))
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(doc['features'])} features, {len(text) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
