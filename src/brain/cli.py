"""`brain`: the one command-line entry point (serve, worker, setup, db, tenant, apikey)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, NoReturn, TypeVar

import typer
import uvicorn
from prometheus_client import start_http_server
from pydantic import ValidationError

from brain.bootstrap import Platform, SchemaOutOfDate, build_platform, create_app, run_worker
from brain.course_distribution import catalog as distribution_catalog
from brain.course_factory.repository import CourseRepository
from brain.course_factory.schemas import GenerateRequest
from brain.course_factory.service import CourseService
from brain.events import CATALOG, Event
from brain.events.models import DeadLetter
from brain.events.operations import ReplayResult
from brain.kernel import migrations
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService, IssuedKey, Principal
from brain.kernel.config import Settings, SettingsError, load_settings
from brain.kernel.db import DatabaseUnavailable
from brain.kernel.errors import BrainError, NotFound, ValidationFailed
from brain.kernel.observability import configure_logging

T = TypeVar("T")

app = typer.Typer(
    name="brain",
    help="BRAiN course platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
tenant_app = typer.Typer(help="Tenants.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys (stored only as hashes; shown once).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(tenant_app, name="tenant")
app.add_typer(apikey_app, name="apikey")
courses_app = typer.Typer(help="Courses: generate, list, show.", no_args_is_help=True)
app.add_typer(courses_app, name="courses")
distributions_app = typer.Typer(
    help="Course distributions: the public catalog.", no_args_is_help=True
)
app.add_typer(distributions_app, name="distributions")
events_app = typer.Typer(help="The event stream: tail, replay, dead letters.", no_args_is_help=True)
dlq_app = typer.Typer(help="Dead letters (all tenants).", no_args_is_help=True)
events_app.add_typer(dlq_app, name="dlq")
app.add_typer(events_app, name="events")


def fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def settings() -> Settings:
    try:
        loaded = load_settings()
    except SettingsError as exc:
        fail(str(exc), code=2)
    configure_logging(loaded.log_level.value, loaded.log_format.value)
    return loaded


def with_platform(work: Callable[[Platform], Awaitable[T]], *, check_schema: bool = True) -> T:
    """Build the platform, make sure its database answers (and is migrated), run `work`."""

    async def run() -> T:
        platform = build_platform(settings())
        try:
            if check_schema:
                await platform.check_schema()
            else:
                await platform.database.check()
            return await work(platform)
        finally:
            await platform.close()

    try:
        return asyncio.run(run())
    except (DatabaseUnavailable, SchemaOutOfDate) as exc:
        fail(str(exc))
    except ValidationFailed as exc:
        fail(exc.detail, code=2)
    except BrainError as exc:
        fail(exc.detail)


def print_key(issued: IssuedKey, tenant: str) -> None:
    typer.echo(f"API key for tenant {tenant!r}, role {issued.key.role.value} (id {issued.key.id}).")
    typer.echo("It is shown only now; store it safely:")
    typer.secho(f"  {issued.plaintext}", bold=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default BRAIN_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default BRAIN_PORT).")] = None,
) -> None:
    """Start the API (with the embedded worker on the default setup)."""
    config = settings()
    platform = build_platform(config)
    try:
        asyncio.run(platform.check_schema())
    except (DatabaseUnavailable, SchemaOutOfDate) as exc:
        asyncio.run(platform.close())
        fail(str(exc))
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(platform),
            host=host or config.host,
            port=port or config.port,
            log_config=None,
            access_log=False,
            proxy_headers=True,
        )
    )
    server.run()


@app.command()
def worker() -> None:
    """Run the background worker until SIGINT/SIGTERM."""

    async def work(platform: Platform) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        port = platform.settings.worker_metrics_port
        if port:
            start_http_server(port, addr=platform.settings.host, registry=platform.metrics.registry)
            typer.echo(f"worker metrics on http://{platform.settings.host}:{port}/metrics")
        await run_worker(platform, stop)

    with_platform(work)


@app.command()
def setup() -> None:
    """Migrate the database; on an empty one, create the `demo` tenant and print its admin key."""

    async def work(platform: Platform) -> IssuedKey | None:
        await migrations.upgrade(platform.database.engine)
        async with platform.unit_of_work() as uow:
            return await AuthService(uow.session).ensure_demo_tenant()

    issued = with_platform(work, check_schema=False)
    config = load_settings()
    base = config.public_url
    typer.echo(f"Database migrated: {config.resolved_database_url}")
    if issued is not None:
        print_key(issued, "demo")
        typer.echo(f'Try it:  curl -H "Authorization: Bearer {issued.plaintext}" {base}/api/me')
    typer.echo(f"API docs:   {base}/docs")
    typer.echo(f"Health:     {base}/health   Readiness: {base}/ready   Metrics: {base}/metrics")
    typer.echo("More keys:  .venv/bin/brain apikey create --tenant demo --role editor")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database up to REVISION (default: head)."""
    check_revision(revision)

    async def work(platform: Platform) -> str | None:
        await migrations.upgrade(platform.database.engine, revision)
        return await migrations.current(platform.database.engine)

    typer.echo(f"database at {with_platform(work, check_schema=False) or 'base'}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or `base`.")],
) -> None:
    """Migrate the database down to REVISION."""
    check_revision(revision)

    async def work(platform: Platform) -> str | None:
        await migrations.downgrade(platform.database.engine, revision)
        return await migrations.current(platform.database.engine)

    typer.echo(f"database at {with_platform(work, check_schema=False) or 'base'}")


