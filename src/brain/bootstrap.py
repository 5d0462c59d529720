"""The composition root: builds the platform from settings and the declared modules.

The API, the worker and the CLI all start here. Business modules are known only through their
declarations (`<module>/module.py`, `docs/modules.md`): this file combines their settings, builds
the read contracts they provide, refuses to start when one needs a contract nobody provides,
builds each module and wires what it returns into the app, the worker and the CLI.

Nothing is built at import time. Tests call `build_platform` / `create_app` with their own settings.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar, cast

from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import MetaData
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from brain import __version__
from brain.course_content.module import MODULE as COURSE_CONTENT
from brain.course_distribution.module import MODULE as COURSE_DISTRIBUTION
from brain.course_factory.module import MODULE as COURSE_FACTORY
from brain.dashboard.module import MODULE as DASHBOARD
from brain.events import SubscriberRegistry
from brain.events.router import OPERATIONS as EVENT_OPERATIONS
from brain.events.router import router as events_router
from brain.events.settings import EventSettings, EventTransport
from brain.events.stream import EventStream, build_event_stream
from brain.integrations.module import MODULE as INTEGRATIONS
from brain.kernel import migrations
from brain.kernel.auth.router import router as auth_router
from brain.kernel.config import BrainSettings, Settings, load_settings
from brain.kernel.db import Base, Database
from brain.kernel.errors import (
    UnexpectedErrorMiddleware,
    install_error_handlers,
    problem_openapi,
)
from brain.kernel.limits import BodySizeLimitMiddleware
from brain.kernel.observability import HttpMetricsMiddleware, Metrics, RequestIdMiddleware
from brain.kernel.ops import OPERATIONS, Operations, ReadinessCheck
from brain.kernel.ops import router as ops_router
from brain.kernel.requests import RequestTextGuard
from brain.kernel.response_cache import ResponseCacheMiddleware
from brain.kernel.security import SecurityHeadersMiddleware, install_docs
from brain.kernel.temporal import TemporalRuntime
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import DATABASE, SETTINGS, UNITS_OF_WORK
from brain.modules import Contracts, MissingContract, Module, Parts, Services, TemporalWorker
from brain.payments.module import MODULE as PAYMENTS

log = logging.getLogger(__name__)

D = TypeVar("D")

MODULES: tuple[Module[Any], ...] = (
    COURSE_FACTORY,
    COURSE_DISTRIBUTION,
    COURSE_CONTENT,
    PAYMENTS,
    INTEGRATIONS,
    DASHBOARD,
)
"""Every business module, in the order their routes are included."""


def settings_class(modules: Sequence[Module[Any]] = MODULES) -> type[Settings]:
    """One settings class made of the kernel's, the event stream's and every module's."""
    parts: list[type[BrainSettings]] = [Settings, EventSettings]
    parts += [m.settings for m in modules if m.settings is not None]
    return cast(type[Settings], type("PlatformSettings", tuple(parts), {}))


PlatformSettings = settings_class()


def load_platform_settings(**overrides: object) -> Settings:
    """The platform's settings from the environment (and `overrides`, for tests)."""
    return load_settings(PlatformSettings, **overrides)


def metadata() -> MetaData:
    """The metadata of every table of the platform (for Alembic autogenerate)."""
    import brain.course_content.models
    import brain.course_distribution.models
    import brain.course_factory.models
    import brain.events.models
    import brain.integrations.models
    import brain.kernel.auth.models
    import brain.payments.models  # noqa: F401

    return Base.metadata


class SchemaOutOfDate(Exception):
    pass


@dataclass
class Platform:
    settings: Settings
    database: Database
    events: EventStream
    metrics: Metrics
    temporal: TemporalRuntime
    contracts: Contracts
    modules: dict[str, tuple[Module[Any], Parts[Any]]]
    redis: Redis | None = None
    readiness_checks: dict[str, ReadinessCheck] = field(default_factory=dict)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.database.sessionmaker)

    def parts_of(self, module: Module[D]) -> Parts[D]:
        return cast(Parts[D], self.modules[module.name][1])

    def deps_of(self, module: Module[D]) -> D:
        return self.parts_of(module).deps

    def parts(self) -> list[tuple[Module[Any], Parts[Any]]]:
        return list(self.modules.values())

    async def check_schema(self) -> None:
        """Fail with a clear message when the database is behind the code's migrations."""
        await check_schema(self.database)

    async def close(self) -> None:
        for _module, parts in reversed(self.parts()):
            for close in parts.close:
                await close()
        await self.temporal.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.database.dispose()


