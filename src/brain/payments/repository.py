"""SQL of the payments module; every read for an operator is scoped to a tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from brain.kernel.clock import utcnow
from brain.payments.models import (
    AccessMail,
    Buyer,
    EventOutcome,
    MailStatus,
    Payment,
    PaymentStatus,
    ProviderEvent,
)


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, table: Any) -> Any:
        dialect = self.session.get_bind().dialect.name
        return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)

    def _for_update(self, query: Any) -> Any:
        # SQLite has one writer at a time (BEGIN IMMEDIATE); PostgreSQL locks the row.
        if self.session.get_bind().dialect.name == "postgresql":
            return query.with_for_update()
        return query

    # -- buyers ---------------------------------------------------------------------------------

    async def buyer_id_for(self, email: str) -> uuid.UUID:
        """The buyer with this (normalised) address, created when new; safe under races."""
        await self.session.execute(
            self._insert(Buyer.__table__)
            .values(id=uuid.uuid4(), email=email, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["email"])
        )
        found = await self.session.scalar(select(Buyer.id).where(Buyer.email == email))
        assert found is not None
        return found

    async def buyer_by_email(self, email: str) -> Buyer | None:
        return await self.session.scalar(select(Buyer).where(Buyer.email == email))

    async def buyer_email(self, buyer_id: uuid.UUID) -> str | None:
        return await self.session.scalar(select(Buyer.email).where(Buyer.id == buyer_id))

    # -- payments -------------------------------------------------------------------------------

    async def add(self, payment: Payment) -> Payment:
        self.session.add(payment)
        await self.session.flush()
        return payment

    async def get(
        self, payment_id: uuid.UUID, *, tenant_id: uuid.UUID | None = None
    ) -> Payment | None:
        query = select(Payment).where(Payment.id == payment_id)
        if tenant_id is not None:
            query = query.where(Payment.tenant_id == tenant_id)
        return await self.session.scalar(query)

    async def by_session(self, session_id: str) -> Payment | None:
        return await self.session.scalar(
            select(Payment).where(Payment.provider_session_id == session_id)
        )

    async def locked(
        self,
        *,
        payment_id: uuid.UUID | None,
        session_id: str | None,
        payment_intent: str | None,
    ) -> Payment | None:
        """The payment an event refers to (by our checkout id, the provider's session or its
        payment intent), locked for the change the event brings."""
        conditions = []
        if payment_id is not None:
            conditions.append(Payment.id == payment_id)
        if session_id:
            conditions.append(Payment.provider_session_id == session_id)
        if payment_intent:
            conditions.append(Payment.provider_payment_intent == payment_intent)
        if not conditions:
            return None
        query = select(Payment).where(or_(*conditions)).order_by(Payment.created_at).limit(1)
        found: Payment | None = await self.session.scalar(
            self._for_update(query).execution_options(populate_existing=True)
        )
        return found

    async def list(
        self,
        tenant_id: uuid.UUID,
        *,
        course_id: uuid.UUID | None,
        status: str | None,
        offset: int,
        limit: int,
    ) -> tuple[Sequence[Payment], int]:
        query = select(Payment).where(Payment.tenant_id == tenant_id)
        if course_id is not None:
            query = query.where(Payment.course_id == course_id)
        if status is not None:
            query = query.where(Payment.status == status)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.scalars(
            query.order_by(Payment.created_at.desc(), Payment.id).offset(offset).limit(limit)
        )
        return rows.all(), int(total or 0)

    async def paid_since(
        self, tenant_id: uuid.UUID, since: datetime
    ) -> Sequence[tuple[str, str, int, int]]:
        """(status, currency, count, amount) of the tenant's payments paid since `since`."""
        rows = await self.session.execute(
            select(
                Payment.status,
                Payment.currency,
                func.count(),
                func.coalesce(func.sum(Payment.amount_minor), 0),
            )
            .where(Payment.tenant_id == tenant_id, Payment.paid_at >= since)
            .group_by(Payment.status, Payment.currency)
        )
        return [(str(s), str(c), int(n), int(a)) for s, c, n, a in rows.all()]

    async def earlier_failures(self, payment: Payment) -> int:
        """Checkouts of the same buyer for the same course that failed or expired before."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(Payment)
            .where(
                Payment.buyer_id == payment.buyer_id,
                Payment.course_id == payment.course_id,
                Payment.id != payment.id,
                Payment.created_at <= payment.created_at,
                Payment.status.in_([PaymentStatus.FAILED.value, PaymentStatus.EXPIRED.value]),
            )
        )
        return int(count or 0)

    async def of_buyer(self, buyer_id: uuid.UUID) -> Sequence[Payment]:
        return (
            await self.session.scalars(select(Payment).where(Payment.buyer_id == buyer_id))
        ).all()

    # -- provider events ------------------------------------------------------------------------

    async def insert_event(self, values: dict[str, Any]) -> uuid.UUID | None:
        """Store a provider event unless its provider event id is known (then None: a
        duplicate). Concurrent inserts of one event wait for each other; one wins."""
        row_id = uuid.uuid4()
        inserted = await self.session.execute(
            self._insert(ProviderEvent.__table__)
            .values(id=row_id, received_at=utcnow(), **values)
            .on_conflict_do_nothing(index_elements=["provider_event_id"])
            .returning(ProviderEvent.__table__.c.id)
        )
        return inserted.scalar_one_or_none()

    async def event(self, row_id: uuid.UUID) -> ProviderEvent | None:
        return await self.session.get(ProviderEvent, row_id)

    async def event_by_provider_id(self, provider_event_id: str) -> ProviderEvent | None:
        return await self.session.scalar(
            select(ProviderEvent).where(ProviderEvent.provider_event_id == provider_event_id)
        )

    async def waiting_events(self, payment: Payment) -> Sequence[ProviderEvent]:
        """Events that arrived before the payment could take them (deferred), or that named
        only the payment intent it has now (unmatched then), oldest first."""
        refers = [ProviderEvent.payment_id == payment.id]
        if payment.provider_payment_intent:
            refers.append(ProviderEvent.payment_intent == payment.provider_payment_intent)
        rows = await self.session.scalars(
            select(ProviderEvent)
            .where(
                ProviderEvent.outcome.in_(
                    [EventOutcome.DEFERRED.value, EventOutcome.UNMATCHED.value]
                ),
                or_(*refers),
            )
            .order_by(ProviderEvent.created, ProviderEvent.received_at)
        )
        return rows.all()

    async def events_of(self, payment_id: uuid.UUID) -> Sequence[ProviderEvent]:
        rows = await self.session.scalars(
            select(ProviderEvent)
            .where(ProviderEvent.payment_id == payment_id)
            .order_by(ProviderEvent.created, ProviderEvent.received_at)
        )
        return rows.all()

    # -- access mails ---------------------------------------------------------------------------

    async def queue_mail(self, payment_id: uuid.UUID) -> None:
        await self.session.execute(
            self._insert(AccessMail.__table__)
            .values(
                payment_id=payment_id,
                status=MailStatus.DUE.value,
                attempts=0,
                next_attempt_at=utcnow(),
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["payment_id"])
        )

    async def due_mails(self, now: datetime, limit: int) -> Sequence[AccessMail]:
        rows = await self.session.scalars(
            select(AccessMail)
            .where(AccessMail.status == MailStatus.DUE.value, AccessMail.next_attempt_at <= now)
            .order_by(AccessMail.next_attempt_at)
            .limit(limit)
        )
        return rows.all()

    async def claim_mail(self, mail: AccessMail, until: datetime) -> bool:
        """Take a due mail for sending until `until` (compare-and-set: one worker wins)."""
        result = await self.session.execute(
            update(AccessMail)
            .where(
                AccessMail.payment_id == mail.payment_id,
                AccessMail.status == MailStatus.DUE.value,
                AccessMail.attempts == mail.attempts,
            )
            .values(next_attempt_at=until, attempts=AccessMail.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE

    async def mail(self, payment_id: uuid.UUID) -> AccessMail | None:
        return await self.session.get(AccessMail, payment_id)

    async def skip_mails_of(self, payment_ids: Sequence[uuid.UUID]) -> None:
        if not payment_ids:
            return
        await self.session.execute(
            update(AccessMail)
            .where(
                AccessMail.payment_id.in_(payment_ids), AccessMail.status == MailStatus.DUE.value
            )
            .values(status=MailStatus.SKIPPED.value, last_error="the buyer was erased")
            .execution_options(synchronize_session=False)
        )
