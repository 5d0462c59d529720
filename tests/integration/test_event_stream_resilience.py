"""The stream's hard guarantees under real failures: worker processes killed with SIGKILL in the
middle of a batch, Redis stopped while business writes go on, two workers competing for the same
subscriber. Workers are real processes (`tests/support/worker_process.py`); every test gets its own
database (and its own Redis stream) and waits by polling with a deadline, never by sleeping a guess.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import func, select

from brain.bootstrap import Platform, build_platform
from brain.events import Event, HandlerContext, Subscriber, SubscriberRegistry
from brain.events.models import DeadLetter, EventRecord, PendingDelivery, Subscription
from brain.kernel import migrations
from brain.kernel.auth.models import Tenant
from brain.kernel.auth.service import AuthService
from brain.kernel.db import Database
from tests.conftest import make_settings
from tests.support.events import (
    Setup,
    create_effects_table,
    delete_stream_keys,
    effect_counts,
    effect_sequences,
    effects,
    record_effect,
    stream_settings,
)
from tests.support.services import (
    IN_CI,
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

pytestmark = pytest.mark.slow

REQUESTED = "course.distribution.requested"
ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


# -- waiting -------------------------------------------------------------------------------------


async def eventually(
    check: Callable[[], Awaitable[T] | T],
    what: str,
    *,
    within: float = 30.0,
    explain: Callable[[], str] = lambda: "",
) -> T:
    """Poll `check` until it returns something truthy; fail with `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {within}s\n{explain()}")
        await asyncio.sleep(0.05)


# -- a stack: one database (fresh per test), one stream, a platform in the test process ----------


@dataclass
class Stack:
    setup: Setup
    url: str
    values: dict[str, object]
    platform: Platform
    sqlite_path: Path | None

    @property
    def database(self) -> Database:
        return self.platform.database

    def worker_env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BRAIN_", "TEST_"))}
        for key, value in self.values.items():
            if not key.startswith("_"):
                env[f"BRAIN_{key.upper()}"] = str(value)
        env["BRAIN_LOG_LEVEL"] = "WARNING"
        env.update(extra)
        return env

    async def subscribe(self, name: str) -> Subscriber:
        """Create the subscription here, before anything is published: a subscriber starts at the
        end of the log. Its handler lives in the worker processes, never in this one."""

        async def elsewhere(ctx: HandlerContext) -> None:
            raise AssertionError("the test process does not consume")

        subscriber = Subscriber(name, (REQUESTED,), elsewhere)
        await self.platform.events.runtime.ensure_subscription(subscriber)
        return subscriber

    async def handled_count(self, subscriber: str) -> int:
        """How many distinct events have a committed effect (read like `effect_rows`)."""
        if self.sqlite_path is not None:
            [(count,)] = self._sqlite_read(
                "SELECT count(DISTINCT event_id) FROM test_effects WHERE subscriber = ?", subscriber
            )
            return int(count)
        async with self.database.sessionmaker() as session:
            count = await session.scalar(
                select(func.count(effects.c.event_id.distinct())).where(
                    effects.c.subscriber == subscriber
                )
            )
        return int(count or 0)

    async def effect_rows(self, subscriber: str) -> list[tuple[uuid.UUID, str | None]]:
        """(event id, worker) of every committed effect. On SQLite it reads without taking the
        write lock (the platform's connections begin IMMEDIATE, which would wait for a frozen
        worker's open batch)."""
        if self.sqlite_path is not None:
            rows = self._sqlite_read(
                "SELECT event_id, worker FROM test_effects WHERE subscriber = ?", subscriber
            )
            return [(uuid.UUID(str(event_id)), worker) for event_id, worker in rows]
        async with self.database.sessionmaker() as session:
            result = await session.execute(
                select(effects.c.event_id, effects.c.worker).where(
                    effects.c.subscriber == subscriber
                )
            )
            return [(event_id, worker) for event_id, worker in result.all()]

    def _sqlite_read(self, sql: str, *params: object) -> list[Any]:
        assert self.sqlite_path is not None
        conn = sqlite3.connect(self.sqlite_path, timeout=5, isolation_level=None)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    async def lease(self, name: str) -> tuple[str | None, int, int]:
        """The SQL log: (lease owner, subscriber's position, last position in the log)."""
        if self.sqlite_path is not None:
            [row] = self._sqlite_read(
                "SELECT lease_owner, position, (SELECT max(position) FROM events) "
                "FROM event_subscriptions WHERE name = ?",
                name,
            )
            return row[0], int(row[1]), int(row[2] or 0)
        async with self.database.sessionmaker() as session:
            subscription = await session.get(Subscription, name)
            last = await session.scalar(select(func.max(EventRecord.position)))
        assert subscription is not None
        return subscription.lease_owner, subscription.position, int(last or 0)

    async def leftovers(self, subscriber: str) -> tuple[int, int]:
        """(dead letters, pending retries) of `subscriber`."""
        async with self.database.sessionmaker() as session:
            dead = await session.scalar(
                select(func.count())
                .select_from(DeadLetter)
                .where(DeadLetter.subscriber_name == subscriber)
            )
            pending = await session.scalar(
                select(func.count())
                .select_from(PendingDelivery)
                .where(PendingDelivery.subscriber_name == subscriber)
            )
        return int(dead or 0), int(pending or 0)

    async def unacknowledged(self, subscriber: str, consumer: str | None = None) -> list[str]:
        """Redis: the stream message ids in the subscriber group's pending list."""
        assert self.platform.redis is not None
        entries = await self.platform.redis.xpending_range(
            str(self.values["events_stream"]),
            subscriber,
            min="-",
            max="+",
            count=100_000,
            consumername=consumer,
        )
        return [_text(entry["message_id"]) for entry in entries]

    async def events_of_messages(self, message_ids: list[str]) -> set[uuid.UUID]:
        assert self.platform.redis is not None
        found: set[uuid.UUID] = set()
        for message_id in message_ids:
            for _, fields in await self.platform.redis.xrange(
                str(self.values["events_stream"]), min=message_id, max=message_id
            ):
                found.add(Event.from_json(fields[b"event"]).id)
        return found


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def migrated_database(setup: Setup, tmp_path: Path) -> tuple[str, Path | None]:
    if setup.dialect == "sqlite":
        path = tmp_path / "brain.db"
        url = f"sqlite+aiosqlite:///{path}"
    else:
        path, url = None, await create_postgres_database()
    database = Database(url)
    try:
        await migrations.upgrade(database.engine)
    finally:
        await database.dispose()
    return url, path


@pytest.fixture
async def stack(setup: Setup, tmp_path: Path, stream_name: str) -> AsyncIterator[Stack]:
    url, path = await migrated_database(setup, tmp_path)
    values = stream_settings(setup, url, tmp_path, stream_name, events_max_attempts=5)
    platform = build_platform(
        make_settings(**values),  # type: ignore[arg-type]
        subscribers=SubscriberRegistry(),
        consumer_name="test-process",
    )
    try:
        await create_effects_table(platform.database)
        await platform.events.transport.start()
        yield Stack(setup, url, values, platform, path)
    finally:
        await platform.close()
        if setup.dialect == "postgres":
            await drop_postgres_database(url)
        if setup.transport == "redis":
            await delete_stream_keys(stream_name)


# -- worker processes ----------------------------------------------------------------------------


@dataclass
class WorkerProcess:
    name: str
    process: subprocess.Popen[bytes]
    out_path: Path
    err_path: Path
    files: list[IO[bytes]] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def lines(self) -> list[str]:
        text = self.out_path.read_text(errors="replace")
        complete = text if text.endswith("\n") else text.rpartition("\n")[0]
        return complete.splitlines()

    def handled(self) -> set[uuid.UUID]:
        """The events whose effect this worker's handler has written (committed or not)."""
        return {uuid.UUID(line.split()[1]) for line in self.lines() if line.startswith("handled ")}

    def explain(self) -> str:
        err = self.err_path.read_text(errors="replace")[-3000:]
        state = "running" if self.alive() else f"exited with {self.process.returncode}"
        return f"--- worker {self.name} ({state}), stderr tail:\n{err}"

    async def ready(self, within: float = 30.0) -> None:
        def check() -> bool:
            if not self.alive():
                raise AssertionError(f"worker {self.name} died on start\n{self.explain()}")
            return "ready" in self.lines()

        await eventually(check, f"worker {self.name} ready", within=within, explain=self.explain)

    async def stop(self, within: float = 20.0) -> int:
        """SIGTERM, as an orchestrator stops a worker; in-flight batches finish first."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        await eventually(lambda: not self.alive(), f"worker {self.name} stopped", within=within)
        return int(self.process.returncode)

    async def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        await eventually(lambda: not self.alive(), f"worker {self.name} killed", within=10)


class Workers:
    """Starts worker processes and, whatever happens in the test, ends every one it started."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.started: list[WorkerProcess] = []

    def start(
        self,
        stack: Stack,
        subscriber: str,
        worker: str,
        *,
        batch_size: int,
        sleep: float = 0.0,
        fail_every: int = 0,
        start_file: Path | None = None,
    ) -> WorkerProcess:
        out_path = self.tmp_path / f"{worker}.out"
        err_path = self.tmp_path / f"{worker}.err"
        out, err = out_path.open("wb"), err_path.open("wb")
        env = stack.worker_env(
            TEST_SUBSCRIBER=subscriber,
            TEST_WORKER=worker,
            TEST_HANDLER_SLEEP=str(sleep),
            TEST_FAIL_EVERY=str(fail_every),
            BRAIN_EVENTS_BATCH_SIZE=str(batch_size),
            TEST_START_FILE=str(start_file or ""),
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.worker_process"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        started = WorkerProcess(worker, process, out_path, err_path, [out, err])
        self.started.append(started)
        return started

    def explain(self) -> str:
        return "\n".join(worker.explain() for worker in self.started)

    def end_all(self) -> None:
        for worker in self.started:
            if worker.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGKILL)
                worker.process.wait(timeout=10)
            for file in worker.files:
                file.close()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.end_all()


# -- publishing ----------------------------------------------------------------------------------


async def publish_rounds(platform: Platform, aggregates: int, rounds: int) -> list[Event]:
    """`rounds` transactions; each publishes the next event of every aggregate (interleaved)."""
    courses = [str(uuid.uuid4()) for _ in range(aggregates)]
    published: list[Event] = []
    for _ in range(rounds):
        async with platform.unit_of_work() as uow:
            for course in courses:
                published.append(
                    await platform.events.publisher.publish(uow, REQUESTED, {"course_id": course})
                )
    return published


# -- 1. SIGKILL in the middle of a batch ---------------------------------------------------------

KILL_AFTER_COMMITTED = 100
KILL_WITH_UNCOMMITTED = 10


async def freeze_mid_batch(stack: Stack, worker: WorkerProcess, subscriber: str) -> set[uuid.UUID]:
    """Wait until `worker` has committed some effects, then freeze it (SIGSTOP) at a moment when
    its handlers have written effects that are not committed (at least `KILL_WITH_UNCOMMITTED`):
    it is inside a batch. Returns the events it had handled by then, committed or not."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not worker.alive():
            raise AssertionError(f"worker {worker.name} died\n{worker.explain()}")
        committed = {e for e, w in await stack.effect_rows(subscriber) if w == worker.name}
        if (
            len(committed) >= KILL_AFTER_COMMITTED
            and len(worker.handled() - committed) >= KILL_WITH_UNCOMMITTED
        ):
            os.kill(worker.pid, signal.SIGSTOP)
            await asyncio.sleep(0.1)  # a COMMIT the worker sent before freezing lands by now
            committed = {e for e, w in await stack.effect_rows(subscriber) if w == worker.name}
            handled = worker.handled()
            if len(handled - committed) >= KILL_WITH_UNCOMMITTED:
                return handled
            os.kill(worker.pid, signal.SIGCONT)  # it committed meanwhile: try again
        await asyncio.sleep(0.02)
    raise AssertionError(f"never caught {worker.name} inside a batch\n{worker.explain()}")


@pytest.mark.parametrize("setup", ["sqlite-sql", "postgres-sql", "postgres-redis"], indirect=True)
async def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(
    stack: Stack, workers: Workers, tmp_path: Path
) -> None:
    """1,040 events; worker A (batches of 50, slow handler) is SIGKILLed inside a batch; worker B
    takes over (the SQL lease runs out, or XAUTOCLAIM reclaims A's pending entries on Redis).

    SQLite runs this too: the two processes never write at the same time (every transaction
    begins IMMEDIATE and waits for the single writer), and a killed process's lock and
    uncommitted WAL frames die with it.
    """
    name = "resilient"
    await stack.subscribe(name)
    events = await publish_rounds(stack.platform, aggregates=260, rounds=4)
    await stack.platform.events.relay.drain()
    total = len(events)

    a = workers.start(stack, name, "worker-a", batch_size=50, sleep=0.004)
    go_b = tmp_path / "worker-b.go"  # B stands by (started, not consuming) until A is dead
    b = workers.start(stack, name, "worker-b", batch_size=50, start_file=go_b)
    await a.ready()
    handled_by_a = await freeze_mid_batch(stack, a, name)
    if stack.setup.transport == "redis":
        in_flight_messages = await stack.unacknowledged(name, "worker-a")
    else:
        owner, _, _ = await stack.lease(name)
        assert owner == "worker-a"
    await a.kill()

    committed_by_a = {e for e, w in await stack.effect_rows(name) if w == "worker-a"}
    interrupted = handled_by_a - committed_by_a
    assert len(interrupted) >= KILL_WITH_UNCOMMITTED, "A dies with handled, uncommitted events"
    assert len(committed_by_a) < total

    go_b.touch()
    await b.ready()

    async def everything_done() -> bool:
        if await stack.handled_count(name) < total:
            return False
        if stack.setup.transport == "redis":
            return not await stack.unacknowledged(name)
        _, position, last = await stack.lease(name)
        return position == last

    await eventually(everything_done, "B finished the stream", within=60, explain=workers.explain)
    assert await b.stop() == 0, b.explain()

    ids = [e.id for e in events]
    assert await effect_counts(stack.database, name) == dict.fromkeys(ids, 1)
    by_worker = dict(await stack.effect_rows(name))
    assert {by_worker[e] for e in interrupted} == {"worker-b"}
    assert set(by_worker.values()) == {"worker-a", "worker-b"}
    if stack.setup.transport == "redis":
        # the interrupted events were delivered to A and never acknowledged: only XAUTOCLAIM
        # could hand them to B
        assert interrupted <= await stack.events_of_messages(in_flight_messages)
    sequences = await effect_sequences(stack.database, name)
    assert set(map(tuple, sequences.values())) == {(1, 2, 3, 4)}
    assert await stack.leftovers(name) == (0, 0)


# -- 3. per-aggregate order under two concurrent workers -----------------------------------------


@pytest.mark.parametrize("setup", ["sqlite-sql", "postgres-sql", "postgres-redis"], indirect=True)
async def test_two_concurrent_workers_keep_every_aggregates_order(
    stack: Stack, workers: Workers
) -> None:
    """20 aggregates x 15 events, published interleaved while two worker processes consume; a
    fifth of the events fail their first attempt, so later events of their aggregate must wait
    for the retry (whichever worker runs it).

    On the SQL transport one worker at a time holds the subscriber's lease and reads the log,
    while either may run due retries; on Redis both read the group concurrently.
    """
    name = "ordered"
    await stack.subscribe(name)
    a = workers.start(stack, name, "worker-a", batch_size=10, sleep=0.002, fail_every=5)
    b = workers.start(stack, name, "worker-b", batch_size=10, sleep=0.002, fail_every=5)
    await a.ready()
    await b.ready()
    events = await publish_rounds(stack.platform, aggregates=20, rounds=15)

    async def all_handled() -> bool:
        return await stack.handled_count(name) == len(events)

    await eventually(all_handled, "every event handled", within=60, explain=workers.explain)
    assert await a.stop() == 0, a.explain()
    assert await b.stop() == 0, b.explain()

    sequences = await effect_sequences(stack.database, name)
    assert sequences == {e.meta.aggregate_id: list(range(1, 16)) for e in events}
    assert await effect_counts(stack.database, name) == {e.id: 1 for e in events}
    assert await stack.leftovers(name) == (0, 0)
    if stack.setup.transport == "redis":
        assert set(dict(await stack.effect_rows(name)).values()) == {"worker-a", "worker-b"}


# -- 2. Redis stopped while business writes go on ------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A private `redis-server` without persistence: a restart loses the stream and its groups."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.dir = tmp_path / "redis"
        self.dir.mkdir()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _spawn(self) -> subprocess.Popen[bytes]:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.dir)]
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    async def start(self) -> None:
        self.process = self._spawn()

        async def answers() -> bool:
            client = Redis.from_url(self.url)
            try:
                return bool(await client.ping())
            except RedisConnectionError:
                return False
            finally:
                await client.aclose()

        await eventually(answers, f"redis-server on port {self.port}", within=10)

    async def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            process = self.process
            await eventually(lambda: process.poll() is not None, "redis-server stopped", within=10)
        self.process = None


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[RedisServer]:
    if shutil.which("redis-server") is None:
        message = "the redis-server binary is not on PATH"
        if IN_CI:
            pytest.fail(f"{message}; under CI=true its tests must run, not skip")
        pytest.skip(message)
    server = RedisServer(tmp_path)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def outage_platform(
    own_redis: RedisServer, tmp_path: Path, stream_name: str
) -> AsyncIterator[Platform]:
    """PostgreSQL (a fresh database) with the Redis transport on the private redis-server."""
    require_postgres()
    setup = Setup("postgres", "redis")
    url, _ = await migrated_database(setup, tmp_path)
    values = stream_settings(setup, url, tmp_path, stream_name, redis_url=own_redis.url)
    platform = build_platform(make_settings(**values), subscribers=SubscriberRegistry())  # type: ignore[arg-type]
    try:
        await create_effects_table(platform.database)
        await platform.events.transport.start()
        yield platform
    finally:
        await platform.close()
        await drop_postgres_database(url)


async def counting_subscriber(platform: Platform, name: str) -> Subscriber:
    async def handler(ctx: HandlerContext) -> None:
        await record_effect(ctx, name)

    subscriber = platform.events.registry.add(Subscriber(name, (REQUESTED,), handler))
    await platform.events.runtime.ensure_subscription(subscriber)
    return subscriber


async def business_writes(platform: Platform, count: int, prefix: str) -> list[Event]:
    """`count` business transactions (a new tenant each), each publishing an event."""
    published = []
    for index in range(count):
        async with platform.unit_of_work() as uow:
            tenant = await AuthService(uow.session).create_tenant(f"{prefix}-{index}")
            published.append(
                await platform.events.publisher.publish(
                    uow, REQUESTED, {"course_id": str(uuid.uuid4())}, tenant_id=tenant.id
                )
            )
    return published


async def tenants_named(platform: Platform, prefix: str) -> int:
    async with platform.database.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Tenant).where(Tenant.name.like(f"{prefix}-%"))
        )
    return int(count or 0)


async def relay_and_consume_until(
    platform: Platform, subscriber: Subscriber, done: Callable[[], Awaitable[bool]], what: str
) -> None:
    async def step() -> bool:
        await platform.events.relay.drain()
        await platform.events.runtime.drain(subscriber)
        return await done()

    await eventually(step, what, within=20)


OUTAGE_WRITES = 25


async def test_business_writes_go_on_while_redis_is_down_and_every_event_arrives_once(
    outage_platform: Platform, own_redis: RedisServer
) -> None:
    platform = outage_platform
    subscriber = await counting_subscriber(platform, "after_outage")
    before = await business_writes(platform, 3, "before")

    async def counted(expected: int) -> bool:
        return len(await effect_counts(platform.database, subscriber.name)) == expected

    await relay_and_consume_until(platform, subscriber, lambda: counted(3), "before the outage")

    await own_redis.stop()
    during = await business_writes(platform, OUTAGE_WRITES, "during")
    assert await tenants_named(platform, "during") == OUTAGE_WRITES
    with pytest.raises(RedisConnectionError):
        await platform.events.relay.relay_once()
    assert await platform.events.relay.backlog() == OUTAGE_WRITES
    with pytest.raises(RedisConnectionError):
        await platform.events.runtime.poll(subscriber, block=False)
    assert await platform.events.relay.backlog() == OUTAGE_WRITES

    # without persistence the restarted server has neither the stream nor the consumer group:
    # the relay re-creates the stream, the consumer must re-create its group from the start
    await own_redis.start()
    total = len(before) + OUTAGE_WRITES
    await relay_and_consume_until(platform, subscriber, lambda: counted(total), "after restart")
    assert await effect_counts(platform.database, subscriber.name) == {
        e.id: 1 for e in before + during
    }
    assert await platform.events.relay.backlog() == 0


async def test_the_worker_loop_rides_out_a_redis_outage(
    outage_platform: Platform, own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="brain.events.relay")
    platform = outage_platform
    subscriber = await counting_subscriber(platform, "loop_after_outage")

    async def counted(expected: int) -> bool:
        return len(await effect_counts(platform.database, subscriber.name)) == expected

    stop = asyncio.Event()
    worker = asyncio.create_task(platform.events.run(stop))
    try:
        before = await business_writes(platform, 3, "before")
        await eventually(lambda: counted(3), "before the outage")

        await own_redis.stop()
        during = await business_writes(platform, OUTAGE_WRITES, "during")
        assert await tenants_named(platform, "during") == OUTAGE_WRITES

        def relay_failed() -> bool:
            return any("relay failed" in r.getMessage() for r in caplog.records)

        await eventually(relay_failed, "the relay tried and failed", within=10)
        assert await platform.events.relay.backlog() == OUTAGE_WRITES

        await own_redis.start()
        await eventually(lambda: counted(3 + OUTAGE_WRITES), "after restart", within=40)

        async def outbox_empty() -> bool:
            return await platform.events.relay.backlog() == 0

        await eventually(outbox_empty, "outbox empty")
    finally:
        stop.set()
        await asyncio.wait_for(worker, 20)
    assert await effect_counts(platform.database, subscriber.name) == {
        e.id: 1 for e in before + during
    }
