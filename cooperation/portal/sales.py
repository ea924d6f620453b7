"""Sales reporting in the partner portal: the partner's own figures with a chart, one line by form,
a file upload checked first (a preview or a row-level error report; importing is a second step),
and the template to fill in."""

from __future__ import annotations

import datetime
import secrets
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from channelhub.exports import CONTENT_TYPES
from channelhub.partners.models import Product, Region
from channelhub.portal.mixins import PortalMixin

from .. import selectors, services
from ..models import Currency, SalesSource, month_start
from ..sales_files import UnreadableFile, read_rows, template_csv
from ..storage import private_storage

SESSION_KEY = "cooperation_sales_upload"


def _recent_months(count: int = 12) -> list[tuple[str, str]]:
    month = month_start(timezone.localdate())
    out = []
    for _step in range(count):
        out.append((month.strftime("%Y-%m"), month.strftime("%Y-%m")))
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return out


class SalesOverviewView(PortalMixin, TemplateView):
    """The partner's figures: twelve months as bars, periods with deadlines and status, the lines of a month."""

    template_name = "cooperation/portal/sales.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner_id = self.partner.pk
        months = selectors.monthly_sales(partner_id)
        for index, month in enumerate(months):  # the SVG's geometry: 12 bars of 8 in a 120 × 48 box
            month["height"] = round(month["percent"] * 0.46, 1)
            month["x"], month["label_x"], month["y"] = index * 10 + 1, index * 10 + 5, round(47 - month["height"], 1)
        chosen = self.request.GET.get("period", "")
        lines = selectors.sales_line_list(partner_id=partner_id, current_only=True)
        if not chosen:  # the newest month reported, not every line ever
            newest = lines.order_by("-month").values_list("period__key", flat=True).first()
            chosen = newest or ""
        if chosen:
            lines = lines.filter(period__key=chosen[:7])
        context.update({
            "months": months, "periods": selectors.partner_periods(partner_id), "chosen": chosen[:7],
            "lines": lines.order_by("product__sku", "region__code")[:500],
            "reports": selectors.sales_report_list(partner_id=partner_id)[:10],
        })
        return context


class SalesLineForm(forms.Form):
    period = forms.ChoiceField(label=_("period"))
    product = forms.ModelChoiceField(label=_("product"), queryset=Product.objects.none())
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.none())
    quantity = forms.IntegerField(label=_("quantity"), min_value=0)
    amount = forms.DecimalField(label=_("amount"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("currency"), choices=Currency.choices, initial=Currency.CNY)
    end_customers = forms.IntegerField(label=_("end customers"), min_value=0, initial=0)
    correction = forms.BooleanField(label=_("this corrects a figure reported before"), required=False)
    reason = forms.CharField(label=_("reason for the correction"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _recent_months()
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("sku")
        self.fields["region"].queryset = Region.objects.order_by("path")


class SalesLineCreateView(PortalMixin, FormView):
    form_class = SalesLineForm
    template_name = "cooperation/portal/sales_form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        row = {"period": data["period"], "sku": data["product"].sku, "region": data["region"].code,
               "quantity": str(data["quantity"]), "amount": str(data["amount"]), "currency": data["currency"],
               "end_customers": str(data["end_customers"]), "correction": "1" if data["correction"] else "",
               "reason": data["reason"]}
        result = services.sales_import(tenant=self.request.tenant, partner=self.partner, actor=self.request.user,
                                       rows=[row], source=SalesSource.PORTAL)
        if result.errors:
            for error in result.errors:
                field = {"sku": "product"}.get(error.column, error.column)
                form.add_error(field if field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Reported."))
        return redirect(f"{_overview()}?period={data['period']}")


def _overview() -> str:
    from django.urls import reverse

    return reverse("cooperation-portal:sales")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("file (CSV or XLSX)"),
                           help_text=_("Columns: period, sku, region, quantity, amount, currency, end_customers, "
                                       "correction, reason (Chinese headers are understood too)."))


class SalesUploadView(PortalMixin, FormView):
    """Step 1: upload and check (nothing imported); step 2: import what was checked, all or nothing."""

    form_class = UploadForm
    template_name = "cooperation/portal/sales_upload.html"

    def _stash(self, content: bytes, name: str) -> str:
        token = secrets.token_urlsafe(16)
        suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
        path = private_storage.save(
            f"cooperation/sales-uploads/{self.request.tenant.pk}/{self.partner.pk}/{token}{suffix}",
            ContentFile(content))
        self.request.session[SESSION_KEY] = {"token": token, "path": path, "name": PurePath(name).name[:200],
                                             "partner": self.partner.pk}
        return token

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content, name = upload.read(), upload.name or "upload.csv"
        try:
            rows = read_rows(content, name)
        except UnreadableFile as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        result = services.sales_import(tenant=self.request.tenant, partner=self.partner, actor=self.request.user,
                                       rows=rows, source=SalesSource.UPLOAD, dry_run=True, file_name=name)
        token = self._stash(content, name) if result.ok else ""
        return self.render_to_response(self.get_context_data(form=UploadForm(), result=result, token=token,
                                                             file_name=PurePath(name).name))

    def post(self, request, *args, **kwargs):
        if "token" not in request.POST:
            return super().post(request, *args, **kwargs)
        stash = request.session.get(SESSION_KEY) or {}
        if not stash or stash.get("token") != request.POST["token"] or stash.get("partner") != self.partner.pk:
            messages.error(request, gettext("Upload the file again: the checked file is no longer available."))
            return redirect("cooperation-portal:sales-upload")
        try:
            with private_storage.open(stash["path"], "rb") as handle:
                content = handle.read()
            rows = read_rows(content, stash["name"])
        except (OSError, UnreadableFile):
            request.session.pop(SESSION_KEY, None)
            messages.error(request, gettext("Upload the file again: the checked file is no longer available."))
            return redirect("cooperation-portal:sales-upload")
        result = services.sales_import(tenant=request.tenant, partner=self.partner, actor=request.user, rows=rows,
                                       source=SalesSource.UPLOAD, file_name=stash["name"])
        if result.errors:  # someone reported the same figures since the check: show why, import nothing
            return self.render_to_response(self.get_context_data(form=UploadForm(), result=result, token=""))
        request.session.pop(SESSION_KEY, None)
        private_storage.delete(stash["path"])
        messages.success(request, ngettext("%(count)d line imported.", "%(count)d lines imported.",
                                           result.line_count) % {"count": result.line_count})
        return redirect("cooperation-portal:sales")


class SalesTemplateView(PortalMixin, View):
    def get(self, request):
        response = HttpResponse(template_csv(), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = 'attachment; filename="sales-template.csv"'
        return response
