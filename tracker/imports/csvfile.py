"""Reading a spreadsheet's CSV: encoding, delimiter, header row. Bytes or a file in, a table
out; the reasons a file is refused are in the reader's language.

A table is streamed: ``records()`` reads the file again each time it is called and holds one
row at a time, so a file of any size is read in constant memory (issue 17 part 7). Opening a
table reads it through once to check it (UTF-8, well-formed, at least one row) and keeps only
its column names, its number of rows, its first rows (the preview) and the rows with too many
cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tracker.language.i18n import _, lazy_gettext

DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab"}
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
# Files people upload by mistake, by their first bytes.
_NOT_CSV: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", lazy_gettext("This is a PDF document, not a CSV file.")),
    (b"\x89PNG", lazy_gettext("This is a PNG image, not a CSV file.")),
    (b"\xff\xd8\xff", lazy_gettext("This is a JPEG image, not a CSV file.")),
    (b"GIF8", lazy_gettext("This is a GIF image, not a CSV file.")),
    (b"{\\rtf", lazy_gettext("This is an RTF document, not a CSV file.")),
)
#: Rows kept for the preview page.
HEAD_ROWS = 20
_CHUNK = 1 << 20
_BOM = b"\xef\xbb\xbf"


class CsvFileError(ValueError):
    """The file cannot be read as a CSV table; the message says why and what to do."""


@dataclass(frozen=True)
class CsvTable:
    """A CSV file: its column names, what the check found, and its rows on demand."""

    headers: list[str]
    delimiter: str
    had_bom: bool
    # Rows with at least one filled cell (blank rows are skipped).
    row_count: int
    # The first rows (each as long as the header) and their spreadsheet row numbers.
    head: list[list[str]]
    head_numbers: list[int]
    # Rows with more filled cells than the header has names: row number -> number of cells.
    overlong: dict[int, int]
    # Opens the file's text again (UTF-8, BOM removed, newline="").
    opener: Callable[[], IO[str]] = field(repr=False, compare=False)

    @property
    def delimiter_name(self) -> str:
        """ "comma", "semicolon" or "tab"."""
        return DELIMITERS[self.delimiter]

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row as (spreadsheet row number, column name -> cell), read from the file.

        The header is row 1 and each record is one row even when a cell spans several lines;
        blank rows are skipped but keep their number."""
        headers = self.headers
        for number, cells in _rows(self.opener, self.delimiter, len(headers)):
            yield number, dict(zip(headers, cells, strict=False))


