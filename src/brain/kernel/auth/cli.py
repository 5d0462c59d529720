"""`brain tenant …` and `brain apikey …`: tenants and their API keys."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

import typer

from brain.kernel.auth.models import Role, Tenant
from brain.kernel.auth.service import AuthService, IssuedKey
from brain.kernel.cli import Runner, fail
from brain.kernel.errors import NotFound
from brain.kernel.uow import UnitOfWork

UnitsOfWork = Callable[[], UnitOfWork]


def print_key(issued: IssuedKey, tenant: str) -> None:
    typer.echo(f"API key for tenant {tenant!r}, role {issued.key.role.value} (id {issued.key.id}).")
    typer.echo("It is shown only now; store it safely:")
    typer.secho(f"  {issued.plaintext}", bold=True)


async def _tenant(service: AuthService, name: str) -> Tenant:
    try:
        return await service.tenant_named(name)
    except NotFound:
        raise typer.BadParameter(f"no tenant named {name!r}", param_hint="--tenant") from None


def build_tenants(run: Runner[UnitsOfWork]) -> typer.Typer:
    app = typer.Typer(help="Tenants.", no_args_is_help=True)

    @app.command("create")
    def create(name: str) -> None:
        """Create a tenant."""

        async def work(units: UnitsOfWork) -> uuid.UUID:
            async with units() as uow:
                return (await AuthService(uow.session).create_tenant(name)).id

        typer.echo(f"tenant {name!r} created (id {run(work)})")

    @app.command("list")
    def list_tenants() -> None:
        """List tenants."""

        async def work(units: UnitsOfWork) -> list[tuple[str, uuid.UUID]]:
            async with units() as uow:
                return [(t.name, t.id) for t in await AuthService(uow.session).list_tenants()]

        for name, tenant_id in run(work):
            typer.echo(f"{name}\t{tenant_id}")

    return app


def build_keys(run: Runner[UnitsOfWork]) -> typer.Typer:
    app = typer.Typer(help="API keys (stored only as hashes; shown once).", no_args_is_help=True)

    @app.command("create")
    def create(
        tenant: Annotated[str, typer.Option(help="Tenant name.")],
        role: Annotated[Role, typer.Option(help="Role of the key.", case_sensitive=False)],
        name: Annotated[str, typer.Option(help="A label for the key.")] = "",
    ) -> None:
        """Issue an API key and print it once."""

        async def work(units: UnitsOfWork) -> IssuedKey:
            async with units() as uow:
                service = AuthService(uow.session)
                return await service.issue_key(await _tenant(service, tenant), role, name)

        print_key(run(work), tenant)

    @app.command("list")
    def list_keys(tenant: Annotated[str, typer.Option(help="Tenant name.")]) -> None:
        """List a tenant's API keys (ids and prefixes, never the keys)."""

        async def work(units: UnitsOfWork) -> list[str]:
            async with units() as uow:
                service = AuthService(uow.session)
                found = await _tenant(service, tenant)
                return [
                    "\t".join(
                        (
                            str(k.id),
                            k.prefix,
                            k.role.value,
                            "revoked" if k.revoked_at else "active",
                            k.name,
                        )
                    )
                    for k in await service.list_keys(found.id)
                ]

        for line in run(work):
            typer.echo(line)

    @app.command("revoke")
    def revoke(key_id: Annotated[str, typer.Argument(help="The key's id.")]) -> None:
        """Revoke an API key; requests with it answer 401 from now on."""
        try:
            parsed = uuid.UUID(key_id)
        except ValueError:
            fail(f"{key_id!r} is not a key id (a UUID, as `brain apikey list` shows)", code=2)

        async def work(units: UnitsOfWork) -> None:
            async with units() as uow:
                await AuthService(uow.session).revoke_key(parsed)

        run(work)
        typer.echo(f"API key {parsed} revoked")

    return app
