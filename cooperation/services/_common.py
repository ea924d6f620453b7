"""Helpers the cooperation services share."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from channelhub import uploads
from channelhub.partners import services as partner_services
from channelhub.tenancy.context import TenantScopeError, current_context, tenant_scope
from channelhub.tenancy.models import Tenant


@contextmanager
def scope(tenant: Tenant | int):
    """Run inside ``tenant``'s scope: enter it when none is set (jobs, tasks), refuse another."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    context = current_context()
    if context is None:
        with tenant_scope(tenant_id, source="cooperation"):
            yield
        return
    if context.tenant_id != tenant_id:
        raise TenantScopeError(f"Writing tenant {tenant_id}'s cooperation data inside tenant {context.tenant_id}.")
    yield


def delete_guarded(instance, *, actor) -> None:
    partner_services.delete_guarded(instance, actor=actor)


def required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def refuse(field: str | None, message: str):
    raise ValidationError({field: message} if field else message)


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file that passed ``channelhub.uploads``: its real content type, its name and size."""

    file: Any
    name: str
    content_type: str
    size: int


def checked_upload(file, *, field: str) -> CheckedUpload:
    """One upload checked by content and size (PDF, JPEG or PNG), or a ``ValidationError`` on ``field``."""
    try:
        content_type = uploads.validate_document_file(file)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return CheckedUpload(file=file, name=str(getattr(file, "name", "") or "file")[-200:], content_type=content_type,
                         size=file.size)


def checked_uploads(files, *, field: str, limit: int | None = None) -> list[CheckedUpload]:
    """Every upload checked before any is stored: at most ``limit`` files, one message per bad file (named).

    A service calls this first and writes rows only afterwards, so a bad third file leaves nothing behind:
    neither rows (the transaction) nor stored files (none was written yet).
    """
    files = [file for file in files or () if file is not None]
    if limit is not None and len(files) > limit:
        raise ValidationError({field: ngettext("Send at most %(limit)d file.", "Send at most %(limit)d files.",
                                               limit) % {"limit": limit}})
    checked, problems = [], []
    for file in files:
        try:
            checked.append(checked_upload(file, field=field))
        except ValidationError as error:
            name = str(getattr(file, "name", "") or "file")[-200:]
            problems += [_("%(name)s: %(problem)s") % {"name": name, "problem": problem}
                         for problem in error.message_dict[field]]
    if problems:
        raise ValidationError({field: problems})
    return checked


__all__ = ["CheckedUpload", "_", "checked_upload", "checked_uploads", "delete_guarded", "refuse", "required_text",
           "scope"]
