"""The event stream's benchmark, on Redis and PostgreSQL, in one run.

(a) end-to-end throughput: events published through the outbox (100 per transaction), relayed to
    Redis and consumed by a subscriber whose handler makes one INSERT, with the framework's dedup;
    relay and consumer run concurrently (`EventStream.run`), from the first publish to the commit
    of the last effect;
(b) a baseline on the same servers without the framework: pipelined `XADD`, `XREADGROUP`, `XACK`,
    and per batch an asyncpg `INSERT … ON CONFLICT DO NOTHING` into a dedup table plus the same
    effect INSERT, batches of the same size;
(c) the publish overhead: a business write in a unit of work with its outbox event vs without;
(d) commit → handler latency at a steady, moderate rate, one event per transaction, with the
    publisher in the worker's process and in a process of its own.

A staged profile (publish, relay, consume one after the other, with SQL statement counts and the
time spent in Redis) and two per-row baselines show where the time goes.
Everything runs in a fresh database `brain_bench_<random>` and under a Redis key prefix
`brain:bench:<random>:`; both are removed at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiosqlite
import asyncpg
from redis.asyncio import Redis
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    func,
    insert,
    select,
)
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import loop as bench_loop
from brain.bootstrap import Platform, build_platform, load_platform_settings
from brain.events import HandlerContext, Subscriber, SubscriberRegistry
from brain.events.contracts.course_commerce import CourseDistributionRequested
from brain.events.models import ProcessedEvent
from brain.kernel import migrations
from brain.kernel.db import Database

POSTGRES_ADMIN_URL = os.environ.get(
    "BRAIN_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BRAIN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

EVENT_TYPE = "course.distribution.requested"
BATCH = 100
GROUP = "bench"
AIM_RATIO_SET = 0.4
"""(a)/(b): against the set-based hand-written loop."""
AIM_RATIO_PER_EVENT = 1.0
"""(a)/(b2): against the hand-written loop with per-event statements."""
AIM_PUBLISH_OVERHEAD = 1.2
AIM_P99_MS = {100: 50.0, 500: 100.0}
"""(d): p99 commit -> handler below this, at these rates (events/s)."""
BATCH_HANDLERS = hasattr(Subscriber, "batched")
STAGED_BATCHED = BATCH_HANDLERS and not os.environ.get("BRAIN_BENCH_STAGED_PER_EVENT")
"""False when measuring a `src/` from before batch handlers existed (see bench/README.md)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Config:
    events: int
    repeats: int
    overhead_txns: int
    latency_rates: tuple[float, ...]
    latency_seconds: float
    latency_repeats: int


FULL = Config(
    events=5000,
    repeats=3,
    overhead_txns=400,
    latency_rates=(100, 500, 1000),
    latency_seconds=10,
    latency_repeats=3,
)
QUICK = Config(
    events=1000,
    repeats=3,
    overhead_txns=100,
    latency_rates=(100, 500, 1000),
    latency_seconds=2,
    latency_repeats=3,
)

bench_metadata = MetaData()
items = Table(
    "bench_items",
    bench_metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
)
effects = Table(
    "bench_effects",
    bench_metadata,
    # SQLite auto-increments only an INTEGER PRIMARY KEY
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("course_id", Uuid, nullable=False),
)
dedup = Table(
    "bench_dedup",
    bench_metadata,
    Column("subscriber", String(100), primary_key=True),
    Column("event_id", Uuid, primary_key=True),
)


def make_platform(url: str, stream: str, registry: SubscriberRegistry | None = None) -> Platform:
    """A platform as production runs it on Redis, with the default settings but the stream."""
    settings = load_platform_settings(
        _env_file=None,
        database_url=url,
        event_transport="redis",
        redis_url=REDIS_URL,
        events_stream=stream,
        events_dead_letter_stream=f"{stream}:dead",
        events_batch_size=BATCH,
    )
    return build_platform(settings, subscribers=registry or SubscriberRegistry())


# -- servers ---------------------------------------------------------------------------------


