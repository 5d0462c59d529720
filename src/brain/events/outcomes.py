"""What becomes of a delivery: the consumer's rules, as one pure function.

Both ways of running a batch (at once, and one delivery at a time) find out what happened to a
delivery — not due yet, a duplicate, waiting for an earlier event of its aggregate, handled, or a
failure — and `decide` alone turns that into its outcome and the writes it needs (a retry in the
pending list, a dead letter, the pending row dropped). `docs/decisions/0006` states the rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum

from brain.events.catalog import CatalogError
from brain.events.subscribers import PermanentError
from brain.events.transport import Delivery


class Outcome(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    WAITING = "waiting"
    RETRIED = "retried"
    DEFERRED = "deferred"
    DEAD_LETTERED = "dead_lettered"


ACKED = frozenset({Outcome.PROCESSED, Outcome.DUPLICATE, Outcome.DEAD_LETTERED})
"""Outcomes after which the transport may forget the delivery."""


@dataclass(frozen=True)
class ConsumerSettings:
    batch_size: int = 100
    block_seconds: float = 1.0
    max_attempts: int = 5
    retry_base_seconds: float = 0.5
    retry_max_seconds: float = 60.0
    claim_idle_seconds: float = 30.0
    waiting_retry_seconds: float = 0.05

    def backoff(self, attempts: int) -> float:
        doublings = max(attempts - 1, 0)
        if doublings > 1000:  # far past any cap; 2**doublings would overflow a float
            return self.retry_max_seconds
        return float(min(self.retry_base_seconds * 2**doublings, self.retry_max_seconds))


@dataclass(frozen=True)
class PendingRow:
    """A subscriber's row in `event_pending` for one event: failed attempts so far, and when the
    delivery is due again."""

    event_id: uuid.UUID
    attempts: int
    next_attempt_at: datetime


class Seen(Enum):
    """What a delivery came to, short of a failure (an exception stands for that)."""

    NOT_DUE = "not due"
    DUPLICATE = "duplicate"
    WAITING = "waiting"
    HANDLED = "handled"


@dataclass(frozen=True)
class Schedule:
    """Write (or rewrite) the pending row: `attempts` failed so far, due in `delay` seconds."""

    attempts: int
    delay: float
    error: str


@dataclass(frozen=True)
class DeadLetterNote:
    kind: str  # permanent | exhausted
    reason: str
    attempts: int


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str = ""
    """For a dead letter: why (also copied to the transport's dead-letter stream)."""
    schedule: Schedule | None = None
    dead_letter: DeadLetterNote | None = None
    drop_pending: bool = False


def not_due(delivery: Delivery, row: PendingRow | None, now: datetime) -> bool:
    """A delivery with a pending row comes too early unless it is the due retry itself."""
    return row is not None and not delivery.retry and row.next_attempt_at > now


def attempt_number(delivery: Delivery, row: PendingRow | None) -> int:
    """The attempt this delivery is. The pending row counts real failures; without one (a worker
    died holding the delivery) the transport's delivery count is all there is, so a message that
    kills its worker still ends as a dead letter."""
    return (row.attempts if row else delivery.attempt - 1) + 1


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def decide(
    delivery: Delivery,
    row: PendingRow | None,
    seen: Seen | BaseException,
    *,
    max_attempts: int,
    settings: ConsumerSettings,
) -> Decision:
    """The outcome of `delivery`, given its pending row and what it came to."""
    attempts = attempt_number(delivery, row)
    has_row = row is not None
    if seen is Seen.NOT_DUE:
        return Decision(Outcome.DEFERRED)
    if seen is Seen.DUPLICATE:
        return Decision(Outcome.DUPLICATE, drop_pending=has_row)
    if seen is Seen.HANDLED:
        return Decision(Outcome.PROCESSED, drop_pending=has_row)
    if seen is Seen.WAITING:
        waiting = Schedule(
            attempts - 1,  # waiting is not an attempt
            settings.waiting_retry_seconds,
            f"waiting for an earlier event of aggregate {delivery.event.meta.aggregate_id}",
        )
        return Decision(Outcome.WAITING, schedule=waiting)
    reason = describe(seen)
    if isinstance(seen, PermanentError | CatalogError):
        return Decision(
            Outcome.DEAD_LETTERED,
            reason,
            dead_letter=DeadLetterNote("permanent", reason, attempts),
            drop_pending=has_row,
        )
    if attempts >= max_attempts:
        return Decision(
            Outcome.DEAD_LETTERED,
            reason,
            dead_letter=DeadLetterNote(
                "exhausted", f"gave up after {attempts} attempts; last: {reason}", attempts
            ),
            drop_pending=has_row,
        )
    return Decision(
        Outcome.RETRIED, schedule=Schedule(attempts, settings.backoff(attempts), reason)
    )


@dataclass
class BatchResult:
    outcomes: list[tuple[Delivery, Outcome]] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _, o in self.outcomes if o is outcome)
