"""Uploaded bytes as rows of cells: CSV in any usual encoding and delimiter, or an .xlsx
workbook's first sheet. Nothing here knows what the columns mean (:mod:`geo.io.upload` does).

Every file is bounded before it is parsed, so any file under :data:`MAX_BYTES` costs about a
second of CPU at most: the type is checked from the name and the bytes, a workbook's unzipped
size and compression ratio are read from its zip directory (``zipfile`` never inflates a member
beyond its declared size), its XML is parsed with entity expansion off (``defusedxml``, which
openpyxl uses when installed), and rows and columns are capped while reading.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Collection
from datetime import date, datetime, time

from geo.data.reading import Problem

__all__ = ["ALLOWED_CONTROLS", "MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "Refused", "cell_text",
           "column_name", "read_rows"]

MAX_BYTES = 2_000_000
"""Largest file accepted, in bytes (2 MB): larger files are refused before they are read."""

MAX_ROWS = 5000
"""Most records one file may hold (blank rows not counted)."""

MAX_COLUMNS = 100
"""Most columns read from a row (the template has 10)."""

MAX_UNZIPPED = 24_000_000
"""Largest total unzipped size of an .xlsx workbook, in bytes (a full 5,000-row sheet is ~10 MB)."""

MAX_RATIO = 100
"""Highest compression ratio of a workbook part over 1 MB (real sheets compress 5-20 times)."""

MAX_TAGS = 500_000
"""Most XML tags in a workbook (5,000 records of 10 cells take about 400,000): parsing costs
about 3 s per million tags, and openpyxl reads a sheet twice when it lacks a dimension."""

TEXT_TYPES = (".csv", ".txt", ".tsv")


class Refused(Exception):
    """The file as a whole cannot be used (the message says why)."""

    def __init__(self, message: str = "", problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


NOT_TEXT = ("is not a text CSV (it holds binary data): save the sheet as CSV (UTF-8) "
            "or as an Excel .xlsx workbook")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls files, and encrypted workbooks
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream name inside an encrypted .xlsx
ALLOWED_CONTROLS = "\t\n\r"
MAX_SHEET_ROWS = 20 * MAX_ROWS  # rows read from a sheet, blank ones included


def read_rows(data: bytes, name: str, notices: list[str],
              columns: Collection[str] = ()) -> list[list]:
    """Every row of the file (blank ones too) as a list of at most :data:`MAX_COLUMNS` cell
    values; ``columns`` (the expected header names) helps guess a CSV's delimiter."""
    if len(data) > MAX_BYTES:
        raise Refused(f"is {len(data) / 1_000_000:.1f} MB; the limit is "
                       f"{MAX_BYTES / 1_000_000:g} MB: split it into smaller files")
    if not data.strip():
        raise Refused("is empty")
    kind = _kind(data, name.lower())
    if kind == "xlsx":
        if not name.lower().endswith(".xlsx"):
            notices.append(f"{name} is a zip file: read as an Excel .xlsx workbook")
        return _xlsx_rows(data, notices)
    return _csv_rows(_decode(data, notices), notices, columns)


def _kind(data: bytes, lower: str) -> str:
    """'xlsx' or 'csv', from the bytes and the name; refuses every other kind of file."""
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED in data:
            raise Refused("is a password-protected workbook: open it in Excel, remove the "
                           "password (File > Info > Protect Workbook) and upload it again")
        raise Refused("is an old Excel .xls workbook: save it as .xlsx or as CSV (UTF-8)")
    extension = "." + lower.rpartition(".")[2] if "." in lower else ""
    if extension == ".xls":
        raise Refused("is an old Excel .xls workbook: save it as .xlsx or as CSV (UTF-8)")
    if extension not in (".xlsx", *TEXT_TYPES, ""):
        raise Refused(f"is a {extension[:12]} file: upload a CSV (.csv or .txt) or an Excel "
                       ".xlsx workbook")
    if data.startswith(ZIP_MAGIC) or extension == ".xlsx":
        return "xlsx"
    return "csv"


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
        lines = data.removeprefix(codecs.BOM_UTF8).split(b"\n")
        decoded = [_legacy(line) for line in lines]
        text = "\n".join(line for line, _ in decoded)
        if _looks_binary(text):
            raise Refused(NOT_TEXT) from None
        legacy = [number for number, (_, encoding) in enumerate(decoded, start=1) if encoding]
        encoding = " or ".join(sorted({encoding for _, encoding in decoded if encoding},
                                      reverse=True))
        where = "" if len(legacy) == sum(not line.isascii() for line in lines) else (
            f" on line{'s' if len(legacy) > 1 else ''} "
            + ", ".join(map(str, legacy[:5])) + (" ..." if len(legacy) > 5 else ""))
        notices.append(f"not UTF-8{where}: read as {encoding}; check that accented letters "
                       "look right")
        return text
    if _looks_binary(text):
        raise Refused(NOT_TEXT)
    return text


