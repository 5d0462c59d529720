"""The subscriber API: what a module writes to consume events.

A subscriber is a name (its consumer group), the event types it takes and a handler. Most modules
declare one handler per payload contract and let `Subscriber.of` dispatch by the event's type::

    async def on_published(ctx: HandlerContext[DistributionPublished]) -> None:
        ctx.payload.slug  # typed

    Subscriber.of("integrations_webhooks", {DistributionPublished: on_published})

The runtime that delivers events to subscribers (batches, dedup, retries, dead letters) is
`brain.events.consumer`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from sqlalchemy.ext.asyncio import AsyncSession

from brain.events.catalog import CATALOG, Catalog, EventPayload
from brain.events.envelope import Event
from brain.events.outbox import CAUSING_EVENT, EventPublisher
from brain.kernel.uow import UnitOfWork

P = TypeVar("P", bound=EventPayload)


class PermanentError(Exception):
    """Raised by a handler when the event can never be handled: it is dead-lettered, not retried."""


@dataclass
class HandlerContext(Generic[P]):
    """What a handler gets: the event, its validated payload, and the unit of work to write in."""

    event: Event
    payload: P
    uow: UnitOfWork
    attempt: int
    publisher: EventPublisher

    @property
    def session(self) -> AsyncSession:
        return self.uow.session

    @overload
    async def publish(self, event: EventPayload, **options: Any) -> Event: ...

    @overload
    async def publish(self, event: str, payload: Mapping[str, Any], **options: Any) -> Event: ...

    async def publish(
        self, event: EventPayload | str, payload: Mapping[str, Any] | None = None, **options: Any
    ) -> Event:
        """Publish a follow-up event in the same transaction (causation set automatically)."""
        # A batch handler's contexts share one unit of work: each names its own event the cause.
        cause = self.uow.info.get(CAUSING_EVENT)
        self.uow.info[CAUSING_EVENT] = self.event
        try:
            if isinstance(event, EventPayload):
                return await self.publisher.publish(self.uow, event, **options)
            assert payload is not None, "publishing by type name needs the payload mapping"
            return await self.publisher.publish(self.uow, event, payload, **options)
        finally:
            if cause is None:
                self.uow.info.pop(CAUSING_EVENT, None)
            else:
                self.uow.info[CAUSING_EVENT] = cause


Handler = Callable[[HandlerContext[Any]], Awaitable[None]]
BatchHandler = Callable[[Sequence[HandlerContext[Any]]], Awaitable[None]]


@dataclass(frozen=True)
class Subscriber:
    """A named consumer of the event types matching `patterns`.

    A new subscriber reads the log from its beginning, so events published before its worker
    first started (a request taken while the platform was still starting) are not skipped;
    `from_beginning=False` starts it at the end of the log instead.

    `handle_many`, when given, takes the deliveries of a batch that are ready at once (claimed,
    in order, with valid payloads) in the batch's transaction, for set-based effects; should it
    raise, the batch is rolled back and run again one delivery at a time through `handler`, so
    it may see a delivery again with the same attempt number (its writes still happen once).
    """

    name: str
    patterns: tuple[str, ...]
    handler: Handler
    max_attempts: int | None = None
    from_beginning: bool = True
    handle_many: BatchHandler | None = None

    @classmethod
    def batched(
        cls,
        name: str,
        patterns: Sequence[str],
        handle_many: BatchHandler,
        *,
        max_attempts: int | None = None,
        from_beginning: bool = True,
    ) -> Subscriber:
        """A subscriber with a batch handler only: one delivery at a time it gets a list of
        one."""

        async def one(ctx: HandlerContext[Any]) -> None:
            await handle_many([ctx])

        return cls(name, tuple(patterns), one, max_attempts, from_beginning, handle_many)

    @classmethod
    def of(
        cls,
        name: str,
        handlers: Mapping[type[EventPayload], Handler],
        *,
        max_attempts: int | None = None,
        catalog: Catalog = CATALOG,
    ) -> Subscriber:
        """A subscriber of exactly the event types of `handlers`' payload contracts, each event
        handed to the handler of its contract (a type it does not handle is a permanent error)."""
        by_type = {catalog.spec_of(payload).type: handler for payload, handler in handlers.items()}

        async def dispatch(ctx: HandlerContext[Any]) -> None:
            handler = by_type.get(ctx.event.type)
            if handler is None:
                raise PermanentError(f"{name} does not handle {ctx.event.type}")
            await handler(ctx)

        return cls(name, tuple(by_type), dispatch, max_attempts)


class SubscriberRegistry:
    def __init__(self) -> None:
        self._subscribers: dict[str, Subscriber] = {}

    def add(self, subscriber: Subscriber) -> Subscriber:
        if subscriber.name in self._subscribers:
            raise ValueError(f"subscriber {subscriber.name!r} is registered twice")
        if not subscriber.patterns:
            raise ValueError(f"subscriber {subscriber.name!r} subscribes to nothing")
        self._subscribers[subscriber.name] = subscriber
        return subscriber

    def subscribe(
        self, name: str, *patterns: str, max_attempts: int | None = None
    ) -> Callable[[Handler], Handler]:
        """Decorator form: `@registry.subscribe("distribution_consumer", "course.generation.*")`."""

        def register(handler: Handler) -> Handler:
            self.add(Subscriber(name, tuple(patterns), handler, max_attempts))
            return handler

        return register

    def get(self, name: str) -> Subscriber:
        try:
            return self._subscribers[name]
        except KeyError:
            raise KeyError(f"no subscriber named {name!r}") from None

    def __iter__(self) -> Iterator[Subscriber]:
        return iter(self._subscribers.values())

    def names(self) -> list[str]:
        return sorted(self._subscribers)
