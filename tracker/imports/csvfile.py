"""Reading a spreadsheet's CSV: encoding, delimiter, header row. Pure: bytes in, table out."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab"}
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
# Files people upload by mistake, by their first bytes.
_NOT_CSV: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)


class CsvFileError(ValueError):
    """The file cannot be read as a CSV table; the message says why and what to do."""


@dataclass(frozen=True)
class CsvTable:
    """A CSV file as read: its column names and its rows (each as long as the header)."""

    headers: list[str]
    rows: list[list[str]]
    # Spreadsheet row number of each row: the header is row 1 and each record is one row even
    # when a cell spans several lines; blank rows are skipped but keep their number.
    row_numbers: list[int]
    # Rows with more filled cells than the header has names: row number -> number of cells.
    overlong: dict[int, int]
    delimiter: str
    had_bom: bool

    @property
    def delimiter_name(self) -> str:
        """ "comma", "semicolon" or "tab"."""
        return DELIMITERS[self.delimiter]

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """Each row as (row number, column name -> cell)."""
        return [
            (number, dict(zip(self.headers, cells, strict=False)))
            for number, cells in zip(self.row_numbers, self.rows, strict=False)
        ]


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 text with or without a byte-order mark; anything else is refused with a reason."""
    if not data.strip():
        raise CsvFileError("The file is empty.")
    for magic, kind in _NOT_CSV:
        if data.startswith(magic):
            raise CsvFileError(
                f"This is {kind}, not a CSV file. Upload the spreadsheet saved as "
                '"CSV UTF-8" (comma- or semicolon-separated).'
            )
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise CsvFileError(
            "This is an Excel workbook, not a CSV file. In your spreadsheet "
            'program choose File > Save as > "CSV UTF-8" and upload that file.'
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(
            'The file is UTF-16 text. Save it again as "CSV UTF-8" '
            "(comma- or semicolon-separated) and upload that file."
        )
    if b"\x00" in data[:65536]:
        raise CsvFileError("The file holds binary data, not text. Upload a CSV file.")
    had_bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvFileError(
            f"The file is not UTF-8 text: byte 0x{data[exc.start]:02X} on line {line} cannot be "
            "read (the file was probably saved as Windows-1252 or Latin-1). Save it again as "
            '"CSV UTF-8" and upload that file. Nothing was imported.'
        ) from None
    return text, had_bom


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (outside quotes)."""
    lines = text.lstrip("\r\n").splitlines()
    unquoted = re.sub(r'"[^"]*"', "", lines[0] if lines else "")
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _check_headers(headers: list[str]) -> None:
    if not any(headers):
        raise CsvFileError("The first row is empty: it must hold the column names.")
    looks_like_data = [h for h in headers if _DATE_LIKE.match(h) or _NUMBER.match(h)]
    if looks_like_data:
        raise CsvFileError(
            f"The first row holds data ({looks_like_data[0]!r}), not column names. Add a first "
            "row that names each column (e.g. file number, received, completed, title)."
        )
    missing = [str(i + 1) for i, h in enumerate(headers) if not h]
    if missing:
        raise CsvFileError(
            f"Column {', '.join(missing)} has no name in the first row. "
            "Name every column, or delete the empty ones."
        )
    seen: set[str] = set()
    for name in headers:
        if name.lower() in seen:
            raise CsvFileError(f"Two columns are named {name!r}. Give each column its own name.")
        seen.add(name.lower())


def parse_csv(data: bytes) -> CsvTable:
    """Read a CSV file's bytes into a table, or raise ``CsvFileError`` with one clear reason."""
    text, had_bom = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    overlong: dict[int, int] = {}
    try:
        headers = [h.strip() for h in next(reader, [])]
        while len(headers) > 1 and not headers[-1]:
            headers.pop()  # trailing empty columns that spreadsheets leave behind
        _check_headers(headers)
        number = 1
        for cells in reader:
            number += 1
            if not any(c.strip() for c in cells):
                continue
            if any(c.strip() for c in cells[len(headers) :]):
                overlong[number] = len(cells)
            rows.append((cells + [""] * len(headers))[: len(headers)])
            numbers.append(number)
    except csv.Error as exc:
        raise CsvFileError(
            f"The file is not a well-formed CSV table near line "
            f"{reader.line_num}: {exc}. Check for a stray quote mark."
        ) from None
    if not rows:
        raise CsvFileError("The file has column names but no rows.")
    return CsvTable(
        headers=headers,
        rows=rows,
        row_numbers=numbers,
        overlong=overlong,
        delimiter=delimiter,
        had_bom=had_bom,
    )
