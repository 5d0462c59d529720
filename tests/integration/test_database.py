"""The database engines as configured: what each connection gets."""

from __future__ import annotations

from brain.kernel.db import Database
from tests.support.services import require_postgres


async def test_postgresql_connections_keep_500_prepared_statements(migrated_postgres: str) -> None:
    require_postgres()
    for url, expected in (
        (migrated_postgres, 500),
        (f"{migrated_postgres}?prepared_statement_cache_size=20", 20),  # the URL's own wins
    ):
        database = Database(url)
        try:
            async with database.engine.connect() as conn:
                raw = await conn.get_raw_connection()
                cache = raw.dbapi_connection._prepared_statement_cache  # type: ignore[union-attr]
                assert cache.capacity == expected
        finally:
            await database.dispose()
