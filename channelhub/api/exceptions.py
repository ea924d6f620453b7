"""Turn domain errors into clear API responses: 400 with field errors, 409 for illegal moves."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from channelhub.tenancy.workflow import IllegalTransition

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        detail = {("non_field_errors" if key == "__all__" else key): value for key, value in detail.items()}
        exc = ValidationError(detail)
    elif isinstance(exc, IllegalTransition):
        return Response(
            {"detail": exc.message, "from_state": exc.from_state, "to_state": exc.to_state},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, PermissionDenied) and exc.args:
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    elif isinstance(exc, DataError):
        # The backstop behind validation: the database refused a value (a number out of its
        # column's range, text it cannot store). The input's fault, so a 400; logged, because
        # a serializer that let it through should learn to say which field.
        logger.warning("Database refused request data: %s", exc)
        set_rollback()
        return Response(
            {"detail": _("A value is out of range or cannot be stored. Check numbers and text.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
