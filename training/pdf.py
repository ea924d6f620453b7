"""The certificate as a PDF, through the product's one renderer (``channelhub.pdf``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from channelhub.pdf import PdfDocument, pdf_response

from .models import Certificate


def verification_url(certificate: Certificate) -> str:
    path = reverse("training-public:verify", kwargs={"tenant_slug": certificate.certification.tenant.slug,
                                                     "code": certificate.verification_code})
    return f"{settings.SITE_URL}{path}"


def certificate_document(certificate: Certificate) -> PdfDocument:
    holder = certificate.holder.get_full_name() or certificate.holder.username
    tenant = certificate.certification.tenant
    doc = PdfDocument(title=_("Certificate"), subject=certificate.number, author=tenant.name)
    doc.heading(tenant.name, size=14)
    doc.heading(_("Certificate") if not certificate.is_external else _("Verified qualification"), size=24)
    doc.paragraph(_("This certifies that %(holder)s holds the certification “%(certification)s”.") % {
        "holder": holder, "certification": certificate.certification.name}, size=13)
    rows = [
        (_("Number"), certificate.number),
        (_("Holder"), holder),
        (_("Company"), str(certificate.partner) if certificate.partner_id else tenant.name),
        (_("Issued on"), certificate.issued_on.isoformat()),
        (_("Valid until"), certificate.expires_on.isoformat()),
        (_("Status"), certificate.get_status_display()),
        (_("Verification code"), certificate.verification_code),
    ]
    if certificate.is_revoked:
        rows.append((_("Reason for revocation"), certificate.revoke_reason))
    doc.fields(rows)
    doc.footer_note(_("Check this certificate at %(url)s") % {"url": verification_url(certificate)})
    return doc


def certificate_pdf(certificate: Certificate):
    return pdf_response(certificate_document(certificate), filename=f"{certificate.number}.pdf", inline=False)
