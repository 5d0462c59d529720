from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
from prometheus_client import start_http_server

from brain.bootstrap import (
    MODULES,
    Platform,
    SchemaOutOfDate,
    build_platform,
    check_schema_unpooled,
    create_app,
    load_platform_settings,
    run_worker,
)
from brain.events import cli as events_cli
from brain.kernel import migrations
from brain.kernel.auth import cli as auth_cli
from brain.kernel.auth.cli import print_key
from brain.kernel.auth.service import AuthService, IssuedKey
from brain.kernel.cli import Runner, fail
from brain.kernel.config import Settings, SettingsError
from brain.kernel.db import DatabaseUnavailable
from brain.kernel.errors import BrainError, ValidationFailed
from brain.kernel.loop import run_on, uvicorn_loop
from brain.kernel.observability import configure_logging
from brain.modules import Module

T = TypeVar("T")
D = TypeVar("D")

app = typer.Typer(
    name="brain",
    help="BRAiN course platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def settings() -> Settings:
    try:
        loaded = load_platform_settings()
    except SettingsError as exc:
        fail(str(exc), code=2)
    configure_logging(loaded.log_level.value, loaded.log_format.value, sql=loaded.log_sql)
    return loaded


def with_platform(work: Callable[[Platform], Awaitable[T]], *, check_schema: bool = True) -> T:
    """Build the platform, make sure its database answers (and is migrated), run `work`."""

    config = settings()

    async def run() -> T:
        platform = build_platform(config)
        try:
            if check_schema:
                await platform.check_schema()
            else:
                await platform.database.check()
            return await work(platform)
        finally:
            await platform.close()

    try:
        return run_on(run(), config.event_loop)
    except (DatabaseUnavailable, SchemaOutOfDate) as exc:
        fail(str(exc))
    except ValidationFailed as exc:
        fail(exc.detail, code=2)
    except BrainError as exc:
        fail(exc.detail)


def runner(pick: Callable[[Platform], D]) -> Runner[D]:
    """A runner handing `work` what `pick` takes from the built platform."""

    def run(work: Callable[[D], Awaitable[T]]) -> T:
        async def on(platform: Platform) -> T:
            return await work(pick(platform))

        return with_platform(on)

    return run


def module_runner(module: Module[D]) -> Runner[D]:
    return runner(lambda platform: platform.deps_of(module))


def _add_sub_apps() -> None:
    units = runner(lambda platform: platform.unit_of_work)
    app.add_typer(auth_cli.build_tenants(units), name="tenant")
    app.add_typer(auth_cli.build_keys(units), name="apikey")
    app.add_typer(events_cli.build(runner(lambda platform: platform.events)), name="events")
    module: Module[Any]
    for module in MODULES:
        if module.cli is not None:
            app.add_typer(module.cli(module_runner(module)), name=module.cli_name or module.name)
        for name, group in module.cli_groups.items():
            app.add_typer(group(module_runner(module)), name=name)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default BRAIN_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default BRAIN_PORT).")] = None,
) -> None:
    """Start the API (with the embedded worker on the default setup)."""
    config = settings()
    platform = build_platform(config)
    try:
        run_on(check_schema_unpooled(config), config.event_loop)
    except (DatabaseUnavailable, SchemaOutOfDate) as exc:
        run_on(platform.close(), config.event_loop)
        fail(str(exc))
    trusted = config.trusted_proxy_list
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(platform),
            host=host or config.host,
            port=port or config.port,
            log_config=None,
            access_log=False,
            loop=uvicorn_loop(config.event_loop),
            # Only a configured proxy may say who the client is; otherwise the socket's peer is
            # (README, "Running behind a reverse proxy").
            proxy_headers=bool(trusted),
            forwarded_allow_ips=trusted or None,
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
    config = load_platform_settings()
    base = config.public_url
    typer.echo(f"Database migrated: {config.resolved_database_url}")
    if issued is not None:
        print_key(issued, "demo")
        typer.echo(f'Try it:  curl -H "Authorization: Bearer {issued.plaintext}" {base}/api/me')
    typer.echo(f"Dashboard:  {base}/admin   (sign in with an API key)")
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


_add_sub_apps()


def main() -> None:
    app(prog_name="brain")
