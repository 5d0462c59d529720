"""Alerting: what needs an operator becomes an `alert.raised` event and a log line.

Causes: a failed course generation, a new dead letter, a disabled webhook endpoint, a payment
flagged for a mismatched amount (or currency). The event goes to the tenant's alert endpoints
like any other — the webhook endpoints subscribed to `alert.*` — and the log gets a warning.

Alerts are deduplicated per cause and tenant within `BRAIN_ALERTS_DEDUP_SECONDS`: the first
occurrence raises an alert, the ones inside the window only count (`suppressed_count` of the next
alert), so a burst — an LLM outage failing every generation — raises one alert. The cause's row is
locked while it is decided, so two workers do not both raise.

Dead letters are not events; `DeadLetterWatch`, a worker task, reads them through the event
stream's operations, looking back a little before its watermark on every pass and remembering
each letter it has seen, so a letter committed late or seen by two workers raises once.
Occurrences older than a day raise nothing (a replay or a first start over an old log).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from brain.events import EventPublisher, fit
from brain.events.contracts.integrations import AlertRaised, Severity
from brain.events.operations import MAX_PAGE, EventOperations
from brain.integrations.metrics import IntegrationMetrics
from brain.integrations.repository import AlertRepository
from brain.integrations.settings import IntegrationSettings
from brain.kernel.clock import utcnow
from brain.kernel.uow import UnitOfWork

log = logging.getLogger(__name__)

PLATFORM = uuid.UUID(int=0)
"""The tenant of causes that belong to none (a dead letter of an event without a tenant)."""
WATERMARK = "dead_letters"
LOOK_BACK = timedelta(seconds=60)
MAX_AGE = timedelta(days=1)
"""An occurrence older than this raises no alert: a replay, or a first start over an old event
log, would otherwise page operators for history."""
SEEN_KEPT = timedelta(days=2)


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a cause."""

    tenant_id: uuid.UUID | None
    cause: str
    key: str
    """What deduplicates: occurrences with the same key within the window raise one alert."""
    severity: Severity
    summary: str
    at: datetime
    subject_id: uuid.UUID | None = None
    source_event_id: uuid.UUID | None = None


class Alerting:
    def __init__(
        self, settings: IntegrationSettings, metrics: IntegrationMetrics, publisher: EventPublisher
    ) -> None:
        self.window = timedelta(seconds=settings.alerts_dedup_seconds)
        self.metrics = metrics
        self.publisher = publisher

    async def occurred(self, uow: UnitOfWork, occurrence: Occurrence) -> AlertRaised | None:
        """Raise the alert in `uow`, or count it into the cause's current one; the alert raised."""
        if utcnow() - occurrence.at > MAX_AGE:
            self.metrics.alerts.labels(occurrence.cause, "too_old").inc()
            return None
        repo = AlertRepository(uow.session)
        alert_id = uuid.uuid4()
        row, new = await repo.cause(
            occurrence.tenant_id or PLATFORM, occurrence.key, occurrence.at, alert_id
        )
        if not new and occurrence.at - row.last_raised_at < self.window:
            row.suppressed += 1
            uow.on_commit(
                lambda: self.metrics.alerts.labels(occurrence.cause, "deduplicated").inc()
            )
            return None
        suppressed = 0 if new else row.suppressed
        row.last_raised_at, row.last_alert_id, row.suppressed = occurrence.at, alert_id, 0
        alert = AlertRaised(
            alert_id=alert_id,
            severity=occurrence.severity,
            cause=occurrence.cause,
            summary=fit(AlertRaised, "summary", occurrence.summary),
            subject_id=occurrence.subject_id,
            source_event_id=occurrence.source_event_id,
            suppressed_count=suppressed,
        )
        if occurrence.tenant_id is not None:
            await self.publisher.publish(uow, alert, tenant_id=occurrence.tenant_id)
        uow.on_commit(lambda: self._logged(occurrence, alert))
        return alert

    def _logged(self, occurrence: Occurrence, alert: AlertRaised) -> None:
        self.metrics.alerts.labels(occurrence.cause, "raised").inc()
        log.warning(
            "alert %s [%s] %s (tenant %s, subject %s, %d deduplicated before)",
            alert.alert_id,
            alert.severity,
            alert.summary,
            occurrence.tenant_id or "-",
            alert.subject_id or "-",
            alert.suppressed_count,
        )


class DeadLetterWatch:
    """Raises an alert for each new dead letter (deduplicated per subscriber and tenant)."""

    def __init__(
        self,
        units_of_work: Callable[[], UnitOfWork],
        events: EventOperations,
        alerting: Alerting,
        poll_seconds: float,
    ) -> None:
        self.units_of_work = units_of_work
        self.events = events
        self.alerting = alerting
        self.poll_seconds = poll_seconds

    async def check(self) -> int:
        """One look at the dead letters; the alerts raised."""
        async with self.units_of_work() as uow:
            watermark = await AlertRepository(uow.session).watermark(WATERMARK)
        since = (watermark - LOOK_BACK) if watermark else utcnow() - MAX_AGE
        raised = 0
        while True:
            letters = await self.events.dead_letters_since(since)
            if not letters:
                return raised
            async with self.units_of_work() as uow:
                repo = AlertRepository(uow.session)
                now = utcnow()
                for letter in letters:
                    if not await repo.first_sight(letter.id, now):
                        continue
                    alert = await self.alerting.occurred(
                        uow,
                        Occurrence(
                            tenant_id=letter.tenant_id,
                            cause="dead_letter",
                            key=f"dead_letter:{letter.subscriber_name}",
                            severity="critical",
                            summary=(
                                f"{letter.subscriber_name} dead-lettered an event of type "
                                f"{letter.event_type} ({letter.kind}, {letter.attempts} attempts)"
                            ),
                            at=letter.created_at,
                            subject_id=letter.id,
                        ),
                    )
                    raised += alert is not None
                await repo.move_watermark(WATERMARK, letters[-1].created_at)
                await repo.forget_seen(now - SEEN_KEPT)
            if len(letters) < MAX_PAGE or letters[-1].created_at == since:
                return raised
            since = letters[-1].created_at

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.check()
            except Exception:
                log.exception("looking for new dead letters failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll_seconds)
