"""payments implements the operator contract `PaymentAdmin` (brain.kernel.admin_contracts).

The roles are the API's (`router.py`): every role reads, editors refund. Every read is scoped to
the principal's tenant (another tenant's payment is not found). A payment is shown with its
opaque buyer id only: the buyer's e-mail address stays in this module, for every role, as in the
API. A refund is asked of the provider with no database session open, as the API does; the
provider's webhook then changes the payment.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import get_args

from pydantic import ValidationError

from brain.kernel.admin_contracts import (
    Page,
    PaymentDetail,
    PaymentEventView,
    PaymentTotals,
    PaymentView,
    validation_failed,
    without_body_prefix,
)
from brain.kernel.auth import Principal, Role, ensure_role
from brain.kernel.errors import NotFound, ValidationFailed
from brain.payments.dependencies import PaymentsDeps
from brain.payments.models import SETTLED, Payment, PaymentStatus
from brain.payments.repository import PaymentRepository
from brain.payments.schemas import PaymentStatusName, RefundRequest
from brain.payments.service import request_refund

MAX_PAGE = 100
WRITE = (Role.EDITOR,)
REFUNDED = (PaymentStatus.REFUNDED.value, PaymentStatus.PARTIALLY_REFUNDED.value)
STATUSES: tuple[str, ...] = get_args(PaymentStatusName)


def _view(payment: Payment) -> PaymentView:
    return PaymentView(
        payment_id=payment.id,
        course_id=payment.course_id,
        distribution_id=payment.distribution_id,
        status=payment.status,
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        refunded_minor=payment.refunded_minor,
        buyer_id=str(payment.buyer_id),
        created_at=payment.created_at,
        updated_at=payment.updated_at,
        paid_at=payment.paid_at,
    )


class PaymentAdministration:
    def __init__(self, deps: PaymentsDeps) -> None:
        self.deps = deps

    async def totals(self, principal: Principal, since: datetime) -> PaymentTotals:
        async with self.deps.database.read_session() as session:
            rows = await PaymentRepository(session).paid_since(principal.tenant_id, since)
        amounts: dict[str, int] = {}
        for status, currency, _count, amount in rows:
            if status in SETTLED or status in REFUNDED:
                amounts[currency] = amounts.get(currency, 0) + amount
        return PaymentTotals(
            since=since,
            paid=sum(count for _s, _c, count, _a in rows),
            refunded=sum(count for status, _c, count, _a in rows if status in REFUNDED),
            amounts_minor=amounts,
        )

    async def statuses(self) -> tuple[str, ...]:
        return STATUSES

    async def list(
        self,
        principal: Principal,
        *,
        course_id: uuid.UUID | None = None,
        status: str | None = None,
        offset: int = 0,
        limit: int = 25,
    ) -> Page[PaymentView]:
        if status and status not in STATUSES:
            raise ValidationFailed.field("status", f"must be one of {', '.join(STATUSES)}")
        offset, limit = max(offset, 0), min(max(limit, 1), MAX_PAGE)
        async with self.deps.database.read_session() as session:
            rows, total = await PaymentRepository(session).list(
                principal.tenant_id,
                course_id=course_id,
                status=status or None,
                offset=offset,
                limit=limit,
            )
            items = tuple(_view(row) for row in rows)
        return Page(items, total, offset, limit)

    async def get(self, principal: Principal, payment_id: uuid.UUID) -> PaymentDetail:
        async with self.deps.database.read_session() as session:
            repo = PaymentRepository(session)
            payment = await repo.get(payment_id, tenant_id=principal.tenant_id)
            if payment is None:
                raise NotFound(f"no payment {payment_id}")
            events = await repo.events_of(payment.id)
            return PaymentDetail(
                payment=_view(payment),
                events=tuple(
                    PaymentEventView(
                        provider_event_id=e.provider_event_id,
                        type=e.type,
                        received_at=e.received_at,
                        outcome=e.outcome,
                    )
                    for e in events
                ),
            )

    async def refund(
        self, principal: Principal, payment_id: uuid.UUID, amount_minor: int | str | None = None
    ) -> PaymentView:
        ensure_role(principal, *WRITE)
        try:
            body = RefundRequest.model_validate(
                {"amount_minor": amount_minor} if amount_minor not in (None, "") else {}
            )
        except ValidationError as exc:
            raise validation_failed(exc) from None
        async with self.deps.database.read_session() as session:
            repo = PaymentRepository(session)
            payment = await repo.get(payment_id, tenant_id=principal.tenant_id)
            if payment is None:
                raise NotFound(f"no payment {payment_id}")
        try:
            await request_refund(payment, body.amount_minor, self.deps.provider)
        except ValidationFailed as exc:
            raise without_body_prefix(exc) from None
        return _view(payment)
