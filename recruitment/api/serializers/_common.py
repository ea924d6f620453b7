"""What the recruitment serializers share."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

DOCUMENT_DOWNLOAD_URL_NAME = "recruitment:document-download"


class ReasonMixin(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("reason"))