class Servers:
    """A fresh, migrated database and a Redis key prefix of this run; both removed on exit."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:10]
        self.database_name = f"brain_bench_{tag}"
        self.prefix = f"brain:bench:{tag}"
        parts = urlsplit(POSTGRES_ADMIN_URL)
        self.dsn = parts._replace(path=f"/{self.database_name}").geturl()
        self.url = parts._replace(
            scheme="postgresql+asyncpg", path=f"/{self.database_name}"
        ).geturl()
        self.redis = Redis.from_url(REDIS_URL)
        self._platforms: list[Platform] = []

    async def __aenter__(self) -> Servers:
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await admin.execute(f'CREATE DATABASE "{self.database_name}"')
        finally:
            await admin.close()
        database = Database(self.url)
        try:
            await migrations.upgrade(database.engine)
            async with database.engine.begin() as conn:
                await conn.run_sync(bench_metadata.create_all)
        finally:
            await database.dispose()
        return self

    async def __aexit__(self, *_: object) -> None:
        for platform in self._platforms:
            with contextlib.suppress(Exception):
                await platform.close()
        with contextlib.suppress(Exception):
            keys = [key async for key in self.redis.scan_iter(match=f"{self.prefix}:*")]
            if keys:
                await self.redis.delete(*keys)
        await self.redis.aclose()
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        finally:
            await admin.close()

    def platform(self, name: str, registry: SubscriberRegistry | None = None) -> Platform:
        """A platform on this run's database, with its own stream `<prefix>:<name>`."""
        platform = make_platform(self.url, f"{self.prefix}:{name}", registry)
        self._platforms.append(platform)
        return platform

    async def release(self, platform: Platform) -> None:
        await platform.close()
        self._platforms.remove(platform)

    async def describe(self) -> dict[str, str]:
        conn = await asyncpg.connect(self.dsn)
        try:
            postgres = str(await conn.fetchval("SHOW server_version"))
            sync = str(await conn.fetchval("SHOW synchronous_commit"))
        finally:
            await conn.close()
        info = await self.redis.info("server")
        background = await background_load(1.0)
        return {
            "background": "unknown" if background is None else f"{background:.0%}",
            "python": sys.version.split()[0],
            "postgresql": f"{postgres} (synchronous_commit={sync})",
            "redis": str(info.get("redis_version")),
            "cpus": str(os.cpu_count()),
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
        }


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Stage:
    """Wall time, this process's CPU time and the database round trips of one stage."""

    seconds: float = 0.0
    cpu: float = 0.0
    statements: int = 0
    checkouts: int = 0
    timers: dict[str, float] = field(default_factory=dict)
    machine_busy: float | None = None
    """Share of the machine's CPU time (all cores, every process) that was not idle."""


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) CPU ticks of the machine since boot, from /proc/stat (Linux)."""
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return None
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


class Meter:
    """Counts what an engine sends: statements (incl. SAVEPOINT/RELEASE), BEGIN and COMMIT, and
    pool checkouts (each one pings the server: `pool_pre_ping`)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.statements = 0
        self.checkouts = 0
        self.timers: dict[str, float] = {}
        sync = engine.sync_engine
        sa_event.listen(sync, "before_cursor_execute", self._statement)
        sa_event.listen(sync, "begin", self._statement)
        sa_event.listen(sync, "commit", self._statement)
        sa_event.listen(sync.pool, "checkout", self._checkout)

    def _statement(self, *_: Any) -> None:
        self.statements += 1

    def _checkout(self, *_: Any) -> None:
        self.checkouts += 1

    def timed(
        self, name: str, function: Callable[..., Awaitable[T]]
    ) -> Callable[..., Awaitable[T]]:
        """`function`, adding the time spent awaiting it to timer `name`."""

        async def wrapper(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.timers[name] = self.timers.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    @contextlib.contextmanager
    def stage(self) -> Iterator[Stage]:
        stage = Stage()
        statements, checkouts, timers = self.statements, self.checkouts, dict(self.timers)
        cpu, wall, ticks = time.process_time(), time.perf_counter(), cpu_ticks()
        try:
            yield stage
        finally:
            after = cpu_ticks()
            if ticks and after and after[1] > ticks[1]:
                stage.machine_busy = (after[0] - ticks[0]) / (after[1] - ticks[1])
            stage.seconds = time.perf_counter() - wall
            stage.cpu = time.process_time() - cpu
            stage.statements = self.statements - statements
            stage.checkouts = self.checkouts - checkouts
            stage.timers = {k: v - timers.get(k, 0.0) for k, v in self.timers.items()}


class Tracker:
    """Counts handler transactions that committed; notes the time the expected count is reached."""

    def __init__(self) -> None:
        self.expect(0)

    def expect(self, count: int) -> None:
        self.expected = count
        self.count = 0
        self.last = 0.0
        self.done = asyncio.Event()

    def committed(self, count: int = 1) -> None:
        self.count += count
        if self.count >= self.expected and not self.done.is_set():
            self.last = time.perf_counter()
            self.done.set()

    async def wait(self, worker: asyncio.Task[None], limit: float) -> None:
        waiter = asyncio.create_task(self.done.wait())
        finished, _ = await asyncio.wait(
            {waiter, worker}, timeout=limit, return_when=asyncio.FIRST_COMPLETED
        )
        waiter.cancel()
        if worker in finished:
            worker.result()
            raise RuntimeError("the event stream stopped before every event was handled")
        if not self.done.is_set():
            raise RuntimeError(f"only {self.count} of {self.expected} events handled in {limit}s")


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100), interpolated between the closest ranks."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def new_course() -> dict[str, str]:
    return {"course_id": str(uuid.uuid4())}


async def publish_batches(platform: Platform, count: int) -> None:
    """Publish `count` events, BATCH per unit of work, as modules do: payload objects."""
    publisher = platform.events.publisher
    for start in range(0, count, BATCH):
        async with platform.unit_of_work() as uow:
            for _ in range(min(BATCH, count - start)):
                await publisher.publish(uow, CourseDistributionRequested(course_id=uuid.uuid4()))


async def record_effect(ctx: HandlerContext) -> None:
    """The handler's business write: one small row."""
    await ctx.session.execute(
        insert(effects).values(
            event_id=ctx.event.id, course_id=uuid.UUID(ctx.event.payload["course_id"])
        )
    )


async def record_effects(contexts: Sequence[HandlerContext]) -> None:
    """The batch handler's business write: the same rows, in one executemany (SQLAlchemy
    sends it as one multi-row INSERT on SQLite, and asyncpg pipelines it on PostgreSQL)."""
    await contexts[0].session.execute(
        insert(effects),
        [{"event_id": c.event.id, "course_id": c.payload.course_id} for c in contexts],
    )


def effect_subscriber(
    name: str,
    batched: bool,
    before: Callable[[Sequence[HandlerContext]], None] | None = None,
) -> Subscriber:
    """A subscriber making the benchmark's effect, with a batch handler or one per event;
    `before` sees the contexts first (to count or time them)."""
    if batched:

        async def many(contexts: Sequence[HandlerContext]) -> None:
            if before is not None:
                before(contexts)
            await record_effects(contexts)

        return Subscriber.batched(name, (EVENT_TYPE,), many)

    async def one(ctx: HandlerContext) -> None:
        if before is not None:
            before([ctx])
        await record_effect(ctx)

    return Subscriber(name, (EVENT_TYPE,), one)


def counted(tracker: Tracker) -> Callable[[Sequence[HandlerContext]], None]:
    def count(contexts: Sequence[HandlerContext]) -> None:
        n = len(contexts)
        contexts[0].uow.on_commit(lambda: tracker.committed(n))

    return count


async def processed_count(platform: Platform, subscriber: str) -> int:
    async with platform.database.sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ProcessedEvent)
            .where(ProcessedEvent.subscriber_name == subscriber)
        )
    return int(count or 0)


async def stop_worker(stop: asyncio.Event, worker: asyncio.Task[None]) -> None:
    """Stop the event stream. Everything measured has committed by now, so instead of waiting
    up to a poll interval (1 s) for the blocked `XREADGROUP` to return, cancel after a moment."""
    stop.set()
    finished, _ = await asyncio.wait({worker}, timeout=0.1)
    if finished:
        worker.result()
        return
    worker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await worker


# -- (a) end to end --------------------------------------------------------------------------


async def end_to_end(
    servers: Servers, count: int, rep: int, *, batched: bool = True
) -> dict[str, float]:
    """Publish `count` events while relay and consumer run; events/s up to the last effect."""
    tracker = Tracker()
    registry = SubscriberRegistry()
    kind = "many" if batched else "one"
    subscriber = registry.add(
        effect_subscriber(f"bench_e2e_{kind}_{rep}", batched, counted(tracker))
    )
    platform = servers.platform(f"e2e{kind}{rep}", registry)
    try:
        return await _end_to_end(platform, subscriber, tracker, count)
    finally:
        await servers.release(platform)


