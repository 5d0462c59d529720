"""The event stream: catalog, outbox, relay, transports and the consumer runtime.

Publish a contract's payload inside a unit of work (the event commits with the change it
reports)::

    await publisher.publish(uow, DistributionPublished(...), tenant_id=tenant_id)

Consume with a subscriber; its handlers write through `ctx.uow` in the same transaction as the
dedup row, and may publish follow-ups with `ctx.publish(...)`::

    async def on_completed(ctx: HandlerContext[CourseGenerationCompleted]) -> None: ...

    Subscriber.of("distribution_consumer", {CourseGenerationCompleted: on_completed})

`docs/modules.md` says where each of these lives in a module.
"""

from brain.events.catalog import CATALOG, EventPayload, PayloadRejected, UnknownEventType
from brain.events.contracts._types import fit
from brain.events.envelope import Event, EventMeta
from brain.events.outbox import EventPublisher
from brain.events.subscribers import (
    HandlerContext,
    PermanentError,
    Subscriber,
    SubscriberRegistry,
)

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
    "fit",
]
