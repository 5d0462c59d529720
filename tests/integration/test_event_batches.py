"""A batch is claimed at once and its handlers run one after another, each in its savepoint; from a
delivery that cannot be settled that way on (a handler raised, it must wait, it has a pending row)
the batch goes on one delivery at a time. Whatever happens, the outcomes, effects, retries, dead
letters and the order within an aggregate are those of taking every delivery one at a time, and
every handler runs once per attempt.

On every setup: SQLite + SQL log, PostgreSQL + SQL log, PostgreSQL + Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from brain.bootstrap import Platform
from brain.events import Event, HandlerContext, PermanentError, Subscriber
from brain.events.consumer import Outcome
from brain.events.models import DeadLetter, EventRecord, PendingDelivery, ProcessedEvent
from brain.events.transport import Delivery
from brain.kernel.clock import utcnow
from tests.support.events import Setup, effect_counts, effect_sequences, record_effect

REQUESTED = "course.distribution.requested"


async def publish(platform: Platform, *aggregates: str) -> list[Event]:
    """One event per aggregate named, all in one unit of work, relayed."""
    async with platform.unit_of_work() as uow:
        events = [
            await platform.events.publisher.publish(uow, REQUESTED, {"course_id": aggregate})
            for aggregate in aggregates
        ]
    await platform.events.relay.drain()
    return events


def new_ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


@dataclasses.dataclass
class Scripted:
    """A handler that writes its effect, then does what `plan` says for the event, by its id or
    its aggregate ("ok", "transient", "transient once" or "permanent"; "ok" when not planned),
    and records every call (event id, attempt)."""

    name: str
    plan: dict[uuid.UUID | str, str] = dataclasses.field(default_factory=dict)
    calls: list[tuple[uuid.UUID, int]] = dataclasses.field(default_factory=list)

    async def __call__(self, ctx: HandlerContext) -> None:
        self.calls.append((ctx.event.id, ctx.attempt))
        await record_effect(ctx, self.name)
        what = self.plan.get(ctx.event.id) or self.plan.get(ctx.event.meta.aggregate_id, "ok")
        if what == "transient once":
            what = "transient" if ctx.attempt == 1 else "ok"
        if what == "transient":
            raise ConnectionError("transient, by plan")
        if what == "permanent":
            raise PermanentError("permanent, by plan")

    def calls_per_event(self) -> Counter[uuid.UUID]:
        return Counter(event_id for event_id, _ in self.calls)


async def scripted(platform: Platform, name: str, **options: Any) -> tuple[Subscriber, Scripted]:
    handler = Scripted(name)
    subscriber = platform.events.registry.add(
        Subscriber(name, (REQUESTED,), handler, max_attempts=options.get("max_attempts", 5))
    )
    await platform.events.runtime.ensure_subscription(subscriber)
    return subscriber, handler


async def take(platform: Platform, subscriber: Subscriber) -> list[Delivery]:
    return await platform.events.transport.fetch(
        subscriber.name, subscriber.patterns, "batch-test", 100, 0
    )


@contextlib.contextmanager
def statements(platform: Platform) -> Iterator[list[str]]:
    """The SQL statements the platform's engine sends meanwhile (SAVEPOINT and RELEASE too)."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(" ".join(statement.split()))

    engine = platform.database.engine.sync_engine
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)


def claims(sent: Sequence[str]) -> list[str]:
    return [s for s in sent if s.startswith("INSERT INTO processed_events")]


# -- the cases the fast path has to get right ----------------------------------------------------


async def test_a_batch_that_succeeds_is_claimed_at_once_with_fewer_statements(
    event_platform: Platform,
) -> None:
    size = 20
    fast, fast_handler = await scripted(event_platform, "fast")
    slow, slow_handler = await scripted(event_platform, "slow")
    events = await publish(event_platform, *new_ids(size))
    runtime = event_platform.events.runtime

    taken = await take(event_platform, fast)
    with statements(event_platform) as sent:
        result = await runtime.process(fast, taken, taken=taken)
    assert [o for _, o in result.outcomes] == [Outcome.PROCESSED] * size
    assert len(claims(sent)) == 1
    # per delivery: SAVEPOINT, the handler's INSERT, RELEASE; per batch: BEGIN (SQLite), the
    # start position, the pending rows, the claim, the SQL log's position
    assert len(sent) <= 3 * size + 6, sent

    taken = await take(event_platform, slow)
    with statements(event_platform) as one_at_a_time:
        await runtime._process(slow, taken, taken, at_once=False)
    assert len(claims(one_at_a_time)) == size
    assert len(one_at_a_time) >= 4 * size
    assert len(sent) < len(one_at_a_time)

    for name, handler in (("fast", fast_handler), ("slow", slow_handler)):
        assert await effect_counts(event_platform.database, name) == {e.id: 1 for e in events}
        assert handler.calls == [(e.id, 1) for e in events]


