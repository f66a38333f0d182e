"""The packet's PDF dossier, drawn with reportlab (platypus) in a Unicode TrueType font.

Same dossier, same bytes: reportlab's invariant mode fixes the document ID, and the creation
date is the packet's generation time.
"""

from __future__ import annotations

import functools
import io
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from tracker.deadlines import french
from tracker.deadlines.engine import Problem
from tracker.deadlines.lawtypes import Law
from tracker.language.i18n import _, format_date, format_decimal, get_locale, ngettext
from tracker.packets.dossier import FINDING_LABELS, GROUNDS_LABELS, Dossier, the
from tracker.packets.letter import letter_blocks
from tracker.requests.state import CLOSURES

# DejaVu covers Latin, Greek and Cyrillic (Debian: fonts-dejavu-core); reportlab's own Vera
# (Latin-1 and Mac Roman: é à ç œ ’ « » —) is the fallback on machines without it.
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts/dejavu",
)
MARGIN = 50
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#f0f4f8")
WARN = colors.HexColor("#9b1c1c")


@functools.cache
def fonts() -> tuple[str, str, str]:
    """Register the packet fonts once per process; return (regular, bold, mono) names."""
    choice: tuple[Path, Path, Path] | None = None
    for folder in map(Path, FONT_DIRS):
        found = (
            folder / "DejaVuSans.ttf",
            folder / "DejaVuSans-Bold.ttf",
            folder / "DejaVuSansMono.ttf",
        )
        if all(p.is_file() for p in found):
            choice = found
            break
    if choice is None:
        bundled = Path(reportlab.__file__).parent / "fonts"
        choice = (bundled / "Vera.ttf", bundled / "VeraBd.ttf", bundled / "Vera.ttf")
    names = ("PacketSans", "PacketSans-Bold", "PacketMono")
    for name, path in zip(names, choice, strict=False):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        "PacketSans", normal=names[0], bold=names[1], italic=names[0], boldItalic=names[1]
    )
    return names


class _Styles:
    def __init__(self) -> None:
        regular, bold, mono = fonts()
        base = ParagraphStyle(
            "body",
            fontName=regular,
            fontSize=9.5,
            leading=12.5,
            textColor=INK,
            alignment=TA_LEFT,
            spaceAfter=4,
        )
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=10, spaceAfter=0)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=bold)
        self.mono = ParagraphStyle(
            "mono", parent=self.cell, fontName=mono, fontSize=6.5, leading=8.5
        )
        self.title = ParagraphStyle(
            "title", parent=base, fontName=bold, fontSize=22, leading=27, spaceAfter=6
        )
        self.subtitle = ParagraphStyle(
            "subtitle", parent=base, fontSize=13, leading=17, spaceAfter=14, textColor=MUTED
        )
        self.h1 = ParagraphStyle(
            "h1", parent=base, fontName=bold, fontSize=13, leading=17, spaceBefore=12, spaceAfter=6
        )
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3
        )
        self.warn = ParagraphStyle("warn", parent=base, textColor=WARN)
        self.letter = ParagraphStyle("letter", parent=base, fontSize=9.5, leading=13, spaceAfter=7)


def _text(value: str) -> str:
    """Escape text for reportlab's paragraph markup, keeping line breaks."""
    return escape(value).replace("\n", "<br/>")


