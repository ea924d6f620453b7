"""Sales reporting in the API: periods, reports (submit rows or a file; dry run; idempotency key), lines.

A submission answers 201 with the report, 200 with a preview for ``dry_run`` or when the
idempotency key names an earlier identical report (nothing is imported twice), 400 with
``{"rows": [{"line", "column", "message"}]}`` when any row is wrong (nothing is imported),
409 when the idempotency key was used for different rows.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from channelhub.api.parsers import FormParser, JSONParser, MultiPartParser
from channelhub.api.schema import crud_docs, documented
from channelhub.api.viewsets import ReadOnlyViewSet, TenantScopedViewSet
from channelhub.partners.models import Partner
from channelhub.tenancy.roles import ANY_STAFF, PARTNER_ROLES

from .. import selectors, services
from ..models import SalesLine, SalesPeriod, SalesReport, SalesSource
from ..permissions import SALES_MANAGE, SALES_REPORT
from ..sales_files import UnreadableFile, read_rows

MAX_API_ROWS = 100_000


class SalesPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalesPeriod
        fields = ("id", "key", "month", "deadline", "is_closed", "reminded_at", "missing_recorded_at")
        read_only_fields = ("key", "reminded_at", "missing_recorded_at")
        extra_kwargs = {"deadline": {"required": False, "help_text": "Default: the 10th of the following month."}}


class SalesPeriodUpdateSerializer(SalesPeriodSerializer):
    class Meta(SalesPeriodSerializer.Meta):
        read_only_fields = ("key", "month", "reminded_at", "missing_recorded_at")


class SalesLineSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.key", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = SalesLine
        fields = ("id", "report", "partner", "period", "month", "product", "sku", "region", "region_code",
                  "quantity", "amount", "currency", "end_customers", "is_current", "corrects", "correction_reason",
                  "superseded_at", "created_at")
        read_only_fields = fields


class SalesReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalesReport
        fields = ("id", "partner", "source", "submitted_by", "submitted_at", "file_name", "idempotency_key",
                  "line_count", "correction_count", "late_count")
        read_only_fields = fields


class SalesRowSerializer(serializers.Serializer):
    """One row as written in a file; every value is checked by the service, which reports by line."""

    period = serializers.CharField(max_length=20, allow_blank=True, required=False, help_text="YYYY-MM")
    sku = serializers.CharField(max_length=64, allow_blank=True, required=False)
    region = serializers.CharField(max_length=32, allow_blank=True, required=False, help_text="region code")
    quantity = serializers.CharField(max_length=30, allow_blank=True, required=False)
    amount = serializers.CharField(max_length=40, allow_blank=True, required=False)
    currency = serializers.CharField(max_length=8, allow_blank=True, required=False)
    end_customers = serializers.CharField(max_length=30, allow_blank=True, required=False)
    correction = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False)


class SalesSubmitSerializer(serializers.Serializer):
    rows = SalesRowSerializer(many=True, allow_empty=False, max_length=MAX_API_ROWS)
    dry_run = serializers.BooleanField(required=False, default=False)
    idempotency_key = serializers.CharField(max_length=100, required=False, allow_blank=True)


class SalesUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX with the columns period, sku, region, quantity, "
                                           "amount, currency, end_customers, correction, reason.")
    dry_run = serializers.BooleanField(required=False, default=False)
    idempotency_key = serializers.CharField(max_length=100, required=False, allow_blank=True)


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class SalesResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    replayed = serializers.BooleanField()
    line_count = serializers.IntegerField()
    correction_count = serializers.IntegerField()
    totals = serializers.ListField(child=serializers.DictField())
    report = SalesReportSerializer(allow_null=True)


def _result_data(result) -> dict:
    report = result.report
    return {
        "dry_run": result.dry_run, "replayed": result.replayed,
        "line_count": report.line_count if result.replayed else result.line_count,
        "correction_count": report.correction_count if result.replayed else result.correction_count,
        "totals": [{"currency": c, "quantity": q, "amount": str(a)} for c, q, a in result.totals()],
        "report": SalesReportSerializer(report).data if report is not None else None,
    }


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", location=OpenApiParameter.HEADER, required=False,
    description="Repeat a submission safely: the same key with the same rows answers the first report (200); "
                "with other rows 409. Same as the body's idempotency_key.")


@extend_schema_view(**crud_docs(
    "sales reporting period", "sales reporting periods", only=("list", "retrieve", "create", "update",
                                                               "partial_update"),
    about="A month with its reporting deadline; a closed period takes no more reports. Everyone reads; channel "
          "managers and owners set deadlines and close periods.",
))
class SalesPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, TenantScopedViewSet):
    serializer_class = SalesPeriodSerializer
    ordering = ["-month"]
    filterset_fields = ["is_closed", "key"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = SALES_MANAGE.roles
    published_to_partners = True

    def get_base_queryset(self):
        return SalesPeriod.objects.all()

    def get_serializer_class(self):
        return SalesPeriodUpdateSerializer if self.action in ("update", "partial_update") else SalesPeriodSerializer

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.sales_period_create(tenant=self.tenant, actor=self.actor, month=data["month"],
                                                           deadline=data.get("deadline"),
                                                           is_closed=data.get("is_closed", False))

    def perform_update(self, serializer) -> None:
        serializer.instance = services.sales_period_update(period=serializer.instance, actor=self.actor,
                                                           **dict(serializer.validated_data))


@extend_schema_view(**crud_docs(
    "sales report", "sales reports", only=("list", "retrieve"),
    about="Each submission of sales figures (form, file, API) with its counts. Partner staff read their own "
          "partner's.",
))
class SalesReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    serializer_class = SalesReportSerializer
    ordering = ["-submitted_at", "-pk"]
    filterset_fields = ["partner", "source"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    write_roles = SALES_REPORT.roles
    partner_lookup = "partner"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_base_queryset(self):
        return selectors.sales_report_list()

    def _partner(self) -> Partner:
        return Partner.objects.get(pk=self.request.access.partner_id)

    def _run(self, rows, *, dry_run: bool, key: str, source: str, file_name: str = "", first_line: int = 1):
        try:
            result = services.sales_import(
                tenant=self.tenant, partner=self._partner(), actor=self.actor, rows=rows, source=source,
                dry_run=dry_run, idempotency_key=self.request.headers.get("Idempotency-Key", "") or key,
                file_name=file_name, first_line=first_line)
        except services.IdempotencyConflict as conflict:
            return Response({"detail": str(conflict)}, status=status.HTTP_409_CONFLICT)
        if result.errors:
            return Response(result.error_dict(), status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if result.report is not None and not result.replayed else status.HTTP_200_OK
        return Response(_result_data(result), status=code)

    @documented(
        "Report sales",
        "Report sales of the caller's partner, as JSON rows or as a file. JSON: rows of period (YYYY-MM), sku, "
        "region (code), quantity, amount, currency (CNY, USD, EUR, HKD; default CNY), end_customers, and for a "
        "figure reported before correction=true with a reason; the first row is line 1. Multipart: a CSV (UTF-8) "
        "or XLSX file whose header row names the same columns (English or Chinese headers); the header is line 1. "
        "Every row is checked; any wrong row answers 400 with every problem by line and column "
        "({\"rows\": [{\"line\", \"column\", \"message\"}]}) and nothing is imported. dry_run=true only "
        "checks and answers the totals (200). An idempotency key (header Idempotency-Key or idempotency_key) makes "
        "a retry answer the first report (200, replayed); reused with other rows it answers 409. Partner staff "
        "only.",
        conflict=True, parameters=[IDEMPOTENCY_HEADER],
        request={"application/json": SalesSubmitSerializer, "multipart/form-data": SalesUploadSerializer},
        responses={201: SalesResultSerializer, 200: SalesResultSerializer})
    def create(self, request):
        if "file" in request.data or request.content_type.startswith("multipart/"):
            body = SalesUploadSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            upload = body.validated_data["file"]
            try:
                rows = read_rows(upload.read(), upload.name or "")
            except UnreadableFile as error:
                return Response({"file": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
            return self._run(rows, dry_run=body.validated_data["dry_run"],
                             key=body.validated_data.get("idempotency_key", ""), source=SalesSource.UPLOAD,
                             file_name=upload.name or "", first_line=2)
        body = SalesSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        rows = [{**row, "correction": "1" if row.get("correction") else ""} for row in data["rows"]]
        return self._run(rows, dry_run=data["dry_run"], key=data.get("idempotency_key", ""), source=SalesSource.API)


@extend_schema_view(**crud_docs(
    "sales line", "sales lines",
    about="Reported figures per period × product × region; a correction leaves the corrected line with "
          "is_current=false. Filter is_current=true for the figures that count. Partner staff read their own.",
    only=("list", "retrieve"),
))
class SalesLineViewSet(ReadOnlyViewSet):
    serializer_class = SalesLineSerializer
    ordering = ["-month", "pk"]
    ordering_fields = ["month", "amount", "created_at"]
    filterset_fields = ["partner", "product", "region", "is_current", "currency", "month", "report"]
    read_roles = ANY_STAFF | PARTNER_ROLES
    partner_lookup = "partner"

    def get_base_queryset(self):
        return selectors.sales_line_list()