@db_app.command("current")
def db_current() -> None:
    """Print the database's revision and the code's head."""

    async def work(platform: Platform) -> str | None:
        return await migrations.current(platform.database.engine)

    current = with_platform(work, check_schema=False)
    head = migrations.head()
    state = "up to date" if current == head else "behind: run `brain db upgrade`"
    typer.echo(f"current: {current or 'base'}  head: {head}  ({state})")


def check_revision(revision: str) -> None:
    known = migrations.known_revisions()
    if revision not in known and not revision.lstrip("+-").isdigit():
        fail(f"unknown revision {revision!r}; known: {', '.join(sorted(known))}", code=2)


@tenant_app.command("create")
def tenant_create(name: str) -> None:
    """Create a tenant."""

    async def work(platform: Platform) -> uuid.UUID:
        async with platform.unit_of_work() as uow:
            return (await AuthService(uow.session).create_tenant(name)).id

    typer.echo(f"tenant {name!r} created (id {with_platform(work)})")


@tenant_app.command("list")
def tenant_list() -> None:
    """List tenants."""

    async def work(platform: Platform) -> list[tuple[str, uuid.UUID]]:
        async with platform.unit_of_work() as uow:
            return [(t.name, t.id) for t in await AuthService(uow.session).list_tenants()]

    for name, tenant_id in with_platform(work):
        typer.echo(f"{name}\t{tenant_id}")


@apikey_app.command("create")
def apikey_create(
    tenant: Annotated[str, typer.Option(help="Tenant name.")],
    role: Annotated[Role, typer.Option(help="Role of the key.", case_sensitive=False)],
    name: Annotated[str, typer.Option(help="A label for the key.")] = "",
) -> None:
    """Issue an API key and print it once."""

    async def work(platform: Platform) -> IssuedKey:
        async with platform.unit_of_work() as uow:
            service = AuthService(uow.session)
            try:
                found = await service.tenant_named(tenant)
            except NotFound:
                raise typer.BadParameter(
                    f"no tenant named {tenant!r}", param_hint="--tenant"
                ) from None
            return await service.issue_key(found, role, name)

    print_key(with_platform(work), tenant)


@apikey_app.command("list")
def apikey_list(tenant: Annotated[str, typer.Option(help="Tenant name.")]) -> None:
    """List a tenant's API keys (ids and prefixes, never the keys)."""

    async def work(platform: Platform) -> list[str]:
        async with platform.unit_of_work() as uow:
            service = AuthService(uow.session)
            try:
                found = await service.tenant_named(tenant)
            except NotFound:
                raise typer.BadParameter(
                    f"no tenant named {tenant!r}", param_hint="--tenant"
                ) from None
            return [
                "\t".join((str(k.id), k.prefix, k.role.value, state(k.revoked_at), k.name))
                for k in await service.list_keys(found.id)
            ]

    for line in with_platform(work):
        typer.echo(line)


def state(revoked_at: object) -> str:
    return "revoked" if revoked_at else "active"


