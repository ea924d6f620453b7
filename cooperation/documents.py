"""The agreement as a document: the PDF (``channelhub.pdf``) with its signature block and hash,
and the difference between two versions (escaped, as unified text and as an HTML table)."""

from __future__ import annotations

import difflib

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from channelhub.pdf import PdfDocument, pdf_response

from .models import Agreement, AgreementVersion, SignatureParty


def signature_rows(signatures) -> list[tuple[str, str, str]]:
    rows = []
    for signature in signatures:
        party = _("Partner") if signature.party == SignatureParty.PARTNER else _("Vendor")
        when = date_format(localtime(signature.signed_at), "Y-m-d H:i")
        rows.append((party, f"{signature.signer_name} · {signature.signer_title}",
                     _("Signed %(when)s from %(address)s") % {"when": when, "address": signature.ip_address or "—"}))
    return rows


def agreement_pdf(agreement: Agreement, signatures) -> PdfDocument:
    version = agreement.current_version
    doc = PdfDocument(title=agreement.title, subject=agreement.number)
    doc.heading(agreement.title)
    doc.fields([
        (_("Number"), agreement.number),
        (_("Partner"), agreement.partner.legal_name),
        (_("Term"), f"{agreement.start_date.isoformat()} – {agreement.end_date.isoformat()}"),
        (_("Version"), str(version.number)),
        (_("State"), agreement.get_state_display()),
    ])
    doc.paragraph(version.text)
    rows = signature_rows(signatures)
    if not rows:
        doc.footer_note(_("Not signed yet."))
    doc.signature_block(rows, content_hash=version.content_hash)
    return doc


def agreement_pdf_response(agreement: Agreement, signatures):
    return pdf_response(agreement_pdf(agreement, signatures), filename=f"{agreement.number}.pdf")


def unified_diff(old: AgreementVersion, new: AgreementVersion) -> str:
    return "".join(difflib.unified_diff(
        old.text.splitlines(keepends=True), new.text.splitlines(keepends=True),
        fromfile=f"v{old.number}", tofile=f"v{new.number}"))


def html_diff(old: AgreementVersion, new: AgreementVersion) -> SafeString:
    """A side-by-side table; difflib escapes the texts itself (``HtmlDiff`` writes them as HTML)."""
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        old.text.splitlines(), new.text.splitlines(), fromdesc=escape(f"v{old.number}"),
        todesc=escape(f"v{new.number}"), context=True, numlines=2)
    return mark_safe(table)
