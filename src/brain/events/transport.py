"""What a transport does; `sql.py` and `redis_streams.py` are the two implementations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from brain.events.envelope import Event
from brain.events.models import EventRecord


@dataclass(frozen=True)
class Delivery:
    """One event handed to one subscriber, with the transport's id for it."""

    message_id: str
    event: Event
    attempt: int = 1
    retry: bool = False
    """True when the delivery comes from the pending list because its retry is due."""

    @property
    def from_stream(self) -> bool:
        return not self.message_id.startswith(("replay:", "retry:"))


class Transport(Protocol):
    name: str
    stream_name: str

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, session: AsyncSession, events: Sequence[Event | EventRecord]) -> None:
        """Hand freshly positioned events to the transport, inside the relay's transaction
        (raising rolls it back, so they stay in the outbox)."""

    def published(self) -> None:
        """The relay committed a batch (wakes waiting readers in this process)."""

    async def ensure_subscription(self, subscriber: str, start: str = "0") -> None:
        """Create the subscriber's consumer group if missing, reading from `start` ("0": the
        stream's beginning, "$": its end)."""

    async def fetch(
        self,
        subscriber: str,
        patterns: Sequence[str],
        consumer: str,
        count: int,
        block_seconds: float,
    ) -> list[Delivery]:
        """New deliveries for `subscriber` (on Redis also entries reclaimed from dead consumers)."""

    async def advance(
        self, session: AsyncSession, subscriber: str, deliveries: Sequence[Delivery]
    ) -> None:
        """Inside the batch transaction: record that `deliveries` were taken (SQL position)."""

    async def ack(self, subscriber: str, message_ids: Sequence[str]) -> None:
        """After the batch committed: these deliveries are done."""

    async def dead_letter(self, subscriber: str, delivery: Delivery, reason: str) -> None:
        """After commit: copy a dead-lettered delivery to the transport's dead-letter stream."""

    async def lag(self, subscriber: str, patterns: Sequence[str] = ("*",)) -> int:
        """Events of the types matching `patterns` in the log that `subscriber` has not taken
        yet."""
