"""Fixtures for tests of real processes and services."""
from __future__ import annotations

import pytest

from ..helpers import scratch_pg_database


@pytest.fixture
def pg_database():
    """A fresh, empty PostgreSQL database for one test (its URL), dropped afterwards."""
    with scratch_pg_database("fac_system") as url:
        yield url
