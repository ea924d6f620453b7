"""An incentive statement as a PDF, through the product's one renderer (``channelhub.pdf``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from channelhub.pdf import PdfDocument, pdf_response

from .models import IncentiveLine, IncentiveStatement


def statement_document(statement: IncentiveStatement, lines: list[IncentiveLine]) -> PdfDocument:
    tenant = statement.tenant
    doc = PdfDocument(title=_("Incentive statement"), subject=str(statement.cycle), author=tenant.name)
    doc.heading(tenant.name, size=14)
    doc.heading(_("Incentive statement"), size=20)
    doc.fields([
        (_("Partner"), str(statement.partner)),
        (_("Review cycle"), str(statement.cycle)),
        (_("State"), str(statement.get_state_display())),
        (_("Total (CNY)"), f"{statement.total:,.2f}"),
        (_("Payment reference"), statement.paid_reference or "—"),
    ])
    doc.table(
        [_("Rule"), _("Kind"), _("Figure"), _("Rate %"), _("Amount (CNY)"), _("Explanation")],
        [(line.rule.name, line.get_kind_display(), "" if line.base is None else f"{line.base:,.2f}",
          "" if line.rate is None else f"{line.rate}", f"{line.amount:,.2f}", line.explanation) for line in lines],
    )
    return doc


def statement_pdf(statement: IncentiveStatement, lines: list[IncentiveLine]):
    name = f"statement-{statement.cycle.period_key}-{statement.partner_id}.pdf"
    return pdf_response(statement_document(statement, lines), filename=name, inline=False)
