"""Read the data files row by row: valid rows are kept, every problem is reported with its place."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError
from shapely.geometry import shape
from shapely.validation import explain_validity

from geo.data.schema import CountryProperties


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a data file at ``file:row`` (row 1 is the header, 0 the whole file)."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.field}: {self.message}"


def problems_of(file: str, row: int, error: ValidationError) -> list[Problem]:
    found = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"] if not isinstance(part, int)) or "row"
        message = item["msg"].removeprefix("Value error, ")
        found.append(Problem(file, row, field, message))
    return found


def validate_records(
    file: str, records: list[tuple[int, dict]], model: type[BaseModel]
) -> tuple[list[dict], list[Problem]]:
    """Validate ``(row, record)`` pairs; valid ones come back as dicts with their ``row``."""
    valid, problems = [], []
    for row, record in records:
        try:
            valid.append({"row": row, **model.model_validate(record).model_dump()})
        except ValidationError as error:
            problems.extend(problems_of(file, row, error))
    return valid, problems


def _misshapen(record: dict) -> str | None:
    """How a csv.DictReader record differs from its header, if it does."""
    if None in record:  # DictReader keeps surplus cells under the key None
        return "more cells"
    if None in record.values():  # ... and fills missing ones with None
        return "fewer cells"
    return None


def read_csv(path: Path, model: type[BaseModel], name: str) -> tuple[list[dict], list[Problem]]:
    """Rows of a CSV file validated against ``model``; ``name`` is how problems name the file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            records = [(number, record) for number, record in enumerate(reader, start=2)
                       if any((value or "").strip() for value in record.values())]
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return [], [Problem(name, 0, "file", f"cannot be read: {error}")]
    expected = list(model.model_fields)
    if sorted(header) != sorted(expected):
        missing = [column for column in expected if column not in header]
        extra = [column for column in header if column not in expected]
        message = f"columns differ from the schema: missing {missing}, unexpected {extra}"
        return [], [Problem(name, 1, "header", message)]
    misshapen = [Problem(name, row, "row", f"{shape} than the {len(header)} columns")
                 for row, record in records if (shape := _misshapen(record))]
    bad_rows = {problem.row for problem in misshapen}
    valid, problems = validate_records(
        name, [(row, record) for row, record in records if row not in bad_rows], model)
    return valid, misshapen + problems


MAX_VERTICES = 5000
"""Most vertices of one country's geometry (the largest has ~1,800): every rerun sends them."""


def read_countries(path: Path, name: str) -> tuple[list[dict], list[Problem]]:
    """Features of the countries GeoJSON: properties validated, geometry checked
    (:func:`geometry_problem`) and kept as GeoJSON."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        features = document["features"]
        if not isinstance(features, list):
            raise TypeError("'features' is not a list")
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [], [Problem(name, 0, "file", f"cannot be read as GeoJSON: {error}")]
    records = [(number, feature.get("properties") or {} if isinstance(feature, dict) else {})
               for number, feature in enumerate(features, start=1)]
    valid, problems = validate_records(name, records, CountryProperties)
    kept = []
    for row in valid:
        feature = features[row["row"] - 1]
        row["geometry"] = feature.get("geometry") if isinstance(feature, dict) else None
        if problem := geometry_problem(row["geometry"]):
            problems.append(Problem(name, row["row"], "geometry", problem))
        else:
            kept.append(row)
    return kept, problems


def geometry_problem(geometry) -> str | None:
    """Why a GeoJSON geometry cannot be drawn, or None: a Polygon or MultiPolygon of closed
    rings of at least 4 [longitude, latitude] positions, at most :data:`MAX_VERTICES` in all,
    valid by the OGC rules (no self-intersection)."""
    if not geometry:
        return "is empty"
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        return f"must be a Polygon or MultiPolygon, not {str(kind)[:40]!r}"
    polygons = geometry.get("coordinates")
    polygons = [polygons] if kind == "Polygon" else polygons
    if not isinstance(polygons, list) or not polygons:
        return "has no coordinates"
    if not all(isinstance(polygon, list) and polygon and all(
            isinstance(ring, list) for ring in polygon) for polygon in polygons):
        return "has a polygon without rings"
    vertices = sum(len(ring) for polygon in polygons for ring in polygon)
    if vertices > MAX_VERTICES:
        return f"has {vertices:,} vertices; at most {MAX_VERTICES:,} per feature (simplify it)"
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 4:
                return "has a ring of fewer than 4 positions"
            for position in ring:
                if not (isinstance(position, list) and len(position) in (2, 3) and all(
                        isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
                        for x in position)):
                    return f"has a position that is not [longitude, latitude]: {str(position)[:40]}"
                if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
                    return f"has a position outside the globe: {position[:2]}"
            if ring[0] != ring[-1]:
                return "has a ring that is not closed (its last position differs from its first)"
    if not (drawn := shape(geometry)).is_valid:
        return f"is not a valid polygon: {explain_validity(drawn)}"
    return None