async def _end_to_end(
    platform: Platform, subscriber: Subscriber, tracker: Tracker, count: int
) -> dict[str, float]:
    stream = platform.events
    await stream.transport.start()
    await stream.runtime.ensure_subscription(subscriber)
    stop = asyncio.Event()
    worker = asyncio.create_task(stream.run(stop), name="bench-event-stream")
    try:
        tracker.expect(BATCH)  # warm-up: connections, LISTEN, prepared statements
        await publish_batches(platform, BATCH)
        await tracker.wait(worker, 60)
        tracker.expect(count)
        started = time.perf_counter()
        await publish_batches(platform, count)
        published = time.perf_counter()
        await tracker.wait(worker, max(60.0, count / 20))
    finally:
        await stop_worker(stop, worker)
    handled = await processed_count(platform, subscriber.name)
    if handled != count + BATCH:
        raise RuntimeError(f"{handled} dedup rows for {count + BATCH} events")
    seconds = tracker.last - started
    return {
        "events_per_s": count / seconds,
        "seconds": seconds,
        "publish_seconds": published - started,
    }


async def staged(servers: Servers, count: int, rep: int, profiler: Any = None) -> dict[str, Stage]:
    """Publish, relay and consume `count` events one stage after the other (the profile);
    `profiler`: a pyinstrument `Profiler` to run over the three stages."""
    registry = SubscriberRegistry()
    subscriber = registry.add(effect_subscriber(f"bench_staged_{rep}", STAGED_BATCHED))
    platform = servers.platform(f"staged{rep}", registry)
    stream = platform.events
    meter = Meter(platform.database.engine)
    # Instrumentation of this process's instances only: time spent awaiting Redis, and the
    # consumer's claim of the batch's dedup rows.
    transport: Any = stream.transport
    runtime: Any = stream.runtime
    transport.publish = meter.timed("redis", transport.publish)
    transport.fetch = meter.timed("redis", transport.fetch)
    transport.ack = meter.timed("redis", transport.ack)
    if hasattr(runtime, "_claim_all"):
        runtime._claim_all = meter.timed("claim", runtime._claim_all)
    await stream.transport.start()
    await stream.runtime.ensure_subscription(subscriber)
    await publish_batches(platform, BATCH)  # warm-up
    await stream.relay.drain()
    await stream.runtime.drain(subscriber)
    if profiler is not None:
        profiler.start()
    with meter.stage() as publish:
        await publish_batches(platform, count)
    with meter.stage() as relay:
        relayed = await stream.relay.drain()
    with meter.stage() as consume:
        consumed = await stream.runtime.drain(subscriber)
    if profiler is not None:
        profiler.stop()
    await servers.release(platform)
    if relayed != count or consumed != count:
        raise RuntimeError(f"relayed {relayed}, consumed {consumed} of {count}")
    return {"publish": publish, "relay": relay, "consume": consume}


# -- (b) baseline ----------------------------------------------------------------------------

BASELINE_SQL = {
    "claim_set": (
        "INSERT INTO bench_dedup (subscriber, event_id) SELECT $1, unnest($2::uuid[]) "
        "ON CONFLICT DO NOTHING RETURNING event_id"
    ),
    "effect_set": (
        "INSERT INTO bench_effects (event_id, course_id) "
        "SELECT * FROM unnest($1::uuid[], $2::uuid[])"
    ),
    "claim_row": (
        "INSERT INTO bench_dedup (subscriber, event_id) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING RETURNING event_id"
    ),
    "effect_row": "INSERT INTO bench_effects (event_id, course_id) VALUES ($1, $2)",
}


def envelope() -> str:
    """An event envelope like the framework's, as JSON (the same bytes travel on the stream)."""
    course = str(uuid.uuid4())
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "type": EVENT_TYPE,
            "source": "course_factory",
            "target": None,
            "timestamp": datetime.now(UTC).isoformat(),
            "payload": {"course_id": course},
            "meta": {
                "schema_version": 1,
                "producer": "course_factory_service",
                "source_module": "course_factory",
                "tenant_id": None,
                "correlation_id": str(uuid.uuid4()),
                "causation_id": None,
                "aggregate_id": course,
                "sequence": 1,
            },
        }
    )


