"""List filters shared by the admins, in the frame's searchable dropdowns."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import DropdownFilter

from channelhub.partners.models import Region


class RegionTreeFilter(DropdownFilter):
    """A sales area, province, city or district, chosen from the tree (indented, searchable);
    the list keeps every row in that region or below it (a prefix match on the region path)."""

    title = _("region")
    parameter_name = "region"
    # The lookup from the listed model to its region's materialised path.
    path_lookup = "region__path"

    def lookups(self, request, model_admin):
        regions = Region.objects.order_by("path").values_list("pk", "path", "name", "name_en")
        english = (get_language() or "").startswith("en")
        # One ideographic space of indent per level below the sales areas ("/EAST/" has two slashes).
        return [
            (str(pk), "\u3000" * (path.count("/") - 2) + ((name_en or name) if english else name))
            for pk, path, name, name_en in regions
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not (value or "").isdigit():
            return queryset
        region = Region.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(**{f"{self.path_lookup}__startswith": region}) if region else queryset.none()
