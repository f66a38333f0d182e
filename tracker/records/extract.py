"""Text out of a stored file, page by page: the PDF's text layer (pdfium), Tesseract (English
and French) for scanned pages and images, an e-mail's body, a Word document's paragraphs.

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
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageSequence, UnidentifiedImageError

from tracker.language.i18n import _

# A page whose text layer holds fewer characters than this is treated as a scan and OCR'd.
MIN_TEXT_CHARS = 20
OCR_LANGUAGES = "eng+fra"
OCR_DPI = 300


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
    """What reader a file needs: pdf, image, email, docx, text or unknown (by its first
    bytes, then its name and declared type)."""
    with path.open("rb") as handle:
        head = handle.read(16)
    lowered = name.lower()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")) or (
        head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    ):
        return "image"
    if head.startswith(b"PK\x03\x04") and lowered.endswith(".docx"):
        return "docx"
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


def read_docx(path: Path) -> Iterator[Page]:
    """A Word document's paragraphs and tables, as one page (a .docx has no fixed pages)."""
    import docx

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
    from importlib.metadata import version

    yield Page(1, _clean("\n".join(parts)), "python-docx", version("python-docx"))


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
    if kind == "docx":
        return read_docx(path)
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
    return 1 if kind in ("email", "docx", "text") else None
