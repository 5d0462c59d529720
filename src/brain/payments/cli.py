"""`brain payments …`: reconciling with the provider and erasing a buyer's personal data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from brain.kernel.cli import Runner, fail, parse_time
from brain.payments.dependencies import PaymentsDeps
from brain.payments.schemas import normalise_email
from brain.payments.service import PaymentService, Reconciled, reconcile

DEFAULT_LOOKBACK = timedelta(days=3)


def build(run: Runner[PaymentsDeps]) -> typer.Typer:
    app = typer.Typer(help="Payments: reconciliation and erasure.", no_args_is_help=True)

    @app.command("reconcile")
    def reconcile_command(
        since: Annotated[
            str | None,
            typer.Option(help="ISO 8601; the provider's events from then on (default: 3 days)."),
        ] = None,
    ) -> None:
        """Apply the provider's events that never reached the webhook (a known one is a no-op)."""
        start = parse_time(since, "--since") or datetime.now(UTC) - DEFAULT_LOOKBACK

        async def work(deps: PaymentsDeps) -> Reconciled:
            return await reconcile(
                start,
                provider=deps.provider,
                units_of_work=deps.units_of_work,
                publisher=deps.publisher,
            )

        done = run(work)
        typer.echo(
            f"reconciled since {start.isoformat()}: {done.seen} provider event(s), "
            f"{done.applied} new"
        )

    @app.command("erase-buyer")
    def erase_buyer(
        email: Annotated[str, typer.Argument(help="The buyer's e-mail address.")],
    ) -> None:
        """Remove a buyer's e-mail address; their payments stay under an opaque buyer id."""
        try:
            address = normalise_email(email)
        except ValueError as error:
            fail(f"EMAIL {error}", code=2)

        async def work(deps: PaymentsDeps) -> tuple[object, int] | None:
            async with deps.units_of_work() as uow:
                return await PaymentService(uow, deps.publisher).erase_buyer(address)

        erased = run(work)
        if erased is None:
            fail("no buyer has this address; nothing was erased")
        buyer_id, payments = erased
        typer.echo(f"buyer {buyer_id} erased; {payments} payment(s) kept under that id")

    return app