async def check_schema(database: Database) -> None:
    await database.check()
    current = await migrations.current(database.engine)
    head = migrations.head()
    if current != head:
        raise SchemaOutOfDate(
            f"the database schema is at {current or 'nothing'}, the code needs {head}: "
            "run `brain db upgrade`"
        )


async def check_schema_unpooled(settings: Settings) -> None:
    """`check_schema` on connections closed right after it: for a check run in an event loop of
    its own before the server starts its loop (a pooled asyncpg connection would stay bound to the
    check's closed loop, and the first request to draw it would fail)."""
    database = Database(settings.resolved_database_url, pooled=False)
    try:
        await check_schema(database)
    finally:
        await database.dispose()


def check_contracts(modules: Sequence[Module[Any]], provided: Sequence[type]) -> None:
    """Every contract a module needs is provided, or the start stops saying which is missing."""
    missing = [
        f"{module.name} needs {needed.__name__}"
        for module in modules
        for needed in module.needs
        if needed not in provided and not any(needed in m.exports for m in modules)
    ]
    if missing:
        raise MissingContract("no declared module provides what these need: " + "; ".join(missing))


def build_order(modules: Sequence[Module[Any]], ready: set[type]) -> list[Module[Any]]:
    """The modules in their declared order, except that one needing (or using) another's
    export comes after it (exports are made from a built module's dependencies)."""
    exporter = {kind: module.name for module in modules for kind in module.exports}
    ordered: list[Module[Any]] = []
    waiting = list(modules)
    available = set(ready)
    while waiting:
        module = next(
            (
                m
                for m in waiting
                if all(n in available or n not in exporter for n in [*m.needs, *m.uses])
            ),
            None,
        )
        if module is None:
            names = ", ".join(m.name for m in waiting)
            raise MissingContract(f"these modules need each other's exports: {names}")
        waiting.remove(module)
        ordered.append(module)
        available.update(module.exports)
    return ordered


def build_platform(
    settings: Settings | None = None,
    *,
    subscribers: SubscriberRegistry | None = None,
    consumer_name: str | None = None,
    contracts: Mapping[type, object] | None = None,
    modules: Sequence[Module[Any]] = MODULES,
) -> Platform:
    """The platform with every module built. `subscribers`: run these instead of the modules'
    consumers; `contracts`: implementations that replace what the modules provide (tests)."""
    settings = settings or load_platform_settings()
    if not isinstance(settings, EventSettings):
        raise TypeError("build_platform needs the platform's settings (load_platform_settings)")
    if settings.resolved_database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(
        settings.resolved_database_url,
        pool_size=settings.database_pool_size,
        hide_parameters=not settings.log_sql,
    )
    metrics = Metrics()
    redis = None
    if settings.event_transport is EventTransport.REDIS:
        redis = Redis.from_url(settings.redis_url)
    temporal = TemporalRuntime(
        settings.temporal_address,
        settings.temporal_namespace,
        dev_db_file=settings.data_dir / "temporal.db",
        dev_port=settings.temporal_dev_port,
    )
    registry = subscribers if subscribers is not None else SubscriberRegistry()
    events = build_event_stream(
        settings,
        database,
        metrics.registry,
        redis=redis,
        subscribers=registry,
        consumer_name=consumer_name,
    )
    services = Services(
        settings=settings,
        database=database,
        publisher=events.publisher,
        events=events.operations,
        temporal=temporal,
        metrics=metrics.registry,
        contracts=Contracts(),
    )
    provided = {kind: make for module in modules for kind, make in module.provides.items()}
    replaced = dict(contracts or {})
    check_contracts(modules, [*provided, *replaced])
    for kind, make in provided.items():
        services.contracts.add(kind, replaced.pop(kind, None) or make(services))
    for kind, implementation in replaced.items():
        services.contracts.add(kind, implementation)
    built: dict[str, tuple[Module[Any], Parts[Any]]] = {}
    for module in build_order(modules, set(services.contracts.kinds())):
        parts = module.build(services)
        built[module.name] = (module, parts)
        for kind, export in module.exports.items():
            services.contracts.add(kind, replaced.get(kind) or export(parts.deps))
        if subscribers is None:
            for subscriber in parts.subscribers:
                registry.add(subscriber)
    built = {module.name: built[module.name] for module in modules}  # routes in declared order
    platform = Platform(
        settings=settings,
        database=database,
        events=events,
        metrics=metrics,
        temporal=temporal,
        contracts=services.contracts,
        modules=built,
        redis=redis,
    )
    platform.readiness_checks["database"] = database.check
    if redis is not None:
        client = redis

        async def redis_ready() -> None:
            await client.ping()

        platform.readiness_checks["redis"] = redis_ready
    return platform


