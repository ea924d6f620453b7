"""Public certificate verification: anyone with the code printed on a certificate checks it.

No login. The tenant comes from the URL (``/verify/<tenant-slug>/<code>/``) and the lookup runs
inside its scope, so another tenant's code is simply not found (404). The page shows what a
customer needs to trust the certificate (holder, certification, dates, status, a revocation's
reason) and nothing else about the person.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Tenant

from .. import selectors


@never_cache
@require_GET
def verify(request, tenant_slug: str, code: str):
    tenant = Tenant.objects.filter(slug=tenant_slug, is_active=True).first()
    if tenant is None:
        raise Http404
    with tenant_scope(tenant, source="training.verify"):
        certificate = selectors.certificate_by_code(code)
        if certificate is None:
            raise Http404
        response = render(request, "training/public/verify.html", {
            "tenant": tenant, "certificate": certificate,
            "holder": certificate.holder.get_full_name() or certificate.holder.username,
            "status": certificate.status, "status_display": certificate.get_status_display(),
        })
    response["X-Robots-Tag"] = "noindex"
    return response