async def baseline(servers: Servers, count: int, rep: int, mode: str = "set") -> dict[str, float]:
    """The same work without the framework. `mode`: "set" = two set-based statements per batch
    (the baseline); "row" = two statements per event; "savepoint" = the framework's shape, a
    savepoint around the two statements of each event."""
    stream = f"{servers.prefix}:baseline-{mode}{rep}"
    subscriber = f"baseline_{mode}_{rep}"
    redis = Redis.from_url(REDIS_URL)
    conn = await asyncpg.connect(servers.dsn)
    try:
        await redis.xgroup_create(stream, GROUP, id="$", mkstream=True)

        async def produce(total: int) -> None:
            for start in range(0, total, BATCH):
                async with redis.pipeline(transaction=False) as pipe:
                    for _ in range(min(BATCH, total - start)):
                        pipe.xadd(
                            stream,
                            {"event": envelope(), "type": EVENT_TYPE},
                            maxlen=1_000_000,
                            approximate=True,
                        )
                    await pipe.execute()

        async def store(events: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
            if mode == "set":
                claimed = {
                    row[0]
                    for row in await conn.fetch(
                        BASELINE_SQL["claim_set"], subscriber, [e for e, _ in events]
                    )
                }
                fresh = [(e, c) for e, c in events if e in claimed]
                await conn.execute(
                    BASELINE_SQL["effect_set"], [e for e, _ in fresh], [c for _, c in fresh]
                )
                return
            for event_id, course_id in events:
                if mode == "savepoint":
                    async with conn.transaction():
                        if await conn.fetchval(BASELINE_SQL["claim_row"], subscriber, event_id):
                            await conn.execute(BASELINE_SQL["effect_row"], event_id, course_id)
                elif await conn.fetchval(BASELINE_SQL["claim_row"], subscriber, event_id):
                    await conn.execute(BASELINE_SQL["effect_row"], event_id, course_id)

        async def consume(total: int) -> float:
            done = 0
            while done < total:
                response = await redis.xreadgroup(
                    GROUP, "worker", {stream: ">"}, count=BATCH, block=1000
                )
                for _stream, messages in response or []:
                    ids = [message_id for message_id, _ in messages]
                    events = []
                    for _, fields in messages:
                        body = json.loads(fields[b"event"])
                        events.append(
                            (uuid.UUID(body["id"]), uuid.UUID(body["payload"]["course_id"]))
                        )
                    async with conn.transaction():
                        await store(events)
                    await redis.xack(stream, GROUP, *ids)
                    done += len(ids)
            return time.perf_counter()

        await asyncio.gather(produce(BATCH), consume(BATCH))  # warm-up
        started = time.perf_counter()
        _, finished = await asyncio.gather(produce(count), consume(count))
        handled = await conn.fetchval(
            "SELECT count(*) FROM bench_dedup WHERE subscriber = $1", subscriber
        )
        if handled != count + BATCH:
            raise RuntimeError(f"baseline: {handled} dedup rows for {count + BATCH} events")
    finally:
        await conn.close()
        await redis.aclose()
    seconds = finished - started
    return {"events_per_s": count / seconds, "seconds": seconds}


# -- (c) publish overhead --------------------------------------------------------------------


async def publish_overhead(servers: Servers, transactions: int, rep: int) -> dict[str, float]:
    """Median latency of a business write in a unit of work, without and with its event
    (alternating, so that drift hits both alike), and the statements each sends."""
    platform = servers.platform(f"overhead{rep}")
    publisher = platform.events.publisher
    meter = Meter(platform.database.engine)

    in_publish: list[float] = []

    async def write(with_event: bool) -> float:
        started = time.perf_counter()
        async with platform.unit_of_work() as uow:
            item_id = uuid.uuid4()
            await uow.session.execute(insert(items).values(id=item_id, name="bench item"))
            if with_event:
                called = time.perf_counter()
                await publisher.publish(uow, CourseDistributionRequested(course_id=item_id))
                in_publish.append(time.perf_counter() - called)
        return time.perf_counter() - started

    for _ in range(20):  # warm-up
        await write(False)
        await write(True)
    in_publish.clear()
    plain: list[float] = []
    evented: list[float] = []
    for i in range(transactions):
        for with_event in (False, True) if i % 2 == 0 else (True, False):
            (evented if with_event else plain).append(await write(with_event))
    with meter.stage() as plain_stage:
        await write(False)
    with meter.stage() as event_stage:
        await write(True)
    await servers.release(platform)
    return {
        "plain_ms": median(plain) * 1000,
        "event_ms": median(evented) * 1000,
        "ratio": median(evented) / median(plain),
        "in_publish_ms": median(in_publish) * 1000,
        "plain_statements": plain_stage.statements + plain_stage.checkouts,
        "event_statements": event_stage.statements + event_stage.checkouts,
    }


OUTBOX_ROW_SQL = (
    "INSERT INTO events (id, type, source, target, timestamp, schema_version, producer, "
    "source_module, tenant_id, correlation_id, causation_id, aggregate_id, payload, sequence) "
    "VALUES ($1, $2, 'bench', NULL, now(), 1, 'bench', 'bench', NULL, $3, NULL, $4, $5, 1)"
)


async def publish_overhead_by_hand(
    servers: Servers, transactions: int, rep: int
) -> dict[str, float]:
    """(c)'s floor: the same business write by hand with asyncpg (BEGIN, INSERT, COMMIT), alone
    and with the one statement an outbox needs at least (a plain INSERT of the event's row), on
    the same database, alternating. No framework can add its event for less than this."""
    conn = await asyncpg.connect(servers.dsn)
    item_sql = "INSERT INTO bench_items (id, name) VALUES ($1, 'bench item')"

    async def write(with_event: bool) -> float:
        started = time.perf_counter()
        async with conn.transaction():
            item_id = uuid.uuid4()
            await conn.execute(item_sql, item_id)
            if with_event:
                await conn.execute(
                    OUTBOX_ROW_SQL,
                    uuid.uuid4(),
                    EVENT_TYPE,
                    uuid.uuid4(),
                    f"bench-{rep}-{item_id}",
                    json.dumps({"course_id": str(item_id)}),
                )
        return time.perf_counter() - started

    try:
        for _ in range(20):  # warm-up
            await write(False)
            await write(True)
        plain: list[float] = []
        evented: list[float] = []
        for i in range(transactions):
            for with_event in (False, True) if i % 2 == 0 else (True, False):
                (evented if with_event else plain).append(await write(with_event))
    finally:
        await conn.close()
    return {
        "plain_ms": median(plain) * 1000,
        "event_ms": median(evented) * 1000,
        "ratio": median(evented) / median(plain),
    }


# -- (d) commit → handler latency ------------------------------------------------------------


async def background_load(seconds: float) -> float | None:
    """How busy the machine's CPUs are while this benchmark does nothing (other work on it)."""
    before = cpu_ticks()
    await asyncio.sleep(seconds)
    after = cpu_ticks()
    if before is None or after is None or after[1] <= before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


async def publish_paced(
    platform: Platform, rate: float, seconds: float
) -> tuple[dict[uuid.UUID, float], float]:
    """Publish one event per unit of work, `rate` per second (open loop: each in its own task,
    so that a slow commit does not delay the next, at most `IN_FLIGHT` at once: a publisher that
    cannot keep up falls behind instead of running out of connections); per event the time its
    unit of work exited, and the rate achieved."""
    publisher = platform.events.publisher
    committed: dict[uuid.UUID, float] = {}
    in_flight = asyncio.Semaphore(IN_FLIGHT)

    async def publish_one() -> None:
        async with in_flight:
            async with platform.unit_of_work() as uow:
                event = await publisher.publish(
                    uow, CourseDistributionRequested(course_id=uuid.uuid4())
                )
            committed[event.id] = time.perf_counter()

    total = round(rate * seconds)
    tasks: list[asyncio.Task[None]] = []
    started = time.perf_counter()
    for k in range(total):
        delay = started + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(publish_one()))
    await asyncio.gather(*tasks)
    return committed, total / (time.perf_counter() - started)


IN_FLIGHT = 16
"""Units of work one publisher process has open at once (its pool holds 20 connections)."""
RATE_PER_PUBLISHER = 500.0
"""Events/s one publisher process is asked for; higher rates get more processes, as more API
processes would publish them."""


