"""Text out of a stored file, page by page: the PDF's text layer (pdfium), Tesseract (English
and French) for scanned pages and images, an e-mail's body (.eml, Outlook .msg), and Office
documents: Word (.docx, python-docx), Excel (.xlsx/.xlsm, openpyxl: a page a sheet),
PowerPoint (.pptx, python-pptx: a page a slide), OpenDocument (.odt, .ods, .odp, odfdo: a
page a sheet or slide) and RTF (striprtf). The old binary Office formats (.doc, .xls, .ppt)
are not read: no maintained library reads all three.

The file is only ever opened for reading: the original stays as it was uploaded. Nothing
here touches the database; ``tracker.records.jobs`` stores what it yields.

Why pypdfium2: it reads the text layer and renders scanned pages for OCR with one library
(pypdf reads text but cannot render; pdfminer.six neither renders nor is as fast). On the
shared, loaded development machine it read a 2,000-page text PDF at 355 pages a second with
flat memory, against pypdf's 50 on the same file (bench/records.py, bench/RESULTS.md).
"""

from __future__ import annotations

import email
import email.policy
import functools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageSequence, UnidentifiedImageError

from tracker.language.i18n import _

# A page whose text layer holds fewer characters than this is treated as a scan and OCR'd.
MIN_TEXT_CHARS = 20
OCR_LANGUAGES = "eng+fra"
OCR_DPI = 300
# An Office file (a ZIP) whose parts unpack to more than this is refused (a zip bomb).
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
# The ZIP-based formats, by the name's ending (the parts inside say the same).
OFFICE_KINDS = {
    ".docx": "docx",
    ".docm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".pptx": "pptx",
    ".pptm": "pptx",
    ".odt": "odf",
    ".ods": "odf",
    ".odp": "odf",
}
ODF_MIMETYPES = (
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.presentation",
)


class ExtractionError(Exception):
    """A file that cannot be read; the message is the reason shown beside it."""


@dataclass(frozen=True)
class Limits:
    """How far a file is read: pages, seconds of OCR per page, pixels per image."""

    max_pages: int = 2500
    ocr_page_seconds: float = 120
    max_pixels: int = 60_000_000


@dataclass(frozen=True)
class Page:
    """One page's text and what read it."""

    number: int  # from 1
    text: str
    engine: str
    engine_version: str


@functools.cache
def tesseract_version() -> str:
    """The installed Tesseract's version ("5.3.0")."""
    return str(pytesseract.get_tesseract_version())


def pdfium_version() -> str:
    """The pdfium build pypdfium2 uses, with pypdfium2's own version."""
    return f"pypdfium2 {pdfium.PYPDFIUM_INFO} / pdfium {pdfium.PDFIUM_INFO.version}"


def _clean(text: str) -> str:
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t\f\v]+\n", "\n", text).strip()


def ocr_image(image: Image.Image, limits: Limits) -> str:
    """Tesseract's reading of one image in English and French, within the page time limit."""
    try:
        return pytesseract.image_to_string(
            image, lang=OCR_LANGUAGES, timeout=limits.ocr_page_seconds
        )
    except RuntimeError as exc:  # pytesseract's timeout
        seconds = format(limits.ocr_page_seconds, "g")
        raise ExtractionError(
            _("Tesseract took longer than %(seconds)s seconds on a page.", seconds=seconds)
        ) from exc
    except pytesseract.TesseractError as exc:
        raise ExtractionError(
            _("Tesseract could not read a page: %(reason)s", reason=exc.message)
        ) from exc


def _ocr_page(number: int, image: Image.Image, limits: Limits) -> Page:
    text = ocr_image(image, limits)
    return Page(number, _clean(text), "tesseract", tesseract_version())


def kind_of(path: Path, name: str, content_type: str) -> str:
    """What reader a file needs: pdf, image, email, msg, docx, xlsx, pptx, odf, rtf, text or
    unknown (by its first bytes, then its name and declared type)."""
    with path.open("rb") as handle:
        head = handle.read(128)
    lowered = name.lower()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")) or (
        head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    ):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        # An OpenDocument file starts with its stored "mimetype" part, whatever its name.
        if head[30:38] == b"mimetype" and head[38:].startswith(ODF_MIMETYPES):
            return "odf"
        for ending, kind in OFFICE_KINDS.items():
            if lowered.endswith(ending):
                return kind
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and lowered.endswith(".msg"):
        return "msg"
    if lowered.endswith(".pdf") or content_type == "application/pdf":
        return "pdf"  # a damaged PDF: pdfium says why
    if lowered.endswith(".eml") or content_type == "message/rfc822":
        return "email"
    if lowered.endswith((".txt", ".csv", ".md")) or content_type.startswith("text/plain"):
        return "text"
    return "unknown"