async def test_a_failing_handler_in_the_middle_leaves_the_others_processed_once(
    event_platform: Platform,
) -> None:
    subscriber, handler = await scripted(event_platform, "middle")
    events = await publish(event_platform, *new_ids(5))
    handler.plan[events[2].id] = "transient once"
    taken = await take(event_platform, subscriber)

    result = await event_platform.events.runtime.process(subscriber, taken, taken=taken)

    assert [o for _, o in result.outcomes] == [
        Outcome.PROCESSED,
        Outcome.PROCESSED,
        Outcome.RETRIED,
        Outcome.PROCESSED,
        Outcome.PROCESSED,
    ]
    others = [e for i, e in enumerate(events) if i != 2]
    assert await effect_counts(event_platform.database, "middle") == {e.id: 1 for e in others}
    assert handler.calls == [(e.id, 1) for e in events]  # the failing one is not run twice
    async with event_platform.database.sessionmaker() as session:
        [pending] = (await session.scalars(select(PendingDelivery))).all()
        processed = set(
            await session.scalars(
                select(ProcessedEvent.event_id).where(ProcessedEvent.subscriber_name == "middle")
            )
        )
    assert (pending.event_id, pending.attempts) == (events[2].id, 1)
    assert processed == {e.id for e in others}

    await settle(event_platform, subscriber, lambda: len(handler.calls) == 6)
    assert await effect_counts(event_platform.database, "middle") == {e.id: 1 for e in events}
    assert handler.calls[-1] == (events[2].id, 2)


async def test_the_commit_hooks_and_events_of_a_handler_that_raised_go_with_its_savepoint(
    event_platform: Platform,
) -> None:
    """A handler registers a commit hook and publishes a follow-up, then raises: its savepoint
    is rolled back, and neither the hook nor the follow-up survives the batch's commit (the first
    handler to publish is the failing one, so the outbox's own hooks are registered inside it)."""
    fired: list[uuid.UUID] = []
    plan: dict[uuid.UUID, str] = {}

    def follow_up(event_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"follow-up/{event_id}")

    async def handler(ctx: HandlerContext) -> None:
        event_id = ctx.event.id
        ctx.uow.on_commit(lambda: fired.append(event_id))
        await ctx.publish(REQUESTED, {"course_id": str(follow_up(event_id))})
        if plan.get(event_id) == "permanent":
            raise PermanentError("permanent, by plan")

    subscriber = event_platform.events.registry.add(Subscriber("hooks", (REQUESTED,), handler))
    await event_platform.events.runtime.ensure_subscription(subscriber)
    events = await publish(event_platform, *new_ids(3))
    plan[events[0].id] = "permanent"
    taken = await take(event_platform, subscriber)

    result = await event_platform.events.runtime.process(subscriber, taken, taken=taken)

    assert [o for _, o in result.outcomes] == [
        Outcome.DEAD_LETTERED,
        Outcome.PROCESSED,
        Outcome.PROCESSED,
    ]
    assert fired == [events[1].id, events[2].id]
    expected = {str(follow_up(e.id)) for e in events}
    async with event_platform.database.sessionmaker() as session:
        follow_ups = set(
            await session.scalars(
                select(EventRecord.aggregate_id).where(EventRecord.aggregate_id.in_(expected))
            )
        )
    assert follow_ups == {str(follow_up(events[1].id)), str(follow_up(events[2].id))}


