"""Two tenants for every isolation test: A acts, B owns what A must never see or change."""

from __future__ import annotations

import pytest

from channelhub.testing import World, autodiscover, make_world

autodiscover()


@pytest.fixture
def world(db) -> World:
    return make_world()