@apikey_app.command("revoke")
def apikey_revoke(key_id: Annotated[str, typer.Argument(help="The key's id.")]) -> None:
    """Revoke an API key; requests with it answer 401 from now on."""
    try:
        parsed = uuid.UUID(key_id)
    except ValueError:
        fail(f"{key_id!r} is not a key id (a UUID, as `brain apikey list` shows)", code=2)

    async def work(platform: Platform) -> None:
        async with platform.unit_of_work() as uow:
            await AuthService(uow.session).revoke_key(parsed)

    with_platform(work)
    typer.echo(f"API key {parsed} revoked")


CLI_OPERATOR = uuid.UUID(int=0)
TERMINAL = ("completed", "failed", "cancelled")


async def tenant_principal(platform: Platform, tenant: str) -> Principal:
    async with platform.unit_of_work() as uow:
        try:
            found = await AuthService(uow.session).tenant_named(tenant)
        except NotFound:
            raise typer.BadParameter(f"no tenant named {tenant!r}", param_hint="--tenant") from None
    return Principal(tenant_id=found.id, api_key_id=CLI_OPERATOR, role=Role.ADMIN)


@courses_app.command("generate")
def courses_generate(
    title: Annotated[str, typer.Option(help="3 to 200 characters.")],
    language: Annotated[str, typer.Option(help="de, en, fr or es.")],
    tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo",
    description: Annotated[str, typer.Option(help="Up to 500 characters.")] = "",
    audience: Annotated[
        list[str] | None, typer.Option(help="Target audience (repeat for more).")
    ] = None,
    template: Annotated[str, typer.Option(help="banking_alternatives, custom, …")] = "custom",
    full_lessons: Annotated[int, typer.Option(help="Lessons with full content (0-30).")] = 3,
    dry_run: Annotated[bool, typer.Option(help="Outline only, as a preview.")] = False,
    quiz: Annotated[bool, typer.Option(help="Generate a quiz.")] = True,
    landing_page: Annotated[bool, typer.Option(help="Generate a landing page.")] = True,
    staging: Annotated[bool, typer.Option(help="Deploy a staging site.")] = True,
    wait: Annotated[bool, typer.Option(help="Show progress until the course is done.")] = False,
) -> None:
    """Request a course generation (a running `brain serve` or `brain worker` carries it out)."""
    try:
        body = GenerateRequest(
            title=title,
            description=description,
            language=language,  # type: ignore[arg-type]
            target_audiences=audience or ["private_individuals"],  # type: ignore[arg-type]
            template_id=template,
            dry_run=dry_run,
            full_lessons_count=full_lessons,
            generate_quiz=quiz,
            generate_landing_page=landing_page,
            deploy_to_staging=staging,
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"--{'-'.join(str(p) for p in e['loc'][:1]).replace('_', '-')}: {e['msg']}"
            for e in exc.errors()
        )
        fail(problems, code=2)

    async def work(platform: Platform) -> uuid.UUID:
        principal = await tenant_principal(platform, tenant)
        async with platform.unit_of_work() as uow:
            service = CourseService(
                uow, platform.events.publisher, platform.factory.steps, platform.temporal
            )
            course = await service.request_generation(principal, body)
            return course.id

    course_id = with_platform(work)
    typer.echo(f"course {course_id} queued")
    if wait:
        watch(course_id)


def watch(course_id: uuid.UUID) -> None:
    """A live progress bar until the generation ends."""
    from rich.progress import BarColumn, Progress, TextColumn

    async def poll(platform: Platform) -> dict[str, object]:
        async with platform.database.read_session() as session:
            courses = CourseRepository(session)
            course = await courses.get(course_id)
            assert course is not None
            lessons = await courses.lessons(course_id)
            return {
                "status": course.generation_status,
                "done": sum(1 for lesson in lessons if lesson.markdown is not None),
                "total": 0
                if course.dry_run
                else min(course.full_lessons_count, len(lessons) or 30),
                "error": f"{course.error_type}: {course.error_message}"
                if course.error_type
                else "",
                "staging_url": course.staging_url,
                "evidence": course.evidence_pack_path,
            }

    async def follow(platform: Platform) -> dict[str, object]:
        started = asyncio.get_running_loop().time()
        hinted = False
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}")
        ) as bar:
            task = bar.add_task("generating", total=None, info="queued")
            while True:
                state = await poll(platform)
                bar.update(
                    task,
                    total=state["total"] or None,
                    completed=state["done"],
                    info=f"{state['status']} · lessons {state['done']}/{state['total']}",
                )
                if state["status"] in TERMINAL:
                    return state
                waited = asyncio.get_running_loop().time() - started
                if state["status"] == "queued" and waited > 10 and not hinted:
                    bar.console.print("still queued: is `brain serve` or `brain worker` running?")
                    hinted = True
                await asyncio.sleep(0.5)

    state = with_platform(follow)
    if state["status"] != "completed":
        fail(f"generation {state['status']}: {state['error']}")
    base = load_settings().public_url
    typer.echo(f"done. API: {base}/api/courses/{course_id}")
    if state["staging_url"]:
        typer.echo(f"staging site: {state['staging_url']}")
    typer.echo(f"evidence pack: {base}/api/courses/{course_id}/evidence-pack")


