"""Hostile uploads, generated (never committed): bombs, entity expansion, huge rows and columns,
mixed encodings, NUL bytes and wrong types. ``FILES`` maps a file name to a function making its
bytes; ``python -m tests.hostile_uploads NAME`` parses one in a fresh process and prints, as
JSON, the CPU seconds and the peak memory it cost and what the user would see.
"""

from __future__ import annotations

import io
import json
import random
import resource
import struct
import sys
import time
import zipfile

from geo.io.upload import EXAMPLE, TEMPLATE_COLUMNS

HEADER = ",".join(TEMPLATE_COLUMNS)
ROW = ",".join(f'"{EXAMPLE[c]}"' for c in TEMPLATE_COLUMNS)
SHORT = ROW.replace(EXAMPLE["description"], "A Cuban brigade went to Barbados in 2020.").replace(
    EXAMPLE["evidence_note"], "").replace(EXAMPLE["source_title"], "")  # ~190 bytes

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
    '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Records" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
    'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(rows) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>' + "".join(
        rows) + "</sheetData></worksheet>"


def _strings(body: str, doctype: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<sst xmlns="{MAIN}">{body}</sst>'


def _cell(column: int, text: str) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f'<c r="{letters}1" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(sheet, strings: str | None = None) -> bytes:
    """A minimal .xlsx; ``sheet`` and ``strings`` are XML text or an iterable of chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, part in (("xl/worksheets/sheet1.xml", sheet),
                           ("xl/sharedStrings.xml", strings or _strings(""))):
            with archive.open(name, "w", force_zip64=True) as handle:
                for chunk in [part] if isinstance(part, str) else part:
                    handle.write(chunk.encode())
    return buffer.getvalue()


def _repeat(head: str, chunk: str, count: int, tail: str):
    yield head
    for _ in range(count // 1000):
        yield chunk * 1000
    yield tail


def shared_strings_bomb() -> bytes:
    """One shared string of 400 MB (it zips to ~0.4 MB)."""
    head = _strings("<si><t>", "").removesuffix("<si><t></sst>")
    strings = _repeat(head, "A" * 1000, 400_000, "</t></si></sst>")
    cell = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return workbook(_sheet([cell]), strings)


def sheet_bomb() -> bytes:
    """Three million rows of one cell each (~0.2 MB zipped)."""
    head = _sheet([]).removesuffix("</sheetData></worksheet>")
    return workbook(_repeat(head, '<row><c t="inlineStr"><is><t>x</t></is></c></row>',
                            3_000_000, "</sheetData></worksheet>"))


def lying_sizes() -> bytes:
    """The sheet bomb with every member's unzipped size in the zip directory set to 100 bytes."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    data = bytearray(workbook(_sheet([row] * 400_000)))
    position = data.find(b"PK\x01\x02")
    while position != -1:  # central directory entries: uncompressed size at offset 24
        data[position + 24:position + 28] = struct.pack("<I", 100)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def billion_laughs() -> bytes:
    """Shared strings whose entities would expand to 10^9 'lol's."""
    doctype = '<!DOCTYPE sst [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)) + "]>"
    cell = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return workbook(_sheet([cell]), _strings("<si><t>&lol9;</t></si>", doctype))


def external_entity() -> bytes:
    """A shared string that would read /etc/passwd."""
    doctype = '<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    cell = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return workbook(_sheet([cell]), _strings("<si><t>&x;</t></si>", doctype))


def wide_sheet() -> bytes:
    """A header row of 16,384 columns (the most Excel allows)."""
    return workbook(_sheet(['<row r="1">' + "".join(_cell(i, f"c{i}") for i in range(16384))
                            + "</row>"]))


def dense_sheet() -> bytes:
    """As many small random cells as fit under the upload cap and the zip ratio (worst case CPU)."""
    rng = random.Random(1)
    rows = []
    for number in range(1, 11_500):
        cells = "".join(f'<c r="{chr(65 + i)}{number}"><v>{rng.randrange(10)}</v></c>'
                        for i in range(10))
        rows.append(f'<row r="{number}">{cells}</row>')
    return workbook(_sheet(rows))


def encrypted() -> bytes:
    """The start of an encrypted (password-protected) workbook: an OLE container holding an
    EncryptedPackage stream (only the header and the directory entry's name)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0")
    return header + entry + bytes(4096)


def old_xls_named_xlsx() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)


def csv_many_columns() -> bytes:
    """One line of 250,000 columns."""
    return (",".join(f"c{i}" for i in range(250_000))[:1_990_000] + "\n").encode()


def csv_many_rows() -> bytes:
    """A million one-cell rows."""
    return b"a\n" * 990_000


def csv_too_many_records() -> bytes:
    return (HEADER + "\n" + (SHORT + "\n") * 5001).encode()


def csv_max_records() -> bytes:
    """5,000 valid rows for one country (the cap)."""
    return (HEADER + "\n" + "\n".join(SHORT.replace("Henry Reeve", f"Henry Reeve {i}")
                                        for i in range(5000)) + "\n").encode()


def csv_unknown_everything() -> bytes:
    """5,000 rows whose country and activity are random words (each one looked up)."""
    rng = random.Random(2)
    words = ["".join(rng.choice("abcdefghijklmnop") for _ in range(12)) for _ in range(10000)]
    lines = [HEADER] + [SHORT.replace('"Barbados"', words[2 * i]).replace(
        '"medical_diplomacy"', words[2 * i + 1]) for i in range(5000)]
    return "\n".join(lines).encode()


def csv_huge_cells() -> bytes:
    """Cells of 130,000 characters (just under the csv module's limit) as country and title."""
    row = ROW.replace('"Barbados"', "B" * 130_000).replace("Henry Reeve", "T" * 130_000)
    return (HEADER + "\n" + (row + "\n") * 6).encode()


def csv_nul_bytes() -> bytes:
    return (HEADER + "\n" + ROW + "\n").encode().replace(b",", b",\x00")


def csv_mixed_encodings() -> bytes:
    """UTF-8 and Windows-1252 lines in one file."""
    return (HEADER + "\n" + ROW.replace("Barbados", "Haití") + "\n").encode() + (
        ROW.replace("Barbados", "México") + "\n").encode("cp1252")


def csv_quotes() -> bytes:
    """Unbalanced quotes everywhere, and no known header (the delimiter guess works hard)."""
    return ('"a' + ',"b' * 5000 + "\n").encode() * 130


def markdown_names() -> bytes:
    """Header labels, values and the file name as Markdown and HTML."""
    labels = [*TEMPLATE_COLUMNS, "[Session expired](https://evil.example)",
              "![x](https://evil.example/t.png)", "<img src=https://evil.example/i.png>"]
    return (",".join(f'"{label}"' for label in labels) + "\n" + ROW + ",1,2,3\n").encode()


FILES = {
    "shared_strings_bomb.xlsx": shared_strings_bomb,
    "sheet_bomb.xlsx": sheet_bomb,
    "lying_sizes.xlsx": lying_sizes,
    "billion_laughs.xlsx": billion_laughs,
    "external_entity.xlsx": external_entity,
    "wide_sheet.xlsx": wide_sheet,
    "dense_sheet.xlsx": dense_sheet,
    "encrypted.xlsx": encrypted,
    "old.xlsx": old_xls_named_xlsx,
    "macros.xlsm": lambda: workbook(_sheet([])),
    "program.exe": lambda: b"MZ\x90\x00" + bytes(1000),
    "many_columns.csv": csv_many_columns,
    "many_rows.csv": csv_many_rows,
    "too_many_records.csv": csv_too_many_records,
    "max_records.csv": csv_max_records,
    "unknown_everything.csv": csv_unknown_everything,
    "huge_cells.csv": csv_huge_cells,
    "nul_bytes.csv": csv_nul_bytes,
    "mixed_encodings.csv": csv_mixed_encodings,
    "quotes.csv": csv_quotes,
    "[Session expired](https:__evil.example).csv": markdown_names,
}


def measure(name: str, data_dir: str) -> dict:
    """Parse ``FILES[name]`` against the atlas in ``data_dir``: cost and outcome."""
    from geo import load_atlas
    from geo.io.upload import parse_upload

    atlas = load_atlas(data_dir)
    data = FILES[name]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    result = parse_upload(name, data, atlas)
    cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    first = result.problems[0] if result.problems else None
    return {"file": name, "bytes": len(data), "cpu_s": round(cpu, 3),
            "peak_mb": round(max(peak, 0) / 1024, 1), "accepted": result.accepted,
            "rejected": result.rejected, "problems": len(result.problems),
            "notices": result.notices, "first_problem": str(first) if first else None}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "data")))
