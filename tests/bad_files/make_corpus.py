"""Write the corpus of awkward uploads that tests/test_upload.py checks ``geo.io.upload`` against.

    python tests/bad_files/make_corpus.py

The rows are real records of data/cooperation.csv (with their first source) unless a file is
about breaking them. The expected outcome of each file is in tests/test_upload.py.
"""

from __future__ import annotations

import csv
import io
import struct
import zlib
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["country", "activity", "start_year", "end_year", "title", "description", "evidence",
          "evidence_note", "source_url", "source_title"]

RECORDS = {
    "PER": ["Perú", "medical_diplomacy", "2020", "2020", "Henry Reeve COVID-19 brigade in Peru",
            "At the Peruvian government's request, a Henry Reeve brigade arrived in Lima on 3 June "
            "2020. It worked in Ancash, Arequipa, Moquegua and Ayacucho, and its 84 members "
            "returned to Cuba after more than six months.", "documented",
            "Acknowledged by Peru's health ministry.",
            "https://cuba-solidarity.org.uk/news/article/4034/cuban-medical-brigades-sent-to-help-"
            "in-peru", "Cuban medical brigades sent to help in Peru"],
    "HTI": ["Haití", "medical_diplomacy", "1998", "",
            "Cuban medical brigade in Haiti since Hurricane Georges",
            "On 4 December 1998 Cuba sent 100 health professionals to Haiti after Hurricane "
            "Georges; the brigade stayed on. Cuba began supporting a Haitian medical school in "
            "2001 and Operación Milagro in 2005.", "documented",
            "Figures from Cuban officials via Prensa Latina.",
            "https://diario-octubre.com/2022/12/05/brigada-medica-de-cuba-cumple-24-anos-en-haiti",
            "Brigada médica de Cuba cumple 24 años en Haití"],
    "MEX": ["México", "Medical diplomacy", "2020", "2021",
            "Henry Reeve COVID-19 brigades in Mexico City",
            "Cuban health workers went to Mexico from April 2020; in May 2020 585 arrived in "
            "Mexico City under a paid agreement with Insabi.", "documented",
            "Acknowledged by Mexican federal and Mexico City authorities and by Cuba.",
            "https://www.eluniversal.com.mx/english/cuba-sends-doctors-help-mexico-fight-covid-19",
            "Cuba sends doctors to help Mexico fight COVID-19"],
    "GRD": ["GRD", "armed_intervention", "1983", "1983",
            "Cuban personnel fight the US-led invasion of Grenada",
            "When US and Caribbean forces landed on 25 October 1983, Cubans at Point Salines, "
            "mostly airport workers who were army reservists, fought US troops before "
            "surrendering.", "documented", "Cuba acknowledged and listed its personnel.",
            "http://piglix.com/piglix/US_invasion_of_Grenada", "US invasion of Grenada"],
    "NIC": ["Nicaragua", "medical_diplomacy", "1980", "1992",
            "Cuban volunteer medical brigades in Nicaragua",
            "From 1980 Cuba sent volunteer medical brigades to Nicaraguan hospitals, including "
            "Bluefields.", "documented", "Stated by Nicaragua's health minister.",
            "https://www.revistaenvio.org/articulo/2846", "Cubans Still Keep Bluefields Alive"],
    "COL": ["Colombia", "peace_mediation", "2012", "2016",
            "Cuba as host and guarantor of the Colombia-FARC peace talks",
            "Cuba and Norway acted as guarantors of the Colombian government-FARC negotiations, "
            "which opened in Oslo in 2012 and moved to Havana, ending with a final accord in "
            "2016.", "documented", "Set out in the official framework agreement.",
            "https://www.upi.com/Top_News/World-News/2012/08/30/Chile-others-to-aid-Colombian-"
            "peace-talks/UPI-89231346339698/", "Chile, others to aid Colombian peace talks"],
    "VEN": ["Venezuela", "medical_diplomacy", "2003", "",
            "Barrio Adentro: Cuban doctors in Venezuelan primary care",
            "The first Cuban doctors reached Caracas parishes in April 2003 in a pilot of 53 "
            "doctors in Libertador, soon extended nationwide.", "documented",
            "Joint programme acknowledged by both governments.",
            "http://www.cubatv.icrt.cu/cuba-venezuela-15-anos-cooperacion/",
            "Cuba y Venezuela, 15 años de cooperación"],
    "BRA": ["Brasil", "medical_diplomacy", "2013", "2018",
            "Cuban doctors in Brazil's Mais Médicos programme",
            "Under a 2013 agreement brokered through PAHO, more than 11,000 Cuban doctors took "
            "part in Brazil's Mais Médicos programme.", "documented",
            "Agreement and withdrawal announced officially.",
            "https://radiohc.cu/index.php/pt/noticias/nacionales/107112-cuba-continues-its-"
            "participation-in-mais-medicos-program-in-brazil",
            "Cuba continues its participation in Mais Médicos program in Brazil"],
}