class Publishers:
    """Publisher processes, as many as a rate needs (`RATE_PER_PUBLISHER` each)."""

    def __init__(self, url: str, stream: str) -> None:
        self.url = url
        self.stream = stream
        self.started: list[RemotePublisher] = []

    async def __aenter__(self) -> Publishers:
        return self

    async def __aexit__(self, *_: object) -> None:
        for publisher in self.started:
            await publisher.__aexit__()

    async def publish(self, rate: float, seconds: float) -> tuple[dict[uuid.UUID, float], float]:
        count = max(1, int(-(-rate // RATE_PER_PUBLISHER)))
        while len(self.started) < count:
            remote = RemotePublisher(self.url, f"{self.stream}:{len(self.started)}")
            self.started.append(await remote.__aenter__())
        answers = await asyncio.gather(
            *(p.publish(rate / count, seconds) for p in self.started[:count])
        )
        committed = {k: v for answer, _ in answers for k, v in answer.items()}
        return committed, sum(achieved for _, achieved in answers)


class RemotePublisher:
    """`publish_paced` in a separate Python process (as the API and the worker are deployed).
    Its times are `time.perf_counter()` too: CLOCK_MONOTONIC on Linux, one clock for every
    process of the machine."""

    def __init__(self, url: str, stream: str) -> None:
        self.url = url
        self.stream = stream

    async def __aenter__(self) -> RemotePublisher:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.events",
            "publisher",
            self.url,
            self.stream,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
            limit=1 << 24,
        )
        await self._answer()
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()

    async def _answer(self) -> Any:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the publisher process exited ({await self.process.wait()})")
        return json.loads(line)

    async def publish(self, rate: float, seconds: float) -> tuple[dict[uuid.UUID, float], float]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"rate": rate, "seconds": seconds}).encode() + b"\n")
        await self.process.stdin.drain()
        answer = await self._answer()
        committed = {uuid.UUID(key): at for key, at in answer["committed"].items()}
        return committed, float(answer["rate"])


