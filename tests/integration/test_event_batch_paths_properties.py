"""Property test: a batch taken at once by a batch handler ends as taking it one delivery at a time.

Random batches of events (some of one aggregate), each with a script of what its handler does on
each attempt ("ok", "transient", "permanent"; past the script: "ok"), some with a payload that no
longer validates when it is consumed. One subscriber takes every batch at once with a batch
handler (`handle_many`: no savepoint; when it raises the batch is rolled back and run again one
delivery at a time); the other takes every batch one delivery at a time. Both end with the same
effects, dead letters and dedup rows, and every event has its effect exactly once or not at all.
SQLite + SQL log (fast; the batch cases on every setup are in `test_event_batches.py`).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from brain.bootstrap import Platform, build_platform
from brain.events import Event, HandlerContext, PermanentError, Subscriber, SubscriberRegistry
from brain.events.models import DeadLetter, EventRecord, PendingDelivery, ProcessedEvent
from tests.conftest import clear_tables, make_settings
from tests.support.events import (
    Setup,
    clear_effects,
    create_effects_table,
    effect_counts,
    record_effect,
    stream_settings,
)

REQUESTED = "course.distribution.requested"
OUTCOMES = ("ok", "transient", "permanent")


@pytest.fixture
async def paths_platform(migrated_sqlite: str, tmp_path: Path) -> AsyncIterator[Platform]:
    values = stream_settings(
        Setup("sqlite", "sql"),
        migrated_sqlite,
        tmp_path,
        "unused",
        events_retry_base_seconds=0.001,
        events_retry_max_seconds=0.002,
    )
    platform = build_platform(make_settings(**values), subscribers=SubscriberRegistry())  # type: ignore[arg-type]
    await create_effects_table(platform.database)
    yield platform
    await clear_effects(platform.database)
    await clear_tables(platform.database)
    await platform.close()


def planned(script: list[str], attempt: int) -> str:
    return script[attempt - 1] if attempt <= len(script) else "ok"


def expected(script: list[str], invalid: bool, max_attempts: int) -> tuple[str, int]:
    """(final state, attempts) the rules give: "processed", "permanent" or "exhausted"."""
    if invalid:
        return "permanent", 1
    for attempt in range(1, max_attempts + 1):
        if planned(script, attempt) == "ok":
            return "processed", attempt
        if planned(script, attempt) == "permanent":
            return "permanent", attempt
    return "exhausted", max_attempts


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    events=st.lists(
        st.tuples(
            st.integers(0, 2),  # the aggregate
            st.lists(st.sampled_from(OUTCOMES), max_size=4),
            st.booleans() | st.just(False),  # an invalid payload (a third of the time or so)
        ),
        min_size=1,
        max_size=12,
    ),
    max_attempts=st.integers(1, 3),
)
async def test_a_batch_handler_ends_as_one_delivery_at_a_time(
    paths_platform: Platform, events: list[tuple[int, list[str], bool]], max_attempts: int
) -> None:
    platform = paths_platform
    runtime = platform.events.runtime
    tag = uuid.uuid4().hex[:10]
    script_of: dict[uuid.UUID, list[str]] = {}

    def act(ctx: HandlerContext) -> None:
        what = planned(script_of[ctx.event.id], ctx.attempt)
        if what == "transient":
            raise ConnectionError("transient, by script")
        if what == "permanent":
            raise PermanentError("permanent, by script")

    async def handle_many(contexts: Sequence[HandlerContext]) -> None:
        for ctx in contexts:
            await record_effect(ctx, batched.name)
            act(ctx)

    async def handle_one(ctx: HandlerContext) -> None:
        await record_effect(ctx, single.name)
        act(ctx)

    batched = Subscriber.batched(
        f"batched-{tag}",
        (REQUESTED,),
        handle_many,
        max_attempts=max_attempts,
        from_beginning=False,
    )
    single = Subscriber(
        f"single-{tag}", (REQUESTED,), handle_one, max_attempts, from_beginning=False
    )
    for subscriber in (batched, single):
        platform.events.registry.add(subscriber)
        await runtime.ensure_subscription(subscriber)

    aggregates = [str(uuid.uuid4()) for _ in range(3)]
    async with platform.unit_of_work() as uow:
        published: list[Event] = [
            await platform.events.publisher.publish(
                uow, REQUESTED, {"course_id": aggregates[aggregate]}
            )
            for aggregate, _, _ in events
        ]
    script_of.update({e.id: script for e, (_, script, _) in zip(published, events, strict=True)})
    invalid = [e.id for e, (_, _, bad) in zip(published, events, strict=True) if bad]
    if invalid:
        async with platform.database.sessionmaker() as session, session.begin():
            await session.execute(
                update(EventRecord)
                .where(EventRecord.id.in_(invalid))
                .values(payload={"course_id": "not a uuid"})
            )
    await platform.events.relay.drain()

    await settle(platform, batched, published, at_once=True)
    await settle(platform, single, published, at_once=False)

    states = {name: await state_of(platform, name) for name in (batched.name, single.name)}
    assert states[batched.name] == states[single.name]
    effects, letters, dedup = states[batched.name]
    for event, (_, script, bad) in zip(published, events, strict=True):
        final, attempts = expected(script, bad, max_attempts)
        if final == "processed":
            assert effects.get(event.id) == 1
            assert event.id not in letters
            assert dedup[event.id] == ("processed", None)
        else:
            assert event.id not in effects
            assert letters[event.id] == [(final, attempts)]
            assert dedup[event.id] == ("dead_lettered", final)


async def settle(
    platform: Platform, subscriber: Subscriber, events: list[Event], *, at_once: bool
) -> None:
    """Take the subscriber's batches and due retries (at once, or one delivery at a time)
    until every event has its dedup row and no pending row is left."""
    runtime = platform.events.runtime
    transport = platform.events.transport
    deadline = time.monotonic() + 20
    while True:
        due = await runtime._due_retries(subscriber)
        new = await transport.fetch(subscriber.name, subscriber.patterns, "paths", 100, 0)
        if due or new:
            if at_once:
                await runtime.process(subscriber, [*due, *new], taken=new)
            else:
                await runtime._process(subscriber, [*due, *new], new, at_once=False)
            continue
        async with platform.database.sessionmaker() as session:
            done = await session.scalar(
                select(func.count())
                .select_from(ProcessedEvent)
                .where(
                    ProcessedEvent.subscriber_name == subscriber.name,
                    ProcessedEvent.event_id.in_([e.id for e in events]),
                )
            )
            pending = await session.scalar(
                select(func.count())
                .select_from(PendingDelivery)
                .where(PendingDelivery.subscriber_name == subscriber.name)
            )
        if done == len(events) and not pending:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{subscriber.name}: {done} of {len(events)}, {pending} pending")
        await asyncio.sleep(0.002)


async def state_of(platform: Platform, name: str) -> tuple[Any, Any, Any]:
    """Effects per event, dead letters per event and dedup rows per event of subscriber `name`."""
    effects = await effect_counts(platform.database, name)
    async with platform.database.sessionmaker() as session:
        letters: dict[uuid.UUID, list[tuple[str, int]]] = {}
        for event_id, kind, attempts in await session.execute(
            select(DeadLetter.event_id, DeadLetter.kind, DeadLetter.attempts).where(
                DeadLetter.subscriber_name == name
            )
        ):
            letters.setdefault(event_id, []).append((kind, attempts))
        dedup = {
            event_id: (metadata["outcome"], metadata.get("kind"))
            for event_id, metadata in await session.execute(
                select(ProcessedEvent.event_id, ProcessedEvent.metadata_).where(
                    ProcessedEvent.subscriber_name == name
                )
            )
        }
    return effects, letters, dedup
