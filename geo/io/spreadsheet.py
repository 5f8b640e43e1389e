"""Uploaded bytes as rows of cells: CSV in any usual encoding and delimiter, or an .xlsx
workbook's first sheet. Nothing here knows what the columns mean (:mod:`geo.io.upload` does).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Collection
from datetime import date, datetime, time

from geo.data.reading import Problem

__all__ = ["ALLOWED_CONTROLS", "MAX_BYTES", "MAX_ROWS", "Refused", "cell_text", "column_name",
           "read_rows"]

MAX_BYTES = 2_000_000
"""Largest file accepted, in bytes (2 MB): larger files are refused before they are read."""

MAX_ROWS = 5000
"""Most records one file may hold (blank rows not counted)."""



class Refused(Exception):
    """The file as a whole cannot be used (the message says why)."""

    def __init__(self, message: str = "", problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


NOT_TEXT = ("is not a text CSV (it holds binary data): save the sheet as CSV (UTF-8) "
            "or as an Excel .xlsx workbook")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and .doc) files
ALLOWED_CONTROLS = "\t\n\r"
MAX_SHEET_ROWS = 20 * MAX_ROWS  # rows read from a sheet, blank ones included


def read_rows(data: bytes, name: str, notices: list[str],
              columns: Collection[str] = ()) -> list[list]:
    """Every row of the file (blank ones too) as a list of cell values; ``columns`` (the
    expected header names) helps guess a CSV's delimiter."""
    if len(data) > MAX_BYTES:
        raise Refused(f"is {len(data) / 1_000_000:.1f} MB; the limit is "
                       f"{MAX_BYTES / 1_000_000:g} MB: split it into smaller files")
    if not data.strip():
        raise Refused("is empty")
    lower = name.lower()
    if data.startswith(OLE_MAGIC) or lower.endswith(".xls"):
        raise Refused("is an old Excel .xls workbook: save it as .xlsx or as CSV (UTF-8)")
    if data.startswith(ZIP_MAGIC) or lower.endswith((".xlsx", ".xlsm")):
        if not lower.endswith((".xlsx", ".xlsm")):
            notices.append(f"{name} is a zip file: read as an Excel .xlsx workbook")
        return _xlsx_rows(data, notices)
    return _csv_rows(_decode(data, notices), notices, columns)


def _decode(data: bytes, notices: list[str]) -> str:
    """Text of a CSV: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Refused(NOT_TEXT) from None
    if b"\x00" in data:
        raise Refused(NOT_TEXT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "Latin-1"
        if _looks_binary(text):
            raise Refused(NOT_TEXT) from None
        notices.append(f"not UTF-8: read as {encoding}; check that accented letters look right")
        return text
    if _looks_binary(text):
        raise Refused(NOT_TEXT)
    return text


def _looks_binary(text: str) -> bool:
    """More than 5% control characters (other than tab and line breaks) in the first 8,000."""
    sample = text[:8000]
    controls = sum(unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS + "\f"
                   for c in sample)
    return controls > 0.05 * len(sample)


def _csv_rows(text: str, notices: list[str], columns: Collection[str]) -> list[list]:
    delimiter = _delimiter(text, columns)
    if delimiter != ",":
        notices.append(f"columns separated by {'tabs' if delimiter == chr(9) else repr(delimiter)}")
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise Refused(f"cannot be read as CSV: {error}") from None


def _delimiter(text: str, columns: Collection[str]) -> str:
    """The delimiter that finds the most of ``columns`` in the header, else csv.Sniffer's."""
    best, found = None, 0
    for delimiter in (",", ";", "\t"):
        header = _first_row(text, delimiter)
        count = len({column_name(cell) for cell in header} & set(columns))
        if count > found:
            best, found = delimiter, count
    if best:
        return best
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _first_row(text: str, delimiter: str) -> list[str]:
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                return row
    except csv.Error:
        pass
    return []


def _xlsx_rows(data: bytes, notices: list[str]) -> list[list]:
    """Cell values of the first sheet (read-only, cached formula values), capped in size."""
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise Refused("is an Excel workbook, which cannot be read here: upload a CSV") from None
    rows: list[list] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                if len(book.worksheets) > 1:
                    notices.append(f"only the first sheet ({sheet.title!r}) is read")
                filled = 0
                for values in sheet.iter_rows(max_col=100, values_only=True):
                    rows.append(list(values))
                    filled += any(cell_text(value).strip() for value in values)
                    if filled > MAX_ROWS + 1 or len(rows) > MAX_SHEET_ROWS:
                        break
            finally:
                book.close()
    except Exception as error:  # openpyxl raises many kinds on damaged files
        detail = str(error) or type(error).__name__
        raise Refused(f"cannot be read as an Excel .xlsx workbook: {detail}") from None
    if len(rows) > MAX_SHEET_ROWS:
        raise Refused(f"has more than {MAX_SHEET_ROWS} rows, blank ones included: "
                       "delete the empty rows or split it")
    return rows


def cell_text(value, year: bool = False) -> str:
    """A cell as text: Excel's 1983.0 is '1983', a date is its year in a year column."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        if year:
            return str(value.year)
        if isinstance(value, datetime) and value.time() != time():
            return value.isoformat(sep=" ")
        return value.strftime("%Y-%m-%d")
    return str(value)


def column_name(cell) -> str:
    """A header cell as a template column name: case, spaces and hyphens do not matter."""
    return re.sub(r"[\s\-]+", "_", cell_text(cell).strip().casefold())