async def test_the_same_event_twice_in_a_batch_is_processed_once(
    event_platform: Platform, setup: Setup
) -> None:
    subscriber, handler = await scripted(event_platform, "twice")
    events = await publish(event_platform, *new_ids(3))
    taken = await take(event_platform, subscriber)
    if setup.transport == "redis":
        # the relay sent the first event again (a crash between XADD and its commit)
        async with event_platform.database.sessionmaker() as session, session.begin():
            record = await session.scalar(select(EventRecord).where(EventRecord.id == events[0].id))
            assert record is not None
            await event_platform.events.transport.publish(session, [record])
        [again] = await take(event_platform, subscriber)
        assert again.message_id != taken[0].message_id
    else:
        again = taken[0]  # the SQL log has no second copy: the very same delivery twice
    assert again.event.id == events[0].id
    batch = [*taken, again]

    with statements(event_platform) as sent:
        result = await event_platform.events.runtime.process(subscriber, batch, taken=batch)

    assert [o for _, o in result.outcomes] == [Outcome.PROCESSED] * 3 + [Outcome.DUPLICATE]
    assert len(claims(sent)) == 1
    assert await effect_counts(event_platform.database, "twice") == {e.id: 1 for e in events}
    assert handler.calls_per_event() == {e.id: 1 for e in events}
    if setup.transport == "redis":
        pending = await event_platform.redis.xpending(  # type: ignore[union-attr]
            event_platform.settings.events_stream, "twice"
        )
        assert pending["pending"] == 0


async def test_two_events_of_one_aggregate_in_a_batch_keep_their_order(
    event_platform: Platform,
) -> None:
    course, other = new_ids(2)
    subscriber, handler = await scripted(event_platform, "ordered")
    events = await publish(event_platform, course, other, course, course)
    assert [e.meta.sequence for e in events] == [1, 1, 2, 3]
    taken = await take(event_platform, subscriber)

    with statements(event_platform) as sent:
        result = await event_platform.events.runtime.process(subscriber, taken, taken=taken)

    assert [o for _, o in result.outcomes] == [Outcome.PROCESSED] * 4
    assert len(claims(sent)) == 1
    assert sum(1 for s in sent if "FROM events" in s) == 1  # one predecessor query for all
    assert await effect_sequences(event_platform.database, "ordered") == {
        course: [1, 2, 3],
        other: [1],
    }
    assert handler.calls == [(e.id, 1) for e in events]


async def test_a_batch_holding_an_aggregates_events_out_of_order_waits_for_the_first(
    event_platform: Platform,
) -> None:
    [course] = new_ids(1)
    subscriber, handler = await scripted(event_platform, "reordered")
    first, second = await publish(event_platform, course, course)
    taken = await take(event_platform, subscriber)
    batch = list(reversed(taken))  # as a retry and a new delivery can come

    result = await event_platform.events.runtime.process(subscriber, batch)

    assert [o for _, o in result.outcomes] == [Outcome.WAITING, Outcome.PROCESSED]
    await settle(event_platform, subscriber, lambda: len(handler.calls) == 2)
    assert await effect_sequences(event_platform.database, "reordered") == {course: [1, 2]}
    assert handler.calls == [(first.id, 1), (second.id, 1)]


# -- the same as one at a time, case by case ---------------------------------------------------


def as_taken(taken: list[Delivery]) -> list[Delivery]:
    return taken


