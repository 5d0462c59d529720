"""The course factory's benchmark: courses per minute and request → completed latency for a
30-lesson course with every part on, on the embedded default (SQLite + SQL log) and on PostgreSQL
+ Redis, and where a course's time goes: the event stream, the workflow engine, the generation.

Every course: the offline template generator (the default), `banking_alternatives`, English, an
outline of exactly 30 lessons and `full_lessons_count=30`, quiz, landing page, staging site (and
the evidence pack every generation builds). The template derives the outline's size from the
course id and the title; the benchmark picks, per course, an id whose outline has 30 lessons and
makes the course get it (a mapper `init` hook in this process). Nothing else differs from a real
request: `CourseService.request_generation` in a unit of work, the consumer
`course_factory_generation` starts the Temporal workflow `CourseGeneration`, whose activities run
`GenerationSteps`.

Both setups' platforms run, each with its worker (`run_worker`: relay, consumers, Temporal worker),
in this process, against one Temporal dev server for the whole run; their courses alternate, so
that both see the same load from outside:

- latency: N courses one after the other; per course, the `timestamp` of its
  `course.generation.requested` and `course.generation.completed` rows in `events`;
- throughput: M courses requested at once (concurrently); courses per minute from the first
  `requested` to the last `completed`;
- where the time goes (the courses of the latency run): the consumer's handler, every generation
  step (the activities' bodies), inside them the content generator and the staging site's
  rendering, and the event stream's batches (relay, consumer) are timed in this process
  (`time.time()`, the clock the events' timestamps come from). While no step runs, the time is the
  event stream's when one of its batches is in progress, else the workflow engine's (Temporal
  round trips). The workflows' histories give the engine's own task counts and latencies; SQL
  statements are counted per step;
- generation alone: the template generator's outline, 30 lessons, quiz and landing page called
  directly, without database or Temporal.

A fresh SQLite file and a fresh PostgreSQL database `brain_bench_<random>` (dropped at the end),
a Redis stream `brain:bench:<random>:events` (deleted at the end), a temporary directory for the
data and the dev server's file (removed at the end).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from redis.asyncio import Redis
from sqlalchemy import event as sa_event
from sqlalchemy import select
from temporalio.api.enums.v1 import EventType

from bench.events import (
    POSTGRES_ADMIN_URL,
    REDIS_URL,
    RESULTS,
    background_load,
    cpu_ticks,
    median,
    percentile,
    progress,
)
from brain.bootstrap import Platform, build_platform, load_platform_settings, run_worker
from brain.course_factory import content as c
from brain.course_factory.consumers import generation_starter
from brain.course_factory.generators.template import TemplateGenerator
from brain.course_factory.models import Course
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.schemas import GenerateRequest
from brain.course_factory.workflows import workflow_id
from brain.events import HandlerContext, SubscriberRegistry
from brain.events.models import EventRecord
from brain.kernel import migrations
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService, Principal
from brain.kernel.config import Settings
from brain.kernel.db import Database
from brain.kernel.temporal import DevServer, dev_server_binary

LESSONS = 30
TEMPLATE = "banking_alternatives"
TITLE = "Banking alternatives for employees"
DESCRIPTION = "Neobanks, credit unions and ethical banks compared, with safe switching."
AUDIENCES = [c.Audience.EMPLOYEES, c.Audience.PRIVATE_INDIVIDUALS]
REQUESTED = "course.generation.requested"
COMPLETED = "course.generation.completed"
STEPS = (
    "begin",
    "create_outline",
    "generate_lesson",
    "create_quiz",
    "create_landing_page",
    "deploy_staging",
    "build_evidence_pack",
    "complete",
    "fail",
)
GENERATOR_CALLS = ("outline", "lesson", "quiz", "landing_page")
STREAM = uuid.UUID(int=0)
"""The key of the event stream's spans (relay batches, consumer batches), which are no course's."""
COURSE_TIMEOUT = 300.0
P99_MIN_SAMPLES = 100
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Config:
    latency_courses: int
    """N: courses one after the other, per setup."""
    throughput_courses: int
    """M: courses requested at once, per round."""
    throughput_rounds: int
    generation_repeats: int


FULL = Config(latency_courses=20, throughput_courses=10, throughput_rounds=3, generation_repeats=50)
QUICK = Config(latency_courses=3, throughput_courses=4, throughput_rounds=1, generation_repeats=10)


@dataclass(frozen=True)
class Setup:
    name: str
    label: str
    postgres: bool


SETUPS = (
    Setup("sqlite-sql", "SQLite + SQL log", postgres=False),
    Setup("postgres-redis", "PostgreSQL + Redis", postgres=True),
)


# -- the courses -----------------------------------------------------------------------------


def brief(course_id: uuid.UUID, title: str) -> c.CourseBrief:
    return c.CourseBrief(
        course_id=course_id,
        title=title,
        description=DESCRIPTION,
        language="en",
        target_audiences=AUDIENCES,
        template_id=TEMPLATE,
        full_lessons_count=LESSONS,
    )


async def thirty_lesson_id(generator: TemplateGenerator, title: str) -> uuid.UUID:
    """A course id for which the template's outline of `title` has exactly 30 lessons (about one
    id in 400 does; 0.1 ms a try)."""
    while True:
        course_id = uuid.uuid4()
        outline = (await generator.outline(brief(course_id, title))).value
        if outline.total_lessons == LESSONS:
            return course_id


class ChosenIds:
    """A mapper `init` hook: a `Course` built with one of these titles gets the chosen id."""

    def __init__(self) -> None:
        self.by_title: dict[str, uuid.UUID] = {}
        self.generator = TemplateGenerator()
        self.count = 0

    async def plan(self, count: int) -> list[str]:
        titles = []
        for _ in range(count):
            self.count += 1
            title = f"{TITLE}, bench course {self.count}"
            self.by_title[title] = await thirty_lesson_id(self.generator, title)
            titles.append(title)
        return titles

    def __call__(self, _target: Course, _args: Any, kwargs: dict[str, Any]) -> None:
        chosen = self.by_title.pop(kwargs.get("title", ""), None)
        if chosen is not None:
            kwargs["id"] = chosen

    def __enter__(self) -> ChosenIds:
        sa_event.listen(Course, "init", self)
        return self

    def __exit__(self, *_: object) -> None:
        sa_event.remove(Course, "init", self)


async def generation_alone(titles: Sequence[str], repeats: int) -> list[float]:
    """Seconds for outline + 30 lessons + quiz + landing page from the template generator, called
    directly (no database, no Temporal), once per repeat, cycling through the given courses."""
    generator = TemplateGenerator()
    planner = TemplateGenerator()
    briefs = [brief(await thirty_lesson_id(planner, title), title) for title in titles]
    timings = []
    for rep in range(repeats):
        course = briefs[rep % len(briefs)]
        started = time.perf_counter()
        outline = (await generator.outline(course)).value
        for module_index, lesson_index in outline.lesson_positions()[:LESSONS]:
            await generator.lesson(course, outline, module_index, lesson_index)
        await generator.quiz(course, outline)
        await generator.landing_page(course, outline)
        timings.append(time.perf_counter() - started)
        assert outline.total_lessons == LESSONS
    return timings


# -- timing the worker -----------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    name: str
    start: float
    end: float
    ok: bool

    @property
    def seconds(self) -> float:
        return self.end - self.start


class Probe:
    """Times, in this process, what the worker does for each course: the consumer's handler, each
    generation step (an activity's body), the content generator's calls and the staging site's
    rendering; and the event stream's batches (under `STREAM`). Wall clock (`time.time()`), the
    clock of the events' `timestamp`. Counts SQL statements by step."""

    def __init__(self) -> None:
        self.spans: dict[uuid.UUID, list[Span]] = defaultdict(list)
        self.finished: dict[uuid.UUID, asyncio.Future[float]] = {}
        self.step: contextvars.ContextVar[str] = contextvars.ContextVar("step", default="other")
        self.statements: dict[str, int] = defaultdict(int)
        """SQL statements (BEGIN and COMMIT included) by the step that sent them; `other`: the
        event stream, the consumer, the requests."""

    def count(self, *_: Any) -> None:
        self.statements[self.step.get()] += 1

    def waiter(self, course_id: uuid.UUID) -> asyncio.Future[float]:
        if course_id not in self.finished:
            self.finished[course_id] = asyncio.get_running_loop().create_future()
        return self.finished[course_id]

    def timed(
        self,
        name: str,
        function: Callable[..., Awaitable[Any]],
        course_of: Callable[[tuple[Any, ...]], uuid.UUID],
    ) -> Callable[..., Awaitable[Any]]:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            token = self.step.set(name) if name in STEPS else None
            start = time.time()
            ok = False
            try:
                result = await function(*args, **kwargs)
                ok = True
                return result
            finally:
                end = time.time()
                if token is not None:
                    self.step.reset(token)
                course_id = course_of(args)
                self.spans[course_id].append(Span(name, start, end, ok))
                if name in ("complete", "fail") and ok:
                    future = self.waiter(course_id)
                    if not future.done():
                        if name == "complete":
                            future.set_result(end)
                        else:
                            future.set_exception(
                                RuntimeError(f"the generation of course {course_id} failed")
                            )

        return wrapper

    def instrument(self, platform: Platform, registry: SubscriberRegistry) -> None:
        """Register the factory's consumer with its handler timed, and time the steps and the
        generator (instance attributes shadow the methods; the activities call them by name)."""
        starter = generation_starter(platform.temporal, platform.settings)

        def course_of_event(args: tuple[Any, ...]) -> uuid.UUID:
            ctx: HandlerContext = args[0]
            return uuid.UUID(str(ctx.payload.course_id))  # type: ignore[attr-defined]

        registry.add(
            dataclasses.replace(
                starter, handler=self.timed("consumer", starter.handler, course_of_event)
            )
        )
        stream = platform.events
        stream.relay.relay_once = self.timed(  # type: ignore[method-assign]
            "relay", stream.relay.relay_once, lambda _: STREAM
        )
        stream.runtime.process = self.timed(  # type: ignore[method-assign]
            "consume", stream.runtime.process, lambda _: STREAM
        )
        database = platform.database
        for engine in {database.engine.sync_engine, database.read_engine.sync_engine}:
            for event_name in ("before_cursor_execute", "begin", "commit"):
                sa_event.listen(engine, event_name, self.count)
        steps = platform.deps_of(FACTORY).steps
        for name in (*STEPS, "render_site"):
            setattr(steps, name, self.timed(name, getattr(steps, name), lambda a: a[0]))
        generator = steps.generator
        for name in GENERATOR_CALLS:
            setattr(
                generator,
                name,
                self.timed(f"generator.{name}", getattr(generator, name), lambda a: a[0].course_id),
            )


def union_seconds(intervals: list[tuple[float, float]]) -> float:
    total, reach = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def breakdown(
    spans: list[Span], stream: list[Span], requested: float, completed: float
) -> dict[str, float]:
    """Where one course's time (requested → completed) went, in seconds. `stream`: the event
    stream's batches (relay and consumer), which share the event loop with the steps."""
    consumer = [s for s in spans if s.name == "consumer"]
    steps = [s for s in spans if s.name in STEPS]
    first = min(s.start for s in steps)

    def within(some: list[Span]) -> list[tuple[float, float]]:
        return [
            (max(s.start, first), min(s.end, completed))
            for s in some
            if s.start < completed and s.end > first
        ]

    running = union_seconds(within(steps))
    stream_alone = union_seconds(within(steps) + within(stream)) - running

    def total(*names: str) -> float:
        return sum(s.seconds for s in spans if s.name in names)

    generator = total(*(f"generator.{n}" for n in GENERATOR_CALLS))
    site = total("render_site")
    evidence = total("build_evidence_pack")
    return {
        "total": completed - requested,
        "stream": consumer[0].start - requested,
        "start_workflow": consumer[0].seconds,
        "to_first_activity": first - consumer[-1].end,
        "between_activities": (completed - first) - running - stream_alone,
        "stream_between": stream_alone,
        "activities": running,
        "generator": generator,
        "site": site,
        "evidence": evidence,
        "steps_rest": running - generator - site - evidence,
        "step_failures": float(sum(1 for s in steps if not s.ok)),
        "activity_runs": float(len(steps)),
    }


async def engine_history(platform: Platform, course_id: uuid.UUID) -> dict[str, float]:
    """From the workflow's history: workflow and activity tasks, and their latencies."""
    client = await platform.temporal.client()
    history = await client.get_workflow_handle(workflow_id(str(course_id), 1)).fetch_history()

    def at(event: Any) -> float:
        return float(event.event_time.seconds) + event.event_time.nanos / 1e9

    scheduled: dict[int, float] = {}
    started: dict[int, float] = {}
    workflow_tasks: list[float] = []
    workflow_waits: list[float] = []
    workflow_runs: list[float] = []
    activity_waits: list[float] = []
    activities = timeouts = 0
    for event in history.events:
        kind = event.event_type
        if kind in (
            EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        ):
            scheduled[event.event_id] = at(event)
            activities += kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            started[event.event_id] = at(event)
            attributes = event.workflow_task_started_event_attributes
            workflow_waits.append(at(event) - scheduled[attributes.scheduled_event_id])
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            attributes = event.workflow_task_completed_event_attributes
            workflow_tasks.append(at(event) - scheduled[attributes.scheduled_event_id])
            workflow_runs.append(at(event) - started[attributes.started_event_id])
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            attributes = event.activity_task_started_event_attributes
            activity_waits.append(at(event) - scheduled[attributes.scheduled_event_id])
        elif kind in (
            EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
            EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
        ):
            timeouts += 1
    return {
        "history_events": float(len(history.events)),
        "workflow_tasks": float(len(workflow_tasks)),
        "workflow_task_seconds": sum(workflow_tasks),
        "workflow_task_median": median(workflow_tasks),
        "workflow_task_max": max(workflow_tasks),
        "workflow_task_timeouts": float(timeouts),
        "workflow_task_wait_median": median(workflow_waits),
        "workflow_task_run_median": median(workflow_runs),
        "activity_tasks": float(activities),
        "activity_wait_median": median(activity_waits),
    }


# -- CPU -------------------------------------------------------------------------------------


def child_pids(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(p) for p in (task / "children").read_text().split()]
    return found


def tree_cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a process and its descendants (Linux /proc)."""
    if pid is None:
        return 0.0
    total = 0.0
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total + sum(tree_cpu_seconds(child) for child in child_pids(pid))


THREAD_GROUPS = ("event loop", "SQLite driver", "workflow sandbox", "Temporal core", "other")


def thread_cpu_seconds() -> dict[int, tuple[str, float]]:
    """Per thread of this process: its group and its CPU seconds so far (Linux /proc). The event
    loop's thread runs the steps, SQLAlchemy, the event stream and the Temporal SDK's Python side;
    the SDK runs workflow code in its own threads and its core (Rust) in others."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    found: dict[int, tuple[str, float]] = {}
    with contextlib.suppress(OSError):
        for task in Path("/proc/self/task").iterdir():
            with contextlib.suppress(OSError):
                tid = int(task.name)
                comm = (task / "comm").read_text().strip()
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                name = names.get(tid, "")
                if tid == os.getpid():
                    group = "event loop"
                elif "_connection_worker" in name:
                    group = "SQLite driver"
                elif name.startswith("temporal_workflow"):
                    group = "workflow sandbox"
                elif comm.startswith(("tokio", "temporal")):
                    group = "Temporal core"
                else:
                    group = "other"
                found[tid] = (group, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return found


@dataclass
class Cpu:
    """Wall time and CPU seconds of a phase: this process (requests, worker, Temporal worker) and
    its threads by group, the Temporal dev server, and the machine (all cores, every process)."""

    wall: float = 0.0
    own: float = 0.0
    engine: float = 0.0
    machine: float | None = None
    threads: dict[str, float] = field(default_factory=dict)
    tids: dict[int, tuple[str, float]] = field(default_factory=dict, repr=False)

    @classmethod
    def snapshot(cls, dev_server_pid: int | None) -> Cpu:
        ticks = cpu_ticks()
        return cls(
            time.perf_counter(),
            time.process_time(),
            tree_cpu_seconds(dev_server_pid),
            ticks[0] / CLOCK_TICKS if ticks else None,
            tids=thread_cpu_seconds(),
        )

    def until(self, later: Cpu) -> Cpu:
        machine = None
        if self.machine is not None and later.machine is not None:
            machine = later.machine - self.machine
        threads = dict.fromkeys(THREAD_GROUPS, 0.0)
        for tid, (group, seconds) in later.tids.items():
            threads[group] += seconds - self.tids.get(tid, (group, 0.0))[1]
        return Cpu(
            later.wall - self.wall,
            later.own - self.own,
            later.engine - self.engine,
            machine,
            threads,
        )


# -- one setup -------------------------------------------------------------------------------


@dataclass
class SetupRun:
    latency: list[dict[str, float]] = field(default_factory=list)
    latency_cpu: Cpu = field(default_factory=Cpu)
    throughput: list[dict[str, Any]] = field(default_factory=list)
    statements: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """SQL statements by step (and `other`) during the latency courses."""
    steps: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per step (and `other`), over the latency courses: runs, ms per run, statements per run."""
    commit_gap: list[float] = field(default_factory=list)
    """Per latency course: (commit → complete step returned) minus (requested → completed
    timestamps), seconds: how far the events' timestamps are from the commits."""


class Servers:
    """The run's temporary directory, Temporal dev server, PostgreSQL database and Redis prefix;
    all removed on exit."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:10]
        self.tag = tag
        self.directory = Path(tempfile.mkdtemp(prefix=f"brain-bench-{tag}-"))
        self.database_name = f"brain_bench_{tag}"
        self.prefix = f"brain:bench:{tag}"
        parts = urlsplit(POSTGRES_ADMIN_URL)
        self.postgres_url = parts._replace(
            scheme="postgresql+asyncpg", path=f"/{self.database_name}"
        ).geturl()
        self.dsn = parts._replace(path=f"/{self.database_name}").geturl()
        self.temporal = DevServer(self.directory / "temporal" / "temporal.db")
        self.temporal_pid: int | None = None
        self.redis = Redis.from_url(REDIS_URL)
        self._created = False

    async def __aenter__(self) -> Servers:
        before = set(child_pids(os.getpid()))
        await self.temporal.start()
        started = [p for p in child_pids(os.getpid()) if p not in before]
        self.temporal_pid = started[0] if len(started) == 1 else None
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await admin.execute(f'CREATE DATABASE "{self.database_name}"')
            self._created = True
        finally:
            await admin.close()
        return self

    async def __aexit__(self, *_: object) -> None:
        with contextlib.suppress(Exception):
            keys = [key async for key in self.redis.scan_iter(match=f"{self.prefix}:*")]
            if keys:
                await self.redis.delete(*keys)
        await self.redis.aclose()
        if self._created:
            admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
            finally:
                await admin.close()
        await self.temporal.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def settings(self, setup: Setup) -> Settings:
        """The platform's default settings, but its own data directory, database, stream and
        task queue, and the run's dev server."""
        values: dict[str, Any] = {
            "_env_file": None,
            "data_dir": self.directory / setup.name,
            "temporal_address": self.temporal.address,
            "temporal_task_queue": f"bench-course-factory-{self.tag}-{setup.name}",
        }
        if setup.postgres:
            values.update(
                database_url=self.postgres_url,
                event_transport="redis",
                redis_url=REDIS_URL,
                events_stream=f"{self.prefix}:events",
                events_dead_letter_stream=f"{self.prefix}:dead",
            )
        return load_platform_settings(**values)

    async def describe(self) -> dict[str, str]:
        conn = await asyncpg.connect(self.dsn)
        try:
            postgres = str(await conn.fetchval("SHOW server_version"))
            sync = str(await conn.fetchval("SHOW synchronous_commit"))
        finally:
            await conn.close()
        info = await self.redis.info("server")
        process = await asyncio.create_subprocess_exec(
            str(dev_server_binary()), "--version", stdout=asyncio.subprocess.PIPE
        )
        version = (await process.communicate())[0].decode().strip()
        background = await background_load(1.0)
        return {
            "background": "unknown" if background is None else f"{background:.0%}",
            "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version,
            "postgresql": f"{postgres} (synchronous_commit={sync})",
            "redis": str(info.get("redis_version")),
            "temporal": version.removeprefix("temporal version "),
            "cpus": str(os.cpu_count()),
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        }


async def migrate(url: str) -> None:
    database = Database(url)
    try:
        await migrations.upgrade(database.engine)
    finally:
        await database.dispose()


async def editor(platform: Platform) -> Principal:
    async with platform.unit_of_work() as uow:
        auth = AuthService(uow.session)
        tenant = await auth.create_tenant("bench")
        issued = await auth.issue_key(tenant, Role.EDITOR)
    return Principal(tenant_id=tenant.id, api_key_id=issued.key.id, role=Role.EDITOR)


async def request(platform: Platform, principal: Principal, title: str) -> tuple[uuid.UUID, float]:
    """Request one course as POST /api/courses/generate does; its id and the commit's time."""
    body = GenerateRequest(
        title=title,
        description=DESCRIPTION,
        language="en",
        target_audiences=AUDIENCES,
        template_id=TEMPLATE,
        full_lessons_count=LESSONS,
        generate_quiz=True,
        generate_landing_page=True,
        deploy_to_staging=True,
    )
    factory = platform.deps_of(FACTORY)
    async with platform.unit_of_work() as uow:
        service = factory.service(uow)
        course = await service.request_generation(principal, body)
    return course.id, time.time()


async def finished(probe: Probe, worker: asyncio.Task[None], course_ids: list[uuid.UUID]) -> None:
    waiting = asyncio.ensure_future(asyncio.gather(*(probe.waiter(i) for i in course_ids)))
    done, _ = await asyncio.wait(
        {waiting, worker}, timeout=COURSE_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
    )
    if waiting in done:
        waiting.result()
        return
    waiting.cancel()
    if worker in done:
        worker.result()
        raise RuntimeError("the worker stopped before the courses were generated")
    raise RuntimeError(f"not every course was generated within {COURSE_TIMEOUT:.0f} s")


async def event_times(
    platform: Platform, course_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Per course, the `timestamp` of its requested and completed events, and the completed
    event's payload."""
    async with platform.database.sessionmaker() as session:
        rows = await session.execute(
            select(EventRecord.aggregate_id, EventRecord.type, EventRecord.timestamp)
            .add_columns(EventRecord.payload)
            .where(
                EventRecord.aggregate_id.in_([str(i) for i in course_ids]),
                EventRecord.type.in_([REQUESTED, COMPLETED]),
            )
        )
        found: dict[uuid.UUID, dict[str, Any]] = defaultdict(dict)
        for aggregate, kind, timestamp, payload in rows.all():
            found[uuid.UUID(aggregate)][kind] = timestamp.timestamp()
            if kind == COMPLETED:
                found[uuid.UUID(aggregate)]["payload"] = payload
    for course_id in course_ids:
        times = found[course_id]
        if REQUESTED not in times or COMPLETED not in times:
            raise RuntimeError(f"course {course_id} lacks its requested or completed event")
        payload = times["payload"]
        if payload["full_lessons_generated"] != LESSONS or payload["total_lessons"] != LESSONS:
            raise RuntimeError(f"course {course_id} has not {LESSONS} full lessons: {payload}")
        if not payload["deployed"] or payload["quiz_questions_count"] == 0:
            raise RuntimeError(f"course {course_id} misses a part: {payload}")
    return found


def step_figures(
    probe: Probe, course_ids: list[uuid.UUID], statements: dict[str, int]
) -> dict[str, dict[str, float]]:
    n = len(course_ids)
    figures: dict[str, dict[str, float]] = {}
    for name in (*STEPS, "other"):
        spans = [s for i in course_ids for s in probe.spans[i] if s.name == name]
        sent = statements.get(name, 0)
        if not spans and not sent:
            continue
        figures[name] = {
            "runs_per_course": len(spans) / n,
            "ms_per_run": median([s.seconds * 1000 for s in spans]) if spans else 0.0,
            "ms_per_course": sum(s.seconds for s in spans) * 1000 / n,
            "statements_per_run": sent / len(spans) if spans else 0.0,
            "statements_per_course": sent / n,
        }
    return figures


class SetupBench:
    """One setup's platform, its worker running in a task of this process, and its figures."""

    def __init__(self, servers: Servers, setup: Setup, ids: ChosenIds) -> None:
        self.servers = servers
        self.setup = setup
        self.ids = ids
        self.probe = Probe()
        self.result = SetupRun()
        self.latency_ids: list[uuid.UUID] = []
        self.committed: dict[uuid.UUID, float] = {}
        self.stop = asyncio.Event()
        self.worker: asyncio.Task[None] | None = None
        self.platform: Platform | None = None
        self.principal: Principal | None = None
        self.titles: list[str] = []

    async def plan(self, count: int) -> None:
        """Choose the ids of the next `count` courses (outside any measured window: finding an
        id takes 50 ms on average, but at times over a second)."""
        self.titles += await self.ids.plan(count)

    async def start(self) -> None:
        settings = self.servers.settings(self.setup)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await migrate(settings.resolved_database_url)
        registry = SubscriberRegistry()
        self.platform = build_platform(settings, subscribers=registry)
        self.probe.instrument(self.platform, registry)
        self.principal = await editor(self.platform)
        self.worker = asyncio.create_task(
            run_worker(self.platform, self.stop), name=f"bench-worker-{self.setup.name}"
        )

    async def generate(self, count: int) -> tuple[list[uuid.UUID], dict[uuid.UUID, float]]:
        """Request `count` courses at once and wait for all of them; their ids and commits."""
        assert self.platform is not None and self.principal is not None
        assert self.worker is not None
        titles, self.titles = self.titles[:count], self.titles[count:]
        assert len(titles) == count, "plan the courses first"
        requested = await asyncio.gather(
            *(request(self.platform, self.principal, title) for title in titles)
        )
        await finished(self.probe, self.worker, [course_id for course_id, _ in requested])
        return [course_id for course_id, _ in requested], dict(requested)

    async def one_course(self) -> None:
        """One course alone, for its latency; CPU and statements accumulate over these."""
        statements = dict(self.probe.statements)
        before = Cpu.snapshot(self.servers.temporal_pid)
        [course_id], committed = await self.generate(1)
        cpu = before.until(Cpu.snapshot(self.servers.temporal_pid))
        total = self.result.latency_cpu
        total.wall += cpu.wall
        total.own += cpu.own
        total.engine += cpu.engine
        total.machine = None if cpu.machine is None else (total.machine or 0.0) + cpu.machine
        for group, seconds in cpu.threads.items():
            total.threads[group] = total.threads.get(group, 0.0) + seconds
        for name, count in self.probe.statements.items():
            self.result.statements[name] += count - statements.get(name, 0)
        self.latency_ids.append(course_id)
        self.committed.update(committed)

    async def analyse_latency(self) -> None:
        assert self.platform is not None
        times = await event_times(self.platform, self.latency_ids)
        for course_id in self.latency_ids:
            requested, completed = times[course_id][REQUESTED], times[course_id][COMPLETED]
            figures = breakdown(
                self.probe.spans[course_id], self.probe.spans[STREAM], requested, completed
            )
            figures.update(await engine_history(self.platform, course_id))
            self.result.latency.append(figures)
            returned = self.probe.finished[course_id].result()
            self.result.commit_gap.append(
                (returned - self.committed[course_id]) - (completed - requested)
            )
        self.result.steps = step_figures(self.probe, self.latency_ids, self.result.statements)

    async def burst(self, count: int) -> None:
        """`count` courses requested at once: courses per minute up to the last completion."""
        assert self.platform is not None
        background = await background_load(0.5)
        before = Cpu.snapshot(self.servers.temporal_pid)
        course_ids, _ = await self.generate(count)
        cpu = before.until(Cpu.snapshot(self.servers.temporal_pid))
        times = await event_times(self.platform, course_ids)
        first = min(times[i][REQUESTED] for i in course_ids)
        last = max(times[i][COMPLETED] for i in course_ids)
        latencies = [times[i][COMPLETED] - times[i][REQUESTED] for i in course_ids]
        histories = [await engine_history(self.platform, i) for i in course_ids]
        self.result.throughput.append(
            {
                "courses": count,
                "seconds": last - first,
                "per_minute": count * 60 / (last - first),
                "latency_median": median(latencies),
                "latency_max": max(latencies),
                "background": background,
                "cpu": {k: v for k, v in dataclasses.asdict(cpu).items() if k != "tids"},
                "step_failures": sum(
                    1 for i in course_ids for s in self.probe.spans[i] if not s.ok
                ),
                "workflow_task_timeouts": sum(h["workflow_task_timeouts"] for h in histories),
                "workflow_task_max": max(h["workflow_task_max"] for h in histories),
            }
        )

    async def close(self) -> None:
        self.stop.set()
        if self.worker is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self.worker), 30)
            if not self.worker.done():
                self.worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.worker
        if self.platform is not None:
            await self.platform.close()


# -- the run ---------------------------------------------------------------------------------


async def run(quick: bool) -> int:
    config = QUICK if quick else FULL
    began = time.perf_counter()
    with ChosenIds() as ids:
        async with Servers() as servers:
            about = await servers.describe()
            progress("generation alone")
            alone = await generation_alone(
                [f"{TITLE}, generation alone {k}" for k in range(5)], config.generation_repeats
            )
            benches = [SetupBench(servers, setup, ids) for setup in SETUPS]
            progress("choosing course ids whose outlines have 30 lessons")
            for bench in benches:
                await bench.plan(
                    1
                    + config.latency_courses
                    + config.throughput_rounds * config.throughput_courses
                )
            try:
                for bench in benches:
                    progress(f"{bench.setup.label}: start, one warm-up course")
                    await bench.start()
                    await bench.generate(1)
                background = await background_load(0.5)
                for number in range(1, config.latency_courses + 1):
                    progress(f"latency, course {number} of {config.latency_courses} on each setup")
                    for bench in benches:
                        await bench.one_course()
                for bench in benches:
                    await bench.analyse_latency()
                for rep in range(1, config.throughput_rounds + 1):
                    for bench in benches:
                        progress(
                            f"{bench.setup.label}: throughput, {config.throughput_courses} courses"
                            f" at once, round {rep} of {config.throughput_rounds}"
                        )
                        await bench.burst(config.throughput_courses)
            finally:
                for bench in benches:
                    await bench.close()
    runs = {bench.setup.name: bench.result for bench in benches}
    figures = summarize(config, runs, alone, background)
    text = report(config, quick, about, figures, time.perf_counter() - began)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    name = "courses-quick" if quick else "courses"
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    (RESULTS / f"{name}.json").write_text(json.dumps({"about": about, **figures}, indent=2) + "\n")
    return 0


COMPONENTS = (
    "stream",
    "start_workflow",
    "to_first_activity",
    "stream_between",
    "between_activities",
    "activities",
    "generator",
    "site",
    "evidence",
    "steps_rest",
)


def summarize(
    config: Config, runs: dict[str, SetupRun], alone: list[float], background: float | None
) -> dict[str, Any]:
    generation = median(alone)
    setups: dict[str, Any] = {}
    for name, run_ in runs.items():
        lat = run_.latency
        totals = [r["total"] for r in lat]
        grand = sum(totals)
        cpu = run_.latency_cpu
        n = len(lat)
        per_minute = [t["per_minute"] for t in run_.throughput]
        setups[name] = {
            "latency_n": n,
            "latency_median": median(totals),
            "latency_max": max(totals),
            "latency_p99": percentile(totals, 99) if n >= P99_MIN_SAMPLES else None,
            "latencies": totals,
            "components": {
                key: {
                    "median": median([r[key] for r in lat]),
                    "share": sum(r[key] for r in lat) / grand,
                }
                for key in COMPONENTS
            },
            "engine_share": sum(
                r["start_workflow"] + r["to_first_activity"] + r["between_activities"] for r in lat
            )
            / grand,
            "generator_share": sum(r["generator"] for r in lat) / grand,
            "ratio_to_generation": median(totals) / generation,
            "history": {
                key: median([r[key] for r in lat])
                for key in (
                    "history_events",
                    "workflow_tasks",
                    "workflow_task_seconds",
                    "workflow_task_median",
                    "workflow_task_wait_median",
                    "workflow_task_run_median",
                    "activity_tasks",
                    "activity_wait_median",
                )
            },
            "activity_runs": median([r["activity_runs"] for r in lat]),
            "step_failures": sum(r["step_failures"] for r in lat),
            "commit_gap_median": median(run_.commit_gap),
            "steps": run_.steps,
            "cpu_per_course": {
                "own": cpu.own / n,
                "engine": cpu.engine / n,
                "rest": (cpu.machine - cpu.own - cpu.engine) / n if cpu.machine else None,
                "wall": cpu.wall / n,
                "threads": {k: v / n for k, v in cpu.threads.items()},
            },
            "throughput": {
                "per_minute": median(per_minute),
                "runs": per_minute,
                "courses": config.throughput_courses,
                "latency_median": median([t["latency_median"] for t in run_.throughput]),
                "latency_max": max(t["latency_max"] for t in run_.throughput),
                "own_cpu_share": median(
                    [t["cpu"]["own"] / t["cpu"]["wall"] for t in run_.throughput]
                ),
                "engine_cpu_share": median(
                    [t["cpu"]["engine"] / t["cpu"]["wall"] for t in run_.throughput]
                ),
                "machine_busy": median(
                    [
                        (t["cpu"]["machine"] or 0.0) / t["cpu"]["wall"] / (os.cpu_count() or 1)
                        for t in run_.throughput
                    ]
                ),
                "step_failures": sum(t["step_failures"] for t in run_.throughput),
                "workflow_task_timeouts": sum(t["workflow_task_timeouts"] for t in run_.throughput),
                "workflow_task_max": max(t["workflow_task_max"] for t in run_.throughput),
                "background": [t["background"] for t in run_.throughput],
                "details": run_.throughput,
            },
        }
    return {
        "config": config.__dict__,
        "background_latency": background,
        "generation_alone": {"median": generation, "runs": len(alone), "min": min(alone)},
        "setups": setups,
    }


def report(
    config: Config, quick: bool, about: dict[str, str], f: dict[str, Any], elapsed: float
) -> str:
    s = [f["setups"][setup.name] for setup in SETUPS]
    n = config.latency_courses
    gen = f["generation_alone"]

    def row(label: str, values: list[str]) -> tuple[str, ...]:
        return (label, *values)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f}"

    def part(key: str) -> list[str]:
        return [
            f"{ms(x['components'][key]['median'])} ms {x['components'][key]['share']:>4.0%}"
            for x in s
        ]

    def pct(value: float | None) -> str:
        return "?" if value is None else f"{value:.0%}"

    def spread(values: Sequence[float], digits: int = 1) -> str:
        return f"{min(values):.{digits}f} .. {max(values):.{digits}f}"

    throughput_label = f"throughput, courses/minute ({config.throughput_courses} at once"
    throughput_label += (
        f", median of {config.throughput_rounds})" if config.throughput_rounds > 1 else ")"
    )
    rows: list[tuple[str, ...]] = [
        row("", [setup.label for setup in SETUPS]),
        row(
            throughput_label,
            [
                f"{x['throughput']['per_minute']:.1f}"
                + (
                    f" ({spread(x['throughput']['runs'])})"
                    if len(x["throughput"]["runs"]) > 1
                    else ""
                )
                for x in s
            ],
        ),
        row(
            "  request -> completed at that load, median / max s",
            [
                f"{x['throughput']['latency_median']:.1f} / {x['throughput']['latency_max']:.1f}"
                for x in s
            ],
        ),
        row(
            f"request -> completed, one at a time, median s (N={n})",
            [f"{x['latency_median']:.2f}" for x in s],
        ),
        row(
            "  p99 s" if n >= P99_MIN_SAMPLES else f"  max of {n}, s",
            [
                f"{x['latency_p99'] if x['latency_p99'] is not None else x['latency_max']:.2f}"
                for x in s
            ],
        ),
        row("  as courses/minute, one at a time", [f"{60 / x['latency_median']:.1f}" for x in s]),
        row("where the time goes, one at a time: median ms, share", ["", ""]),
        row("  event stream: requested -> consumer", part("stream")),
        row("  consumer starts the workflow (Temporal RPC)", part("start_workflow")),
        row("  Temporal: workflow start -> first activity", part("to_first_activity")),
        row("  no step running, event stream batch in progress", part("stream_between")),
        row("  no step running, nor event stream: Temporal", part("between_activities")),
        row("  generation steps running (activities)", part("activities")),
        row("    content generator (outline, 30 lessons, quiz, landing)", part("generator")),
        row("    staging site rendering (its reads included)", part("site")),
        row("    evidence pack step", part("evidence")),
        row("    the rest: transactions, events, reads of the steps", part("steps_rest")),
        row(
            "workflow engine share (consumer RPC + Temporal)",
            [f"{x['engine_share']:.0%}" for x in s],
        ),
        row("content generator share", [f"{x['generator_share']:.1%}" for x in s]),
        row(
            f"generation alone, no DB, no Temporal, ms (median of {gen['runs']})",
            [f"{gen['median'] * 1000:.1f}", "(same)"],
        ),
        row(
            "ratio end to end / generation alone",
            [f"{x['ratio_to_generation']:,.0f}x" for x in s],
        ),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        f"Course generation benchmark ({'quick' if quick else 'full'} run, {elapsed:.0f} s)",
        f"  Python {about['python']}, SQLite {about['sqlite']}, PostgreSQL {about['postgresql']},"
        f" Redis {about['redis']},",
        f"  Temporal dev server {about['temporal']} (SQLite file), one for the run;",
        f"  {about['cpus']} CPUs shared by this process (requests, worker, Temporal worker),"
        " the dev server, PostgreSQL and Redis;",
        f"  load average at start {about['load']}; CPUs busy with other work just before the run"
        f" {about['background']}, before the latency courses {pct(f['background_latency'])}",
        f"  every course: template generator, {TEMPLATE}, en, {LESSONS} lessons in the outline, "
        f"full_lessons_count={LESSONS}, quiz, landing page, staging, evidence pack;",
        "  both setups' platforms run in this process, their courses alternate;",
        "  default settings (lesson concurrency 4); times from the events' timestamps",
        "",
    ]
    for r in rows:
        lines.append(f"  {r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}".rstrip())
    lines.append("")
    for setup, x in zip(SETUPS, s, strict=True):
        h, cpu, t = x["history"], x["cpu_per_course"], x["throughput"]
        rest = f"{cpu['rest']:.2f}" if cpu["rest"] is not None else "?"
        lines += [
            f"  {setup.label}, one at a time (medians per course):",
            f"    Temporal: {h['activity_tasks']:.0f} activity tasks, {h['workflow_tasks']:.0f}"
            f" workflow tasks, {h['history_events']:.0f} history events; a workflow task takes"
            f" {h['workflow_task_median'] * 1000:.0f} ms",
            f"    from scheduled to completed ({h['workflow_task_wait_median'] * 1000:.0f} ms until"
            f" the worker picks it up, {h['workflow_task_run_median'] * 1000:.0f} ms in the"
            f" worker), {h['workflow_task_seconds']:.2f} s in all; activity scheduled -> started"
            f" {h['activity_wait_median'] * 1000:.0f} ms",
            f"    CPU seconds per course: this process {cpu['own']:.2f}, Temporal dev server"
            f" {cpu['engine']:.2f}, everything else on the machine {rest} (wall {cpu['wall']:.2f})",
            "      this process by thread: "
            + ", ".join(f"{k} {v:.2f}" for k, v in cpu["threads"].items()),
            f"    {t['courses']} at once: this process {t['own_cpu_share']:.0%} of one core, dev "
            f"server {t['engine_cpu_share']:.0%} of one core, machine {t['machine_busy']:.0%} busy"
            " (busy with other work just before: "
            + ", ".join(pct(b) for b in t["background"])
            + ");",
            f"      longest workflow task {t['workflow_task_max']:.1f} s, workflow tasks timed out"
            f" or failed {t['workflow_task_timeouts']:.0f}, step runs failed and retried "
            f"{t['step_failures'] + x['step_failures']:.0f}",
            f"    events' timestamps vs the commits seen from this process: median difference "
            f"{x['commit_gap_median'] * 1000:.1f} ms",
            f"    {'step, one at a time':<22} {'runs/course':>11} {'ms/run':>7} {'ms/course':>9}"
            f" {'SQL/run':>7} {'SQL/course':>10}",
        ]
        for step, st in x["steps"].items():
            if step == "other":
                lines.append(
                    f"    {'other: event stream':<22} {'':>11} {'':>7} {'':>9} {'':>7}"
                    f" {st['statements_per_course']:>10.0f}"
                )
                continue
            lines.append(
                f"    {step:<22} {st['runs_per_course']:>11.0f} {st['ms_per_run']:>7.1f}"
                f" {st['ms_per_course']:>9.0f} {st['statements_per_run']:>7.1f}"
                f" {st['statements_per_course']:>10.0f}"
            )
    return "\n".join(lines)