def _legacy(line: bytes) -> tuple[str, str]:
    """A line as UTF-8 if it is, else as Windows-1252 (or Latin-1), with that encoding's name."""
    try:
        return line.decode("utf-8"), ""
    except UnicodeDecodeError:
        try:
            return line.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            return line.decode("latin-1"), "Latin-1"


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
        return _capped(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise Refused(f"cannot be read as CSV: {error}") from None


def _capped(rows) -> list[list]:
    """At most :data:`MAX_SHEET_ROWS` rows of at most :data:`MAX_COLUMNS` cells; refuses a file
    with more, or with filled cells beyond the last column read."""
    kept: list[list] = []
    filled = 0
    for number, row in enumerate(rows, start=1):
        row = list(row)
        if any(cell_text(cell).strip() for cell in row[MAX_COLUMNS:]):
            raise Refused(f"has more than {MAX_COLUMNS} columns (row {number}): the template "
                           f"has 10; delete the extra columns")
        kept.append(row[:MAX_COLUMNS])
        filled += any(cell_text(cell).strip() for cell in kept[-1])
        if filled > MAX_ROWS + 1:  # the checker says how many records is too many
            break
        if number >= MAX_SHEET_ROWS:
            raise Refused(f"has more than {MAX_SHEET_ROWS:,} rows, blank ones included: "
                           "delete the empty rows or split it")
    return kept


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
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
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


def _check_zip(data: bytes) -> None:
    """Refuse a workbook that would cost more than a full template to parse: parts unzipping to
    more than :data:`MAX_UNZIPPED` bytes in all, a part over 1 MB compressed more than
    :data:`MAX_RATIO` times (a zip bomb), or more than :data:`MAX_TAGS` XML tags."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            total = sum(part.file_size for part in parts)
            bomb = any(part.file_size > 1_000_000 and part.file_size > MAX_RATIO * max(
                part.compress_size, 1) for part in parts)
            if total > MAX_UNZIPPED or bomb or len(parts) > 1000:
                raise Refused(f"unzips to {total / 1_000_000:,.0f} MB, more than an Excel "
                               f"workbook of {MAX_ROWS:,} records (the limit is "
                               f"{MAX_UNZIPPED // 1_000_000} MB unzipped, {MAX_RATIO}:1 "
                               "compression): save the sheet as CSV (UTF-8)")
            tags = 0
            for part in parts:
                with archive.open(part) as handle:
                    while tags <= MAX_TAGS and (chunk := handle.read(1 << 20)):
                        tags += chunk.count(b"<")
            if tags > MAX_TAGS:
                raise Refused(f"holds more than {MAX_TAGS:,} XML tags, far more than "
                               f"{MAX_ROWS:,} records need: save the sheet as CSV (UTF-8)")
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise Refused(f"cannot be read as an Excel .xlsx workbook: {error}") from None


def _xlsx_rows(data: bytes, notices: list[str]) -> list[list]:
    """Cell values of the first sheet (read-only, cached formula values), capped in size."""
    try:
        from openpyxl import load_workbook
        from openpyxl.xml import DEFUSEDXML
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise Refused("is an Excel workbook, which cannot be read here: upload a CSV") from None
    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise Refused("is an Excel workbook, which cannot be read safely here: upload a CSV")
    _check_zip(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                if len(book.worksheets) > 1:
                    notices.append(f"only the first sheet ({sheet.title!r}) is read")
                return _capped(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True))
            finally:
                book.close()
    except Refused:
        raise
    except Exception as error:  # openpyxl raises many kinds on damaged files
        cause = error
        while cause is not None and not type(cause).__module__.startswith("defusedxml"):
            cause = cause.__cause__ or cause.__context__
        if cause is not None:
            raise Refused("declares XML entities, which workbooks saved by Excel never do: "
                           "save the sheet again, or as CSV (UTF-8)") from None
        detail = (str(error) or type(error).__name__).splitlines()[0]
        raise Refused(f"cannot be read as an Excel .xlsx workbook: {detail}") from None


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