@courses_app.command("list")
def courses_list(tenant: Annotated[str, typer.Option(help="Tenant name.")] = "demo") -> None:
    """List a tenant's courses."""

    async def work(platform: Platform) -> list[str]:
        principal = await tenant_principal(platform, tenant)
        async with platform.database.read_session() as session:
            rows, _ = await CourseRepository(session).page(
                principal.tenant_id,
                workflow_state=None,
                generation_status=None,
                offset=0,
                limit=100,
            )
        return [
            "\t".join((str(c.id), c.generation_status, c.workflow_state, c.language, c.title))
            for c in rows
        ]

    for line in with_platform(work):
        typer.echo(line)


@courses_app.command("show")
def courses_show(course_id: str) -> None:
    """Show a course as JSON."""
    parsed = parse_id(course_id, "course")

    async def work(platform: Platform) -> dict[str, object]:
        async with platform.database.read_session() as session:
            courses = CourseRepository(session)
            course = await courses.get(parsed)
            if course is None:
                raise NotFound(f"no course {parsed}")
            lessons = await courses.lessons(parsed)
            return {
                "id": course.id,
                "title": course.title,
                "language": course.language,
                "generation_status": course.generation_status,
                "workflow_state": course.workflow_state,
                "lessons": len(lessons),
                "full_lessons": sum(1 for x in lessons if x.markdown is not None),
                "staging_url": course.staging_url,
                "evidence_pack": course.evidence_pack_path,
                "error": course.error_message,
            }

    echo_json(with_platform(work))


def parse_time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            "use ISO 8601, e.g. 2026-11-22T10:00:00Z", param_hint=option
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_id(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        fail(f"{value!r} is not a {what} id (a UUID)", code=2)


def echo_json(data: object) -> None:
    typer.echo(json.dumps(data, default=str, sort_keys=True))


@events_app.command("types")
def events_types() -> None:
    """List the event catalog: every type, its version and when it is emitted."""
    for spec in CATALOG.specs():
        typer.echo(f"{spec.type}\tv{spec.version}\t{spec.description}")


@events_app.command("tail")
def events_tail(
    type: Annotated[
        str | None, typer.Option("--type", help="Type or pattern, e.g. course.*")
    ] = None,
    from_start: Annotated[bool, typer.Option(help="Print the whole log first.")] = False,
    interval: Annotated[float, typer.Option(min=0.05, help="Seconds between polls.")] = 0.5,
) -> None:
    """Follow the event log live (all tenants), one JSON object per line, until Ctrl-C."""

    async def work(platform: Platform) -> None:
        ops = platform.events.operations
        after = 0 if from_start else await latest_pk(platform)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        while not stop.is_set():
            page = await ops.list_events(
                tenant_id=None, all_tenants=True, type_pattern=type, after=after, limit=500
            )
            for pk, event, _ in page.items:
                echo_json(event.model_dump(mode="json"))
                after = pk
            if page.next_cursor is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval)

    with_platform(work)


async def latest_pk(platform: Platform) -> int:
    from sqlalchemy import func, select

    from brain.events.models import EventRecord

    async with platform.database.read_session() as session:
        return int(await session.scalar(select(func.max(EventRecord.pk))) or 0)