async def serve_publisher(url: str, stream: str) -> None:
    """The separate process of `RemotePublisher`: one JSON line in, one JSON line out."""
    platform = make_platform(url, stream)
    loop = asyncio.get_running_loop()
    try:
        await publish_paced(platform, 100, 0.2)  # warm-up
        print(json.dumps("ready"), flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            order = json.loads(line)
            committed, rate = await publish_paced(platform, order["rate"], order["seconds"])
            answer = {"committed": {str(k): v for k, v in committed.items()}, "rate": rate}
            print(json.dumps(answer), flush=True)
    finally:
        await platform.close()


async def commit_to_handler(
    servers: Servers, rate: float, seconds: float, tag: str, remote: Publishers | None
) -> dict[str, Any]:
    """Publish one event per transaction at `rate`/s while the worker runs (in this process, or
    in `remote`); per event the time from its unit of work's exit to its handler's start, in ms."""
    handled: dict[uuid.UUID, float] = {}

    def seen(contexts: Sequence[HandlerContext]) -> None:
        now = time.perf_counter()
        for ctx in contexts:
            handled.setdefault(ctx.event.id, now)

    where = "remote" if remote else "local"
    registry = SubscriberRegistry()
    subscriber = registry.add(
        effect_subscriber(f"bench_latency_{where}{tag}", BATCH_HANDLERS, seen)
    )
    platform = servers.platform(f"latency-{where}{tag}", registry)
    stream = platform.events
    meter = Meter(platform.database.engine)

    async def all_handled(committed: dict[uuid.UUID, float], limit: float) -> None:
        deadline = time.perf_counter() + limit
        while any(event_id not in handled for event_id in committed):
            if worker.done():
                worker.result()
                raise RuntimeError("the event stream stopped")
            if time.perf_counter() > deadline:
                raise RuntimeError("not every event was handled in time")
            await asyncio.sleep(0.01)

    background = await background_load(0.5)
    await stream.transport.start()
    await stream.runtime.ensure_subscription(subscriber)
    stop = asyncio.Event()
    worker = asyncio.create_task(stream.run(stop), name="bench-event-stream")
    try:
        warm, _ = await publish_paced(platform, 100, 0.2)
        await all_handled(warm, 30)
        with meter.stage() as window:
            if remote is None:
                committed, achieved = await publish_paced(platform, rate, seconds)
            else:
                committed, achieved = await remote.publish(rate, seconds)
            await all_handled(committed, 60)
    finally:
        await stop_worker(stop, worker)
    await servers.release(platform)
    latencies = [(handled[event_id] - at) * 1000 for event_id, at in committed.items()]
    return {
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
        "rate": achieved,
        "samples": latencies,
        "cpu_share": window.cpu / window.seconds,
        "machine_busy": window.machine_busy,
        "background_busy": background,
        "statements_per_event": (window.statements + window.checkouts) / len(committed),
    }


# -- the embedded default: SQLite + SQL log ----------------------------------------------------


def sqlite_platform(path: Path, registry: SubscriberRegistry) -> Platform:
    settings = load_platform_settings(
        _env_file=None,
        data_dir=path.parent,
        database_url=f"sqlite+aiosqlite:///{path}",
        event_transport="sql",
        events_batch_size=BATCH,
    )
    return build_platform(settings, subscribers=registry)


async def sqlite_end_to_end(directory: Path, count: int, rep: int) -> dict[str, float]:
    """(a) on the embedded default: a fresh SQLite file, the SQL log, the same subscriber."""
    path = directory / f"e2e{rep}.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await migrations.upgrade(database.engine)
        async with database.engine.begin() as conn:
            await conn.run_sync(bench_metadata.create_all)
    finally:
        await database.dispose()
    tracker = Tracker()
    registry = SubscriberRegistry()
    subscriber = registry.add(
        effect_subscriber(f"bench_sqlite_{rep}", BATCH_HANDLERS, counted(tracker))
    )
    platform = sqlite_platform(path, registry)
    try:
        return await _end_to_end(platform, subscriber, tracker, count)
    finally:
        await platform.close()


SQLITE_BASELINE_SCHEMA = [
    "CREATE TABLE log (id INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE TABLE dedup (subscriber TEXT NOT NULL, event_id TEXT NOT NULL,"
    " PRIMARY KEY (subscriber, event_id))",
    "CREATE TABLE effects (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL,"
    " course_id TEXT NOT NULL)",
    "CREATE TABLE positions (subscriber TEXT PRIMARY KEY, position INTEGER NOT NULL)",
]


async def sqlite_baseline(directory: Path, count: int, rep: int) -> dict[str, float]:
    """The same work with bare aiosqlite: a producer appends envelopes to a log table, 100 per
    transaction; a consumer reads the log by position, 100 at a time, and per batch claims the
    dedup rows in one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`, writes the effects
    in one multi-row INSERT and moves its position, in one transaction; the platform's pragmas
    and `BEGIN IMMEDIATE`."""
    path = directory / f"baseline{rep}.db"
    producer = await aiosqlite.connect(path, isolation_level=None)
    consumer = await aiosqlite.connect(path, isolation_level=None)
    appended = asyncio.Event()
    try:
        for conn in (producer, consumer):
            for pragma in ("journal_mode=WAL", "busy_timeout=30000", "synchronous=NORMAL"):
                await conn.execute(f"PRAGMA {pragma}")
        for statement in SQLITE_BASELINE_SCHEMA:
            await producer.execute(statement)
        await producer.execute("INSERT INTO positions VALUES ('bare', 0)")

        async def produce(total: int) -> None:
            for start in range(0, total, BATCH):
                rows = [(EVENT_TYPE, envelope()) for _ in range(min(BATCH, total - start))]
                await producer.execute("BEGIN IMMEDIATE")
                await producer.executemany("INSERT INTO log (type, body) VALUES (?, ?)", rows)
                await producer.execute("COMMIT")
                appended.set()

        async def consume(total: int) -> float:
            done = 0
            while done < total:
                appended.clear()
                await consumer.execute("BEGIN IMMEDIATE")
                async with consumer.execute(
                    "SELECT id, body FROM log WHERE type = ? AND id > "
                    "(SELECT position FROM positions WHERE subscriber = 'bare') "
                    "ORDER BY id LIMIT ?",
                    (EVENT_TYPE, BATCH),
                ) as cursor:
                    rows = list(await cursor.fetchall())
                if not rows:
                    await consumer.execute("COMMIT")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(appended.wait(), 1.0)
                    continue
                bodies = [json.loads(body) for _, body in rows]
                # only placeholders are joined into the statements' text
                claim = "INSERT INTO dedup VALUES " + ", ".join(["('bare', ?)"] * len(rows))  # noqa: S608
                async with consumer.execute(
                    claim + " ON CONFLICT DO NOTHING RETURNING event_id",
                    [b["id"] for b in bodies],
                ) as cursor:
                    claimed = {row[0] for row in await cursor.fetchall()}
                fresh = [b for b in bodies if b["id"] in claimed]
                if fresh:
                    await consumer.execute(
                        "INSERT INTO effects (event_id, course_id) VALUES "  # noqa: S608
                        + ", ".join(["(?, ?)"] * len(fresh)),
                        [v for b in fresh for v in (b["id"], b["payload"]["course_id"])],
                    )
                await consumer.execute(
                    "UPDATE positions SET position = ? WHERE subscriber = 'bare'", (rows[-1][0],)
                )
                await consumer.execute("COMMIT")
                done += len(rows)
            return time.perf_counter()

        await asyncio.gather(produce(BATCH), consume(BATCH))  # warm-up
        started = time.perf_counter()
        _, finished = await asyncio.gather(produce(count), consume(count))
        async with consumer.execute("SELECT count(*) FROM dedup") as cursor:
            row = await cursor.fetchone()
        if row is None or row[0] != count + BATCH:
            raise RuntimeError(f"sqlite baseline: {row} dedup rows for {count + BATCH} events")
    finally:
        await producer.close()
        await consumer.close()
    seconds = finished - started
    return {"events_per_s": count / seconds, "seconds": seconds}


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Runs:
    e2e: list[dict[str, float]] = field(default_factory=list)
    e2e_per_event: list[dict[str, float]] = field(default_factory=list)
    baseline: list[dict[str, float]] = field(default_factory=list)
    baseline_row: list[dict[str, float]] = field(default_factory=list)
    baseline_savepoint: list[dict[str, float]] = field(default_factory=list)
    sqlite_e2e: list[dict[str, float]] = field(default_factory=list)
    sqlite_baseline: list[dict[str, float]] = field(default_factory=list)
    stages: list[dict[str, Stage]] = field(default_factory=list)
    overhead: list[dict[str, float]] = field(default_factory=list)
    overhead_by_hand: list[dict[str, float]] = field(default_factory=list)
    latency: dict[float, list[dict[str, Any]]] = field(default_factory=dict)


def progress(message: str) -> None:
    print(f"  ... {message}", file=sys.stderr, flush=True)


async def run(quick: bool) -> int:
    config = QUICK if quick else FULL
    began = time.perf_counter()
    runs = Runs()
    async with Servers() as servers:
        about = await servers.describe()
        for rep in range(config.repeats):
            progress(f"throughput, run {rep + 1} of {config.repeats}")
            runs.baseline.append(await baseline(servers, config.events, rep, "set"))
            if BATCH_HANDLERS:
                runs.e2e.append(await end_to_end(servers, config.events, rep))
            runs.baseline_row.append(await baseline(servers, config.events, rep, "row"))
            runs.e2e_per_event.append(await end_to_end(servers, config.events, rep, batched=False))
            runs.baseline_savepoint.append(await baseline(servers, config.events, rep, "savepoint"))
            runs.stages.append(await staged(servers, config.events, rep))
        if not BATCH_HANDLERS:
            runs.e2e = runs.e2e_per_event
        with tempfile.TemporaryDirectory(prefix="brain-bench-") as directory:
            for rep in range(config.repeats):
                progress(f"embedded default (SQLite + SQL log), run {rep + 1} of {config.repeats}")
                runs.sqlite_baseline.append(
                    await sqlite_baseline(Path(directory), config.events, rep)
                )
                runs.sqlite_e2e.append(await sqlite_end_to_end(Path(directory), config.events, rep))
        for rep in range(config.repeats):
            progress(f"publish overhead, run {rep + 1} of {config.repeats}")
            runs.overhead.append(await publish_overhead(servers, config.overhead_txns, rep))
            runs.overhead_by_hand.append(
                await publish_overhead_by_hand(servers, config.overhead_txns, rep)
            )
        async with Publishers(servers.url, f"{servers.prefix}:publisher") as remote:
            for rep in range(config.latency_repeats):
                for rate in config.latency_rates:
                    progress(
                        f"commit -> handler latency at {rate:.0f}/s, "
                        f"run {rep + 1} of {config.latency_repeats}"
                    )
                    runs.latency.setdefault(rate, []).append(
                        await commit_to_handler(
                            servers, rate, config.latency_seconds, f"{rate:.0f}-{rep}", remote
                        )
                    )
    figures = summarize(config, runs)
    text = report(config, quick, about, figures, time.perf_counter() - began)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    name = "events-quick" if quick else "events"
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    (RESULTS / f"{name}.json").write_text(json.dumps({"about": about, **figures}, indent=2) + "\n")
    return 0


def throughput(runs: list[dict[str, float]]) -> dict[str, Any]:
    values = [r["events_per_s"] for r in runs]
    return {"events_per_s": median(values), "runs": values}


def ratios(a: list[dict[str, float]], b: list[dict[str, float]]) -> dict[str, Any]:
    """Run by run (each pair measured back to back), then the median."""
    values = [x["events_per_s"] / y["events_per_s"] for x, y in zip(a, b, strict=True)]
    return {"median": median(values), "runs": values}


def latency_figures(runs: list[dict[str, Any]]) -> dict[str, Any]:
    pooled = [x for r in runs for x in r["samples"]]
    return {
        "p50_ms": median([r["p50_ms"] for r in runs]),
        "p99_ms": median([r["p99_ms"] for r in runs]),
        "p50_runs": [r["p50_ms"] for r in runs],
        "p99_runs": [r["p99_ms"] for r in runs],
        "pooled_p99_ms": percentile(pooled, 99),
        "max_ms": max(r["max_ms"] for r in runs),
        "rate": median([r["rate"] for r in runs]),
        "samples": len(pooled),
        "cpu_share": median([r["cpu_share"] for r in runs]),
        "machine_busy": median([r["machine_busy"] or 0.0 for r in runs]),
        "background_busy": median([r["background_busy"] or 0.0 for r in runs]),
        "statements_per_event": median([r["statements_per_event"] for r in runs]),
    }


def summarize(config: Config, runs: Runs) -> dict[str, Any]:
    n = config.events

    def stage_figures(name: str) -> dict[str, float]:
        stages = [s[name] for s in runs.stages]

        def per_event_ms(timer: str) -> float:
            return median([s.timers.get(timer, 0.0) / n * 1000 for s in stages])

        return {
            "events_per_s": median([n / s.seconds for s in stages]),
            "ms_per_event": median([s.seconds / n * 1000 for s in stages]),
            "cpu_share": median([s.cpu / s.seconds for s in stages]),
            "machine_busy": median([s.machine_busy or 0.0 for s in stages]),
            "statements_per_event": median([(s.statements + s.checkouts) / n for s in stages]),
            "redis_ms": per_event_ms("redis"),
            "claim_ms": per_event_ms("claim"),
        }

    return {
        "config": config.__dict__,
        "batch_handlers": BATCH_HANDLERS,
        "e2e": throughput(runs.e2e),
        "e2e_per_event": throughput(runs.e2e_per_event),
        "baseline": throughput(runs.baseline),
        "baseline_row": throughput(runs.baseline_row),
        "baseline_savepoint": throughput(runs.baseline_savepoint),
        "ratio_set": ratios(runs.e2e, runs.baseline),
        "ratio_row": ratios(runs.e2e, runs.baseline_row),
        "ratio_per_event_row": ratios(runs.e2e_per_event, runs.baseline_row),
        "sqlite_e2e": throughput(runs.sqlite_e2e),
        "sqlite_baseline": throughput(runs.sqlite_baseline),
        "ratio_sqlite": ratios(runs.sqlite_e2e, runs.sqlite_baseline),
        "stages": {name: stage_figures(name) for name in ("publish", "relay", "consume")},
        "overhead": {
            "plain_ms": median([r["plain_ms"] for r in runs.overhead]),
            "event_ms": median([r["event_ms"] for r in runs.overhead]),
            "ratio": median([r["ratio"] for r in runs.overhead]),
            "ratios": [r["ratio"] for r in runs.overhead],
            "in_publish_ms": median([r["in_publish_ms"] for r in runs.overhead]),
            "plain_statements": runs.overhead[-1]["plain_statements"],
            "event_statements": runs.overhead[-1]["event_statements"],
            "by_hand_plain_ms": median([r["plain_ms"] for r in runs.overhead_by_hand]),
            "by_hand_event_ms": median([r["event_ms"] for r in runs.overhead_by_hand]),
            "by_hand_ratio": median([r["ratio"] for r in runs.overhead_by_hand]),
            "by_hand_ratios": [r["ratio"] for r in runs.overhead_by_hand],
        },
        "latency": {f"{rate:.0f}": latency_figures(r) for rate, r in runs.latency.items()},
    }


def spread(values: Sequence[float], digits: int = 0) -> str:
    return f"{min(values):,.{digits}f} .. {max(values):,.{digits}f}"


def report(
    config: Config, quick: bool, about: dict[str, str], f: dict[str, Any], elapsed: float
) -> str:
    over, st = f["overhead"], f["stages"]

    def aim(ok: bool, text: str) -> str:
        return f"{text}: {'met' if ok else 'MISSED'}"

    def rate_row(label: str, figure: dict[str, Any]) -> tuple[str, str, str, str]:
        return (label, f"{figure['events_per_s']:,.0f}", spread(figure["runs"]), "")

    def ratio_row(label: str, figure: dict[str, Any], goal: float | None) -> tuple[str, ...]:
        verdict = "" if goal is None else aim(figure["median"] >= goal, f">= {goal}")
        return (label, f"{figure['median']:.2f}", spread(figure["runs"], 2), verdict)

    handler = "a batch handler (one multi-row INSERT)" if f["batch_handlers"] else "a handler"
    rows: list[tuple[str, ...]] = [
        rate_row(f"(a) framework end to end, {handler}, events/s", f["e2e"]),
        rate_row("(a') the same with a per-event handler, events/s", f["e2e_per_event"]),
        rate_row("(b) hand-written, set-based per batch, events/s", f["baseline"]),
        rate_row("(b2) hand-written, 2 statements per event, events/s", f["baseline_row"]),
        ratio_row("    (a)/(b)", f["ratio_set"], AIM_RATIO_SET),
        ratio_row("    (a)/(b2)", f["ratio_row"], AIM_RATIO_PER_EVENT),
        ratio_row("    (a')/(b2)", f["ratio_per_event_row"], None),
        rate_row("SQLite + SQL log, framework end to end, events/s", f["sqlite_e2e"]),
        rate_row("SQLite, hand-written aiosqlite loop, events/s", f["sqlite_baseline"]),
        ratio_row("    framework / hand-written", f["ratio_sqlite"], None),
        ("(c) business write alone, ms/txn", f"{over['plain_ms']:.2f}", "", ""),
        ("    business write + its event, ms/txn", f"{over['event_ms']:.2f}", "", ""),
        (
            "    ratio with / without the event",
            f"{over['ratio']:.2f}",
            spread(over["ratios"], 2),
            aim(over["ratio"] <= AIM_PUBLISH_OVERHEAD, f"<= {AIM_PUBLISH_OVERHEAD}"),
        ),
        (
            "(c') by hand (asyncpg): write alone / + one outbox INSERT, ms",
            f"{over['by_hand_plain_ms']:.2f} / {over['by_hand_event_ms']:.2f}",
            "",
            "",
        ),
        (
            "    ratio with / without the INSERT (the floor of (c))",
            f"{over['by_hand_ratio']:.2f}",
            spread(over["by_hand_ratios"], 2),
            "",
        ),
    ]
    for rate, lat in f["latency"].items():
        goal = AIM_P99_MS.get(int(rate))
        rows += [
            (
                f"(d) commit -> handler p50 ms, {rate}/s, publisher in its own process",
                f"{lat['p50_ms']:.1f}",
                spread(lat["p50_runs"], 1),
                "",
            ),
            (
                "    commit -> handler p99 ms",
                f"{lat['p99_ms']:.1f}",
                spread(lat["p99_runs"], 1),
                "" if goal is None else aim(lat["p99_ms"] < goal, f"< {goal:.0f}"),
            ),
        ]
    width = max(len(r[0]) for r in rows)
    lines = [
        f"Event stream benchmark ({'quick' if quick else 'full'} run, {elapsed:.0f} s)",
        f"  Python {about['python']}, PostgreSQL {about['postgresql']}, Redis {about['redis']},",
        f"  event loop {about['loop']}; "
        f"{about['cpus']} CPUs shared by this process, PostgreSQL and Redis; "
        f"load average at start {about['load']},",
        f"  CPUs {about['background']} busy with other work just before the run",
        f"  (a), (b), SQLite: {config.events:,} events, {BATCH} per transaction or batch, median "
        f"of {config.repeats} runs; (c): {config.overhead_txns} transactions each way x "
        f"{config.repeats} runs;",
        f"  (d): {config.latency_seconds:g} s at each rate, one event per transaction, "
        f"x {config.latency_repeats} runs",
        "",
        f"  {'figure':<{width}}  {'median':>8}  {'runs min .. max':>17}  aim",
    ]
    lines += [f"  {a:<{width}}  {b:>8}  {c:>17}  {d}".rstrip() for a, b, c, d in rows]
    lines += [
        "",
        f"  (c) statements per transaction, BEGIN, COMMIT and the pool's ping included: "
        f"{over['plain_statements']} without the event, {over['event_statements']} with it; "
        f"{over['in_publish_ms']:.3f} ms inside publish()",
    ]
    for rate, lat in f["latency"].items():
        lines.append(
            f"  (d) {rate}/s: achieved {lat['rate']:.0f} events/s, {lat['samples']} samples, "
            f"pooled p99 {lat['pooled_p99_ms']:.1f} ms, max {lat['max_ms']:.1f} ms; worker "
            f"{lat['cpu_share']:.0%} of a core, machine {lat['machine_busy']:.0%} "
            f"({lat['background_busy']:.0%} before); "
            f"{lat['statements_per_event']:.1f} SQL statements per event"
        )
    lines += [
        "",
        "  Where the time goes: the same work in stages, one after the other (medians):",
        f"  {'stage':<44} {'events/s':>8} {'ms/event':>8} {'stmts/event':>11} {'CPU/wall':>8}"
        f" {'machine':>7} {'Redis ms/ev':>11}",
    ]
    for name, label in (
        ("publish", "publish through the outbox, 100 per txn"),
        ("relay", "relay: position, XADD, 100 per batch"),
        ("consume", "consume: claim + handler + XACK, 100/txn"),
    ):
        s = st[name]
        lines.append(
            f"  {label:<44} {s['events_per_s']:>8,.0f} {s['ms_per_event']:>8.3f}"
            f" {s['statements_per_event']:>11.2f} {s['cpu_share']:>8.0%}"
            f" {s['machine_busy']:>7.0%} {s['redis_ms']:>11.3f}"
        )
    lines.append(
        f"  consume, per event: the batch's claim {st['consume']['claim_ms']:.3f} ms, "
        f"Redis {st['consume']['redis_ms']:.3f} ms"
    )
    for key, label, statements in (
        ("baseline", "baseline, set-based, as (b)", 4 / BATCH),
        ("baseline_row", "baseline, dedup + effect INSERT per event", 2 + 2 / BATCH),
        ("baseline_savepoint", "baseline, same inside a savepoint per event", 4 + 2 / BATCH),
    ):
        value = f[key]["events_per_s"]
        lines.append(f"  {label:<44} {value:>8,.0f} {1000 / value:>8.3f} {statements:>11.2f}")
    return "\n".join(lines)


async def profile(count: int) -> Any:
    """`python -m bench.events profile [N]`: the staged run (publish, relay and consume of N
    events) under pyinstrument; the text goes to stdout, the HTML to bench/results/."""
    from pyinstrument import Profiler

    async with Servers() as servers:
        await staged(servers, count, 0)  # warm-up: connections, prepared statements
        profiler = Profiler(async_mode="disabled")
        await staged(servers, count, 1, profiler)
    return profiler


if __name__ == "__main__" and sys.argv[1:2] == ["publisher"]:
    bench_loop.run(serve_publisher(sys.argv[2], sys.argv[3]))
elif __name__ == "__main__" and sys.argv[1:2] == ["profile"]:
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    profiled = bench_loop.run(profile(events))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "events-profile.html").write_text(profiled.output_html())
    print(profiled.output_text(unicode=True, color=False, show_all=False))
