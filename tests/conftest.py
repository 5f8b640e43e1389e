"""Tiny, realistic data directories for the tests: their own catalogue (a fixed review date) and
a few curated rows over a copy of the repository's geometry."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from geo import DATA_DIR, load_atlas

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GEOMETRY = json.loads((DATA_DIR / "countries.geojson").read_text("utf-8"))["features"]
CELAC = sorted(f["properties"]["iso3"] for f in GEOMETRY if f["properties"]["celac"])

SOURCES = [
    {"source_id": "example-alba", "title": "ALBA members", "url": "https://example.org/alba",
     "publisher": "Example", "published": "2024", "accessed": "2026-11-25"},
    {"source_id": "example-mercosur", "title": "Mercosur", "url": "https://example.org/mercosur",
     "publisher": "Example", "published": "", "accessed": "2026-11-25"},
    {"source_id": "example-celac", "title": "CELAC", "url": "https://example.org/celac",
     "publisher": "Example", "published": "", "accessed": "2026-11-25"},
    {"source_id": "example-cuba", "title": "Cuba abroad", "url": "http://example.org/cuba?x=1",
     "publisher": "Example", "published": "2019-05", "accessed": "2026-11-25"},
]
ORGANISATIONS = [
    {"org_id": "ALBA", "name_en": "Bolivarian Alliance", "name_es": "Alianza Bolivariana",
     "kind": "political", "founded": "2004-12-14", "ended": "", "website": "",
     "description": "A bloc. It has members.", "sources": "example-alba"},
    {"org_id": "MERCOSUR", "name_en": "Southern Common Market", "name_es": "Mercado Común del Sur",
     "kind": "economic", "founded": "1991-03-26", "ended": "", "website": "https://example.org",
     "description": "A market. It has members.", "sources": "example-mercosur"},
    {"org_id": "CELAC", "name_en": "Community of Latin American and Caribbean States",
     "name_es": "Comunidad de Estados Latinoamericanos y Caribeños", "kind": "political",
     "founded": "2011-12-03", "ended": "", "website": "", "description": "A forum. All 33.",
     "sources": "example-celac"},
]


def episode(iso3, org_id, status, start, end="", sources="example-alba", note=""):
    return {"iso3": iso3, "org_id": org_id, "status": status, "start": start, "end": end,
            "sources": sources, "note": note}


MEMBERSHIPS = [
    episode("VEN", "ALBA", "member", "2004-12-14"),
    episode("CUB", "ALBA", "member", "2004-12-14"),
    episode("BOL", "ALBA", "member", "2006-04-29", "2019-11-15"),
    episode("BOL", "ALBA", "member", "2020-11"),
    episode("HND", "ALBA", "member", "2008-08-25", "2010-01-12"),
    episode("PRY", "MERCOSUR", "member", "1991-03-26", "2012-06-29", "example-mercosur"),
    episode("PRY", "MERCOSUR", "suspended", "2012-06-29", "2013-08-15", "example-mercosur"),
    episode("PRY", "MERCOSUR", "member", "2013-08-15", "", "example-mercosur"),
    episode("VEN", "MERCOSUR", "member", "2012-07-31", "2016-12-01", "example-mercosur"),
    episode("VEN", "MERCOSUR", "suspended", "2016-12-01", "", "example-mercosur"),
    episode("CHL", "MERCOSUR", "associate", "1996", "", "example-mercosur"),
    episode("BRA", "CELAC", "member", "2011-12-03", "2020-01-16", "example-celac"),
    episode("BRA", "CELAC", "suspended", "2020-01-16", "2023-01-05", "example-celac"),
    episode("BRA", "CELAC", "member", "2023-01-05", "", "example-celac"),
    *(episode(iso3, "CELAC", "member", "2011-12-03", "", "example-celac")
      for iso3 in CELAC if iso3 != "BRA"),
]


def record(record_id, iso3, activity, start, end, evidence, note="", sources="example-cuba",
           counterpart="government", body=""):
    return {"record_id": record_id, "iso3": iso3, "activity": activity, "start": start,
            "end": end, "counterpart": counterpart, "cuban_body": body,
            "title": f"Title of {record_id}", "description": "What happened.",
            "evidence": evidence, "evidence_note": note, "last_attested": "",
            "reviewed": "2026-11-25", "sources": sources}


COOPERATION = [
    record("bol-guerrilla-1966", "BOL", "support_to_insurgency", "1966-11-03", "1967-10",
           "documented", counterpart="armed_opposition", body="armed_forces"),
    record("ven-doctors-2003", "VEN", "medical_diplomacy", "2003-04", "", "documented",
           body="medical_services"),
    record("ven-intelligence-2008", "VEN", "intelligence_cooperation", "2008", "", "reported"),
    record("nic-advisers-1979", "NIC", "military_advisers", "1979-07", "1990", "documented",
           body="armed_forces"),
    record("grd-peacekeeping-2020", "GRD", "peacekeeping", "2020", "2020", "alleged",
           "Circulates online; no primary source."),
]


PERSONNEL = [
    {"personnel_id": "nic-1984", "record_id": "nic-advisers-1979", "iso3": "NIC",
     "date": "1984-01", "low": "2500", "high": "3500", "counted": "Cuban military advisers",
     "sources": "example-cuba", "note": "A US estimate."},
    {"personnel_id": "nic-1985", "record_id": "nic-advisers-1979", "iso3": "NIC",
     "date": "1985", "low": "786", "high": "786", "counted": "Cuban military advisers",
     "sources": "example-cuba", "note": ""},
    {"personnel_id": "ven-2010", "record_id": "ven-doctors-2003", "iso3": "VEN",
     "date": "2010-07-01", "low": "30000", "high": "30000", "counted": "Cuban doctors",
     "sources": "example-cuba", "note": ""},
]

AGREEMENTS = [
    {"agreement_id": "ven-convenio-2000", "iso3": "VEN", "title": "Comprehensive agreement",
     "signed": "2000-10-30", "ended": "2026-01", "subject": "medical_diplomacy",
     "sources": "example-cuba", "note": "Oil for services."},
    {"agreement_id": "nic-security-2007", "iso3": "NIC", "title": "Security agreement",
     "signed": "2007", "ended": "", "subject": "intelligence_cooperation",
     "sources": "example-cuba", "note": ""},
]


def era(era_id, start, end, preset, sources="example-cuba"):
    return {"era_id": era_id, "label": era_id.replace("-", " ").capitalize(),
            "start_year": start, "end_year": end, "preset_year": preset,
            "summary": f"What marked the {era_id} era.", "sources": sources}


ERAS = [
    era("export-of-revolution", "1959", "1978", "1967"),
    era("central-america", "1979", "1990", "1983"),
    era("special-period", "1991", "2003", "1998"),
    era("alba-years", "2004", "2015", "2009"),
    era("contemporary", "2016", "", "2026"),
]


def narrative(narrative_id, order, start, end, sources="example-cuba"):
    return {"narrative_id": narrative_id, "order": order, "title": f"Title of {narrative_id}",
            "start_year": start, "end_year": end,
            "text": "Something happened. Then another thing. It is sourced.", "sources": sources}


NARRATIVES = [
    narrative("historical-roots", "1", "1959", "1990"),
    narrative("alba", "2", "2004", ""),
]


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def make_data_dir(path: Path) -> Path:
    """A data directory: the fixture's catalogue, a copy of the geometry and the tiny tables."""
    path.mkdir()
    shutil.copy(FIXTURES / "catalogue.toml", path / "catalogue.toml")
    shutil.copy(DATA_DIR / "countries.geojson", path / "countries.geojson")
    write_csv(path / "sources.csv", SOURCES)
    write_csv(path / "organisations.csv", ORGANISATIONS)
    write_csv(path / "memberships.csv", MEMBERSHIPS)
    write_csv(path / "cooperation.csv", COOPERATION)
    write_csv(path / "personnel.csv", PERSONNEL)
    write_csv(path / "agreements.csv", AGREEMENTS)
    write_csv(path / "eras.csv", ERAS)
    write_csv(path / "narratives.csv", NARRATIVES)
    return path


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path / "data")


@pytest.fixture(scope="session")
def mini_path(tmp_path_factory) -> Path:
    """The tiny data directory, made once (never change it: copy it with ``mini_dir``)."""
    return make_data_dir(tmp_path_factory.mktemp("mini") / "data")


@pytest.fixture(scope="session")
def mini(mini_path):
    """The tiny atlas, loaded once."""
    return load_atlas(mini_path)


@pytest.fixture(scope="session")
def atlas():
    """The repository's atlas, loaded once."""
    return load_atlas()
