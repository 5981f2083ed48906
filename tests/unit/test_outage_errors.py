"""A database failure that is not a bug gets a clear code: `busy` when the pool had no connection
free in time (an overloaded worker), `unavailable` when the database cannot be reached; anything
else is not an outage. Real engines, real failures: nothing is faked."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

from facilitator.errors import outage_error


def failure(fn) -> BaseException:
    with pytest.raises(Exception) as info:
        fn()
    return info.value


def test_an_exhausted_pool_is_busy(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'one.db'}", poolclass=QueuePool, pool_size=1, max_overflow=0,
                              pool_timeout=0.05)
    held = engine.connect()
    try:
        err = outage_error(failure(engine.connect))
    finally:
        held.close()
        engine.dispose()
    assert err is not None and err.code == "busy" and err.status == 503
    assert "busy" in err.message and "Nothing was changed" in err.message


def test_an_unreachable_database_is_unavailable():
    # Port 9 (discard) on loopback has no PostgreSQL: the connection is refused at once.
    engine = sa.create_engine("postgresql+psycopg2://postgres@127.0.0.1:9/none", connect_args={"connect_timeout": 2})
    try:
        err = outage_error(failure(engine.connect))
    finally:
        engine.dispose()
    assert err is not None and err.code == "unavailable" and err.status == 503


def test_other_errors_are_not_outages():
    assert outage_error(ValueError("a bug")) is None
    assert outage_error(sa.exc.IntegrityError("INSERT", {}, Exception("duplicate"))) is None
