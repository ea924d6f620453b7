"""The product's one PDF renderer: certificates, agreements and report files all come from here.

fpdf2 is pure Python and embeds only the glyphs a document uses, taken from the CJK font
vendored beside this module (DejaVu Sans for Latin, Droid Sans Fallback, Apache-2.0, for Chinese).
So a PDF shows Chinese correctly on a fresh machine after ``make run`` (no system font, no
download) and in any viewer (nothing is left for the viewer to substitute).

Chapters build documents with ``PdfDocument`` and never talk to fpdf2 directly, so the font
strategy stays in one place::

    doc = PdfDocument(title=_("Certificate"), subject=number)
    doc.heading(_("Certificate of completion"))
    doc.paragraph(text)
    doc.fields([(_("Number"), number), (_("Valid until"), date_format(expires))])
    doc.signature_block([(_("Partner"), signer, signed_at)], content_hash=digest)
    return pdf_response(doc, filename=f"{number}.pdf")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from django.http import HttpResponse
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILE = FONT_DIR / "DroidSansFallbackFull.ttf"
LATIN_FONT_FILE = FONT_DIR / "DejaVuSans.ttf"
FAMILY = "channelhub"
CJK_FAMILY = "channelhub-cjk"

# A4 portrait, millimetres.
MARGIN = 18
BODY_SIZE = 10.5
LINE = 6


class PdfDocument:
    """A simple flowing document: headings, paragraphs, label/value fields, tables, signatures."""

    def __init__(self, *, title: str, subject: str = "", author: str = "ChannelHub") -> None:
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(auto=True, margin=MARGIN)
        # One regular face (parsing a CJK font is the costly part of a document): Latin from
        # DejaVu Sans, everything it lacks (Chinese) from Droid Sans Fallback. Documents use
        # size and colour for emphasis, never bold or italic, which these faces do not have.
        pdf.add_font(FAMILY, fname=str(LATIN_FONT_FILE))
        pdf.add_font(CJK_FAMILY, fname=str(FONT_FILE))
        pdf.set_fallback_fonts([CJK_FAMILY])
        pdf.set_title(str(title))
        pdf.set_subject(str(subject))
        pdf.set_author(str(author))
        pdf.set_creator("ChannelHub")
        pdf.add_page()
        pdf.set_font(FAMILY, size=BODY_SIZE)
        self._pdf = pdf

    @property
    def width(self) -> float:
        return self._pdf.epw

    def heading(self, text: str, *, size: float = 18) -> None:
        pdf = self._pdf
        pdf.set_font(FAMILY, size=size)
        pdf.multi_cell(0, size * 0.55, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        pdf.set_font(FAMILY, size=BODY_SIZE)

    def subheading(self, text: str) -> None:
        self.heading(text, size=13)

    def paragraph(self, text: str, *, size: float = BODY_SIZE, align: str = "L") -> None:
        pdf = self._pdf
        pdf.set_font(FAMILY, size=size)
        pdf.multi_cell(0, LINE, str(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
        pdf.set_font(FAMILY, size=BODY_SIZE)

    def fields(self, rows: Iterable[tuple[str, str]], *, label_width: float = 45) -> None:
        """Label / value pairs, one per line (the value wraps)."""
        pdf = self._pdf
        for label, value in rows:
            pdf.set_text_color(90, 90, 90)
            pdf.cell(label_width, LINE, str(label))
            pdf.set_text_color(0, 0, 0)
            pdf.multi_cell(0, LINE, str(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]],
              *, widths: Sequence[float] | None = None) -> None:
        """A bordered table; ``widths`` are relative (default: equal)."""
        pdf = self._pdf
        widths = widths or [1] * len(header)
        total = sum(widths)
        col_widths = tuple(self.width * w / total for w in widths)
        from fpdf.fonts import FontFace

        heading = FontFace(emphasis="", fill_color=(235, 235, 235))
        with pdf.table(col_widths=col_widths, line_height=LINE, text_align="LEFT",
                       headings_style=heading) as table:
            table.row([str(cell) for cell in header])
            for row in rows:
                table.row(["" if cell is None else str(cell) for cell in row])
        pdf.ln(2)

    def signature_block(self, signatures: Iterable[tuple[str, str, str]], *, content_hash: str = "") -> None:
        """Each signature as (role, who and title, when and where); then the content hash."""
        pdf = self._pdf
        pdf.ln(4)
        for role, signer, detail in signatures:
            pdf.set_draw_color(160, 160, 160)
            pdf.cell(0, LINE, str(role), new_x=XPos.LMARGIN, new_y=YPos.NEXT, border="T")
            pdf.multi_cell(0, LINE, str(signer), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(0, LINE, str(detail), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(3)
        if content_hash:
            pdf.set_font(FAMILY, size=8)
            pdf.multi_cell(0, 4.5, f"SHA-256: {content_hash}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(FAMILY, size=BODY_SIZE)

    def footer_note(self, text: str) -> None:
        pdf = self._pdf
        pdf.ln(4)
        pdf.set_font(FAMILY, size=8)
        pdf.set_text_color(110, 110, 110)
        pdf.multi_cell(0, 4.5, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FAMILY, size=BODY_SIZE)

    def page_break(self) -> None:
        self._pdf.add_page()

    def render(self) -> bytes:
        return bytes(self._pdf.output())


def pdf_response(doc: PdfDocument, *, filename: str, inline: bool = True) -> HttpResponse:
    """The document as a download (``inline`` opens it in the browser's viewer)."""
    response = HttpResponse(doc.render(), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    safe = "".join(ch for ch in filename if ch.isascii() and (ch.isalnum() or ch in "._-")) or "document.pdf"
    response["Content-Disposition"] = f'{disposition}; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
