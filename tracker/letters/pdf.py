"""A letter as a PDF (reportlab, the packet's Unicode font), to print, sign or upload."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from tracker.core.models import Letter
from tracker.packets.pdf import fonts


def letter_pdf(letter: Letter) -> bytes:
    """The letter's text, paragraph by paragraph, lines kept, on Letter paper."""
    regular, bold, _mono = fonts()
    style = ParagraphStyle("letter", fontName=regular, fontSize=11, leading=15)
    head = ParagraphStyle("head", parent=style, fontName=bold)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        title=letter.subject,
        invariant=True,
        leftMargin=72,
        rightMargin=72,
        topMargin=72,
        bottomMargin=72,
    )
    story = [Paragraph(escape(letter.subject), head), Spacer(1, 12)]
    for paragraph in letter.body.split("\n\n"):
        lines = "<br/>".join(escape(line) for line in paragraph.splitlines())
        story += [Paragraph(lines, style), Spacer(1, 8)]
    doc.build(story)
    return out.getvalue()
