"""`brain webhooks …` (endpoints and their delivery log) and `brain analytics …`."""

from __future__ import annotations

from typing import Annotated

import typer

from brain.integrations import analytics
from brain.integrations.dependencies import IntegrationsDeps
from brain.integrations.models import WebhookDelivery, WebhookEndpoint
from brain.integrations.schemas import EndpointCreate
from brain.kernel.cli import Runner, parse_id, tenant_principal

Tenant = Annotated[str, typer.Option(help="Tenant name.")]


def _endpoint_line(endpoint: WebhookEndpoint) -> str:
    state = "enabled" if endpoint.enabled else f"disabled ({endpoint.disabled_reason})"
    return f"{endpoint.id}\t{state}\t{endpoint.url}\t{','.join(endpoint.event_types)}"


def _delivery_line(delivery: WebhookDelivery) -> str:
    status = delivery.last_status_code if delivery.last_status_code is not None else "-"
    next_at = "-"
    if delivery.status == "pending" and delivery.next_attempt_at is not None:
        next_at = delivery.next_attempt_at.isoformat()
    return (
        f"{delivery.id}\t{delivery.status}\t{delivery.event_type}\tevent {delivery.event_id}\t"
        f"attempts {delivery.attempts}\tlast {status}\tnext {next_at}"
    )


def build(run: Runner[IntegrationsDeps]) -> typer.Typer:
    app = typer.Typer(help="Webhook endpoints and their delivery log.", no_args_is_help=True)

    @app.command("list")
    def list_endpoints(tenant: Tenant) -> None:
        """The tenant's endpoints: id, state, URL, event types."""

        async def work(deps: IntegrationsDeps) -> list[str]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
                return [
                    _endpoint_line(e) for e in await deps.service(uow).list(principal.tenant_id)
                ]

        for line in run(work):
            typer.echo(line)

    @app.command("add")
    def add(
        tenant: Tenant,
        url: Annotated[str, typer.Option(help="The receiver's https URL.")],
        event_type: Annotated[
            list[str], typer.Option("--event-type", help="A type or pattern; repeat for more.")
        ],
        description: Annotated[str, typer.Option(help="What the endpoint is for.")] = "",
    ) -> None:
        """Register an endpoint and print its signing secret (shown only now)."""
        try:
            body = EndpointCreate(url=url, event_types=event_type, description=description)
        except ValueError as exc:
            raise typer.BadParameter(str(exc).splitlines()[-1].strip()) from None

        async def work(deps: IntegrationsDeps) -> tuple[WebhookEndpoint, str]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
            # A unit of work of its own: the URL's DNS check runs before its first statement.
            async with deps.units_of_work() as uow:
                return await deps.service(uow).create(principal.tenant_id, body, url_field="--url")

        endpoint, secret = run(work)
        typer.echo(f"endpoint {endpoint.id} registered for tenant {tenant!r}")
        typer.echo("Its signing secret is shown only now; store it safely:")
        typer.secho(f"  {secret}", bold=True)

    @app.command("rotate")
    def rotate(endpoint_id: str, tenant: Tenant) -> None:
        """Replace an endpoint's signing secret; the old one signs too for the rotation period."""
        parsed = parse_id(endpoint_id, "endpoint")

        async def work(deps: IntegrationsDeps) -> tuple[str, str]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
                rotation = await deps.service(uow).rotate(principal.tenant_id, parsed)
                until = rotation.previous_valid_until
                return rotation.secret, until.isoformat() if until else "now"

        secret, until = run(work)
        typer.echo(f"new signing secret of endpoint {parsed} (shown only now):")
        typer.secho(f"  {secret}", bold=True)
        typer.echo(f"the previous secret keeps signing until {until}")

    @app.command("deliveries")
    def deliveries(
        endpoint_id: str,
        tenant: Tenant,
        status: Annotated[str | None, typer.Option(help="pending, delivered or failed.")] = None,
        limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    ) -> None:
        """An endpoint's delivery log, newest first."""
        parsed = parse_id(endpoint_id, "endpoint")
        if status not in (None, "pending", "delivered", "failed"):
            raise typer.BadParameter("pending, delivered or failed", param_hint="--status")

        async def work(deps: IntegrationsDeps) -> tuple[list[str], int]:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
                rows, total = await deps.service(uow).deliveries(
                    principal.tenant_id, parsed, status=status, limit=limit
                )
                return [_delivery_line(d) for d in rows], total

        lines, total = run(work)
        for line in lines:
            typer.echo(line)
        typer.echo(f"{len(lines)} of {total} deliveries")

    @app.command("redeliver")
    def redeliver(delivery_id: str, tenant: Tenant) -> None:
        """Send a delivered or failed delivery again (same webhook-id); a worker sends it."""
        parsed = parse_id(delivery_id, "delivery")

        async def work(deps: IntegrationsDeps) -> str:
            async with deps.units_of_work() as uow:
                principal = await tenant_principal(uow, tenant)
                return _delivery_line(
                    await deps.service(uow).redeliver(principal.tenant_id, parsed)
                )

        typer.echo(f"queued again: {run(work)}")

    return app


def build_analytics(run: Runner[IntegrationsDeps]) -> typer.Typer:
    app = typer.Typer(help="The analytics read model.", no_args_is_help=True)

    @app.command("rebuild")
    def rebuild() -> None:
        """Recompute the analytics read model from the whole event log."""

        async def work(deps: IntegrationsDeps) -> int:
            async with deps.units_of_work() as uow:
                return await analytics.rebuild(uow, deps.events)

        typer.echo(f"analytics rebuilt from the event log: {run(work)} event(s) counted")

    return app
