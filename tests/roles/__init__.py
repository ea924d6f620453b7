"""The role matrix: every surface (admin pages and actions, API operations, portal pages) and
every state-changing service, as every role, against one declared table (``table.py``).

- ``table.py``: the spec. Who may use each item; role-set shorthands; the harness world's
  approval chain and reviewer; what API keys never do.
- ``surfaces.py``: finds the items (routes via ``channelhub.testing.classified_routes()``,
  actions via ``channelhub.testing.admin_actions()``); a new route or action fails the matrix
  until the table lists it.
- ``perform.py`` / ``setups.py``: act as one actor, read the answer as served or refused; rows
  in a state where a write can take effect.
- ``test_matrix.py``: one test per item. ``test_services.py``: services refuse exactly the roles
  the table refuses. ``test_partner_scope.py``: partner roles reach their own partner only.
"""
