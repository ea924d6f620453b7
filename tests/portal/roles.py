"""The portal's working pages in the role table: everyone at the partner reads the company and its
contacts; the partner administrator changes them and manages the team."""

from __future__ import annotations

from tests.roles.table import PARTNER, PARTNER_ADMIN, add

add({
    "portal:profile GET": PARTNER,
    "portal:profile_edit GET": PARTNER_ADMIN,
    "portal:contacts GET": PARTNER,
    "portal:contact_add GET": PARTNER_ADMIN,
    "portal:contact_edit GET": PARTNER_ADMIN,
    "portal:contact_delete GET": PARTNER_ADMIN,
    "portal:staff_deactivate GET": PARTNER_ADMIN,
})
