"""Event-stream test support: the three setups, an effects table handlers write to, helpers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, func, insert, select, text

from brain.bootstrap import Platform, build_platform
from brain.events import HandlerContext, SubscriberRegistry
from brain.kernel.db import Database
from tests.support.services import REDIS_URL, require_postgres, require_redis

SETUPS = ["sqlite-sql", "postgres-sql", "postgres-redis"]

effects_metadata = MetaData()
effects = Table(
    "test_effects",
    effects_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscriber", String(100), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("aggregate_id", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("worker", String(100), nullable=True),
)


@dataclass(frozen=True)
class Setup:
    dialect: str
    transport: str

    @classmethod
    def parse(cls, name: str) -> Setup:
        dialect, transport = name.split("-")
        return cls(dialect, transport)


def require_setup(setup: Setup) -> None:
    if setup.dialect == "postgres":
        require_postgres()
    if setup.transport == "redis":
        require_redis()


def stream_settings(
    setup: Setup, database_url: str, tmp_path: Path, stream: str, **overrides: object
) -> dict[str, object]:
    """Settings for a test platform: fast retries and polls, its own Redis stream."""
    values: dict[str, object] = {
        "data_dir": tmp_path / "var",
        "_env_file": None,
        "database_url": database_url,
        "event_transport": setup.transport,
        "redis_url": REDIS_URL,
        "events_stream": stream,
        "events_dead_letter_stream": f"{stream}:dead",
        "events_poll_seconds": 0.05,
        "events_retry_base_seconds": 0.01,
        "events_retry_max_seconds": 0.05,
        "events_claim_idle_seconds": 1.0,
        "events_relay_sweep_seconds": 0.2,
        "events_max_attempts": 3,
    }
    values.update(overrides)
    return values


async def create_effects_table(database: Database) -> None:
    async with database.engine.begin() as conn:
        await conn.run_sync(effects_metadata.create_all)


async def clear_effects(database: Database) -> None:
    async with database.engine.begin() as conn:
        await conn.execute(text("DELETE FROM test_effects"))


async def record_effect(ctx: HandlerContext, subscriber: str, worker: str | None = None) -> None:
    """The effect a test handler has: one row per handled event, written in its transaction."""
    await ctx.session.execute(
        insert(effects).values(
            subscriber=subscriber,
            event_id=ctx.event.id,
            aggregate_id=ctx.event.meta.aggregate_id,
            sequence=ctx.event.meta.sequence,
            worker=worker,
        )
    )


async def effect_counts(database: Database, subscriber: str) -> dict[uuid.UUID, int]:
    async with database.sessionmaker() as session:
        rows = await session.execute(
            select(effects.c.event_id, func.count())
            .where(effects.c.subscriber == subscriber)
            .group_by(effects.c.event_id)
        )
        return {event_id: int(count) for event_id, count in rows.all()}


async def effect_sequences(database: Database, subscriber: str) -> dict[str, list[int]]:
    """Per aggregate, the sequences in the order the handler saw them."""
    async with database.sessionmaker() as session:
        rows = await session.execute(
            select(effects.c.aggregate_id, effects.c.sequence)
            .where(effects.c.subscriber == subscriber)
            .order_by(effects.c.id)
        )
        seen: dict[str, list[int]] = {}
        for aggregate, sequence in rows.all():
            seen.setdefault(aggregate, []).append(sequence)
        return seen


async def delete_stream_keys(stream: str) -> None:
    client = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{stream}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(params=SETUPS)
def setup(request: pytest.FixtureRequest) -> Setup:
    parsed = Setup.parse(str(request.param))
    require_setup(parsed)
    return parsed


@pytest.fixture
def setup_database_url(setup: Setup, request: pytest.FixtureRequest) -> str:
    fixture = "migrated_sqlite" if setup.dialect == "sqlite" else "migrated_postgres"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def stream_name() -> str:
    return f"brain:test:{uuid.uuid4().hex[:10]}:events"


@pytest.fixture
def subscribers() -> SubscriberRegistry:
    return SubscriberRegistry()


@pytest.fixture
async def event_platform(
    setup: Setup,
    setup_database_url: str,
    tmp_path: Path,
    stream_name: str,
    subscribers: SubscriberRegistry,
) -> AsyncIterator[Platform]:
    """A platform on the setup, with the test's own subscriber registry (fill it before use)."""
    from tests.conftest import clear_tables, make_settings

    values = stream_settings(setup, setup_database_url, tmp_path, stream_name)
    platform = build_platform(make_settings(**values), subscribers=subscribers)  # type: ignore[arg-type]
    await create_effects_table(platform.database)
    await platform.events.transport.start()
    yield platform
    await clear_effects(platform.database)
    await clear_tables(platform.database)
    await platform.close()
    if setup.transport == "redis":
        await delete_stream_keys(stream_name)
