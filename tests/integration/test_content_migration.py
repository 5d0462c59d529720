"""The move from deployment columns on `course_content` to the deployment table, and back: the
old shape is filled with rows, upgraded, checked, changed, downgraded and checked again — on
SQLite and on PostgreSQL, with plain SQL (no model knows the old shape)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from brain.kernel import migrations
from brain.kernel.db import Database
from tests.support.services import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
DEPLOYED_AT = datetime(2026, 10, 30, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "postgres":
        require_postgres()
        url = await create_postgres_database()
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'transition.db'}"
    db = Database(url)
    yield db
    await db.dispose()
    if request.param == "postgres":
        await drop_postgres_database(url)


def ident(db: Database, value: uuid.UUID) -> object:
    return value.hex if db.dialect == "sqlite" else value


def when(db: Database, value: datetime) -> object:
    return value.replace(tzinfo=None) if db.dialect == "sqlite" else value


async def run(db: Database, statement: str, **params: object) -> list[sa.Row]:
    async with db.engine.begin() as conn:
        result = await conn.execute(sa.text(statement), params)
        return list(result.all()) if result.returns_rows else []


async def test_the_old_columns_move_into_deployments_and_the_downgrade_moves_them_back(
    database: Database,
) -> None:
    db = database
    await migrations.upgrade(db.engine, "0007")
    tenant, course = uuid.uuid4(), uuid.uuid4()
    example, v1, v2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ids = {name: uuid.uuid4() for name in ("assigned", "deployed", "never", "unit", "by_example")}
    await run(
        db,
        "INSERT INTO tenants (id, name, created_at) VALUES (:id, 'acme', :now)",
        id=ident(db, tenant),
        now=when(db, NOW),
    )
    await run(
        db,
        "INSERT INTO example (id, tenant_id, identifier, title, created_at, updated_at) "
        "VALUES (:id, :tenant, 'python.loops', 'Loops', :now, :now)",
        id=ident(db, example),
        tenant=ident(db, tenant),
        now=when(db, NOW),
    )
    for version, number in ((v1, 1), (v2, 2)):
        await run(
            db,
            "INSERT INTO example_version (id, example_id, version_tag, version_number, meta, "
            "files_count, total_bytes, created_at, created_by) VALUES "
            "(:id, :example, :tag, :number, '{}', 1, 1, :now, 'system')",
            id=ident(db, version),
            example=ident(db, example),
            tag=f"v{number}",
            number=number,
            now=when(db, NOW),
        )
    rows = [
        ("assigned", "assignment", v1, example, "pending", None),
        ("deployed", "assignment", v2, example, "deployed", DEPLOYED_AT),
        ("never", "assignment", None, None, None, None),
        ("unit", "unit", v1, example, "deployed", DEPLOYED_AT),  # stale columns on a unit
        ("by_example", "assignment", None, example, "failed", None),
    ]
    for name, kind, version, example_id, status, deployed_at in rows:
        await run(
            db,
            "INSERT INTO course_content (id, tenant_id, course_id, path, kind_id, title, "
            "position, created_at, updated_at, example_id, example_version_id, "
            "deployment_status, deployed_at) VALUES (:id, :tenant, :course, :path, :kind, "
            ":title, 0, :now, :now, :example, :version, :status, :deployed_at)",
            id=ident(db, ids[name]),
            tenant=ident(db, tenant),
            course=ident(db, course),
            path=name,
            title=name,
            kind=kind,
            now=when(db, NOW),
            example=ident(db, example_id) if example_id else None,
            version=ident(db, version) if version else None,
            status=status,
            deployed_at=when(db, deployed_at) if deployed_at else None,
        )

    await migrations.upgrade(db.engine, "0008")
    deployments = {
        row.path: row
        for row in await run(
            db,
            "SELECT c.path, d.id, d.example_version_id, d.deployment_status, d.deployed_at "
            "FROM course_content_deployment d JOIN course_content c "
            "ON c.id = d.course_content_id",
        )
    }
    assert set(deployments) == {"assigned", "deployed", "by_example"}
    assert deployments["assigned"].deployment_status == "pending"
    assert deployments["deployed"].deployment_status == "deployed"
    assert str(deployments["deployed"].deployed_at)[:16] == "2026-10-30 09:30"
    assert deployments["by_example"].deployment_status == "failed"
    assert uuid.UUID(str(deployments["by_example"].example_version_id)) == v2  # the newest
    history = await run(db, "SELECT action, created_by, version_tag FROM deployment_history")
    assert sorted(tuple(h) for h in history) == [
        ("migrated", "system", "v1"),
        ("migrated", "system", "v2"),
        ("migrated", "system", "v2"),
    ]

    # Deployments change after the upgrade: one is unassigned, one released again, a new one.
    await run(
        db,
        "UPDATE course_content_deployment SET deployment_status = 'unassigned', "
        "example_version_id = NULL WHERE id = :id",
        id=ident(db, uuid.UUID(str(deployments["assigned"].id))),
    )
    await run(
        db,
        "UPDATE course_content_deployment SET example_version_id = :v1, "
        "deployment_status = 'deployed', deployed_at = :now WHERE id = :id",
        v1=ident(db, v1),
        now=when(db, NOW),
        id=ident(db, uuid.UUID(str(deployments["deployed"].id))),
    )
    await run(
        db,
        "INSERT INTO course_content_deployment (id, course_content_id, example_version_id, "
        "deployment_status, assigned_at, metadata, created_at, updated_at) VALUES "
        "(:id, :content, :v2, 'pending', :now, '{}', :now, :now)",
        id=ident(db, uuid.uuid4()),
        content=ident(db, ids["never"]),
        v2=ident(db, v2),
        now=when(db, NOW),
    )

    await migrations.downgrade(db.engine, "0007")
    old = {
        row.path: row
        for row in await run(
            db,
            "SELECT path, example_id, example_version_id, deployment_status, deployed_at "
            "FROM course_content",
        )
    }

    def version_of(path: str) -> uuid.UUID | None:
        value = old[path].example_version_id
        return uuid.UUID(str(value)) if value else None

    assert (old["assigned"].deployment_status, version_of("assigned")) == ("unassigned", None)
    assert old["assigned"].example_id is None
    assert (old["deployed"].deployment_status, version_of("deployed")) == ("deployed", v1)
    assert str(old["deployed"].deployed_at)[:16] == "2026-11-01 12:00"
    assert (old["never"].deployment_status, version_of("never")) == ("pending", v2)
    assert uuid.UUID(str(old["never"].example_id)) == example
    assert (old["unit"].deployment_status, version_of("unit")) == ("deployed", v1)  # untouched
    assert (old["by_example"].deployment_status, version_of("by_example")) == ("failed", v2)
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names())
    assert "course_content_deployment" not in tables
    assert "deployment_history" not in tables