CASES: dict[str, tuple[list[str], dict[int, str], Callable[[list[Delivery]], list[Delivery]]]] = {
    # name: (the events' aggregates, the plan by event index, the batch from the deliveries taken)
    "all succeed": (["a", "b", "c", "d"], {}, as_taken),
    "transient in the middle": (["a", "b", "c", "d"], {1: "transient"}, as_taken),
    "permanent in the middle": (["a", "b", "c", "d"], {2: "permanent"}, as_taken),
    "the first fails": (["a", "b", "c"], {0: "transient"}, as_taken),
    "the last fails": (["a", "b", "c"], {2: "permanent"}, as_taken),
    "one aggregate in order": (["a", "b", "a", "a"], {}, as_taken),
    "one aggregate, its second fails": (["a", "b", "a", "a"], {2: "transient"}, as_taken),
    "one aggregate, its second is dead": (["a", "a", "a"], {1: "permanent"}, as_taken),
    "one aggregate reversed": (["a", "a", "b"], {}, lambda t: [t[1], t[0], t[2]]),
    "a successor after another": (["a", "a", "b"], {}, lambda t: [t[2], t[1]]),
    "the same delivery twice": (["a", "b"], {}, lambda t: [t[0], t[1], t[0]]),
    "the same failing delivery twice": (["a", "b"], {0: "transient"}, lambda t: [t[0], t[1], t[0]]),
    "a duplicate twice": (["a", "b"], {}, lambda t: [t[0], t[1], t[0]]),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_batch_ends_as_it_would_one_delivery_at_a_time(
    event_platform: Platform, case: str
) -> None:
    aggregates, plan, batch_of = CASES[case]
    names = {aggregate: str(uuid.uuid4()) for aggregate in aggregates}
    fast, fast_handler = await scripted(event_platform, "at_once")
    slow, slow_handler = await scripted(event_platform, "one_by_one")
    events = await publish(event_platform, *(names[a] for a in aggregates))
    for handler in (fast_handler, slow_handler):
        handler.plan.update({events[i].id: what for i, what in plan.items()})
    runtime = event_platform.events.runtime
    # a retry is never due within the batch that scheduled it (the same delivery again: deferred)
    retries_not_due_within_the_test(event_platform)
    fast_taken = await take(event_platform, fast)
    slow_taken = await take(event_platform, slow)
    if case == "a duplicate twice":  # its first delivery was processed in an earlier batch
        await runtime.process(fast, fast_taken[:1])
        await runtime._process(slow, slow_taken[:1], (), at_once=False)

    fast_result = await runtime.process(fast, batch_of(fast_taken))
    slow_result = await runtime._process(slow, batch_of(slow_taken), (), at_once=False)

    assert [o for _, o in fast_result.outcomes] == [o for _, o, _ in slow_result]
    assert await state(event_platform, "at_once") == await state(event_platform, "one_by_one")
    assert fast_handler.calls == slow_handler.calls


async def test_deliveries_with_pending_rows_are_taken_one_at_a_time_from_the_first(
    event_platform: Platform,
) -> None:
    """A retry that is not due yet (its delivery came again) is deferred; the rest as always."""
    fast, fast_handler = await scripted(event_platform, "at_once")
    slow, slow_handler = await scripted(event_platform, "one_by_one")
    events = await publish(event_platform, *new_ids(3))
    for handler in (fast_handler, slow_handler):
        handler.plan[events[1].id] = "transient"
    runtime = event_platform.events.runtime
    retries_not_due_within_the_test(event_platform)
    batches = {}
    for subscriber in (fast, slow):
        batches[subscriber.name] = await take(event_platform, subscriber)
        await runtime._process(subscriber, batches[subscriber.name], (), at_once=False)

    again = {name: [taken[2], taken[1], taken[0]] for name, taken in batches.items()}
    fast_result = await runtime.process(fast, again["at_once"])
    slow_result = await runtime._process(slow, again["one_by_one"], (), at_once=False)

    assert [o for _, o in fast_result.outcomes] == [
        Outcome.DUPLICATE,
        Outcome.DEFERRED,
        Outcome.DUPLICATE,
    ]
    assert [o for _, o in fast_result.outcomes] == [o for _, o, _ in slow_result]
    assert await state(event_platform, "at_once") == await state(event_platform, "one_by_one")
    assert fast_handler.calls == slow_handler.calls


async def test_a_batch_whose_claim_fails_is_taken_one_at_a_time(
    event_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deadlock with another worker's claim, say: the batch starts over, nothing is lost."""
    subscriber, handler = await scripted(event_platform, "claims")
    events = await publish(event_platform, *new_ids(3))
    runtime = event_platform.events.runtime
    attempts = 0

    async def deadlocked(*args: Any) -> set[uuid.UUID]:
        nonlocal attempts
        attempts += 1
        raise OperationalError("INSERT INTO processed_events …", {}, Exception("deadlock"))

    monkeypatch.setattr(runtime, "_claim_all", deadlocked)
    taken = await take(event_platform, subscriber)
    result = await runtime.process(subscriber, taken, taken=taken)

    assert attempts == 1
    assert [o for _, o in result.outcomes] == [Outcome.PROCESSED] * 3
    assert await effect_counts(event_platform.database, "claims") == {e.id: 1 for e in events}
    assert handler.calls == [(e.id, 1) for e in events]


# -- the worker loop's polls -----------------------------------------------------------------------


async def test_the_worker_loop_takes_its_own_retries_and_those_of_other_workers(
    event_platform: Platform,
) -> None:
    _, handler = await scripted(event_platform, "looping")
    runtime = event_platform.events.runtime
    runtime.settings = dataclasses.replace(runtime.settings, retry_base_seconds=0.2)
    [course] = new_ids(1)
    handler.plan[course] = "transient once"
    stop = asyncio.Event()
    worker = asyncio.create_task(event_platform.events.run(stop))
    try:
        [flaky] = await publish(event_platform, course)
        await until(lambda: len(handler.calls) == 2)  # its own retry, once due
        assert handler.calls == [(flaky.id, 1), (flaky.id, 2)]

        async def committed() -> bool:
            return await effect_counts(event_platform.database, "looping") == {flaky.id: 1}

        await until(committed)

        # a retry another worker scheduled (and then died): due now, found within a poll or two
        # A retry another worker scheduled and did not take (it died): due now, found by this
        # loop within a poll interval or two. Its event is processed by now: a duplicate, and
        # its pending row goes.
        [orphan] = await publish(event_platform, *new_ids(1))
        await until(lambda: (orphan.id, 1) in handler.calls)
        looked_for = time.monotonic()
        async with event_platform.database.sessionmaker() as session, session.begin():
            session.add(
                PendingDelivery(
                    subscriber_name="looping",
                    event_id=orphan.id,
                    stream_message_id=f"retry:{orphan.id}",
                    attempts=1,
                    next_attempt_at=utcnow() - timedelta(seconds=1),
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
            )
        await until(_pending_gone(event_platform, orphan.id))
        assert time.monotonic() - looked_for < 5
        assert handler.calls.count((orphan.id, 1)) == 1
    finally:
        stop.set()
        await asyncio.wait_for(worker, 15)


# -- helpers -------------------------------------------------------------------------------------


def retries_not_due_within_the_test(platform: Platform) -> None:
    """A retry scheduled during the test falls due only half a minute later, however slow the
    machine. The base alone is not enough: the fixture caps every backoff at
    `events_retry_max_seconds` (0.05 s), and a loaded machine takes longer than that between
    two batches, so the retry would be due (attempt 2) where the test expects it deferred."""
    runtime = platform.events.runtime
    runtime.settings = dataclasses.replace(
        runtime.settings, retry_base_seconds=30, retry_max_seconds=60
    )
    assert runtime.settings.backoff(1) == 30


async def state(platform: Platform, subscriber: str) -> dict[str, Any]:
    """What a subscriber's deliveries left behind, by event: effects, dedup rows (and what they
    say), pending rows (attempts), dead letters (kind, attempts)."""
    async with platform.database.sessionmaker() as session:
        processed = {
            row.event_id: (row.metadata_ or {}).get("outcome")
            for row in await session.scalars(
                select(ProcessedEvent).where(ProcessedEvent.subscriber_name == subscriber)
            )
        }
        pending = {
            row.event_id: row.attempts
            for row in await session.scalars(
                select(PendingDelivery).where(PendingDelivery.subscriber_name == subscriber)
            )
        }
        letters = {
            row.event_id: (row.kind, row.attempts)
            for row in await session.scalars(
                select(DeadLetter).where(DeadLetter.subscriber_name == subscriber)
            )
        }
    return {
        "effects": await effect_counts(platform.database, subscriber),
        "processed": processed,
        "pending": pending,
        "dead letters": letters,
    }


async def settle(platform: Platform, subscriber: Subscriber, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 15
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError("the stream did not settle in time")
        await platform.events.runtime.drain(subscriber)
        await asyncio.sleep(0.02)


async def until(done: Callable[[], Any], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while True:
        result = done()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError("not within the time allowed")
        await asyncio.sleep(0.02)


def _pending_gone(platform: Platform, event_id: uuid.UUID) -> Callable[[], Any]:
    async def gone() -> bool:
        async with platform.database.sessionmaker() as session:
            row = await session.scalar(
                select(PendingDelivery).where(PendingDelivery.event_id == event_id)
            )
        return row is None

    return gone