def read_pdf(path: Path, limits: Limits) -> Iterator[Page]:
    """Each page of a PDF: its text layer, or Tesseract's reading of it when it has none."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise ExtractionError(_("The PDF is encrypted (it needs a password).")) from exc
        raise ExtractionError(_("The PDF cannot be opened: %(reason)s.", reason=reason)) from exc
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise ExtractionError(
                _(
                    "The PDF has %(count)s pages, more than the %(most)s read per file.",
                    count=count,
                    most=limits.max_pages,
                )
            )
        version = pdfium_version()
        for index in range(count):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = _clean(textpage.get_text_range())
                finally:
                    textpage.close()
                if len(text) >= MIN_TEXT_CHARS:
                    yield Page(index + 1, text, "pdfium", version)
                    continue
                width, height = page.get_size()  # points
                scale = OCR_DPI / 72
                pixels = width * scale * height * scale
                if pixels > limits.max_pixels:
                    scale *= (limits.max_pixels / pixels) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                try:
                    image = bitmap.to_pil()
                    yield _ocr_page(index + 1, image, limits)
                finally:
                    bitmap.close()
            finally:
                page.close()
    finally:
        pdf.close()


def read_image(path: Path, limits: Limits) -> Iterator[Page]:
    """Tesseract's reading of an image, a page per frame (multi-page TIFF)."""
    try:
        with Image.open(path) as image:  # reads the header only
            if image.width * image.height > limits.max_pixels:
                raise ExtractionError(
                    _(
                        "The image is %(width)s by %(height)s pixels, more than the %(most)s read.",
                        width=image.width,
                        height=image.height,
                        most=limits.max_pixels,
                    )
                )
            frames = getattr(image, "n_frames", 1)
            if frames > limits.max_pages:
                raise ExtractionError(
                    _(
                        "The image has %(count)s pages, more than the %(most)s read.",
                        count=frames,
                        most=limits.max_pages,
                    )
                )
            for number, frame in enumerate(ImageSequence.Iterator(image), 1):
                yield _ocr_page(number, frame.convert("L"), limits)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ExtractionError(_("The image cannot be read: %(reason)s", reason=exc)) from exc


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The readable text of an HTML body."""
    parser = _HTMLText()
    parser.feed(markup)
    return "".join(parser.parts)


def read_email(path: Path) -> Iterator[Page]:
    """An e-mail's subject and body (plain text, else its HTML's text), as one page."""
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        content = body.get_content()
        text = html_text(content) if body.get_content_type() == "text/html" else content
    subject = str(message.get("subject", ""))
    yield Page(1, _clean(f"{subject}\n\n{text}"), "email", "python stdlib")


def _check_zip(path: Path, what: str) -> None:
    """Refuse an Office file that is no ZIP, or whose parts unpack past the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExtractionError(
            _("The %(kind)s file cannot be opened: %(reason)s", kind=what, reason=exc)
        ) from exc
    if unpacked > MAX_UNZIPPED_BYTES:
        raise ExtractionError(
            _(
                "The %(kind)s file unpacks to %(size)s MB, more than the %(most)s MB read.",
                kind=what,
                size=unpacked // (1024 * 1024),
                most=MAX_UNZIPPED_BYTES // (1024 * 1024),
            )
        )


