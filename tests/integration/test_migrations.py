from pathlib import Path

import pytest
from sqlalchemy import inspect

from brain.bootstrap import metadata
from brain.kernel import migrations
from brain.kernel.db import Database
from tests.support.services import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)


async def table_names(database: Database) -> set[str]:
    async with database.engine.connect() as conn:
        return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))


@pytest.fixture(params=["sqlite", "postgres"])
async def empty_database(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "postgres":
        require_postgres()
        url = await create_postgres_database()
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'migrate.db'}"
    database = Database(url)
    yield database
    await database.dispose()
    if request.param == "postgres":
        await drop_postgres_database(url)


async def test_upgrades_to_head_downgrades_to_base_and_upgrades_again(
    empty_database: Database,
) -> None:
    expected = {table.name for table in metadata().sorted_tables}

    await migrations.upgrade(empty_database.engine)
    assert await migrations.current(empty_database.engine) == migrations.head()
    assert expected <= await table_names(empty_database)

    await migrations.downgrade(empty_database.engine, "base")
    assert await migrations.current(empty_database.engine) is None
    assert await table_names(empty_database) <= {"alembic_version"}

    await migrations.upgrade(empty_database.engine)
    assert expected <= await table_names(empty_database)


async def test_the_migrated_schema_matches_the_models(empty_database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    await migrations.upgrade(empty_database.engine)
    async with empty_database.engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), metadata())
        )
    assert diff == []
