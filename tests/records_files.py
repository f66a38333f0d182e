"""Records made in the test: scanned pages (text rendered to an image, made into a PDF),
text PDFs, and the bad files of issue 23 (encrypted, corrupt, truncated, too long, a bomb)."""

from __future__ import annotations

import io
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

# Bitstream Vera, shipped inside reportlab: Latin-1 accents on every machine.
FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def page_image(lines: list[str], size: tuple[int, int] = (1700, 700)) -> Image.Image:
    """Lines of text drawn on a white page at about 300 dpi, as a scanner makes it."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 44)
    for row, line in enumerate(lines):
        draw.text((90, 80 + row * 80), line, fill=0, font=font)
    return image


def scanned_pdf(pages: list[list[str]]) -> bytes:
    """A PDF of page images without a text layer (a scan)."""
    images = [page_image(lines) for lines in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=300, save_all=True, append_images=images[1:])
    return out.getvalue()


def png(lines: list[str]) -> bytes:
    """A scanned page as a PNG image."""
    out = io.BytesIO()
    page_image(lines).save(out, "PNG")
    return out.getvalue()


def text_pdf(pages: list[str]) -> bytes:
    """A PDF with a text layer, one string per page (lines split on newlines)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter, pageCompression=0)
    for text in pages:
        y = 720
        for line in text.splitlines() or [""]:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """A text PDF that needs a password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Secret page text here."]))))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bomb() -> bytes:
    """A small PNG that opens into 12,000 x 6,000 pixels."""
    out = io.BytesIO()
    Image.new("1", (12_000, 6_000), 1).save(out, "PNG")
    return out.getvalue()


# --- Office documents, written by the libraries the tracker reads them with (real files) ---


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """An Excel workbook with these sheets and rows."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx(slides: list[tuple[str, str, str]]) -> bytes:
    """A PowerPoint deck, one (title, body, speaker notes) a slide."""
    import pptx as python_pptx

    deck = python_pptx.Presentation()
    for title, body, notes in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        slide.notes_slide.notes_text_frame.text = notes
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _odf(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(paragraphs: list[str]) -> bytes:
    """An OpenDocument text with these paragraphs."""
    import odfdo

    document = odfdo.Document("text")
    for text in paragraphs:
        document.body.append(odfdo.Paragraph(text))
    return _odf(document)


def ods(sheets: dict[str, list[list[object]]]) -> bytes:
    """An OpenDocument spreadsheet with these sheets and rows."""
    import odfdo

    document = odfdo.Document("spreadsheet")
    document.body.clear()
    for title, rows in sheets.items():
        table = odfdo.Table(title)
        for number, row in enumerate(rows):
            table.set_row_values(number, row)
        document.body.append(table)
    return _odf(document)


def odp(slides: list[list[str]]) -> bytes:
    """An OpenDocument presentation, one list of text lines a slide."""
    import odfdo

    document = odfdo.Document("presentation")
    document.body.clear()
    for number, lines in enumerate(slides, 1):
        slide = odfdo.DrawPage(f"page{number}", name=f"Slide {number}")
        frame = odfdo.Frame.text_frame(lines, size=("20cm", "10cm"), position=("1cm", "1cm"))
        slide.append(frame)
        document.body.append(slide)
    return _odf(document)


def rtf(paragraphs: list[str]) -> bytes:
    """An RTF document as a word processor writes it: Windows-1252 with \\'xx escapes for
    accents, \\uN? for what that code page lacks."""

    def escape(text: str) -> str:
        out = []
        for char in text:
            if char in "\\{}":
                out.append("\\" + char)
            elif ord(char) < 128:
                out.append(char)
            else:
                try:
                    out.append("\\'" + format(char.encode("cp1252")[0], "02x"))
                except UnicodeEncodeError:
                    out.append(f"\\u{ord(char)}?")
        return "".join(out)

    body = "".join(r"\pard\plain\f0\fs24 " + escape(p) + r"\par" + "\n" for p in paragraphs)
    return (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}}"
        r"{\info{\title Hidden title}}" + "\n" + body + "}"
    ).encode("ascii")


def zip_bomb(name: str, megabytes: int) -> bytes:
    """A ZIP holding one part of ``megabytes`` zeros (a few hundred KB packed)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(name, "w", force_zip64=True) as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(block)
    return out.getvalue()
