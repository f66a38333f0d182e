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