def _sniff_bytes(head: bytes) -> None:
    """Refuse what is plainly not UTF-8 CSV, from the file's first bytes."""
    if not head.strip():
        raise CsvFileError(_("The file is empty."))
    for magic, kind in _NOT_CSV:
        if head.startswith(magic):
            raise CsvFileError(
                str(kind)
                + " "
                + _('Upload the spreadsheet saved as "CSV UTF-8" (comma- or semicolon-separated).')
            )
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise CsvFileError(
            _(
                "This is an Excel workbook, not a CSV file. In your spreadsheet "
                'program choose File > Save as > "CSV UTF-8" and upload that file.'
            )
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(
            _(
                'The file is UTF-16 text. Save it again as "CSV UTF-8" '
                "(comma- or semicolon-separated) and upload that file."
            )
        )
    if b"\x00" in head[:65536]:
        raise CsvFileError(_("The file holds binary data, not text. Upload a CSV file."))


def _check_utf8(chunks: Iterator[bytes]) -> None:
    """Read the bytes through an incremental decoder (nothing kept); a byte that is not UTF-8
    is refused with its line number."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 1
    for chunk in chunks:
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            seen = exc.object[: exc.start]  # bytes held from the last chunk hold no newline
            raise _not_utf8(exc.object[exc.start], lines + seen.count(b"\n")) from None
        lines += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _not_utf8(exc.object[exc.start], lines) from None


def _not_utf8(byte: int, line: int) -> CsvFileError:
    code = f"0x{byte:02X}"
    return CsvFileError(
        _(
            "The file is not UTF-8 text: byte %(byte)s on line %(line)s cannot be "
            "read (the file was probably saved as Windows-1252 or Latin-1). Save it again as "
            '"CSV UTF-8" and upload that file. Nothing was imported.',
            byte=code,
            line=line,
        )
    )


def _malformed(line: int, exc: csv.Error) -> CsvFileError:
    return CsvFileError(
        _(
            "The file is not a well-formed CSV table near line %(line)s: %(error)s. Check for "
            "a stray quote mark.",
            line=line,
            error=str(exc),
        )
    )


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 text with or without a byte-order mark; anything else is refused with a reason."""
    _sniff_bytes(data[:65536])
    _check_utf8(iter([data]))
    return data.decode("utf-8-sig"), data.startswith(_BOM)


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
        raise CsvFileError(_("The first row is empty: it must hold the column names."))
    looks_like_data = [h for h in headers if _DATE_LIKE.match(h) or _NUMBER.match(h)]
    if looks_like_data:
        raise CsvFileError(
            _(
                "The first row holds data (%(value)s), not column names. Add a first "
                "row that names each column (e.g. file number, received, completed, title).",
                value=repr(looks_like_data[0]),
            )
        )
    missing = [str(i + 1) for i, h in enumerate(headers) if not h]
    if missing:
        raise CsvFileError(
            _(
                "Column %(columns)s has no name in the first row. "
                "Name every column, or delete the empty ones.",
                columns=", ".join(missing),
            )
        )
    seen: set[str] = set()
    for name in headers:
        if name.lower() in seen:
            raise CsvFileError(
                _(
                    "Two columns are named %(name)s. Give each column its own name.",
                    name=repr(name),
                )
            )
        seen.add(name.lower())


def _read_headers(reader: Iterator[list[str]]) -> list[str]:
    headers = [h.strip() for h in next(reader, [])]
    while len(headers) > 1 and not headers[-1]:
        headers.pop()  # trailing empty columns that spreadsheets leave behind
    return headers


def _rows(
    opener: Callable[[], IO[str]],
    delimiter: str,
    width: int,
    overlong: dict[int, int] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells padded or cut to ``width``) of each non-blank row after the header;
    ``overlong`` collects the rows with filled cells past the header's names."""
    with opener() as text:
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        try:
            _read_headers(reader)
            number = 1
            for cells in reader:
                number += 1
                if not any(c.strip() for c in cells):
                    continue
                if overlong is not None and any(c.strip() for c in cells[width:]):
                    overlong[number] = len(cells)
                yield number, (cells + [""] * width)[:width]
        except csv.Error as exc:
            raise _malformed(reader.line_num, exc) from None


def _open_table(opener: Callable[[], IO[str]], had_bom: bool) -> CsvTable:
    """Read the table through once to check it; keep its header, count and first rows."""
    with opener() as text:
        delimiter = sniff_delimiter(text.read(65536))
    with opener() as text:
        try:
            headers = _read_headers(csv.reader(text, delimiter=delimiter, strict=True))
        except csv.Error as exc:
            raise _malformed(1, exc) from None
    _check_headers(headers)
    overlong: dict[int, int] = {}
    head: list[list[str]] = []
    head_numbers: list[int] = []
    count = 0
    for number, cells in _rows(opener, delimiter, len(headers), overlong):
        count += 1
        if len(head) < HEAD_ROWS:
            head.append(cells)
            head_numbers.append(number)
    if not count:
        raise CsvFileError(_("The file has column names but no rows."))
    return CsvTable(
        headers=headers,
        delimiter=delimiter,
        had_bom=had_bom,
        row_count=count,
        head=head,
        head_numbers=head_numbers,
        overlong=overlong,
        opener=opener,
    )


def parse_csv(data: bytes) -> CsvTable:
    """A table over a CSV file's bytes, or ``CsvFileError`` with one clear reason."""
    _sniff_bytes(data[:65536])
    _check_utf8(iter([data]))

    def opener() -> IO[str]:
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")

    return _open_table(opener, data.startswith(_BOM))


def open_csv(path: str | Path) -> CsvTable:
    """A table over a CSV file on disk, read in chunks (never whole into memory), or
    ``CsvFileError`` with one clear reason."""
    path = Path(path)
    with path.open("rb") as handle:
        first = handle.read(65536)
        _sniff_bytes(first)
        handle.seek(0)
        _check_utf8(iter(lambda: handle.read(_CHUNK), b""))

    def opener() -> IO[str]:
        return path.open(encoding="utf-8-sig", newline="")

    return _open_table(opener, first.startswith(_BOM))
