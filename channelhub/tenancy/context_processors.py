from .selectors import tenants_of


def tenancy(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_tenant": getattr(request, "tenant", None),
        "current_access": getattr(request, "access", None),
        # Lazy: only pages that render the switcher pay for the query.
        "switchable_tenants": lambda: tenants_of(user),
    }
