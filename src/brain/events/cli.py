"""`brain events …`: the catalog, a live tail of the log, replay and dead letters (all tenants)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Annotated

import typer

from brain.events.catalog import CATALOG
from brain.events.envelope import Event
from brain.events.models import DeadLetter
from brain.events.operations import ReplayResult
from brain.events.stream import EventStream
from brain.kernel.cli import Runner, echo_json, parse_id, parse_time

DEAD_LETTER_STATES = ("open", "retried", "discarded", "all")


def build(run: Runner[EventStream]) -> typer.Typer:
    app = typer.Typer(help="The event stream: tail, replay, dead letters.", no_args_is_help=True)
    dlq = typer.Typer(help="Dead letters (all tenants).", no_args_is_help=True)
    app.add_typer(dlq, name="dlq")

    @app.command("types")
    def types() -> None:
        """List the event catalog: every type, its version and when it is emitted."""
        for spec in CATALOG.specs():
            typer.echo(f"{spec.type}\tv{spec.version}\t{spec.description}")

    @app.command("tail")
    def tail(
        type: Annotated[
            str | None, typer.Option("--type", help="Type or pattern, e.g. course.*")
        ] = None,
        from_start: Annotated[bool, typer.Option(help="Print the whole log first.")] = False,
        interval: Annotated[float, typer.Option(min=0.05, help="Seconds between polls.")] = 0.5,
    ) -> None:
        """Follow the event log live (all tenants), one JSON object per line, until Ctrl-C."""

        async def work(stream: EventStream) -> None:
            ops = stream.operations
            after = 0 if from_start else await ops.latest_position()
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

        run(work)

    @app.command("replay")
    def replay(
        subscriber: Annotated[str, typer.Option(help="The subscriber to replay to.")],
        type: Annotated[str | None, typer.Option("--type", help="Type or pattern.")] = None,
        since: Annotated[str | None, typer.Option(help="From this time (ISO 8601).")] = None,
        until: Annotated[str | None, typer.Option(help="Before this time (ISO 8601).")] = None,
        force: Annotated[
            bool, typer.Option(help="Clear its dedup rows first: run them again.")
        ] = False,
    ) -> None:
        """Deliver logged events to a subscriber again; processed ones are skipped unless
        --force."""
        start, end = parse_time(since, "--since"), parse_time(until, "--until")

        async def work(stream: EventStream) -> ReplayResult:
            names = stream.registry.names()
            if subscriber not in names:
                raise typer.BadParameter(
                    f"no subscriber {subscriber!r}; known: {', '.join(names) or 'none'}",
                    param_hint="--subscriber",
                )
            await stream.runtime.ensure_subscription(stream.registry.get(subscriber))
            return await stream.operations.replay(
                subscriber, type_pattern=type, since=start, until=end, force=force
            )

        result = run(work)
        typer.echo(
            f"matched {result.matched}: delivered {result.delivered}, skipped {result.skipped} "
            f"(already processed), failed {result.failed}; dedup rows cleared {result.cleared}"
        )

    @dlq.command("list")
    def dlq_list(
        subscriber: Annotated[str | None, typer.Option(help="Only this subscriber.")] = None,
        status: Annotated[str, typer.Option(help="open, retried, discarded or all.")] = "open",
    ) -> None:
        """List dead letters."""
        if status not in DEAD_LETTER_STATES:
            raise typer.BadParameter(", ".join(DEAD_LETTER_STATES), param_hint="--status")

        async def work(stream: EventStream) -> list[DeadLetter]:
            return await stream.operations.dead_letters(
                tenant_id=None,
                all_tenants=True,
                subscriber=subscriber,
                status=None if status == "all" else status,
                limit=500,
            )

        for letter in run(work):
            typer.echo(letter_line(letter))

    @dlq.command("show")
    def dlq_show(letter_id: str) -> None:
        """Show a dead letter and its event."""
        parsed = parse_id(letter_id, "dead letter")

        async def work(stream: EventStream) -> tuple[DeadLetter, Event | None]:
            return await stream.operations.dead_letter(parsed, tenant_id=None, all_tenants=True)

        letter, event = run(work)
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

    @dlq.command("retry")
    def dlq_retry(letter_id: str) -> None:
        """Run a dead-lettered event through its subscriber again."""
        parsed = parse_id(letter_id, "dead letter")

        async def work(stream: EventStream) -> str:
            outcome = await stream.operations.retry_dead_letter(
                parsed, tenant_id=None, all_tenants=True
            )
            return outcome.value

        typer.echo(f"dead letter {parsed} retried: {run(work)}")

    @dlq.command("discard")
    def dlq_discard(letter_id: str) -> None:
        """Close a dead letter without retrying it."""
        parsed = parse_id(letter_id, "dead letter")

        async def work(stream: EventStream) -> None:
            await stream.operations.discard_dead_letter(parsed, tenant_id=None, all_tenants=True)

        run(work)
        typer.echo(f"dead letter {parsed} discarded")

    return app


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
