"""Hostile uploads cost little: each file of :mod:`tests.hostile_uploads`, parsed in a fresh
process, takes at most 2 s of CPU and 100 MB of memory and ends in a clear outcome."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_uploads import FILES

ROOT = Path(__file__).resolve().parents[1]
CPU_SECONDS, PEAK_MB = 2.0, 100

# file: fragment of the first problem (None: accepted), or of a notice
EXPECTED = {
    "shared_strings_bomb.xlsx": "unzips to 400 MB",
    "sheet_bomb.xlsx": "unzips to 147 MB",
    "lying_sizes.xlsx": "cannot be read as an Excel .xlsx workbook: Bad CRC-32",
    "billion_laughs.xlsx": "declares XML entities",
    "external_entity.xlsx": "declares XML entities",
    "wide_sheet.xlsx": "has more than 100 columns (row 1)",
    "dense_sheet.xlsx": "header: missing column 'country'",
    "encrypted.xlsx": "is a password-protected workbook",
    "old.xlsx": "is an old Excel .xls workbook",
    "macros.xlsm": "is a .xlsm file: upload a CSV",
    "program.exe": "is a .exe file: upload a CSV",
    "many_columns.csv": "has more than 100 columns (row 1)",
    "many_rows.csv": "header: missing column 'country'",
    "too_many_records.csv": "has more than 5000 records",
    "max_records.csv": None,
    "unknown_everything.csv": "country: unknown country 'bcclfjigbfnm'",
    "huge_cells.csv": "country: unknown country '" + "B" * 57 + "'...: use",
    "nul_bytes.csv": "is not a text CSV",
    "mixed_encodings.csv": None,
    "quotes.csv": "has more than 100 columns",
    "[Session expired](https:__evil.example).csv": None,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FILES))
def test_hostile_upload_is_cheap(name):
    out = subprocess.run([sys.executable, "-m", "tests.hostile_uploads", name], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result["cpu_s"] <= CPU_SECONDS, result
    assert result["peak_mb"] <= PEAK_MB, result
    expected = EXPECTED[name]
    if expected is None:
        assert result["accepted"] >= 1 and not result["problems"], result
    else:
        assert expected in result["first_problem"], result
    if name == "mixed_encodings.csv":
        assert result["accepted"] == 2
        assert result["notices"] == ["not UTF-8 on line 3: read as Windows-1252; check that "
                                     "accented letters look right"]
    if name.startswith("[Session"):  # notices stay few and short, whatever the header holds
        assert len(result["notices"]) == 1 and len(result["notices"][0]) < 200


def test_every_hostile_file_has_an_expectation():
    assert set(EXPECTED) == set(FILES)
