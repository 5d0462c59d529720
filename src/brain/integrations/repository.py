"""SQL of the integrations. Reads for an operator are scoped to a tenant; the delivery task and
the IndexNow notifier claim their rows so that several workers share the work (`FOR UPDATE SKIP
LOCKED` on PostgreSQL; on SQLite the claiming transaction holds the write lock, and a claim is a
lease either way, so a dead worker's rows are taken over when it runs out)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from brain.integrations.models import (
    AlertCause,
    AlertSeenDeadLetter,
    AlertWatermark,
    AnalyticsApplied,
    AnalyticsCourseDay,
    AnalyticsDistribution,
    AnalyticsGenerationTime,
    AnalyticsState,
    DeliveryStatus,
    IndexNowDistribution,
    IndexNowUrl,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

PENDING = DeliveryStatus.PENDING.value
COUNTERS = (
    "generations_requested",
    "generations_completed",
    "generations_failed",
    "views",
    "enrollment_clicks",
    "checkouts",
    "payments",
)


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- endpoints ---------------------------------------------------------------------------

    async def add_endpoint(self, endpoint: WebhookEndpoint) -> WebhookEndpoint:
        self.session.add(endpoint)
        await self.session.flush()
        return endpoint

    async def endpoint(
        self, endpoint_id: uuid.UUID, *, tenant_id: uuid.UUID | None
    ) -> WebhookEndpoint | None:
        """The endpoint, when it belongs to `tenant_id` (None: any tenant, for the worker)."""
        query = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
        if tenant_id is not None:
            query = query.where(WebhookEndpoint.tenant_id == tenant_id)
        return await self.session.scalar(query)

    async def endpoints(self, tenant_id: uuid.UUID) -> Sequence[WebhookEndpoint]:
        return (
            await self.session.scalars(
                select(WebhookEndpoint)
                .where(WebhookEndpoint.tenant_id == tenant_id)
                .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
            )
        ).all()

    async def count_endpoints(self, tenant_id: uuid.UUID) -> int:
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(WebhookEndpoint)
                .where(WebhookEndpoint.tenant_id == tenant_id)
            )
            or 0
        )

    async def enabled_endpoints(self, tenant_id: uuid.UUID) -> Sequence[WebhookEndpoint]:
        return (
            await self.session.scalars(
                select(WebhookEndpoint).where(
                    WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.enabled.is_(True)
                )
            )
        ).all()

    async def delete_endpoint(self, endpoint: WebhookEndpoint) -> None:
        await self.session.execute(
            delete(WebhookAttempt).where(
                WebhookAttempt.delivery_id.in_(
                    select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == endpoint.id)
                )
            )
        )
        await self.session.execute(
            delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
        )
        await self.session.delete(endpoint)
        await self.session.flush()

    async def disable(
        self, endpoint_id: uuid.UUID, reason: str, now: datetime
    ) -> WebhookEndpoint | None:
        """Disable an enabled endpoint; None when it was disabled (or gone) already, so that
        concurrent workers report a disabling once."""
        result = await self.session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.enabled.is_(True))
            .values(enabled=False, disabled_reason=reason, disabled_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return None
        endpoint = await self.session.get(WebhookEndpoint, endpoint_id)
        if endpoint is not None:
            await self.session.refresh(endpoint)
        return endpoint

    async def disabled_count(self) -> int:
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(WebhookEndpoint)
                .where(WebhookEndpoint.enabled.is_(False))
            )
            or 0
        )

    # -- deliveries --------------------------------------------------------------------------

    async def record(self, rows: list[dict[str, Any]]) -> int:
        """Insert deliveries; one already recorded for the endpoint and event is left alone (a
        replayed event records nothing twice). The number inserted."""
        if not rows:
            return 0
        table = WebhookDelivery.__table__
        result = await self.session.execute(
            _insert(self.session)(table)
            .values(rows)
            .on_conflict_do_nothing(index_elements=[table.c.endpoint_id, table.c.event_id])
            .returning(table.c.id)
        )
        return len(result.all())

    async def delivery(
        self, delivery_id: uuid.UUID, *, tenant_id: uuid.UUID | None
    ) -> WebhookDelivery | None:
        query = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
        if tenant_id is not None:
            query = query.where(WebhookDelivery.tenant_id == tenant_id)
        return await self.session.scalar(query)

    async def deliveries(
        self, endpoint_id: uuid.UUID, *, status: str | None, offset: int, limit: int
    ) -> tuple[Sequence[WebhookDelivery], int]:
        """A page of an endpoint's deliveries, newest first, and how many there are."""
        where = [WebhookDelivery.endpoint_id == endpoint_id]
        if status is not None:
            where.append(WebhookDelivery.status == status)
        total = await self.session.scalar(
            select(func.count()).select_from(WebhookDelivery).where(*where)
        )
        rows = (
            await self.session.scalars(
                select(WebhookDelivery)
                .where(*where)
                .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
                .offset(offset)
                .limit(limit)
            )
        ).all()
        return rows, int(total or 0)

    async def attempts(self, delivery_id: uuid.UUID) -> Sequence[WebhookAttempt]:
        return (
            await self.session.scalars(
                select(WebhookAttempt)
                .where(WebhookAttempt.delivery_id == delivery_id)
                .order_by(WebhookAttempt.attempted_at, WebhookAttempt.id)
            )
        ).all()

    async def add_attempt(self, attempt: WebhookAttempt) -> None:
        self.session.add(attempt)
        await self.session.flush()

    async def claim(
        self, now: datetime, limit: int, token: uuid.UUID, lease_seconds: float
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
        """Claim up to `limit` due deliveries of enabled endpoints for `token`. Only the head of
        each chain is due: a delivery waits while an earlier event of its aggregate is still
        pending for the same endpoint (ADR 0014)."""
        earlier = aliased(WebhookDelivery)
        waits = (
            exists()
            .where(
                earlier.endpoint_id == WebhookDelivery.endpoint_id,
                earlier.aggregate_id == WebhookDelivery.aggregate_id,
                earlier.status == PENDING,
                earlier.sequence < WebhookDelivery.sequence,
            )
            .correlate(WebhookDelivery)
        )
        query = (
            select(WebhookDelivery)
            .where(
                WebhookDelivery.status == PENDING,
                WebhookDelivery.next_attempt_at <= now,
                (WebhookDelivery.claimed_until.is_(None)) | (WebhookDelivery.claimed_until < now),
                WebhookDelivery.endpoint_id.in_(
                    select(WebhookEndpoint.id).where(WebhookEndpoint.enabled.is_(True))
                ),
                ~waits,
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.created_at)
            .limit(limit)
        )
        if _postgres(self.session):
            query = query.with_for_update(skip_locked=True, of=WebhookDelivery)
        deliveries = list((await self.session.scalars(query)).all())
        if not deliveries:
            return []
        until = now + timedelta(seconds=lease_seconds)
        for delivery in deliveries:
            delivery.claim_token = token
            delivery.claimed_until = until
        await self.session.flush()
        endpoints = {
            e.id: e
            for e in await self.session.scalars(
                select(WebhookEndpoint).where(
                    WebhookEndpoint.id.in_({d.endpoint_id for d in deliveries})
                )
            )
        }
        return [(d, endpoints[d.endpoint_id]) for d in deliveries if d.endpoint_id in endpoints]

    async def claimed(self, delivery_id: uuid.UUID, token: uuid.UUID) -> WebhookDelivery | None:
        """The delivery if `token` still holds its claim."""
        return await self.session.scalar(
            select(WebhookDelivery).where(
                WebhookDelivery.id == delivery_id, WebhookDelivery.claim_token == token
            )
        )

    async def pending_count(self) -> int:
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(WebhookDelivery)
                .where(WebhookDelivery.status == PENDING)
            )
            or 0
        )

    async def prune(self, before: datetime, batch: int = 1000) -> int:
        """Delete up to `batch` deliveries recorded before `before`, with their attempts."""
        ids = list(
            (
                await self.session.scalars(
                    select(WebhookDelivery.id)
                    .where(WebhookDelivery.created_at < before)
                    .order_by(WebhookDelivery.created_at)
                    .limit(batch)
                )
            ).all()
        )
        if not ids:
            return 0
        await self.session.execute(
            delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids))
        )
        await self.session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(ids)))
        return len(ids)


class IndexNowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def distribution(self, distribution_id: uuid.UUID) -> IndexNowDistribution | None:
        return await self.session.get(IndexNowDistribution, distribution_id)

    async def keep(self, distribution_id: uuid.UUID, slug: str, visibility: str) -> None:
        table = IndexNowDistribution.__table__
        await self.session.execute(
            _insert(self.session)(table)
            .values(distribution_id=distribution_id, slug=slug, visibility=visibility)
            .on_conflict_do_update(
                index_elements=[table.c.distribution_id],
                set_={"slug": slug, "visibility": visibility},
            )
        )

    async def forget(self, distribution_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(IndexNowDistribution).where(
                IndexNowDistribution.distribution_id == distribution_id
            )
        )

    async def queue(self, urls: Sequence[str], now: datetime) -> None:
        """Queue URLs; one already queued (or being sent) starts over, so a change made while a
        notification is in flight is notified again."""
        if not urls:
            return
        table = IndexNowUrl.__table__
        fresh = {
            "queued_at": now,
            "next_attempt_at": now,
            "attempts": 0,
            "claim_token": None,
            "claimed_until": None,
        }
        statement = _insert(self.session)(table).values(
            [{"url": url, **fresh} for url in dict.fromkeys(urls)]
        )
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=[table.c.url], set_=fresh)
        )

    def _claimable(self, now: datetime) -> list[Any]:
        return [
            IndexNowUrl.next_attempt_at <= now,
            (IndexNowUrl.claimed_until.is_(None)) | (IndexNowUrl.claimed_until < now),
        ]

    async def window(self, now: datetime) -> tuple[datetime | None, datetime | None]:
        """When the oldest and the newest claimable URL were queued."""
        row = (
            await self.session.execute(
                select(func.min(IndexNowUrl.queued_at), func.max(IndexNowUrl.queued_at)).where(
                    *self._claimable(now)
                )
            )
        ).one()
        return row[0], row[1]

    async def claim(
        self, now: datetime, limit: int, token: uuid.UUID, lease_seconds: float
    ) -> list[IndexNowUrl]:
        query = (
            select(IndexNowUrl)
            .where(*self._claimable(now))
            .order_by(IndexNowUrl.queued_at)
            .limit(limit)
        )
        if _postgres(self.session):
            query = query.with_for_update(skip_locked=True)
        rows = list((await self.session.scalars(query)).all())
        until = now + timedelta(seconds=lease_seconds)
        for row in rows:
            row.claim_token = token
            row.claimed_until = until
            row.attempts += 1
        await self.session.flush()
        return rows

    async def done(self, token: uuid.UUID) -> int:
        result = await self.session.execute(
            delete(IndexNowUrl).where(IndexNowUrl.claim_token == token)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def retry(
        self, token: uuid.UUID, next_attempt_at: datetime, max_attempts: int
    ) -> tuple[int, int]:
        """Release `token`'s URLs for another attempt at `next_attempt_at`, dropping those that
        have had `max_attempts`; (kept, dropped)."""
        dropped = await self.session.execute(
            delete(IndexNowUrl).where(
                IndexNowUrl.claim_token == token, IndexNowUrl.attempts >= max_attempts
            )
        )
        kept = await self.session.execute(
            update(IndexNowUrl)
            .where(IndexNowUrl.claim_token == token)
            .values(claim_token=None, claimed_until=None, next_attempt_at=next_attempt_at)
        )
        return int(kept.rowcount or 0), int(dropped.rowcount or 0)  # type: ignore[attr-defined]

    async def queued_count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(IndexNowUrl)) or 0)


class AnalyticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self) -> None:
        """Take the read model's lock (a row lock on PostgreSQL; SQLite's write lock is held by
        every write transaction anyway) until the transaction ends."""
        table = AnalyticsState.__table__
        await self.session.execute(
            _insert(self.session)(table)
            .values(id=1, version=1)
            .on_conflict_do_update(
                index_elements=[table.c.id], set_={"version": table.c.version + 1}
            )
        )

    async def mark_applied(self, event_id: uuid.UUID) -> bool:
        """Whether the event was not in the read model yet (it is now)."""
        table = AnalyticsApplied.__table__
        result = await self.session.execute(
            _insert(self.session)(table)
            .values(event_id=event_id)
            .on_conflict_do_nothing()
            .returning(table.c.event_id)
        )
        return result.first() is not None

    async def clear(self) -> None:
        for model in (
            AnalyticsApplied,
            AnalyticsCourseDay,
            AnalyticsGenerationTime,
            AnalyticsDistribution,
        ):
            await self.session.execute(delete(model))

    async def keep_distribution(
        self, distribution_id: uuid.UUID, tenant_id: uuid.UUID, course_id: uuid.UUID
    ) -> None:
        table = AnalyticsDistribution.__table__
        await self.session.execute(
            _insert(self.session)(table)
            .values(distribution_id=distribution_id, tenant_id=tenant_id, course_id=course_id)
            .on_conflict_do_nothing()
        )

    async def course_of(self, distribution_id: uuid.UUID) -> uuid.UUID | None:
        return await self.session.scalar(
            select(AnalyticsDistribution.course_id).where(
                AnalyticsDistribution.distribution_id == distribution_id
            )
        )

    async def count(
        self, tenant_id: uuid.UUID, course_id: uuid.UUID, day: date, **increments: int
    ) -> None:
        table = AnalyticsCourseDay.__table__
        values = {name: increments.get(name, 0) for name in COUNTERS}
        await self.session.execute(
            _insert(self.session)(table)
            .values(tenant_id=tenant_id, course_id=course_id, day=day, **values)
            .on_conflict_do_update(
                index_elements=[table.c.tenant_id, table.c.course_id, table.c.day],
                set_={name: table.c[name] + amount for name, amount in increments.items()},
            )
        )

    async def add_generation_time(
        self,
        event_id: uuid.UUID,
        tenant_id: uuid.UUID,
        course_id: uuid.UUID,
        day: date,
        seconds: float,
    ) -> None:
        table = AnalyticsGenerationTime.__table__
        await self.session.execute(
            _insert(self.session)(table)
            .values(
                event_id=event_id,
                tenant_id=tenant_id,
                course_id=course_id,
                day=day,
                seconds=seconds,
            )
            .on_conflict_do_nothing()
        )

    async def has_course(self, tenant_id: uuid.UUID, course_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(literal(1))
            .select_from(AnalyticsCourseDay)
            .where(
                AnalyticsCourseDay.tenant_id == tenant_id, AnalyticsCourseDay.course_id == course_id
            )
            .limit(1)
        )
        return found is not None

    async def course_days(
        self, tenant_id: uuid.UUID, course_id: uuid.UUID | None, start: date, end: date
    ) -> Sequence[AnalyticsCourseDay]:
        query = select(AnalyticsCourseDay).where(
            AnalyticsCourseDay.tenant_id == tenant_id,
            AnalyticsCourseDay.day >= start,
            AnalyticsCourseDay.day <= end,
        )
        if course_id is not None:
            query = query.where(AnalyticsCourseDay.course_id == course_id)
        return (
            await self.session.scalars(
                query.order_by(AnalyticsCourseDay.day, AnalyticsCourseDay.course_id)
            )
        ).all()

    async def generation_times(
        self, tenant_id: uuid.UUID, course_id: uuid.UUID | None, start: date, end: date
    ) -> Sequence[tuple[uuid.UUID, date, float]]:
        query = select(
            AnalyticsGenerationTime.course_id,
            AnalyticsGenerationTime.day,
            AnalyticsGenerationTime.seconds,
        ).where(
            AnalyticsGenerationTime.tenant_id == tenant_id,
            AnalyticsGenerationTime.day >= start,
            AnalyticsGenerationTime.day <= end,
        )
        if course_id is not None:
            query = query.where(AnalyticsGenerationTime.course_id == course_id)
        return [(row[0], row[1], row[2]) for row in (await self.session.execute(query)).all()]

    async def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the read model, in a stable order (to compare a rebuild with it)."""
        days = await self.session.execute(
            select(
                AnalyticsCourseDay.tenant_id,
                AnalyticsCourseDay.course_id,
                AnalyticsCourseDay.day,
                *(getattr(AnalyticsCourseDay, name) for name in COUNTERS),
            ).order_by(
                AnalyticsCourseDay.tenant_id, AnalyticsCourseDay.course_id, AnalyticsCourseDay.day
            )
        )
        times = await self.session.execute(
            select(
                AnalyticsGenerationTime.event_id,
                AnalyticsGenerationTime.course_id,
                AnalyticsGenerationTime.day,
                AnalyticsGenerationTime.seconds,
            ).order_by(AnalyticsGenerationTime.event_id)
        )
        return {"days": [tuple(r) for r in days.all()], "times": [tuple(r) for r in times.all()]}


class AlertRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cause(
        self, tenant_id: uuid.UUID, cause_key: str, now: datetime, alert_id: uuid.UUID
    ) -> tuple[AlertCause, bool]:
        """The cause's row, locked for this transaction, and whether it was just created (with
        `now` and `alert_id` as its first alert)."""
        table = AlertCause.__table__
        created = await self.session.execute(
            _insert(self.session)(table)
            .values(
                tenant_id=tenant_id,
                cause_key=cause_key,
                last_raised_at=now,
                last_alert_id=alert_id,
                suppressed=0,
            )
            .on_conflict_do_nothing()
            .returning(table.c.cause_key)
        )
        is_new = created.first() is not None
        query = select(AlertCause).where(
            AlertCause.tenant_id == tenant_id, AlertCause.cause_key == cause_key
        )
        if _postgres(self.session):
            query = query.with_for_update()
        row = (await self.session.scalars(query.execution_options(populate_existing=True))).one()
        return row, is_new

    async def watermark(self, name: str) -> datetime | None:
        return await self.session.scalar(
            select(AlertWatermark.at).where(AlertWatermark.name == name)
        )

    async def move_watermark(self, name: str, at: datetime) -> None:
        """Set the watermark (workers moving it concurrently may set it back a little; the
        dead-letter watch overlaps its looks and remembers what it has seen)."""
        table = AlertWatermark.__table__
        await self.session.execute(
            _insert(self.session)(table)
            .values(name=name, at=at)
            .on_conflict_do_update(index_elements=[table.c.name], set_={"at": at})
        )

    async def first_sight(self, letter_id: uuid.UUID, now: datetime) -> bool:
        """Whether the dead letter had not been looked at yet (it has now)."""
        table = AlertSeenDeadLetter.__table__
        result = await self.session.execute(
            _insert(self.session)(table)
            .values(letter_id=letter_id, seen_at=now)
            .on_conflict_do_nothing()
            .returning(table.c.letter_id)
        )
        return result.first() is not None

    async def forget_seen(self, before: datetime) -> None:
        await self.session.execute(
            delete(AlertSeenDeadLetter).where(AlertSeenDeadLetter.seen_at < before)
        )
