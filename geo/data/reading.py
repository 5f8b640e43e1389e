"""Read the data files row by row: valid rows are kept, every problem is reported with its place."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

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


def read_countries(path: Path, name: str) -> tuple[list[dict], list[Problem]]:
    """Features of the countries GeoJSON: properties validated, geometry kept as GeoJSON."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        features = document["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [], [Problem(name, 0, "file", f"cannot be read as GeoJSON: {error}")]
    records = [(number, feature.get("properties") or {})
               for number, feature in enumerate(features, start=1)]
    valid, problems = validate_records(name, records, CountryProperties)
    for row in valid:
        row["geometry"] = features[row["row"] - 1].get("geometry")
        if not row["geometry"]:
            problems.append(Problem(name, row["row"], "geometry", "is empty"))
    return [row for row in valid if row["geometry"]], problems