def create_app(platform: Platform | None = None) -> FastAPI:
    platform = platform or build_platform()
    settings = platform.settings
    background = [task for _module, parts in platform.parts() for task in parts.background]

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        tasks = [asyncio.create_task(run(stop)) for run in background]
        worker = None
        if settings.runs_embedded_worker:
            worker = asyncio.create_task(run_worker(platform, stop), name="embedded-worker")
        log.info("API ready on %s", settings.public_url)
        try:
            yield
        finally:
            stop.set()
            for task in tasks:  # e.g. the last tracking counts, before the transport closes
                await task
            if worker is not None:
                await worker
            await platform.close()

    app = FastAPI(
        title="BRAiN course platform",
        version=__version__,
        summary="Generates courses, distributes them publicly, deploys their exercises.",
        description=(
            "Admin routes take an API key: `Authorization: Bearer <key>` (create one with "
            "`brain apikey create`). Every error is an RFC 9457 problem document."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_docs(app)
    SETTINGS.bind(app, settings)
    DATABASE.bind(app, platform.database)
    UNITS_OF_WORK.bind(app, platform.unit_of_work)
    OPERATIONS.bind(
        app,
        Operations(
            readiness_checks=platform.readiness_checks,
            metrics=platform.metrics,
            before_metrics=[
                platform.events.refresh_gauges,
                *(refresh for _m, parts in platform.parts() for refresh in parts.before_metrics),
            ],
        ),
    )
    EVENT_OPERATIONS.bind(app, platform.events.operations)

    install_error_handlers(app)
    problem_openapi(app)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        overrides=[limit for _module, parts in platform.parts() for limit in parts.body_limits],
    )
    app.add_middleware(RequestTextGuard)
    app.add_middleware(HttpMetricsMiddleware, metrics=platform.metrics)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestIdMiddleware)
    # Outermost: a kept public response is answered before anything else runs (ADR 0024).
    app.add_middleware(
        ResponseCacheMiddleware,
        groups=[group for _module, parts in platform.parts() for group in parts.cached],
        metrics=platform.metrics,
    )

    app.include_router(ops_router)
    app.include_router(auth_router)
    app.include_router(events_router)
    for module, parts in platform.parts():
        module.dependency.bind(app, parts.deps)
        for router in module.routers:
            app.include_router(router)
    for module, _parts in platform.parts():
        for router in module.pages:
            app.include_router(router)
    for _module, parts in platform.parts():
        for mount in parts.mounts:
            app.mount(mount.path, mount.app, name=mount.name)
    return app


def temporal_workers(platform: Platform) -> list[TemporalWorker]:
    """The modules' Temporal workers, one per task queue (modules sharing a queue share it)."""
    by_queue: dict[str, TemporalWorker] = {}
    for _module, parts in platform.parts():
        for spec in parts.workers:
            known = by_queue.get(spec.task_queue)
            if known is None:
                by_queue[spec.task_queue] = spec
            else:
                by_queue[spec.task_queue] = TemporalWorker(
                    spec.task_queue,
                    [*known.workflows, *spec.workflows],
                    [*known.activities, *spec.activities],
                    max(known.max_concurrent_activities, spec.max_concurrent_activities),
                )
    return list(by_queue.values())


ACTIVITY_GRACE_SHARE = 0.75
"""Of the worker's shutdown bound, the share Temporal activities get to finish before they are
cancelled; the rest is for reporting their cancellation to Temporal."""


CANCEL_SECONDS = 1.0
"""How long the worker waits for what it cancelled at the end of its shutdown bound to end."""


