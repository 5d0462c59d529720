"""The payments API: the provider's webhook (public; the signature is the authentication) and
the operators' routes (an API key, scoped to its tenant)."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel

from brain.kernel.auth import Principal, Role, require_roles
from brain.kernel.errors import BadRequest, FieldError, NotFound, problem_responses
from brain.kernel.requests import SINGLE_LINE
from brain.kernel.web import ReadSession
from brain.payments.dependencies import Deps
from brain.payments.models import Payment, ProviderEvent
from brain.payments.provider import InvalidSignature, MalformedEvent
from brain.payments.repository import PaymentRepository
from brain.payments.schemas import (
    PaymentDetail,
    PaymentList,
    PaymentOut,
    PaymentStatusName,
    ProviderEventOut,
    RefundAccepted,
    RefundRequest,
)
from brain.payments.service import request_refund

log = logging.getLogger(__name__)

router = APIRouter(tags=["payments"])
admin = APIRouter(tags=["payments"], responses=problem_responses(401, 403))

Reader = Annotated[Principal, Depends(require_roles(*Role))]
Editor = Annotated[Principal, Depends(require_roles(Role.EDITOR))]
BASE = "/api/payments"


class WebhookReceived(BaseModel):
    received: bool = True
    duplicate: bool
    outcome: str


def payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.id,
        course_id=payment.course_id,
        distribution_id=payment.distribution_id,
        buyer_id=payment.buyer_id,
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        status=payment.status,
        refunded_minor=payment.refunded_minor,
        transaction_id=payment.transaction_id,
        flag_reason=payment.flag_reason,
        failure_reason=payment.failure_reason,
        provider=payment.provider,
        created_at=payment.created_at,
        paid_at=payment.paid_at,
        updated_at=payment.updated_at,
    )


def event_out(event: ProviderEvent) -> ProviderEventOut:
    return ProviderEventOut(
        provider_event_id=event.provider_event_id,
        type=event.type,
        created=event.created,
        received_at=event.received_at,
        received_via=event.received_via,
        outcome=event.outcome,
        detail=event.detail,
    )


@router.post(
    f"{BASE}/webhooks/stripe",
    summary="The payment provider's webhook (Stripe's protocol; no API key, a signature)",
    response_model=WebhookReceived,
    responses=problem_responses(400),
)
async def stripe_webhook(
    request: Request,
    deps: Deps,
    stripe_signature: Annotated[str | None, Header(max_length=4000, pattern=SINGLE_LINE)] = None,
) -> WebhookReceived:
    """Verified (`Stripe-Signature`: HMAC-SHA256 over `t.body`, any `v1` may match, within the
    tolerance), stored once per provider event id and applied in the same transaction. A
    duplicate answers 200 and changes nothing; a bad signature answers 400 and stores nothing."""
    body = await request.body()
    try:
        event = deps.provider.verify_webhook(body, stripe_signature)
    except InvalidSignature as error:
        reason = str(error)
        raise BadRequest(
            f"the webhook's signature does not hold: {reason}",
            errors=[FieldError(field="header.stripe-signature", reason=reason)],
        ) from None
    except MalformedEvent as error:
        raise BadRequest(
            f"the webhook is not a readable event: {error}",
            errors=[FieldError(field="body", reason=str(error))],
        ) from None
    async with deps.units_of_work() as uow:
        received = await deps.service(uow).receive(
            event, provider=deps.provider.name, via="webhook"
        )
    log.info(
        "webhook %s %s: %s%s",
        event.type,
        event.id,
        received.outcome,
        " (duplicate)" if received.duplicate else "",
    )
    return WebhookReceived(duplicate=received.duplicate, outcome=received.outcome)


@admin.get(BASE, summary="The tenant's payments", responses=problem_responses(422))
async def list_payments(
    principal: Reader,
    session: ReadSession,
    course_id: uuid.UUID | None = None,
    status: PaymentStatusName | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> PaymentList:
    rows, total = await PaymentRepository(session).list(
        principal.tenant_id, course_id=course_id, status=status, offset=offset, limit=limit
    )
    return PaymentList(items=[payment_out(row) for row in rows], total=total)


@admin.get(
    f"{BASE}/{{payment_id}}",
    summary="One payment with the provider events it received",
    responses=problem_responses(404, 422),
)
async def get_payment(
    principal: Reader, session: ReadSession, deps: Deps, payment_id: uuid.UUID
) -> PaymentDetail:
    repo = PaymentRepository(session)
    payment = await repo.get(payment_id, tenant_id=principal.tenant_id)
    if payment is None:
        raise NotFound(f"no payment {payment_id}")
    events = await repo.events_of(payment.id)
    return PaymentDetail(**payment_out(payment).model_dump(), events=[event_out(e) for e in events])


@admin.post(
    f"{BASE}/{{payment_id}}/refund",
    status_code=202,
    summary="Refund a payment in full or in part (the provider's webhook then applies it)",
    responses=problem_responses(404, 409, 422, 502),
)
async def refund(
    principal: Editor,
    session: ReadSession,
    deps: Deps,
    payment_id: uuid.UUID,
    body: RefundRequest | None = None,
) -> RefundAccepted:
    payment = await PaymentRepository(session).get(payment_id, tenant_id=principal.tenant_id)
    if payment is None:
        raise NotFound(f"no payment {payment_id}")
    await session.close()  # nothing of the database is held while the provider works
    created = await request_refund(
        payment, body.amount_minor if body is not None else None, deps.provider
    )
    return RefundAccepted(
        payment_id=payment.id,
        refund_id=created.refund_id,
        amount_minor=created.amount_minor,
        status=created.status,
    )


router.include_router(admin)
