"""The composition root: builds the platform from settings.

The API, the worker and the CLI all start here.

Nothing is built at import time. Tests call `build_platform` / `create_app` with their own settings.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from redis.asyncio import Redis
from sqlalchemy import MetaData
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from brain import __version__
from brain.course_distribution.catalog import ResponseCache
from brain.course_distribution.consumers import distribution_consumer
from brain.course_distribution.pages import router as distribution_pages_router
from brain.course_distribution.router import router as distributions_router
from brain.course_distribution.tracking import build_tracking
from brain.course_distribution.tracking import router as tracking_router
from brain.course_factory.activities import GenerationActivities
from brain.course_factory.consumers import generation_starter
from brain.course_factory.contract import OutlineReader
from brain.course_factory.generation import GenerationSteps
from brain.course_factory.generators.factory import build_generator
from brain.course_factory.router import FactoryDeps
from brain.course_factory.router import router as courses_router
from brain.course_factory.workflows import CourseGenerationWorkflow
from brain.events.consumer import SubscriberRegistry
from brain.events.router import router as events_router
from brain.events.stream import EventStream, build_event_stream
from brain.kernel import migrations
from brain.kernel.auth.router import router as auth_router
from brain.kernel.config import EventTransport, Settings, load_settings
from brain.kernel.db import Base, Database
from brain.kernel.errors import UnexpectedErrorMiddleware, install_error_handlers
from brain.kernel.limits import BodySizeLimitMiddleware
from brain.kernel.observability import HttpMetricsMiddleware, Metrics, RequestIdMiddleware
from brain.kernel.ops import ReadinessCheck
from brain.kernel.ops import router as ops_router
from brain.kernel.temporal import TemporalRuntime
from brain.kernel.uow import UnitOfWork

log = logging.getLogger(__name__)


def metadata() -> MetaData:
    """The metadata of every table of the platform (for Alembic autogenerate)."""
    import brain.course_distribution.models
    import brain.course_factory.models
    import brain.events.models
    import brain.kernel.auth.models  # noqa: F401

    return Base.metadata


@dataclass
class Platform:
    settings: Settings
    database: Database
    events: EventStream
    metrics: Metrics
    temporal: TemporalRuntime
    factory: FactoryDeps
    redis: Redis | None = None
    readiness_checks: dict[str, ReadinessCheck] = field(default_factory=dict)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.database.sessionmaker)

    async def check_schema(self) -> None:
        """Fail with a clear message when the database is behind the code's migrations."""
        await self.database.check()
        current = await migrations.current(self.database.engine)
        head = migrations.head()
        if current != head:
            raise SchemaOutOfDate(
                f"the database schema is at {current or 'nothing'}, the code needs {head}: "
                "run `brain db upgrade`"
            )

    async def close(self) -> None:
        generator_close = getattr(self.factory.steps.generator, "aclose", None)
        if generator_close is not None:  # the LLM generator's HTTP client
            await generator_close()
        await self.temporal.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.database.dispose()


class SchemaOutOfDate(Exception):
    pass


def register_subscribers(
    registry: SubscriberRegistry, settings: Settings, temporal: TemporalRuntime
) -> None:
    """Every business module's consumers."""
    registry.add(generation_starter(temporal, settings))
    registry.add(distribution_consumer(settings))


def build_platform(
    settings: Settings | None = None,
    *,
    subscribers: SubscriberRegistry | None = None,
    consumer_name: str | None = None,
) -> Platform:
    settings = settings or load_settings()
    if settings.resolved_database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.resolved_database_url, pool_size=settings.database_pool_size)
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
    if subscribers is None:
        subscribers = SubscriberRegistry()
        register_subscribers(subscribers, settings, temporal)
    events = build_event_stream(
        settings,
        database,
        metrics.registry,
        redis=redis,
        subscribers=subscribers,
        consumer_name=consumer_name,
    )
    steps = GenerationSteps(
        lambda: UnitOfWork(database.sessionmaker),
        events.publisher,
        build_generator(settings),
        data_dir=settings.data_dir,
        public_url=settings.public_url,
    )
    factory = FactoryDeps(
        steps=steps, temporal=temporal, publisher=events.publisher, events=events.operations
    )
    platform = Platform(
        settings=settings,
        database=database,
        events=events,
        metrics=metrics,
        temporal=temporal,
        factory=factory,
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
    tracker = build_tracking(settings, platform.unit_of_work, platform.events.publisher)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        worker = None
        flusher = asyncio.create_task(tracker.aggregator.run(stop), name="tracking-flush")
        if settings.runs_embedded_worker:
            worker = asyncio.create_task(run_worker(platform, stop), name="embedded-worker")
        log.info("API ready on %s", settings.public_url)
        try:
            yield
        finally:
            stop.set()
            await flusher  # the last counts are published before the transport closes
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
    )
    app.state.settings = settings
    app.state.platform = platform
    app.state.database = platform.database
    app.state.metrics = platform.metrics
    app.state.uow_factory = platform.unit_of_work
    app.state.readiness_checks = platform.readiness_checks
    app.state.event_stream = platform.events
    app.state.publisher = platform.events.publisher
    app.state.before_metrics = [platform.events.refresh_gauges]
    app.state.course_factory = platform.factory
    app.state.course_outlines = OutlineReader(platform.database)
    app.state.distribution_tracking = tracker
    app.state.distribution_catalog_cache = ResponseCache()

    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(HttpMetricsMiddleware, metrics=platform.metrics)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(RequestIdMiddleware)

    app.include_router(ops_router)
    app.include_router(auth_router)
    app.include_router(events_router)
    app.include_router(courses_router)
    app.include_router(distributions_router)
    app.include_router(tracking_router)
    app.include_router(distribution_pages_router)
    sites = settings.data_dir / "sites"
    sites.mkdir(parents=True, exist_ok=True)
    app.mount("/staging", StaticFiles(directory=sites, html=True), name="staging")
    return app


async def run_worker(platform: Platform, stop: asyncio.Event) -> None:
    """The background worker: the event relay and every registered consumer, until `stop`.
    In-flight batches finish before it returns."""
    log.info(
        "worker started (transport=%s, subscribers: %s)",
        platform.settings.event_transport.value,
        ", ".join(platform.events.registry.names()) or "none",
    )
    try:
        client = await platform.temporal.client()
        worker = Worker(
            client,
            task_queue=platform.settings.temporal_task_queue,
            workflows=[CourseGenerationWorkflow],
            activities=GenerationActivities(platform.factory.steps).all(),
            max_concurrent_activities=max(platform.settings.generation_lesson_concurrency * 2, 8),
            graceful_shutdown_timeout=timedelta(seconds=10),
            workflow_runner=SandboxedWorkflowRunner(
                restrictions=SandboxRestrictions.default.with_passthrough_modules("opentelemetry")
            ),
        )
        async with worker:
            await platform.events.run(stop)
    except Exception:
        log.exception("the worker failed")
        raise
    finally:
        log.info("worker stopped")
