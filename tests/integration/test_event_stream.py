"""The event stream on every setup: SQLite + SQL log, PostgreSQL + SQL log, PostgreSQL + Redis.

Seed 000's four mandatory tests (published, processed, replay without double effect, permanent and
transient errors) and the outbox guarantees around them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, update

from brain.bootstrap import Platform
from brain.events import Event, HandlerContext, PermanentError, Subscriber
from brain.events.catalog import CatalogError
from brain.events.consumer import Outcome
from brain.events.models import DeadLetter, EventRecord, PendingDelivery, Subscription
from brain.events.outbox import event_of
from brain.events.transport import Delivery
from tests.support.events import Setup, effect_counts, record_effect

REQUESTED = "course.distribution.requested"


async def publish(
    platform: Platform, *aggregates: str, tenant_id: uuid.UUID | None = None
) -> list[Event]:
    async with platform.unit_of_work() as uow:
        return [
            await platform.events.publisher.publish(
                uow, REQUESTED, {"course_id": aggregate}, tenant_id=tenant_id
            )
            for aggregate in aggregates
        ]


def new_ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


async def subscribe(platform: Platform, name: str, handler, *, max_attempts=None) -> Subscriber:
    subscriber = platform.events.registry.add(Subscriber(name, (REQUESTED,), handler, max_attempts))
    await platform.events.runtime.ensure_subscription(subscriber)
    return subscriber


async def settle(
    platform: Platform, subscriber: Subscriber, done: Callable[[], object], within: float = 15.0
) -> None:
    """Relay and consume until `done()` holds (retries need their backoff to pass)."""
    deadline = time.monotonic() + within
    while True:
        await platform.events.relay.drain()
        await platform.events.runtime.drain(subscriber)
        result = done()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError("the stream did not settle in time")
        await asyncio.sleep(0.02)


async def counting(platform: Platform, name: str) -> Subscriber:
    async def handler(ctx: HandlerContext) -> None:
        await record_effect(ctx, name)

    return await subscribe(platform, name, handler)


async def test_an_event_is_published_with_its_envelope(event_platform: Platform) -> None:
    tenant = uuid.uuid4()
    [course] = new_ids(1)
    [event] = await publish(event_platform, course, tenant_id=tenant)
    assert event.type == REQUESTED
    assert event.source == "course_factory"
    assert event.timestamp.tzinfo is not None
    assert event.meta.tenant_id == tenant
    assert (event.meta.aggregate_id, event.meta.sequence) == (course, 1)
    assert event.meta.schema_version == 1
    relayed = await event_platform.events.relay.drain()
    assert relayed == 1
    async with event_platform.database.sessionmaker() as session:
        record = await session.scalar(select(EventRecord).where(EventRecord.id == event.id))
    assert record is not None
    assert record.position is not None
    assert event_of(record) == event


async def test_events_reach_the_transport(event_platform: Platform, setup: Setup) -> None:
    subscriber = await counting(event_platform, "audit")
    events = await publish(event_platform, *new_ids(3))
    await event_platform.events.relay.drain()
    if setup.transport == "redis":
        stream = event_platform.settings.events_stream
        assert await event_platform.redis.xlen(stream) == 3  # type: ignore[union-attr]
    deliveries = await event_platform.events.transport.fetch(
        subscriber.name, subscriber.patterns, "probe", 10, 0
    )
    assert [d.event.id for d in deliveries] == [e.id for e in events]


async def test_a_rolled_back_transaction_publishes_nothing(event_platform: Platform) -> None:
    class Boom(Exception):
        pass

    async def write_then_fail() -> None:
        async with event_platform.unit_of_work() as uow:
            await event_platform.events.publisher.publish(
                uow, REQUESTED, {"course_id": str(uuid.uuid4())}
            )
            raise Boom

    with pytest.raises(Boom):
        await write_then_fail()
    assert await event_platform.events.relay.drain() == 0
    async with event_platform.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(EventRecord)) == 0


@pytest.mark.parametrize(
    ("event_type", "payload", "reason"),
    [
        ("course.nothing.happened", {"course_id": "x"}, "unknown event type"),
        (REQUESTED, {"course_id": "not-a-uuid"}, "course_id"),
        (REQUESTED, {"course_id": str(uuid.UUID(int=1)), "buyer_email": "a@b.c"}, "buyer_email"),
        (REQUESTED, {"course_id": str(uuid.UUID(int=1)), "extra": "x" * 2000}, "extra"),
    ],
)
async def test_publishing_refuses_bad_payloads_and_writes_nothing(
    event_platform: Platform, event_type: str, payload: dict, reason: str
) -> None:
    async def attempt() -> None:
        async with event_platform.unit_of_work() as uow:
            await event_platform.events.publisher.publish(uow, event_type, payload)

    with pytest.raises(CatalogError) as raised:
        await attempt()
    assert reason in str(raised.value)
    async with event_platform.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(EventRecord)) == 0


async def test_a_consumer_processes_each_event_once(event_platform: Platform) -> None:
    subscriber = await counting(event_platform, "counter")
    events = await publish(event_platform, *new_ids(5))

    async def all_done() -> bool:
        return len(await effect_counts(event_platform.database, "counter")) == 5

    await settle(event_platform, subscriber, all_done)
    assert await effect_counts(event_platform.database, "counter") == {e.id: 1 for e in events}
    assert await event_platform.events.transport.lag(subscriber.name, subscriber.patterns) == 0


async def test_replaying_the_same_message_has_no_double_effect(event_platform: Platform) -> None:
    subscriber = await counting(event_platform, "counter")
    [event] = await publish(event_platform, *new_ids(1))
    await event_platform.events.relay.drain()
    deliveries = await event_platform.events.transport.fetch(
        subscriber.name, subscriber.patterns, "worker-a", 10, 0
    )
    first = await event_platform.events.runtime.process(subscriber, deliveries, taken=deliveries)
    again = await event_platform.events.runtime.process(subscriber, deliveries)
    assert [o for _, o in first.outcomes] == [Outcome.PROCESSED]
    assert [o for _, o in again.outcomes] == [Outcome.DUPLICATE]
    assert await effect_counts(event_platform.database, "counter") == {event.id: 1}


async def test_the_same_event_under_another_message_id_has_no_double_effect(
    event_platform: Platform, setup: Setup
) -> None:
    """The relay published an outbox row twice (a crash between send and commit)."""
    subscriber = await counting(event_platform, "counter")
    [event] = await publish(event_platform, *new_ids(1))
    await event_platform.events.relay.drain()
    async with event_platform.database.sessionmaker() as session, session.begin():
        record = await session.scalar(select(EventRecord).where(EventRecord.id == event.id))
        assert record is not None
        await event_platform.events.transport.publish(session, [record])
        if setup.transport == "sql":
            await session.execute(update(Subscription).values(position=0))

    async def seen_twice() -> bool:
        return (await event_platform.events.operations.processed_count("counter")) >= 1

    await settle(event_platform, subscriber, seen_twice)
    await event_platform.events.runtime.drain(subscriber)
    assert await effect_counts(event_platform.database, "counter") == {event.id: 1}


async def test_a_permanent_error_is_dead_lettered_acknowledged_and_not_retried(
    event_platform: Platform,
) -> None:
    calls = 0

    async def handler(ctx: HandlerContext) -> None:
        nonlocal calls
        calls += 1
        await record_effect(ctx, "strict")
        raise PermanentError("course_id names no course")

    subscriber = await subscribe(event_platform, "strict", handler)
    [event] = await publish(event_platform, *new_ids(1))

    async def dead() -> bool:
        return bool(await event_platform.events.operations.open_dead_letters())

    await settle(event_platform, subscriber, dead)
    await asyncio.sleep(0.1)
    await event_platform.events.runtime.drain(subscriber)
    assert calls == 1
    assert await effect_counts(event_platform.database, "strict") == {}
    [letter] = await event_platform.events.operations.dead_letters(tenant_id=None)
    assert (letter.event_id, letter.kind, letter.attempts) == (event.id, "permanent", 1)
    assert "course_id names no course" in letter.reason
    assert await event_platform.events.transport.lag(subscriber.name, subscriber.patterns) == 0


async def test_a_transient_error_is_retried_with_backoff_until_it_succeeds(
    event_platform: Platform,
) -> None:
    calls = 0

    async def handler(ctx: HandlerContext) -> None:
        nonlocal calls
        calls += 1
        await record_effect(ctx, "flaky")
        if calls < 3:
            raise ConnectionError("the search index is down")

    subscriber = await subscribe(event_platform, "flaky", handler, max_attempts=5)
    [event] = await publish(event_platform, *new_ids(1))
    await event_platform.events.relay.drain()
    runtime = event_platform.events.runtime
    runtime.settings = dataclasses.replace(
        runtime.settings, retry_base_seconds=0.3, retry_max_seconds=0.6
    )
    first = await runtime.poll(subscriber, block=False)
    assert [o for _, o in first.outcomes] == [Outcome.RETRIED]
    async with event_platform.database.sessionmaker() as session:
        pending = await session.scalar(select(PendingDelivery))
    assert pending is not None
    assert (pending.event_id, pending.attempts) == (event.id, 1)
    assert "search index is down" in (pending.last_error or "")
    delay = (pending.next_attempt_at - pending.updated_at).total_seconds()
    assert delay == pytest.approx(0.3, abs=0.005)
    assert (await runtime.poll(subscriber, block=False)).outcomes == []
    assert calls == 1

    async def done() -> bool:
        return bool(await effect_counts(event_platform.database, "flaky"))

    await settle(event_platform, subscriber, done)
    assert calls == 3
    assert await effect_counts(event_platform.database, "flaky") == {event.id: 1}
    async with event_platform.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PendingDelivery)) == 0
    assert await event_platform.events.operations.open_dead_letters() == {}


async def test_a_transient_error_that_never_clears_is_dead_lettered_after_max_attempts(
    event_platform: Platform,
) -> None:
    calls = 0

    async def handler(ctx: HandlerContext) -> None:
        nonlocal calls
        calls += 1
        raise TimeoutError("upstream timed out")

    subscriber = await subscribe(event_platform, "doomed", handler, max_attempts=3)
    [event] = await publish(event_platform, *new_ids(1))

    async def dead() -> bool:
        return bool(await event_platform.events.operations.open_dead_letters())

    await settle(event_platform, subscriber, dead)
    assert calls == 3
    [letter] = await event_platform.events.operations.dead_letters(tenant_id=None)
    assert (letter.event_id, letter.kind, letter.attempts) == (event.id, "exhausted", 3)
    assert "upstream timed out" in letter.reason


async def test_a_payload_that_fails_validation_on_receipt_is_a_permanent_error(
    event_platform: Platform,
) -> None:
    subscriber = await counting(event_platform, "counter")
    [event] = await publish(event_platform, *new_ids(1))
    async with event_platform.database.sessionmaker() as session, session.begin():
        await session.execute(
            update(EventRecord).where(EventRecord.id == event.id).values(payload={"course_id": 7})
        )

    async def dead() -> bool:
        return bool(await event_platform.events.operations.open_dead_letters())

    await settle(event_platform, subscriber, dead)
    [letter] = await event_platform.events.operations.dead_letters(tenant_id=None)
    assert letter.kind == "permanent"
    assert "course_id" in letter.reason
    assert await effect_counts(event_platform.database, "counter") == {}


async def test_handlers_publish_follow_ups_with_causation_in_the_same_transaction(
    event_platform: Platform,
) -> None:
    async def handler(ctx: HandlerContext) -> None:
        await ctx.publish(
            "course.distribution.failed",
            {"course_id": ctx.event.payload["course_id"], "reason": "no distribution yet"},
        )

    subscriber = await subscribe(event_platform, "chain", handler)
    tenant = uuid.uuid4()
    [cause] = await publish(event_platform, str(uuid.uuid4()), tenant_id=tenant)

    async def followed() -> bool:
        page = await event_platform.events.operations.list_events(
            tenant_id=tenant, type_pattern="course.distribution.failed"
        )
        return bool(page.items)

    await settle(event_platform, subscriber, followed)
    page = await event_platform.events.operations.list_events(
        tenant_id=tenant, type_pattern="course.distribution.failed"
    )
    [(_, follow_up, _)] = page.items
    assert follow_up.meta.causation_id == cause.id
    assert follow_up.meta.correlation_id == cause.meta.correlation_id
    assert follow_up.meta.tenant_id == tenant
    assert follow_up.meta.sequence == cause.meta.sequence + 1


async def test_a_failing_handler_rolls_back_its_follow_ups(event_platform: Platform) -> None:
    async def handler(ctx: HandlerContext) -> None:
        await ctx.publish(
            "course.distribution.failed",
            {"course_id": ctx.event.payload["course_id"], "reason": "x"},
        )
        raise PermanentError("and then it broke")

    subscriber = await subscribe(event_platform, "chain", handler)
    await publish(event_platform, str(uuid.uuid4()))

    async def dead() -> bool:
        return bool(await event_platform.events.operations.open_dead_letters())

    await settle(event_platform, subscriber, dead)
    async with event_platform.database.sessionmaker() as session:
        follow_ups = await session.scalar(
            select(func.count())
            .select_from(EventRecord)
            .where(EventRecord.type == "course.distribution.failed")
        )
    assert follow_ups == 0


async def test_replay_skips_processed_events_unless_forced(event_platform: Platform) -> None:
    subscriber = await counting(event_platform, "counter")
    events = await publish(event_platform, *new_ids(3))

    async def done() -> bool:
        return len(await effect_counts(event_platform.database, "counter")) == 3

    await settle(event_platform, subscriber, done)
    ops = event_platform.events.operations
    plain = await ops.replay("counter")
    assert (plain.matched, plain.delivered, plain.skipped) == (3, 0, 3)
    assert set((await effect_counts(event_platform.database, "counter")).values()) == {1}
    forced = await ops.replay("counter", force=True)
    assert (forced.matched, forced.delivered, forced.cleared) == (3, 3, 3)
    assert await effect_counts(event_platform.database, "counter") == {e.id: 2 for e in events}


async def test_replay_selects_by_time_range(event_platform: Platform) -> None:
    subscriber = await counting(event_platform, "counter")
    await publish(event_platform, *new_ids(2))
    await settle(event_platform, subscriber, lambda: True)
    middle = await publish(event_platform, *new_ids(1))
    await event_platform.events.relay.drain()
    result = await event_platform.events.operations.replay(
        "counter", since=middle[0].timestamp, force=True
    )
    assert (result.matched, result.delivered) == (1, 1)


async def test_a_dead_letter_can_be_retried_once_the_cause_is_fixed(
    event_platform: Platform,
) -> None:
    broken = True

    async def handler(ctx: HandlerContext) -> None:
        if broken:
            raise PermanentError("configuration missing")
        await record_effect(ctx, "fixable")

    subscriber = await subscribe(event_platform, "fixable", handler)
    [event] = await publish(event_platform, *new_ids(1))

    async def dead() -> bool:
        return bool(await event_platform.events.operations.open_dead_letters())

    await settle(event_platform, subscriber, dead)
    [letter] = await event_platform.events.operations.dead_letters(tenant_id=None)
    broken = False
    outcome = await event_platform.events.operations.retry_dead_letter(letter.id, tenant_id=None)
    assert outcome is Outcome.PROCESSED
    assert await effect_counts(event_platform.database, "fixable") == {event.id: 1}
    async with event_platform.database.sessionmaker() as session:
        stored = await session.get(DeadLetter, letter.id)
    assert stored is not None
    assert stored.status == "retried"


async def test_events_of_one_aggregate_wait_for_their_predecessor(
    event_platform: Platform,
) -> None:
    """A delivery whose earlier event is still failing waits; other aggregates go on."""
    failures_left = 2
    course, other = new_ids(2)

    async def handler(ctx: HandlerContext) -> None:
        nonlocal failures_left
        if ctx.event.meta.aggregate_id == course and ctx.event.meta.sequence == 1 and failures_left:
            failures_left -= 1
            raise ConnectionError("not yet")
        await record_effect(ctx, "ordered")

    subscriber = await subscribe(event_platform, "ordered", handler, max_attempts=5)
    await publish(event_platform, course)
    await publish(event_platform, other)
    await publish(event_platform, course)

    async def done() -> bool:
        return sum((await effect_counts(event_platform.database, "ordered")).values()) == 3

    await settle(event_platform, subscriber, done)
    from tests.support.events import effect_sequences

    seen = await effect_sequences(event_platform.database, "ordered")
    assert seen == {course: [1, 2], other: [1]}


async def test_delivery_outcomes_are_counted_in_metrics(event_platform: Platform) -> None:
    subscriber = await counting(event_platform, "counter")
    await publish(event_platform, *new_ids(2))

    async def done() -> bool:
        return len(await effect_counts(event_platform.database, "counter")) == 2

    await settle(event_platform, subscriber, done)
    await event_platform.events.refresh_gauges()
    from prometheus_client import generate_latest

    text = generate_latest(event_platform.metrics.registry).decode()
    assert f'brain_events_published_total{{type="{REQUESTED}"}} 2.0' in text
    assert 'brain_events_consumed_total{outcome="processed",subscriber="counter"} 2.0' in text
    assert 'brain_events_consumer_lag{subscriber="counter"} 0.0' in text
    assert "brain_events_outbox_backlog 0.0" in text
    assert "brain_events_handler_duration_seconds_count" in text


async def test_deliveries_taken_but_not_committed_are_delivered_again(
    event_platform: Platform, setup: Setup
) -> None:
    """A worker that fetched a batch and died before committing leaves nothing behind."""
    subscriber = await counting(event_platform, "counter")
    events = await publish(event_platform, *new_ids(3))
    await event_platform.events.relay.drain()
    taken = await event_platform.events.transport.fetch(
        subscriber.name, subscriber.patterns, "dead-worker", 10, 0
    )
    assert len(taken) == 3
    # the dead worker's lease (SQL) or pending entries (Redis) run out after the claim window

    async def done() -> bool:
        return len(await effect_counts(event_platform.database, "counter")) == 3

    await settle(event_platform, subscriber, done, within=20)
    assert await effect_counts(event_platform.database, "counter") == {e.id: 1 for e in events}


def test_deliveries_know_whether_they_came_from_the_stream() -> None:
    event = Event.model_validate(
        {
            "id": str(uuid.uuid4()),
            "type": REQUESTED,
            "source": "x",
            "timestamp": "2026-11-22T00:00:00Z",
            "payload": {},
            "meta": {
                "schema_version": 1,
                "producer": "p",
                "source_module": "m",
                "correlation_id": str(uuid.uuid4()),
                "aggregate_id": "a",
                "sequence": 1,
            },
        }
    )
    assert Delivery("1700000000000-0", event).from_stream
    assert not Delivery(f"replay:{event.id}", event).from_stream
    assert not Delivery(f"retry:{event.id}", event).from_stream


async def test_a_delivery_that_keeps_killing_workers_ends_as_a_dead_letter(
    event_platform: Platform,
) -> None:
    """No pending row records its failures (the worker died each time), so the transport's
    delivery count decides: reclaimed for the third time, its next failure is the last."""

    async def handler(ctx: HandlerContext) -> None:
        raise MemoryError("the worker would die here")

    subscriber = await subscribe(event_platform, "fragile", handler, max_attempts=3)
    [event] = await publish(event_platform, *new_ids(1))
    await event_platform.events.relay.drain()
    [fresh] = await event_platform.events.transport.fetch(
        subscriber.name, subscriber.patterns, "w1", 10, 0
    )
    reclaimed = dataclasses.replace(fresh, attempt=3)
    result = await event_platform.events.runtime.process(subscriber, [reclaimed])
    assert [o for _, o in result.outcomes] == [Outcome.DEAD_LETTERED]
    [letter] = await event_platform.events.operations.dead_letters(tenant_id=None)
    assert (letter.event_id, letter.kind, letter.attempts) == (event.id, "exhausted", 3)


async def test_a_new_subscriber_receives_what_was_published_before_it_first_started(
    event_platform: Platform,
) -> None:
    """A request taken while the worker was still starting must not be skipped."""
    early = await publish(event_platform, *new_ids(2))
    await event_platform.events.relay.drain()
    subscriber = await counting(event_platform, "latecomer")
    await settle(event_platform, subscriber, lambda: True)
    assert await effect_counts(event_platform.database, "latecomer") == {e.id: 1 for e in early}


async def test_a_subscriber_may_start_at_the_end_of_the_log(event_platform: Platform) -> None:
    await publish(event_platform, *new_ids(2))
    await event_platform.events.relay.drain()

    async def handler(ctx: HandlerContext) -> None:
        await record_effect(ctx, "fresh")

    subscriber = event_platform.events.registry.add(
        Subscriber("fresh", (REQUESTED,), handler, from_beginning=False)
    )
    await event_platform.events.runtime.ensure_subscription(subscriber)
    [later] = await publish(event_platform, *new_ids(1))
    await settle(event_platform, subscriber, lambda: True)
    assert await effect_counts(event_platform.database, "fresh") == {later.id: 1}


async def test_stopping_the_worker_lets_the_batch_in_flight_finish(
    event_platform: Platform,
) -> None:
    started = asyncio.Event()

    async def slow(ctx: HandlerContext) -> None:
        started.set()
        await asyncio.sleep(0.5)
        await record_effect(ctx, "slow")

    await subscribe(event_platform, "slow", slow)
    [event] = await publish(event_platform, *new_ids(1))
    stop = asyncio.Event()
    worker = asyncio.create_task(event_platform.events.run(stop))
    await asyncio.wait_for(started.wait(), 15)
    stop.set()
    await asyncio.wait_for(worker, 15)
    assert await effect_counts(event_platform.database, "slow") == {event.id: 1}
    subscriber = event_platform.events.registry.get("slow")
    assert await event_platform.events.transport.lag(subscriber.name, subscriber.patterns) == 0
    assert (await event_platform.events.runtime.drain(subscriber)) == 0
