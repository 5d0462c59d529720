"""The event stream: catalog, outbox, relay, transports and the consumer runtime.

Publish inside a unit of work (the event commits with the change it reports)::

    await publisher.publish(uow, "distribution.published", payload, tenant_id=tenant_id)

Consume by registering a subscriber; its handler writes through `ctx.uow` in the same
transaction as the dedup row, and may publish follow-ups with `ctx.publish(...)`::

    @registry.subscribe("distribution_consumer", "course.generation.completed")
    async def on_completed(ctx: HandlerContext) -> None: ...
"""

from brain.events.catalog import CATALOG, EventPayload, PayloadRejected, UnknownEventType
from brain.events.consumer import (
    HandlerContext,
    PermanentError,
    Subscriber,
    SubscriberRegistry,
)
from brain.events.envelope import Event, EventMeta
from brain.events.outbox import EventPublisher

__all__ = [
    "CATALOG",
    "Event",
    "EventMeta",
    "EventPayload",
    "EventPublisher",
    "HandlerContext",
    "PayloadRejected",
    "PermanentError",
    "Subscriber",
    "SubscriberRegistry",
    "UnknownEventType",
]
