"""House conventions kept true by tests: a Streamlit-free library, a documented data folder."""

from __future__ import annotations

import ast
import csv
import json
import tomllib
from pathlib import Path

import pytest

import geo
from geo import DATA_DIR
from geo.data.schema import (
    Agreement,
    Cooperation,
    CountryProperties,
    Membership,
    Organisation,
    Personnel,
    Source,
)

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = tomllib.loads((DATA_DIR / "catalogue.toml").read_text("utf-8"))
SCHEMAS = {"sources.csv": Source, "organisations.csv": Organisation,
           "memberships.csv": Membership, "cooperation.csv": Cooperation,
           "personnel.csv": Personnel, "agreements.csv": Agreement,
           "countries.geojson": CountryProperties}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "geo").glob("*.py")), ids=lambda p: p.name)
def test_geo_never_imports_streamlit(path):
    assert not imported_modules(path) & {"streamlit", "streamlit_folium"}


def test_every_data_file_is_catalogued():
    on_disk = {p.name for p in DATA_DIR.iterdir() if p.is_file()} - {"catalogue.toml", "README.md",
                                                                       "CHANGELOG.md"}
    assert set(CATALOGUE["files"]) == on_disk


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_column_is_described_and_matches_the_schema(name):
    entry = CATALOGUE["files"][name]
    assert {"title", "producer", "licence", "accessed", "description"} <= set(entry)
    if name.endswith(".csv"):
        with (DATA_DIR / name).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
    else:
        document = json.loads((DATA_DIR / name).read_text("utf-8"))
        header = list(document["features"][0]["properties"])
    assert header == list(SCHEMAS[name].model_fields) == list(entry["columns"])
    assert all(entry["columns"].values())


def test_geometry_metadata_records_source_and_tolerance():
    metadata = json.loads((DATA_DIR / "countries.geojson").read_text("utf-8"))["metadata"]
    assert "world-atlas@2.0.2" in metadata["source"]
    assert "1:50m" in metadata["source"]
    assert "tolerance 0.01 degrees" in metadata["simplification"]
    assert metadata["built_by"] == "scripts/build_countries.py"


def test_public_api_is_explicit():
    assert set(geo.__all__) == {"ACTIVITIES", "DATA_DIR", "EVIDENCE", "ORG_KINDS", "STATUSES",
                                "Atlas", "Problem", "cited_sources", "load_atlas"}
    assert all(hasattr(geo, name) for name in geo.__all__)


def test_readme_documents_the_query_api():
    readme = (ROOT / "README.md").read_text("utf-8")
    for call in ("load_atlas()", "atlas.countries", "atlas.memberships", "atlas.members(",
                 "atlas.cooperation(", "atlas.status(", "atlas.history(",
                 "atlas.country_frame(", "cited_sources(", "atlas.problems",
                 "python -m geo.data.validate"):
        assert call in readme, call