async def run_worker(platform: Platform, stop: asyncio.Event) -> None:
    """The background worker: the event relay, every registered consumer, the modules' worker
    tasks and their Temporal workers, until `stop`.

    Stopping is bounded by `BRAIN_WORKER_SHUTDOWN_SECONDS`: work in flight (activities, event
    batches, worker tasks) may finish within it, and what is left then is cancelled. Nothing is
    lost by that: a cancelled activity is retried by Temporal (its cancellation reported as a
    failure, or, when the report cannot reach Temporal, after its start-to-close timeout); a
    cancelled event batch rolls its transaction back and is not acknowledged, so the transport
    delivers it again (the SQL log from the subscription's committed position once the lease is
    released or runs out, Redis by reclaiming the pending entries), deduplicated by
    `processed_events`; the relay's hand-over is at-least-once and deduplicated by event id; a
    webhook or mail claimed by a cancelled task is sent again when its lease runs out."""
    settings = platform.settings
    events_settings = cast(EventSettings, settings)
    log.info(
        "worker started (transport=%s, loop=%s, subscribers: %s)",
        events_settings.event_transport.value,
        type(asyncio.get_running_loop()).__module__.split(".")[0],
        ", ".join(platform.events.registry.names()) or "none",
    )
    bound = settings.worker_shutdown_seconds
    try:
        specs = temporal_workers(platform)
        workers: list[Worker] = []
        if specs:
            client = await platform.temporal.client()
            workers = [
                Worker(
                    client,
                    task_queue=spec.task_queue,
                    workflows=list(spec.workflows),
                    activities=list(spec.activities),
                    max_concurrent_activities=spec.max_concurrent_activities,
                    graceful_shutdown_timeout=timedelta(seconds=bound * ACTIVITY_GRACE_SHARE),
                    workflow_runner=SandboxedWorkflowRunner(
                        restrictions=SandboxRestrictions.default.with_passthrough_modules(
                            "opentelemetry"
                        )
                    ),
                )
                for spec in specs
            ]
        tasks = [task for _module, parts in platform.parts() for task in parts.tasks]

        async def run(halt: asyncio.Event) -> None:
            await asyncio.gather(platform.events.run(halt), *(task(halt) for task in tasks))

        await _serve(workers, run, stop, bound)
    except Exception:
        log.exception("the worker failed")
        raise
    finally:
        log.info("worker stopped")


async def _serve(
    workers: Sequence[Worker],
    run: Callable[[asyncio.Event], Coroutine[Any, Any, None]],
    stop: asyncio.Event,
    bound: float,
) -> None:
    """Run `run(halt)` and every Temporal worker of `workers` until `stop` (or until one of them
    ends or fails), then stop them all within `bound` seconds and cancel what is still running
    after it. Re-raises the first failure."""
    halt = asyncio.Event()
    parts = [
        asyncio.create_task(run(halt), name="worker-tasks"),
        *(
            asyncio.create_task(worker.run(), name=f"temporal-worker:{worker.task_queue}")
            for worker in workers
        ),
    ]
    stopped = asyncio.create_task(stop.wait(), name="worker-stop")
    try:
        await asyncio.wait([stopped, *parts], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        log.info(
            "worker stopping: waiting up to %gs for work in flight (activities, event batches)",
            bound,
        )
        halt.set()
        shutdowns = [
            asyncio.create_task(worker.shutdown(), name=f"temporal-shutdown:{worker.task_queue}")
            for worker in workers
        ]
        pending = [task for task in [*parts, *shutdowns] if not task.done()]
        if pending:
            _done, left = await asyncio.wait(pending, timeout=bound)
            if left:
                log.warning(
                    "worker stopping: %s still running, cancelled after %gs (Temporal retries "
                    "their activities; unacknowledged events are delivered again)",
                    ", ".join(sorted({task.get_name() for task in left})),
                    bound,
                )
                for task in left:
                    task.cancel()
                _done, stuck = await asyncio.wait(left, timeout=CANCEL_SECONDS)
                if stuck:
                    log.warning(
                        "worker stopping: %s did not end when cancelled; leaving it",
                        ", ".join(sorted({task.get_name() for task in stuck})),
                    )
    for task in parts:
        if not task.cancelled() and task.exception() is not None:
            raise cast(BaseException, task.exception())
