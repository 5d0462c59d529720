"""What every part's command-line sub-app shares: how it runs work on the platform, how it fails,
and how it parses ids, times and tenants.

A module's `cli.py` builds its Typer sub-app from a `Runner`: the composition root hands each
module a runner that builds the platform, makes sure the database answers and is migrated, runs
the work with the module's dependencies, and turns the platform's errors into exit codes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import NoReturn, Protocol, TypeVar

import typer

from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService, Principal
from brain.kernel.errors import NotFound
from brain.kernel.uow import UnitOfWork

T_co = TypeVar("T_co", covariant=True)
R = TypeVar("R")

CLI_OPERATOR = uuid.UUID(int=0)
"""The API key id the CLI acts as: an operator at the machine, with the admin role."""


class Runner(Protocol[T_co]):
    """Runs `work` with a part's dependencies on a freshly built platform and returns its
    result; exits with 1 (a failure the message explains) or 2 (bad input) on errors."""

    def __call__(self, work: Callable[[T_co], Awaitable[R]], /) -> R: ...


def fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def parse_id(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        fail(f"{value!r} is not a {what} id (a UUID)", code=2)


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


def echo_json(data: object) -> None:
    typer.echo(json.dumps(data, default=str, sort_keys=True))


async def tenant_principal(uow: UnitOfWork, tenant: str) -> Principal:
    """The CLI operator acting for the tenant named `tenant` (a `--tenant` option)."""
    try:
        found = await AuthService(uow.session).tenant_named(tenant)
    except NotFound:
        raise typer.BadParameter(f"no tenant named {tenant!r}", param_hint="--tenant") from None
    return Principal(tenant_id=found.id, api_key_id=CLI_OPERATOR, role=Role.ADMIN)
