"""The Redis Streams transport (production): `XADD` to one stream, one consumer group per
subscriber, `XREADGROUP` in batches, `XACK` after commit, `XAUTOCLAIM` of entries a dead consumer
left pending, delivery counts from the pending list, a dead-letter stream."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy.ext.asyncio import AsyncSession

from brain.events.envelope import Event
from brain.events.models import EventRecord
from brain.events.outbox import event_of
from brain.events.patterns import matches
from brain.events.transport import Delivery

log = logging.getLogger(__name__)


class RedisStreamsTransport:
    name = "redis"

    def __init__(
        self,
        redis: Redis,
        *,
        stream: str = "brain:events:stream",
        dead_letter_stream: str = "brain:events:dead_letters",
        maxlen: int = 1_000_000,
        claim_idle_seconds: float = 30.0,
    ) -> None:
        self.redis = redis
        self.stream_name = stream
        self.dead_letter_stream = dead_letter_stream
        self.maxlen = maxlen
        self.claim_idle_ms = int(claim_idle_seconds * 1000)
        self.reclaim_every = claim_idle_seconds / 4
        self._claim_cursor: dict[str, str] = {}
        self._reclaim_at: dict[str, float] = {}
        """Per subscriber, when (`time.monotonic()`) to look for entries of dead consumers
        again: an entry becomes claimable only after `claim_idle_seconds`, so looking on every
        fetch would cost a round trip per poll for nothing."""

    async def start(self) -> None:
        await self.redis.ping()

    async def close(self) -> None:
        return None

    def wake(self) -> None:
        return None

    async def publish(self, session: AsyncSession, events: Sequence[Event | EventRecord]) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            for item in events:
                event = item if isinstance(item, Event) else event_of(item)
                pipe.xadd(
                    self.stream_name,
                    {"event": event.to_json(), "type": event.type},
                    maxlen=self.maxlen,
                    approximate=True,
                )
            await pipe.execute()

    def published(self) -> None:
        return None

    async def ensure_subscription(self, subscriber: str, start: str = "0") -> None:
        try:
            await self.redis.xgroup_create(self.stream_name, subscriber, id=start, mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def fetch(
        self,
        subscriber: str,
        patterns: Sequence[str],
        consumer: str,
        count: int,
        block_seconds: float,
    ) -> list[Delivery]:
        try:
            return await self._fetch(subscriber, patterns, consumer, count, block_seconds)
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
        # The stream or the group is gone: Redis restarted without its data (or the key was
        # deleted). Whatever the stream holds now was relayed since, so the group starts at its
        # beginning; anything seen before is skipped by the dedup rows.
        log.warning(
            "consumer group %s of %s is missing; re-created from the stream's start",
            subscriber,
            self.stream_name,
        )
        await self.ensure_subscription(subscriber, start="0")
        self._claim_cursor.pop(subscriber, None)
        self._reclaim_at.pop(subscriber, None)
        return await self._fetch(subscriber, patterns, consumer, count, block_seconds)

    async def _fetch(
        self,
        subscriber: str,
        patterns: Sequence[str],
        consumer: str,
        count: int,
        block_seconds: float,
    ) -> list[Delivery]:
        entries: list[tuple[str, dict[Any, Any]]] = []
        if time.monotonic() >= self._reclaim_at.get(subscriber, 0.0):
            entries = await self._reclaim(subscriber, consumer, count)
        reclaimed = {message_id for message_id, _ in entries}
        if len(entries) < count:
            response: Any = await self.redis.xreadgroup(
                subscriber,
                consumer,
                {self.stream_name: ">"},
                count=count - len(entries),
                block=int(block_seconds * 1000) if block_seconds > 0 else None,
            )
            for _stream, messages in response or []:
                entries.extend((_text(mid), fields) for mid, fields in messages)
        if not entries:
            return []
        counts = await self._delivery_counts(subscriber, reclaimed) if reclaimed else {}
        deliveries: list[Delivery] = []
        foreign: list[str] = []
        for message_id, fields in entries:
            if not fields:
                foreign.append(message_id)  # trimmed from the stream while pending
                continue
            event = _event(fields)
            if event is None:
                log.error(
                    "unreadable stream entry %s for %s; dead-lettered", message_id, subscriber
                )
                await self._dead_letter_raw(subscriber, message_id, fields)
                foreign.append(message_id)
            elif not matches(patterns, event.type):
                foreign.append(message_id)
            else:
                deliveries.append(Delivery(message_id, event, counts.get(message_id, 1)))
        if foreign:
            await self.ack(subscriber, foreign)
        return deliveries

    async def _reclaim(
        self, subscriber: str, consumer: str, count: int
    ) -> list[tuple[str, dict[Any, Any]]]:
        cursor = self._claim_cursor.get(subscriber, "0-0")
        result = await self.redis.xautoclaim(
            self.stream_name, subscriber, consumer, self.claim_idle_ms, start_id=cursor, count=count
        )
        next_cursor, claimed = result[0], result[1]
        self._claim_cursor[subscriber] = _text(next_cursor)
        if self._claim_cursor[subscriber] == "0-0":  # the scan went round: rest a while
            self._reclaim_at[subscriber] = time.monotonic() + self.reclaim_every
        return [(_text(mid), fields or {}) for mid, fields in claimed]

    async def _delivery_counts(self, subscriber: str, message_ids: set[str]) -> dict[str, int]:
        ordered = sorted(message_ids, key=_stream_order)
        pending = await self.redis.xpending_range(
            self.stream_name, subscriber, min=ordered[0], max=ordered[-1], count=len(ordered) * 4
        )
        return {
            _text(p["message_id"]): int(p["times_delivered"])
            for p in pending
            if _text(p["message_id"]) in message_ids
        }

    async def advance(
        self, session: AsyncSession, subscriber: str, deliveries: Sequence[Delivery]
    ) -> None:
        return None

    async def ack(self, subscriber: str, message_ids: Sequence[str]) -> None:
        if message_ids:
            await self.redis.xack(self.stream_name, subscriber, *message_ids)

    async def dead_letter(self, subscriber: str, delivery: Delivery, reason: str) -> None:
        await self.redis.xadd(
            self.dead_letter_stream,
            {
                "subscriber": subscriber,
                "message_id": delivery.message_id,
                "event_id": str(delivery.event.id),
                "type": delivery.event.type,
                "reason": reason[:2000],
                "event": delivery.event.to_json(),
            },
            maxlen=self.maxlen,
            approximate=True,
        )

    async def _dead_letter_raw(
        self, subscriber: str, message_id: str, fields: dict[Any, Any]
    ) -> None:
        await self.redis.xadd(
            self.dead_letter_stream,
            {
                "subscriber": subscriber,
                "message_id": message_id,
                "reason": "unreadable stream entry",
                "raw": json.dumps({_text(k): _text(v) for k, v in fields.items()}),
            },
            maxlen=self.maxlen,
            approximate=True,
        )

    async def lag(self, subscriber: str, patterns: Sequence[str] = ("*",)) -> int:
        try:
            groups = await self.redis.xinfo_groups(self.stream_name)
        except ResponseError:
            return 0
        for group in groups:
            if _text(group["name"]) == subscriber:
                lag = group.get("lag")
                return int(lag) if lag is not None else int(group.get("pending", 0))
        return 0


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _stream_order(message_id: str) -> tuple[int, int]:
    ms, _, seq = message_id.partition("-")
    return int(ms), int(seq or 0)


def _event(fields: dict[Any, Any]) -> Event | None:
    raw = fields.get(b"event", fields.get("event"))
    if raw is None:
        return None
    try:
        return Event.from_json(raw)
    except ValidationError:
        return None
