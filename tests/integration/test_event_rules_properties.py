"""Property tests of the consumer's dedup and retry rules (SQLite + SQL log: fast).

Every handler invocation of an event plays the next entry of that event's script ("ok",
"transient" or "permanent"; past the script's end: "ok"), writing its effect first so that a
failure has something to roll back. Between the runtime's own polls the same deliveries come
again: the very same stream delivery re-processed, and replays without `force`. Whatever the
interleaving, the outcome of an event is fixed by its script and `max_attempts`:

- the first non-transient entry within the first `max_attempts` invocations decides: "ok" means
  exactly one effect and no dead letter; "permanent" means no effect and a `permanent` dead letter;
- all of the first `max_attempts` transient: no effect and an `exhausted` dead letter;
- the handler saw attempts 1, 2, ..., k and nothing more; the dead letter records k.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from brain.bootstrap import Platform, build_platform
from brain.events import Event, HandlerContext, PermanentError, Subscriber, SubscriberRegistry
from brain.events.consumer import ConsumerSettings, Outcome
from brain.events.models import DeadLetter, PendingDelivery, ProcessedEvent
from brain.kernel.clock import utcnow
from tests.conftest import clear_tables, make_settings
from tests.support.events import (
    Setup,
    clear_effects,
    create_effects_table,
    effect_counts,
    effect_sequences,
    record_effect,
    stream_settings,
)

REQUESTED = "course.distribution.requested"
OUTCOMES = ("ok", "transient", "permanent")


@pytest.fixture
async def rules_platform(migrated_sqlite: str, tmp_path: Path) -> AsyncIterator[Platform]:
    values = stream_settings(
        Setup("sqlite", "sql"),
        migrated_sqlite,
        tmp_path,
        "unused",
        events_retry_base_seconds=0.001,
        events_retry_max_seconds=0.004,
    )
    platform = build_platform(make_settings(**values), subscribers=SubscriberRegistry())  # type: ignore[arg-type]
    await create_effects_table(platform.database)
    yield platform
    await clear_effects(platform.database)
    await clear_tables(platform.database)
    await platform.close()


def expected(script: list[str], max_attempts: int) -> tuple[str, int]:
    """(final state, number of handler invocations) the rules give for `script`."""
    for attempt in range(1, max_attempts + 1):
        outcome = script[attempt - 1] if attempt <= len(script) else "ok"
        if outcome == "ok":
            return "processed", attempt
        if outcome == "permanent":
            return "permanent", attempt
    return "exhausted", max_attempts


disturbance = st.one_of(
    st.tuples(st.just("redeliver"), st.integers(0, 3)),
    st.tuples(st.just("replay"), st.just(0)),
    st.tuples(st.just("pause"), st.just(0)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    scripts=st.lists(st.lists(st.sampled_from(OUTCOMES), max_size=6), min_size=1, max_size=4),
    max_attempts=st.integers(1, 4),
    one_aggregate=st.booleans(),
    disturbances=st.lists(disturbance, max_size=8),
)
async def test_dedup_and_retry_rules_hold_under_any_redelivery(
    rules_platform: Platform,
    scripts: list[list[str]],
    max_attempts: int,
    one_aggregate: bool,
    disturbances: list[tuple[str, int]],
) -> None:
    platform = rules_platform
    runtime = platform.events.runtime
    name = f"rules-{uuid.uuid4().hex[:12]}"
    script_of: dict[uuid.UUID, list[str]] = {}
    attempts_seen: dict[uuid.UUID, list[int]] = defaultdict(list)

    async def handler(ctx: HandlerContext) -> None:
        script = script_of.get(ctx.event.id)
        if script is None:
            return
        attempts_seen[ctx.event.id].append(ctx.attempt)
        step = len(attempts_seen[ctx.event.id]) - 1
        outcome = script[step] if step < len(script) else "ok"
        await record_effect(ctx, name)
        if outcome == "transient":
            raise ConnectionError("transient, by script")
        if outcome == "permanent":
            raise PermanentError("permanent, by script")

    # Every example adds a subscriber over the same log: it must see only its own events.
    subscriber = platform.events.registry.add(
        Subscriber(name, (REQUESTED,), handler, max_attempts, from_beginning=False)
    )
    await runtime.ensure_subscription(subscriber)

    shared = str(uuid.uuid4())
    async with platform.unit_of_work() as uow:
        events: list[Event] = [
            await platform.events.publisher.publish(
                uow, REQUESTED, {"course_id": shared if one_aggregate else str(uuid.uuid4())}
            )
            for _ in scripts
        ]
    script_of.update({event.id: script for event, script in zip(events, scripts, strict=True)})
    await platform.events.relay.drain()

    taken = await platform.events.transport.fetch(name, subscriber.patterns, "rules", 100, 0)
    assert [d.event.id for d in taken] == [e.id for e in events]
    await runtime.process(subscriber, taken, taken=taken)

    async def disturb(kind: str, index: int) -> None:
        if kind == "redeliver":
            await runtime.process(subscriber, [taken[index % len(taken)]])
        elif kind == "replay":
            await platform.events.operations.replay(name, since=events[0].timestamp)
        else:
            await asyncio.sleep(0.005)
        await runtime.drain(subscriber)

    for kind, index in disturbances:
        await disturb(kind, index)

    await settle(platform, subscriber, [e.id for e in events])

    # once settled, any further redelivery is a duplicate and changes nothing
    again = await runtime.process(subscriber, taken)
    assert {outcome for _, outcome in again.outcomes} == {Outcome.DUPLICATE}
    replayed = await platform.events.operations.replay(name, since=events[0].timestamp)
    assert (replayed.delivered, replayed.skipped) == (0, len(events))

    counts = await effect_counts(platform.database, name)
    letters = await dead_letters_of(platform, name)
    for event, script in zip(events, scripts, strict=True):
        state, invocations = expected(script, max_attempts)
        assert attempts_seen[event.id] == list(range(1, invocations + 1)), (script, state)
        if state == "processed":
            assert counts.get(event.id, 0) == 1
            assert event.id not in letters
        else:
            assert counts.get(event.id, 0) == 0
            assert letters.get(event.id) == [(state, invocations)]
    assert set(counts.values()) <= {1}
    if one_aggregate:  # the effects of one aggregate come in publish order
        for sequences in (await effect_sequences(platform.database, name)).values():
            assert sequences == sorted(sequences)
    async with platform.database.sessionmaker() as session:
        pending = await session.scalar(
            select(func.count())
            .select_from(PendingDelivery)
            .where(PendingDelivery.subscriber_name == name)
        )
    assert pending == 0


async def settle(platform: Platform, subscriber: Subscriber, event_ids: list[uuid.UUID]) -> None:
    """Run due retries until every event has its dedup row (processed or dead-lettered)."""
    deadline = time.monotonic() + 15
    while True:
        await platform.events.runtime.drain(subscriber)
        async with platform.database.sessionmaker() as session:
            done = await session.scalar(
                select(func.count())
                .select_from(ProcessedEvent)
                .where(
                    ProcessedEvent.subscriber_name == subscriber.name,
                    ProcessedEvent.event_id.in_(event_ids),
                )
            )
        if done == len(event_ids):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{subscriber.name} did not settle: {done} of {len(event_ids)}")
        await asyncio.sleep(0.005)


async def dead_letters_of(platform: Platform, name: str) -> dict[uuid.UUID, list[tuple[str, int]]]:
    async with platform.database.sessionmaker() as session:
        rows = await session.execute(
            select(DeadLetter.event_id, DeadLetter.kind, DeadLetter.attempts).where(
                DeadLetter.subscriber_name == name
            )
        )
    letters: dict[uuid.UUID, list[tuple[str, int]]] = defaultdict(list)
    for event_id, kind, attempts in rows.all():
        letters[event_id].append((kind, attempts))
    return letters


def test_the_rules_model_itself() -> None:
    assert expected([], 3) == ("processed", 1)
    assert expected(["transient", "ok"], 3) == ("processed", 2)
    assert expected(["transient", "ok"], 1) == ("exhausted", 1)
    assert expected(["transient", "permanent", "ok"], 5) == ("permanent", 2)
    assert expected(["transient"] * 4, 4) == ("exhausted", 4)


# -- backoff -------------------------------------------------------------------------------------

seconds = st.floats(min_value=0.001, max_value=86_400, allow_nan=False, allow_infinity=False)


@given(first=seconds, second=seconds, attempts=st.integers(0, 5000), more=st.integers(0, 5000))
def test_backoff_grows_from_the_base_to_the_cap_and_never_shrinks(
    first: float, second: float, attempts: int, more: int
) -> None:
    base, cap = sorted((first, second))
    rules = ConsumerSettings(retry_base_seconds=base, retry_max_seconds=cap)
    delay = rules.backoff(attempts)
    assert base <= delay <= cap
    assert rules.backoff(attempts + more) >= delay
    assert rules.backoff(1) == base
    if attempts >= 1:
        assert rules.backoff(attempts + 1) == pytest.approx(min(2 * delay, cap))


@given(first=seconds, second=seconds, attempts=st.integers(0, 5000))
def test_a_base_above_the_cap_is_capped(first: float, second: float, attempts: int) -> None:
    cap, base = sorted((first, second))
    rules = ConsumerSettings(retry_base_seconds=base, retry_max_seconds=cap)
    assert rules.backoff(attempts) == cap


async def test_a_subscriber_allowing_thousands_of_attempts_keeps_backing_off(
    rules_platform: Platform,
) -> None:
    """`Subscriber.max_attempts` has no upper bound: past 1,025 attempts the backoff used to
    overflow (`2 ** 1024` as a float), which failed the whole batch instead of rescheduling."""
    platform = rules_platform
    runtime = platform.events.runtime
    attempts: list[int] = []

    async def handler(ctx: HandlerContext) -> None:
        attempts.append(ctx.attempt)
        raise ConnectionError("still down")

    subscriber = platform.events.registry.add(
        Subscriber("patient", (REQUESTED,), handler, max_attempts=5000)
    )
    await runtime.ensure_subscription(subscriber)
    async with platform.unit_of_work() as uow:
        await platform.events.publisher.publish(uow, REQUESTED, {"course_id": str(uuid.uuid4())})
    await platform.events.relay.drain()
    first = await runtime.poll(subscriber, block=False)
    assert [outcome for _, outcome in first.outcomes] == [Outcome.RETRIED]
    async with platform.database.sessionmaker() as session, session.begin():
        await session.execute(  # as if it had failed 1,500 times already, and is due
            update(PendingDelivery)
            .where(PendingDelivery.subscriber_name == "patient")
            .values(attempts=1500, next_attempt_at=utcnow() - timedelta(seconds=1))
        )
    later = await runtime.poll(subscriber, block=False)
    assert [outcome for _, outcome in later.outcomes] == [Outcome.RETRIED]
    assert attempts == [1, 1501]
    async with platform.database.sessionmaker() as session:
        row = await session.scalar(
            select(PendingDelivery).where(PendingDelivery.subscriber_name == "patient")
        )
    assert row is not None
    assert row.attempts == 1501
    delay = (row.next_attempt_at - row.updated_at).total_seconds()
    assert delay == pytest.approx(runtime.settings.retry_max_seconds, abs=0.001)