def row(key: str, **changes: str) -> list[str]:
    """A real record as a template row, with some cells changed."""
    cells = dict(zip(HEADER, RECORDS[key], strict=True))
    cells.update(changes)
    return [cells[column] for column in HEADER]


def csv_text(rows: list[list[str]], delimiter: str = ",", header: list[str] = HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def png() -> bytes:
    """A 1x1 black PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Records"
    sheet.append(HEADER)
    grd = row("GRD")
    grd[2], grd[3] = 1983.0, 1983  # numbers as Excel stores them
    sheet.append(grd)
    hti = row("HTI")
    hti[2], hti[3] = datetime(1998, 12, 4), None  # a date cell where a year is expected
    sheet.append(hti)
    sheet.append([])
    sheet.append(row("VEN", evidence="Documented"))
    sheet.append(row("NIC", evidence="alleged", evidence_note=""))
    book.create_sheet("Notes").append(["Second sheets are ignored."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def corpus() -> dict[str, bytes]:
    """File name -> bytes."""
    good_xlsx = xlsx()
    blank = [""] * len(HEADER)
    return {
        "bom.csv": csv_text([row("HTI"), row("MEX")]).encode("utf-8-sig"),
        "latin1.csv": csv_text([row("PER"), row("HTI")]).encode("latin-1"),
        "semicolon.csv": csv_text([row("COL"), row("GRD")], delimiter=";").encode(),
        "blank_lines.csv": csv_text([row("PER"), [], blank, row("MEX"), [],
                                     row("NIC", evidence="rumoured"), []]).encode(),
        "misspelled_header.csv": csv_text(
            [[*row("PER")[:8], row("PER")[9], "a note"], [*row("MEX")[:8], row("MEX")[9], ""]],
            header=["contry", *HEADER[1:4], "titel", *HEADER[5:8], "source_title", "notes"],
        ).encode(),
        "unknown_country.csv": csv_text([
            row("VEN", country="Venezuala"), row("VEN", country="Atlantis"),
            row("VEN", country="Cuba"), row("VEN", country="Puerto Rico"),
            row("VEN", country="ESP"), row("BRA"), row("PER", country="per"),
            row("VEN", country="Bolivarian Republic of Venezuela")]).encode(),
        "duplicates.csv": csv_text([
            row("PER"), row("PER"), row("MEX"), row("PER", country="PER"),
            row("MEX", title="  Henry Reeve COVID-19 brigades in Mexico City ")]).encode(),
        "empty.csv": b"",
        "header_only.csv": csv_text([]).encode(),
        "binary.csv": png(),
        "good.xlsx": good_xlsx,
        "corrupt.xlsx": good_xlsx[: len(good_xlsx) // 2],
        "bad_years.csv": csv_text([
            row("NIC", start_year="1950"), row("NIC", start_year="1970", end_year="1966"),
            row("NIC", start_year="2030", end_year=""), row("NIC", start_year="sixties"),
            row("NIC", start_year=""), row("NIC", start_year="1980.0")]).encode(),
        "javascript_url.csv": csv_text([
            row("GRD", source_url="javascript:alert(1)"),
            row("GRD", source_url="www.piglix.com/piglix/US_invasion_of_Grenada"),
            row("GRD", source_url="data:text/html,<script>alert(1)</script>"),
            row("GRD")]).encode(),
        "hostile_text.csv": csv_text([
            row("GRD", title="<script>alert(1)</script>",
                description='He said "hi", then <b>left</b>; =HYPERLINK("http://x")'),
            row("PER", title="<img src=x onerror=alert(1)>", source_title="</a><a href=x>"),
            row("MEX", title="Bell \x07 in a title")]).encode(),
    }


def main() -> None:
    for name, data in corpus().items():
        (HERE / name).write_bytes(data)
        print(f"wrote tests/bad_files/{name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