def _cells(values: Iterator[Iterator[object]] | list[list[object]]) -> str:
    """Rows of cells as lines of tab-separated text (empty cells and rows dropped)."""
    lines = []
    for row in values:
        cells = ["" if value is None else str(value).strip() for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append("\t".join(cells))
    return "\n".join(lines)


def _too_many(count: int, limits: Limits, what: str) -> None:
    if count > limits.max_pages:
        raise ExtractionError(
            _(
                "The %(kind)s file has %(count)s pages, more than the %(most)s read per file.",
                kind=what,
                count=count,
                most=limits.max_pages,
            )
        )


def read_docx(path: Path) -> Iterator[Page]:
    """A Word document's paragraphs and tables, as one page (a .docx has no fixed pages)."""
    import docx

    _check_zip(path, "Word")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(
            _("The Word document cannot be opened: %(reason)s", reason=exc)
        ) from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    yield Page(1, _clean("\n".join(parts)), "python-docx", version("python-docx"))


def read_xlsx(path: Path, limits: Limits) -> Iterator[Page]:
    """An Excel workbook, a page a sheet: the sheet's name, then its rows (cell values as
    last computed, tab-separated)."""
    import openpyxl  # type: ignore[import-untyped]  # stubs: types-openpyxl, not installed

    _check_zip(path, "Excel")
    handle = path.open("rb")  # a file, not its name: openpyxl would check the stored name
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        handle.close()
        raise ExtractionError(
            _("The Excel workbook cannot be opened: %(reason)s", reason=exc)
        ) from exc
    try:
        _too_many(len(workbook.worksheets), limits, "Excel")
        for number, sheet in enumerate(workbook.worksheets, 1):
            rows = _cells(sheet.iter_rows(values_only=True))
            yield Page(number, _clean(f"{sheet.title}\n{rows}"), "openpyxl", version("openpyxl"))
    finally:
        workbook.close()
        handle.close()


def read_pptx(path: Path, limits: Limits) -> Iterator[Page]:
    """A PowerPoint deck, a page a slide: its text boxes and tables, then its notes."""
    import pptx
    from pptx.exc import PackageNotFoundError

    _check_zip(path, "PowerPoint")
    try:
        deck = pptx.Presentation(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise ExtractionError(
            _("The PowerPoint file cannot be opened: %(reason)s", reason=exc)
        ) from exc
    _too_many(len(deck.slides), limits, "PowerPoint")
    for number, slide in enumerate(deck.slides, 1):
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts.append(_cells([[c.text for c in row.cells] for row in shape.table.rows]))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            parts.append(slide.notes_slide.notes_text_frame.text)
        text = _clean("\n".join(p for p in parts if p))
        yield Page(number, text, "python-pptx", version("python-pptx"))


def read_odf(path: Path, limits: Limits) -> Iterator[Page]:
    """An OpenDocument file: a text (.odt) as one page, a spreadsheet (.ods) a page a sheet,
    a presentation (.odp) a page a slide."""
    import odfdo

    _check_zip(path, "OpenDocument")
    try:
        document = odfdo.Document(str(path))
        kind = document.get_type()
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise ExtractionError(
            _("The OpenDocument file cannot be opened: %(reason)s", reason=exc)
        ) from exc
    engine = ("odfdo", version("odfdo"))
    if kind == "spreadsheet":
        tables = document.body.get_tables()
        _too_many(len(tables), limits, "OpenDocument")
        for number, table in enumerate(tables, 1):
            yield Page(number, _clean(f"{table.name}\n{_cells(table.get_values())}"), *engine)
    elif kind == "presentation":
        slides = document.body.get_draw_pages()
        _too_many(len(slides), limits, "OpenDocument")
        for number, slide in enumerate(slides, 1):
            parts = [p.get_formatted_text() for p in slide.get_paragraphs()]
            yield Page(number, _clean("\n".join(parts)), *engine)
    else:
        yield Page(1, _clean(document.get_formatted_text()), *engine)


def read_rtf(path: Path) -> Iterator[Page]:
    """An RTF document's text, as one page (its \\'e9 escapes in Windows-1252, RTF's usual
    code page; \\u escapes as written)."""
    from striprtf.striprtf import rtf_to_text

    raw = path.read_bytes().decode("latin-1")
    try:
        text = rtf_to_text(raw, encoding="cp1252", errors="replace")
    except (ValueError, IndexError) as exc:
        raise ExtractionError(_("The RTF document cannot be read: %(reason)s", reason=exc)) from exc
    yield Page(1, _clean(text), "striprtf", version("striprtf"))


def read_msg(path: Path) -> Iterator[Page]:
    """An Outlook .msg message's subject and body, as one page (as mail in reads it)."""
    from tracker.mail_in.parsing import parse_msg

    parsed = parse_msg(path.read_bytes(), path.name)
    if not parsed.subject and not parsed.body_text:
        raise ExtractionError(_("The Outlook message cannot be read."))
    text = _clean(f"{parsed.subject}\n\n{parsed.body_text}")
    yield Page(1, text, "extract-msg", version("extract-msg"))


def read_text(path: Path) -> Iterator[Page]:
    """A plain text file, as one page (UTF-8, else Latin-1)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    yield Page(1, _clean(text), "text", "utf-8")


def pages_of(path: Path, name: str, content_type: str, limits: Limits) -> Iterator[Page]:
    """Every page of a stored file, whatever its kind; ExtractionError with the reason when
    it cannot be read."""
    kind = kind_of(path, name, content_type)
    if kind == "pdf":
        return read_pdf(path, limits)
    if kind == "image":
        return read_image(path, limits)
    if kind == "email":
        return read_email(path)
    if kind == "msg":
        return read_msg(path)
    if kind == "docx":
        return read_docx(path)
    if kind == "xlsx":
        return read_xlsx(path, limits)
    if kind == "pptx":
        return read_pptx(path, limits)
    if kind == "odf":
        return read_odf(path, limits)
    if kind == "rtf":
        return read_rtf(path)
    if kind == "text":
        return read_text(path)
    raise ExtractionError(_("The tracker reads no text from this kind of file."))


def page_count(path: Path, name: str, content_type: str) -> int | None:
    """How many pages a file has, when that is known without reading it (PDFs, images)."""
    kind = kind_of(path, name, content_type)
    try:
        if kind == "pdf":
            pdf = pdfium.PdfDocument(str(path))
            try:
                return len(pdf)
            finally:
                pdf.close()
        if kind == "image":
            with Image.open(path) as image:
                return int(getattr(image, "n_frames", 1))
    except (pdfium.PdfiumError, OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    return 1 if kind in ("email", "msg", "docx", "rtf", "text") else None
