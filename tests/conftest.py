"""Shared fixtures: a migrated database per dialect, a platform and an HTTP client on it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from brain.bootstrap import Platform, build_platform, create_app, load_platform_settings, metadata
from brain.kernel import migrations
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService
from brain.kernel.config import Settings
from brain.kernel.db import Database
from tests.support.services import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

pytest_plugins = [
    "tests.support.events",
    "tests.support.courses",
    "tests.support.slow_llm",
    "tests.support.payments",
    "tests.support.integrations",
    "tests.support.dashboard",
]

DIALECTS = ["sqlite", "postgres"]


def make_settings(tmp_path: Path | None = None, **overrides: object) -> Settings:
    """Settings for a test: never read the developer's `.env`, keep files under `tmp_path`."""
    values: dict[str, object] = {"_env_file": None}
    if tmp_path is not None:
        values["data_dir"] = tmp_path / "var"
    values.update(overrides)
    return load_platform_settings(**values)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / "brain.db"
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
async def migrated_sqlite(sqlite_url: str) -> str:
    database = Database(sqlite_url)
    await migrations.upgrade(database.engine)
    await database.dispose()
    return sqlite_url


@pytest.fixture(scope="session")
async def migrated_postgres() -> AsyncIterator[str]:
    require_postgres()
    url = await create_postgres_database()
    database = Database(url)
    await migrations.upgrade(database.engine)
    await database.dispose()
    yield url
    await drop_postgres_database(url)


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        require_postgres()
    return str(request.param)


@pytest.fixture
def database_url(dialect: str, request: pytest.FixtureRequest) -> str:
    fixture = "migrated_sqlite" if dialect == "sqlite" else "migrated_postgres"
    return str(request.getfixturevalue(fixture))


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    """In-process CLI runs configure logging onto a stream that closes after them: put the root
    logger back as it was, so later tests do not log into a closed file."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def clear_tables(database: Database) -> None:
    # Reference data the migrations ship (`info={"reference_data": True}`) stays.
    tables = [t for t in reversed(metadata().sorted_tables) if not t.info.get("reference_data")]
    async with database.engine.begin() as conn:
        if database.dialect == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            await conn.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            await conn.execute(text("PRAGMA defer_foreign_keys=ON"))  # self-references
            # Triggers that refuse deletes (append-only logs) are lifted while the tables are
            # emptied, as TRUNCATE on PostgreSQL does not fire them either.
            triggers = (
                await conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type='trigger'"))
            ).all()
            for name, _sql in triggers:
                await conn.execute(text(f'DROP TRIGGER "{name}"'))
            for table in tables:
                await conn.execute(table.delete())
            for _name, sql in triggers:
                await conn.execute(text(sql))


@pytest.fixture
async def platform(database_url: str, tmp_path: Path) -> AsyncIterator[Platform]:
    built = build_platform(make_settings(tmp_path, database_url=database_url))
    yield built
    await clear_tables(built.database)
    await built.close()


@pytest.fixture
async def client(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(platform)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@dataclass(frozen=True)
class TenantKeys:
    """One tenant with a key per role."""

    tenant_id: uuid.UUID
    name: str
    keys: dict[Role, str]
    key_ids: dict[Role, uuid.UUID]

    def auth(self, role: Role = Role.ADMIN) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


async def make_tenant(platform: Platform, name: str) -> TenantKeys:
    keys: dict[Role, str] = {}
    ids: dict[Role, uuid.UUID] = {}
    async with platform.unit_of_work() as uow:
        service = AuthService(uow.session)
        tenant = await service.create_tenant(name)
        for role in Role:
            issued = await service.issue_key(tenant, role)
            keys[role] = issued.plaintext
            ids[role] = issued.key.id
    return TenantKeys(tenant_id=tenant.id, name=name, keys=keys, key_ids=ids)


@pytest.fixture
async def tenant(platform: Platform) -> TenantKeys:
    return await make_tenant(platform, "acme")


@pytest.fixture
async def other_tenant(platform: Platform) -> TenantKeys:
    return await make_tenant(platform, "globex")


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for CLI runs against a fresh SQLite file, isolated from any `.env`."""
    monkeypatch.chdir(tmp_path)
    env = {"BRAIN_DATA_DIR": str(tmp_path / "var")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env
