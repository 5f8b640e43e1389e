"""The geometry's data contract: broken copies of countries.geojson give ``file:feature: field:
message`` from the validator (never a traceback) and an atlas that keeps every valid feature."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo import load_atlas
from geo.data import validate

ROOT = Path(__file__).resolve().parents[1]
FILE = "data/countries.geojson"


def _feature(features: list, iso3: str) -> tuple[int, dict]:
    return next((n, f) for n, f in enumerate(features, start=1)
                if f["properties"]["iso3"] == iso3)


def _star(lon: float, lat: float, n: int) -> list:
    """A closed ring of ``n`` vertices around (lon, lat): valid, and as heavy as asked."""
    import math
    ring = [[lon + 0.5 * math.cos(2 * math.pi * i / n), lat + 0.5 * math.sin(2 * math.pi * i / n)]
            for i in range(n)]
    return [[*ring, ring[0]]]


BROKEN = {  # iso3 of the feature broken: (how, message fragment)
    "ring of 3": ("DMA", lambda g: {"type": "Polygon", "coordinates": [
        [[-61.3, 15.2], [-61.2, 15.6], [-61.3, 15.2]]]}, "has a ring of fewer than 4 positions"),
    "text coordinates": ("DMA", lambda g: {"type": "Polygon", "coordinates": [
        [["-61.3", "15.2"], [-61.2, 15.6], [-61.4, 15.6], ["-61.3", "15.2"]]]},
        "has a position that is not [longitude, latitude]: ['-61.3', '15.2']"),
    "open ring": ("DMA", lambda g: {"type": "Polygon", "coordinates": [
        [[-61.3, 15.2], [-61.2, 15.6], [-61.4, 15.6], [-61.35, 15.3]]]},
        "has a ring that is not closed"),
    "bow tie": ("DMA", lambda g: {"type": "Polygon", "coordinates": [
        [[-61.4, 15.2], [-61.2, 15.6], [-61.2, 15.2], [-61.4, 15.6], [-61.4, 15.2]]]},
        "is not a valid polygon: Self-intersection[-61.3 15.4]"),
    "50,000 vertices": ("DMA", lambda g: {"type": "Polygon",
                                          "coordinates": _star(-61.3, 15.4, 50_000)},
                        "has 50,001 vertices; at most 5,000 per feature"),
    "a point": ("DMA", lambda g: {"type": "Point", "coordinates": [-61.3, 15.4]},
                "must be a Polygon or MultiPolygon, not 'Point'"),
    "off the globe": ("DMA", lambda g: {"type": "Polygon", "coordinates": [
        [[-61.3, 15.2], [-261.2, 15.6], [-61.4, 15.6], [-61.3, 15.2]]]},
        "has a position outside the globe: [-261.2, 15.6]"),
    "no geometry": ("DMA", lambda g: None, "is empty"),
}


def _validate(data_dir: Path, capsys) -> tuple[int, str]:
    """The validator's exit code and output (an exception would fail the test)."""
    code = validate.main([str(data_dir)])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_feature_is_named_and_left_out(mini_dir, case, capsys):
    iso3, breaking, message = BROKEN[case]
    path = mini_dir / "countries.geojson"
    document = json.loads(path.read_text("utf-8"))
    number, feature = _feature(document["features"], iso3)
    feature["geometry"] = breaking(feature["geometry"])
    path.write_text(json.dumps(document), "utf-8")
    atlas = load_atlas(mini_dir)
    found = [str(p) for p in atlas.problems if p.field == "geometry"]
    assert len(found) == 1 and found[0].startswith(f"{FILE}:{number}: geometry: {message}")
    assert iso3 not in set(atlas.countries["iso3"])
    assert len(atlas.countries) == len(document["features"]) - 1
    code, out = _validate(mini_dir, capsys)
    assert code == 1
    assert any(line.startswith(f"{FILE}:{number}: geometry: {message}")
               for line in out.splitlines()), out


@pytest.mark.parametrize(("breaking", "message"), [
    (lambda path: path.unlink(), "cannot be read as GeoJSON: [Errno 2] No such file"),
    (lambda path: path.write_bytes(path.read_bytes()[:5000]), "cannot be read as GeoJSON: "),
    (lambda path: path.write_text('{"features": 3}'), "'features' is not a list"),
    (lambda path: path.write_bytes(b"\xff\xfe\x00garbage"), "cannot be read as GeoJSON"),
])
def test_an_unreadable_file_is_one_problem_not_a_traceback(mini_dir, breaking, message,
                                                          capsys):
    breaking(mini_dir / "countries.geojson")
    atlas = load_atlas(mini_dir)
    assert atlas.countries.empty
    assert any(str(p).startswith(f"{FILE}:0: file: ") and message in str(p)
               for p in atlas.problems), atlas.problems
    code, out = _validate(mini_dir, capsys)
    assert code == 2 and f"{FILE}:0: file: " in out


def test_the_validator_reports_without_a_traceback(tmp_path):
    """Run as a program on a folder with nothing in it: problems, exit code 1, no traceback."""
    run = subprocess.run([sys.executable, "-m", "geo.data.validate", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert f"{tmp_path.name}/countries.geojson:0: file: cannot be read as GeoJSON" in run.stdout
