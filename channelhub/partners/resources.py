"""Import/export definitions: every row is validated (``full_clean``) and reported with its line."""

from import_export import fields, resources, widgets

from .models import Partner, Product, Region


class PartnerResource(resources.ModelResource):
    region = fields.Field(
        attribute="region", column_name="region_code",
        widget=widgets.ForeignKeyWidget(Region, field="code"),
    )

    class Meta:
        model = Partner
        fields = (
            "id", "legal_name", "short_name", "english_name", "credit_code", "partner_type",
            "status", "region", "address", "registered_capital", "founding_year", "staff_count",
            "website",
        )
        export_order = fields
        import_id_fields = ("credit_code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def get_queryset(self):
        return Partner.objects.select_related("region")


class ProductResource(resources.ModelResource):
    class Meta:
        model = Product
        fields = ("sku", "name", "name_en", "category", "list_price", "is_active", "description")
        import_id_fields = ("sku",)
        clean_model_instances = True
        skip_unchanged = True