@events_app.command("replay")
def events_replay(
    subscriber: Annotated[str, typer.Option(help="The subscriber to replay to.")],
    type: Annotated[str | None, typer.Option("--type", help="Type or pattern.")] = None,
    since: Annotated[str | None, typer.Option(help="From this time (ISO 8601).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this time (ISO 8601).")] = None,
    force: Annotated[
        bool, typer.Option(help="Clear its dedup rows first: run them again.")
    ] = False,
) -> None:
    """Deliver logged events to a subscriber again; processed ones are skipped unless --force."""
    start, end = parse_time(since, "--since"), parse_time(until, "--until")

    async def work(platform: Platform) -> ReplayResult:
        names = platform.events.registry.names()
        if subscriber not in names:
            raise typer.BadParameter(
                f"no subscriber {subscriber!r}; known: {', '.join(names) or 'none'}",
                param_hint="--subscriber",
            )
        await platform.events.runtime.ensure_subscription(platform.events.registry.get(subscriber))
        return await platform.events.operations.replay(
            subscriber, type_pattern=type, since=start, until=end, force=force
        )

    result = with_platform(work)
    typer.echo(
        f"matched {result.matched}: delivered {result.delivered}, skipped {result.skipped} "
        f"(already processed), failed {result.failed}; dedup rows cleared {result.cleared}"
    )


def letter_line(letter: DeadLetter) -> str:
    return "\t".join(
        (
            str(letter.id),
            letter.subscriber_name,
            letter.event_type,
            letter.kind,
            letter.status,
            letter.created_at.isoformat(),
            letter.reason.splitlines()[0][:120],
        )
    )


@dlq_app.command("list")
def dlq_list(
    subscriber: Annotated[str | None, typer.Option(help="Only this subscriber.")] = None,
    status: Annotated[str, typer.Option(help="open, retried, discarded or all.")] = "open",
) -> None:
    """List dead letters."""
    if status not in {"open", "retried", "discarded", "all"}:
        raise typer.BadParameter("open, retried, discarded or all", param_hint="--status")

    async def work(platform: Platform) -> list[DeadLetter]:
        return await platform.events.operations.dead_letters(
            tenant_id=None,
            all_tenants=True,
            subscriber=subscriber,
            status=None if status == "all" else status,
            limit=500,
        )

    for letter in with_platform(work):
        typer.echo(letter_line(letter))


@dlq_app.command("show")
def dlq_show(letter_id: str) -> None:
    """Show a dead letter and its event."""
    parsed = parse_id(letter_id, "dead letter")

    async def work(platform: Platform) -> tuple[DeadLetter, Event | None]:
        return await platform.events.operations.dead_letter(
            parsed, tenant_id=None, all_tenants=True
        )

    letter, event = with_platform(work)
    echo_json(
        {
            "id": letter.id,
            "subscriber": letter.subscriber_name,
            "kind": letter.kind,
            "status": letter.status,
            "attempts": letter.attempts,
            "reason": letter.reason,
            "stream_message_id": letter.stream_message_id,
            "created_at": letter.created_at,
            "event": event.model_dump(mode="json") if event else None,
        }
    )


@dlq_app.command("retry")
def dlq_retry(letter_id: str) -> None:
    """Run a dead-lettered event through its subscriber again."""
    parsed = parse_id(letter_id, "dead letter")

    async def work(platform: Platform) -> str:
        outcome = await platform.events.operations.retry_dead_letter(
            parsed, tenant_id=None, all_tenants=True
        )
        return outcome.value

    typer.echo(f"dead letter {parsed} retried: {with_platform(work)}")


@dlq_app.command("discard")
def dlq_discard(letter_id: str) -> None:
    """Close a dead letter without retrying it."""
    parsed = parse_id(letter_id, "dead letter")

    async def work(platform: Platform) -> None:
        await platform.events.operations.discard_dead_letter(
            parsed, tenant_id=None, all_tenants=True
        )

    with_platform(work)
    typer.echo(f"dead letter {parsed} discarded")


def main() -> None:
    app(prog_name="brain")


if __name__ == "__main__":
    sys.exit(main())


@distributions_app.command("rebuild-catalog")
def distributions_rebuild_catalog() -> None:
    """Recompute the public catalog's read model from the distributions (after a restore, say)."""

    async def work(platform: Platform) -> int:
        async with platform.unit_of_work() as uow:
            return await distribution_catalog.rebuild(uow.session)

    count = with_platform(work)
    typer.echo(f"catalog rebuilt: {count} public distribution(s)")
