"""The portal's own routes in the isolation harness: the deactivation confirmation names its model."""

from __future__ import annotations

from channelhub.tenancy.models import Membership
from channelhub.testing import register_route_model

# "Deactivate X?" shows one of the partner's own memberships (tests/tenancy/harness.py builds them).
register_route_model("portal:staff_deactivate", Membership)