def _table(rows: list[list[Flowable | str]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    if header:
        style.add("BACKGROUND", (0, 0), (-1, 0), SHADE)
    table.setStyle(style)
    return table


def _facts(s: _Styles, pairs: list[tuple[str, str]], width: float) -> Table:
    rows: list[list[Flowable | str]] = [
        [Paragraph(_text(k), s.cell_bold), Paragraph(_text(v), s.cell)] for k, v in pairs
    ]
    return _table(rows, [width * 0.3, width * 0.7], header=False)


def _days(n: int, word: str) -> str:
    if word == "calendar day":
        return ngettext("%(num)s calendar day", "%(num)s calendar days", n)
    if word == "business day":
        return ngettext("%(num)s business day", "%(num)s business days", n)
    return ngettext("%(num)s day", "%(num)s days", n)


def _claimed(days: int, unit: str) -> str:
    """An extension's days as its notice counts them ("30 days", "30 working days")."""
    return f"{days} {unit}" if _english() else _days(days, unit)


def _cite(law: Law, section: str) -> str:
    """A section cited as the packet's language cites it (tracker.deadlines.french)."""
    return law.cite(section) if _english() else french.cite(law, section)


def _problem(law: Law, problem: Problem) -> str:
    """An extension problem as the packet's language words it."""
    return problem.message if _english() else french.problem_text(law, problem, _day)


def _problem_cite(law: Law, problem: Problem) -> str:
    return problem.citation if _english() else french.problem_citation(law, problem)


def _english() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "en"


def _day(value: date) -> str:
    """A date as the packet writes it: 2020-03-11 in English, 11 mars 2020 in French."""
    return value.isoformat() if _english() else format_date(value, "d MMMM y")


def _weekday_day(value: date) -> str:
    """Wednesday 2020-03-11; mercredi 11 mars 2020."""
    if _english():
        return f"{value.strftime('%A')} {value.isoformat()}"
    return format_date(value, "EEEE d MMMM y")


def _cover(d: Dossier, s: _Styles, width: float) -> list[Flowable]:
    law = d.law
    local = d.generated_local
    story: list[Flowable] = [
        Paragraph(_text(_("Evidence packet")), s.title),
        Paragraph(_text(d.title), s.subtitle),
        _facts(
            s,
            [
                (_("Newsroom"), d.newsroom),
                (_("Reporter"), f"{d.reporter_name} <{d.reporter_email}>"),
                (_("Institution"), d.institution),
                (_("Law"), f"{law.name} \u2014 {law.jurisdiction}"),
                (_("Institution's file number"), d.file_number or _("not recorded")),
                (_("Request sent"), _day(d.sent_on) if d.sent_on else _("not recorded")),
                (
                    _("Request received"),
                    _day(d.received_on)
                    if d.state.received_later_on is None
                    # An e-mailed request whose received date reads two ways (issue 22).
                    else _(
                        "%(earlier)s (the day the mail left: the complaint window counts from "
                        "it); the institution's time counts from %(later)s",
                        earlier=_day(d.received_on),
                        later=_day(d.state.received_later_on),
                    ),
                ),
                (_("Status"), str(d.status_label)),
                (_("Tracker request"), f"#{d.request_id}"),
                (
                    _("Generated"),
                    (f"{local.strftime('%Y-%m-%d %H:%M %Z')} ({d.generated_at.isoformat()})"),
                ),
            ],
            width,
        ),
        Spacer(1, 10),
        Paragraph(_text(_("In short")), s.h2),
    ]
    summary = [
        _(
            "Due date: %(date)s (%(cite)s).",
            date=_weekday_day(d.due_on),
            cite=law.period_text if _english() else _cite(law, law.citation.rsplit(", ", 1)[-1]),
        )
    ]
    if d.responded_on is not None:
        summary.append(_("Final response: %(date)s.", date=_day(d.responded_on)))
    elif d.state.closed_on is not None:
        summary.append(
            _(
                "Closed without a final response on %(date)s: %(how)s.",
                date=_day(d.state.closed_on),
                how=CLOSURES.get(d.state.closure or "", d.state.closure),
            )
        )
    else:
        summary.append(_("No final response recorded as of %(date)s.", date=_day(d.today)))
    if d.late:
        summary.append(
            _(
                "%(calendar)s late (%(business)s).",
                calendar=_days(d.days_late_calendar, "calendar day"),
                business=_days(d.days_late_business, "business day"),
            )
        )
    if d.deemed_refusal_on is not None and law.deemed_refusal_section:
        summary.append(
            _(
                "Deemed refused from %(date)s (%(cite)s).",
                date=_day(d.deemed_refusal_on),
                cite=_cite(law, law.deemed_refusal_section),
            )
        )
    summary.append(_("Complaint window: %(text)s", text=d.complaint_window_text))
    story += [Paragraph(_text(line), s.body) for line in summary]
    story.append(Paragraph(_text(_("What the record lacks")), s.h2))
    if d.gaps:
        story += [Paragraph("\u2022 " + _text(gap), s.warn) for gap in d.gaps]
    else:
        story.append(
            Paragraph(
                _text(
                    _(
                        "Nothing flagged: the request text, the file number, a final "
                        "response and original files are all on record."
                    )
                ),
                s.body,
            )
        )
    return story


def _deadline(d: Dossier, s: _Styles, width: float) -> list[Flowable]:
    exp = d.explanation
    story: list[Flowable] = [
        Paragraph(_text(_("2. The statutory deadline and how it was computed")), s.h1)
    ]
    rows: list[list[Flowable | str]] = [
        [Paragraph(_text(_("Step")), s.cell_bold), Paragraph(_text(_("Computation")), s.cell_bold)]
    ]
    steps = exp.steps
    if not _english():
        steps = french.explanation_steps(exp, _day) or exp.steps
    rows += [
        [Paragraph(_text(step.label), s.cell), Paragraph(_text(step.text), s.cell)]
        for step in steps
    ]
    story.append(_table(rows, [width * 0.16, width * 0.84]))
    if d.state.restarted_by:
        story.append(
            Paragraph(
                _text(
                    _(
                        "The clock restarted on %(date)s (%(why)s); the count above starts "
                        "from that day.",
                        date=_day(d.state.clock_start),
                        why=d.state.restarted_by,
                    )
                ),
                s.body,
            )
        )
    story.append(Spacer(1, 4))
    story.append(
        Paragraph(
            _text(_("Sections cited: %(sections)s.", sections="; ".join(exp.sections))), s.body
        )
    )

    story.append(Paragraph(_text(_("3. Extensions")), s.h1))
    if not d.extensions:
        story.append(Paragraph(_text(_("No extension of the deadline is on record.")), s.body))
    for x in d.extensions:
        lines: list[Flowable] = [
            Paragraph(
                _text(
                    _(
                        "%(days)s claimed by notice dated %(date)s; ground: %(reason)s "
                        "(%(cite)s); Commissioner notified: %(notified)s.",
                        days=_claimed(x.days, x.unit),
                        date=_day(x.notice_on),
                        reason=x.reason_label,
                        cite=x.reason_section,
                        notified=_("yes") if x.commissioner_notified else _("no"),
                    )
                ),
                s.body,
            )
        ]
        if not x.counted:
            lines.append(
                Paragraph(
                    _text(
                        _(
                            "These days do not move the due date: notice came after the "
                            "original deadline had passed."
                        )
                    ),
                    s.warn,
                )
            )
        if x.problems:
            lines += [
                Paragraph(
                    "\u2022 "
                    + _text(
                        _(
                            "Contrary to the law: %(problem)s (%(cite)s)",
                            problem=_problem(d.law, p),
                            cite=_problem_cite(d.law, p),
                        )
                        if p.severity == "error"
                        else _(
                            "Warning: %(problem)s (%(cite)s)",
                            problem=_problem(d.law, p),
                            cite=_problem_cite(d.law, p),
                        )
                    ),
                    s.warn,
                )
                for p in x.problems
            ]
        else:
            lines.append(Paragraph(_text(_("No problem found with this extension.")), s.small))
        story.append(KeepTogether(lines))
    return story


def _lateness(d: Dossier, s: _Styles) -> list[Flowable]:
    law = d.law
    story: list[Flowable] = [Paragraph(_text(_("4. Deemed refusal and days late")), s.h1)]
    lines = [_("Due date (last day to respond): %(date)s.", date=_weekday_day(d.due_on))]
    if d.late:
        when = (
            _("the final response of %(date)s", date=_day(d.responded_on))
            if d.responded_on
            else _("%(date)s, when it closed without a final response", date=_day(d.lateness_as_of))
            if d.state.closed_on is not None
            else _("%(date)s, with no final response", date=_day(d.today))
        )
        lines.append(
            _(
                "Days late as of %(when)s: %(calendar)s; %(business)s "
                "(working days under the law's calendar).",
                when=when,
                calendar=_days(d.days_late_calendar, "calendar day"),
                business=_days(d.days_late_business, "business day"),
            )
        )
        if d.deemed_refusal_on is not None and law.deemed_refusal_section:
            lines.append(
                _(
                    "Deemed refusal: from %(date)s, the day after the due date (%(cite)s).",
                    date=_day(d.deemed_refusal_on),
                    cite=_cite(law, law.deemed_refusal_section),
                )
            )
        elif not law.deemed_refusal_section:
            lines.append(
                _(
                    "The %(law)s names no deemed refusal; the delay itself is the breach.",
                    law=law.name,
                )
            )
    elif d.responded_on is not None:
        lines.append(
            _("Answered on %(date)s, within the deadline: not late.", date=_day(d.responded_on))
        )
    elif d.state.closed_on is not None:
        lines.append(
            _(
                "Closed on %(date)s, before the due date, without a final "
                "response: never late, and no deemed refusal.",
                date=_day(d.state.closed_on),
            )
        )
    else:
        left = (d.due_on - d.today).days
        lines.append(
            _(
                "Not late as of %(date)s: %(left)s left. No deemed refusal yet.",
                date=_day(d.today),
                left=_days(left, "day"),
            )
        )
    story += [Paragraph(_text(line), s.body) for line in lines]

    story.append(Paragraph(_text(_("5. Complaint window")), s.h1))
    story.append(Paragraph(_text(d.complaint_window_text), s.body))
    if law.complaint_window is not None and law.complaint_window.note:
        story.append(Paragraph(_text(_("Note: %(note)s", note=law.complaint_window.note)), s.small))
    for c in d.complaints:
        text = _(
            "Complaint filed %(date)s with %(body)s; grounds: %(grounds)s",
            date=_day(c.filed_on),
            body=the(c.body) if _english() else c.body,
            grounds=GROUNDS_LABELS.get(c.grounds, c.grounds),
        )
        if c.body_file_number:
            text += "; " + _("file number %(number)s", number=c.body_file_number)
        if c.finding and c.finding_on:
            text += "; " + _(
                "finding of %(date)s: %(finding)s",
                date=_day(c.finding_on),
                finding=FINDING_LABELS.get(c.finding, c.finding),
            )
        story.append(Paragraph(_text(text + "."), s.body))
    return story


def _chronology(d: Dossier, s: _Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(_text(_("6. Chronology")), s.h1),
        Paragraph(
            _text(
                _(
                    "Every timeline entry, in date order. Entries are never "
                    "edited: a correction is a new entry that points back to "
                    "the one it replaces."
                )
            ),
            s.small,
        ),
        Spacer(1, 4),
    ]
    header = ["#", _("Date"), _("Entry"), _("Note and details"), _("Recorded"), _("Correction")]
    rows: list[list[Flowable | str]] = [[Paragraph(_text(h), s.cell_bold) for h in header]]
    for e in d.chronology:
        body = [part for part in (e.note, e.details) if part]
        if e.files:
            names = "; ".join(f.path.removeprefix("attachments/") for f in e.files)
            body.append(_("Files: %(names)s", names=names))
        correction = []
        if e.corrects_id is not None:
            correction.append(_("Corrects #%(id)s", id=e.corrects_id))
        if e.corrected_by_id is not None:
            correction.append(_("Corrected by #%(id)s; no longer in force", id=e.corrected_by_id))
        rows.append(
            [
                Paragraph(str(e.id), s.cell),
                Paragraph(_day(e.occurred_on), s.cell),
                Paragraph(_text(e.label), s.cell),
                Paragraph(_text("\n".join(body)) or "\u2014", s.cell),
                Paragraph(_text(f"{e.recorded_by}\n{e.recorded_at_local}"), s.cell),
                Paragraph(
                    _text("\n".join(correction)) or "\u2014", s.warn if correction else s.cell
                ),
            ]
        )
    story.append(_table(rows, [w * width for w in (0.045, 0.115, 0.18, 0.33, 0.2, 0.13)]))
    return story


def _exemptions(d: Dossier, s: _Styles, width: float) -> list[Flowable]:
    """An exemptions complaint's evidence: each released page citing an exemption (issue 23)."""
    if not d.exemption_pages:
        return []
    full = sum(1 for p in d.exemption_pages if p.withheld_in_full)
    story: list[Flowable] = [
        Paragraph("Exemptions cited in the released records", s.h1),
        Paragraph(
            f"{len(d.exemption_pages)} page(s) cite exemptions: {len(d.exemption_pages) - full} "
            f"withheld in part, {full} in full, as read from the records' text (OCR included). "
            "exemptions.csv lists the same pages.",
            s.small,
        ),
        Spacer(1, 4),
    ]
    rows: list[list[Flowable | str]] = [
        [Paragraph(h, s.cell_bold) for h in ("File", "Page", "Sections cited", "Withheld")]
    ]
    for p in d.exemption_pages:
        rows.append(
            [
                Paragraph(_text(p.file_name), s.cell),
                Paragraph(str(p.page), s.cell),
                Paragraph(_text("; ".join(p.sections)), s.cell),
                Paragraph("in full" if p.withheld_in_full else "in part", s.cell),
            ]
        )
    story.append(_table(rows, [150, 40, width - 150 - 40 - 60, 60]))
    return story


def _files(d: Dossier, s: _Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(_text(_("7. Attached files")), s.h1)]
    if not d.files:
        story.append(Paragraph(_text(_("No files are attached to this request.")), s.body))
        return story
    rows: list[list[Flowable | str]] = [
        [
            Paragraph(_text(h), s.cell_bold)
            for h in (_("File in the archive"), _("Bytes"), "SHA-256")
        ]
    ]
    for f in d.files:
        name = f.path
        if f.original_name != f.path.removeprefix("attachments/"):
            name += "\n" + _("(uploaded as %(name)s)", name=f.original_name)
        rows.append(
            [
                Paragraph(_text(name), s.cell),
                Paragraph(_text(format_decimal(f.size)), s.cell),
                Paragraph(f.sha256, s.mono),
            ]
        )
    story.append(_table(rows, [width - 62 - 268, 62, 268]))
    story.append(
        Paragraph(
            _text(
                _(
                    "manifest.json lists the same hashes; recompute them with "
                    "`sha256sum` to show no file was altered."
                )
            ),
            s.small,
        )
    )
    return story


def _letter(d: Dossier, s: _Styles) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        Paragraph(_text(_("8. Draft complaint letter")), s.h1),
        Paragraph(_text(_("Also in the archive as complaint-letter.txt.")), s.small),
        Spacer(1, 6),
    ]
    story += [Paragraph(_text(block), s.letter) for block in letter_blocks(d)]
    return story


def render_pdf(d: Dossier) -> bytes:
    """Draw the dossier: cover, request, deadline, extensions, lateness, chronology, files, letter."""
    s = _Styles()
    regular = fonts()[0]
    stamp = d.generated_at.strftime("D:%Y%m%d%H%M%S+00'00'")
    footer = _(
        "Evidence packet · request #%(id)s · %(institution)s · generated %(date)s",
        id=d.request_id,
        institution=d.institution,
        date=_day(d.generated_at.date()),
    )
    page_word = _("page %(page)s", page="")

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setDateFormatter(lambda *_: stamp)
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 28, footer[:150])
        canvas.drawRightString(LETTER[0] - MARGIN, 28, f"{page_word}{doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Evidence packet: %(title)s", title=d.title),
        author=d.newsroom,
        subject=_(
            "%(law)s request to %(institution)s", law=d.law.short_name, institution=d.institution
        ),
        creator=f"ATI tracker {d.tracker_version}",
        producer="ReportLab",
        invariant=1,
        lang="en" if _english() else str(get_locale()),
    )
    width = LETTER[0] - 2 * MARGIN
    story = _cover(d, s, width)
    story += [
        PageBreak(),
        Paragraph(_text(_("1. The request")), s.h1),
        Paragraph(_text(d.title), s.h2),
        Paragraph(
            _text(d.text)
            if d.text.strip()
            else _text(_("The text of the request was not recorded.")),
            s.body,
        ),
    ]
    story += _deadline(d, s, width)
    story += _lateness(d, s)
    story += _chronology(d, s, width)
    story += _files(d, s, width)
    story += _exemptions(d, s, width)
    story += _letter(d, s)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
