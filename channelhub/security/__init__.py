"""Request hygiene shared by every surface (API, portal, admin, public forms)."""
