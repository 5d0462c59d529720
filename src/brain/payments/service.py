"""The rules of selling a course: checkouts, what each provider event does to a payment,
refunds, reconciliation and erasure.

`PaymentService` works inside one unit of work (it flushes, never commits). The flows that call
the provider — `start_checkout`, `request_refund`, `reconcile` — make that call before any write
transaction opens, then record the outcome in a short unit of work of their own: on SQLite a unit
of work holds the database's write lock, which a slow provider must never hold.

Provider events are stored, then applied, in one transaction with the payment's state change and
its outbox events. Out of order is normal: a refund or dispute that arrives before the payment
settled waits (`deferred`) and is applied right after the settlement; a late expiry or failure
never undoes a payment; refunded amounts only grow.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from brain.events import EventPublisher, fit
from brain.events.contracts.course_commerce import (
    CoursePaymentCompleted,
    CoursePaymentFailed,
    CoursePaymentFlagged,
    CoursePaymentRefunded,
    CoursePaymentRequired,
)
from brain.kernel.clock import utcnow
from brain.kernel.contracts import DistributionView
from brain.kernel.errors import BrainError, Conflict, NotFound, ValidationFailed
from brain.kernel.ids import new_id
from brain.kernel.uow import UnitOfWork
from brain.payments.models import (
    SETTLED,
    EventOutcome,
    Payment,
    PaymentStatus,
    ProviderEvent,
)
from brain.payments.provider import (
    CheckoutRequest,
    CreatedCheckout,
    CreatedRefund,
    PaymentProvider,
    ProviderError,
    ProviderEventView,
)
from brain.payments.repository import PaymentRepository

log = logging.getLogger(__name__)

UnitsOfWork = Callable[[], UnitOfWork]


class ProviderUnavailable(BrainError):
    status, slug, title = 502, "payment-provider-error", "Payment Provider Error"


@dataclass(frozen=True)
class Received:
    duplicate: bool
    outcome: str
    detail: str
    payment_id: uuid.UUID | None


@dataclass(frozen=True)
class Applied:
    outcome: EventOutcome
    detail: str


def _applied(detail: str) -> Applied:
    return Applied(EventOutcome.APPLIED, detail)


def _ignored(detail: str) -> Applied:
    return Applied(EventOutcome.IGNORED, detail)


class PaymentService:
    def __init__(self, uow: UnitOfWork, publisher: EventPublisher) -> None:
        self.uow = uow
        self.repo = PaymentRepository(uow.session)
        self.publisher = publisher

    # -- checkout ------------------------------------------------------------------------------

    async def record_checkout(
        self,
        payment_id: uuid.UUID,
        view: DistributionView,
        email: str,
        created: CreatedCheckout,
        provider: str,
    ) -> Payment:
        assert view.price_amount_minor is not None and view.price_currency is not None
        buyer_id = await self.repo.buyer_id_for(email)
        payment = await self.repo.add(
            Payment(
                id=payment_id,
                tenant_id=view.tenant_id,
                course_id=view.course_id,
                distribution_id=view.distribution_id,
                buyer_id=buyer_id,
                amount_minor=view.price_amount_minor,
                currency=view.price_currency,
                status=PaymentStatus.PENDING.value,
                provider=provider,
                provider_session_id=created.session_id,
            )
        )
        await self.publisher.publish(
            self.uow,
            CoursePaymentRequired(
                payment_id=payment.id,
                course_id=payment.course_id,
                buyer_id=buyer_id,
                amount_minor=payment.amount_minor,
                currency=payment.currency,
            ),
            tenant_id=payment.tenant_id,
        )
        return payment

    # -- provider events -----------------------------------------------------------------------

    async def receive(self, event: ProviderEventView, *, provider: str, via: str) -> Received:
        """Store the event (once: its provider id is unique) and apply it."""
        row_id = await self.repo.insert_event(
            {
                "provider": provider,
                "provider_event_id": event.id,
                "type": event.type,
                "payment_intent": event.payment_intent,
                "created": event.created,
                "received_via": via,
                "outcome": EventOutcome.IGNORED.value,
                "detail": "",
                "data": event.data,
            }
        )
        if row_id is None:
            known = await self.repo.event_by_provider_id(event.id)
            return Received(
                True,
                known.outcome if known else "",
                "already received",
                known.payment_id if known else None,
            )
        row = await self.repo.event(row_id)
        assert row is not None
        payment = await self.repo.locked(
            payment_id=event.checkout_id,
            session_id=event.session_id,
            payment_intent=event.payment_intent,
        )
        if payment is None:
            result = Applied(EventOutcome.UNMATCHED, "no checkout of ours")
        else:
            row.payment_id = payment.id
            result = await self._apply(payment, event)
        row.outcome, row.detail = result.outcome.value, result.detail[:200]
        await self.uow.flush()
        return Received(False, row.outcome, row.detail, payment.id if payment else None)

    async def _apply(self, payment: Payment, event: ProviderEventView) -> Applied:
        match event.type:
            case "checkout.session.completed":
                if event.payment_intent and not payment.provider_payment_intent:
                    payment.provider_payment_intent = event.payment_intent
                if event.payment_status == "paid":
                    return await self._settle(payment, event)
                if payment.status == PaymentStatus.PENDING.value:
                    return _applied("completed unpaid: waiting for the delayed payment")
                return _ignored(f"the payment is already {payment.status}")
            case "checkout.session.async_payment_succeeded":
                if event.payment_intent and not payment.provider_payment_intent:
                    payment.provider_payment_intent = event.payment_intent
                return await self._settle(payment, event)
            case "checkout.session.async_payment_failed":
                return await self._fail(
                    payment, PaymentStatus.FAILED, "the delayed payment failed at the bank"
                )
            case "checkout.session.expired":
                return await self._fail(
                    payment, PaymentStatus.EXPIRED, "the checkout expired before it was paid"
                )
            case "charge.refunded":
                return await self._refunded(payment, event)
            case "charge.dispute.created":
                return await self._disputed(payment)
        return _ignored(f"{event.type} needs nothing from the payments module")

    async def _settle(self, payment: Payment, event: ProviderEventView) -> Applied:
        # A settlement wins over an earlier expiry or failure: the provider has the money.
        if payment.status not in (
            PaymentStatus.PENDING.value,
            PaymentStatus.EXPIRED.value,
            PaymentStatus.FAILED.value,
        ):
            return _ignored(f"the payment is already {payment.status}")
        mismatch = None
        if event.amount_minor != payment.amount_minor:
            mismatch = "amount_mismatch"
        elif (event.currency or "") != payment.currency:
            mismatch = "currency_mismatch"
        if mismatch is not None:
            payment.status = PaymentStatus.FLAGGED.value
            payment.flag_reason = mismatch
            await self._publish_flagged(payment, mismatch)
            result = Applied(
                EventOutcome.APPLIED,
                f"flagged: the provider reported {event.amount_minor} {event.currency}, "
                f"the checkout was {payment.amount_minor} {payment.currency}",
            )
        else:
            payment.status = PaymentStatus.PAID.value
            payment.paid_at = utcnow()
            payment.failure_reason = None
            payment.transaction_id = new_id()
            await self.publisher.publish(
                self.uow,
                CoursePaymentCompleted(
                    payment_id=payment.id,
                    course_id=payment.course_id,
                    buyer_id=payment.buyer_id,
                    transaction_id=payment.transaction_id,
                ),
                tenant_id=payment.tenant_id,
            )
            result = _applied("paid")
        await self._apply_waiting(payment)
        return result

    async def _apply_waiting(self, payment: Payment) -> None:
        for row in await self.repo.waiting_events(payment):
            view = ProviderEventView.from_stored(
                row.provider_event_id, row.type, row.created, row.data
            )
            applied = await self._apply(payment, view)
            if applied.outcome is EventOutcome.DEFERRED:
                continue
            row.payment_id = payment.id
            row.outcome = applied.outcome.value
            row.detail = f"applied after the settlement: {applied.detail}"[:200]

    async def _fail(self, payment: Payment, status: PaymentStatus, reason: str) -> Applied:
        if payment.status != PaymentStatus.PENDING.value:
            return _ignored(
                f"the payment is already {payment.status}; a late {status} changes nothing"
            )
        retries = await self.repo.earlier_failures(payment)
        payment.status = status.value
        payment.failure_reason = reason
        await self.publisher.publish(
            self.uow,
            CoursePaymentFailed(
                payment_id=payment.id,
                course_id=payment.course_id,
                reason=fit(CoursePaymentFailed, "reason", reason),
                retry_count=min(retries, 100),
            ),
            tenant_id=payment.tenant_id,
        )
        return _applied(status.value)

    async def _refunded(self, payment: Payment, event: ProviderEventView) -> Applied:
        if payment.status in (
            PaymentStatus.PENDING.value,
            PaymentStatus.FAILED.value,
            PaymentStatus.EXPIRED.value,
        ):
            return Applied(EventOutcome.DEFERRED, "arrived before the payment settled")
        refunded = event.amount_refunded_minor
        if refunded is None or refunded < 1:
            return _ignored("the refund carries no refunded amount")
        if refunded <= payment.refunded_minor:
            return _ignored(f"{refunded} refunded was already recorded")
        full = bool(event.fully_refunded) or refunded >= payment.amount_minor
        payment.refunded_minor = min(refunded, payment.amount_minor)
        if full:
            payment.status = PaymentStatus.REFUNDED.value
        elif payment.status == PaymentStatus.PAID.value:
            payment.status = PaymentStatus.PARTIALLY_REFUNDED.value
        await self.publisher.publish(
            self.uow,
            CoursePaymentRefunded(
                payment_id=payment.id,
                course_id=payment.course_id,
                amount_refunded_minor=payment.refunded_minor,
                currency=payment.currency,
                full=full,
            ),
            tenant_id=payment.tenant_id,
        )
        return _applied(f"{'fully' if full else 'partially'} refunded: {payment.refunded_minor}")

    async def _disputed(self, payment: Payment) -> Applied:
        if payment.status == PaymentStatus.PENDING.value:
            return Applied(EventOutcome.DEFERRED, "arrived before the payment settled")
        if payment.status not in SETTLED:
            return _ignored(f"the payment is {payment.status}")
        payment.status = PaymentStatus.DISPUTED.value
        payment.flag_reason = "dispute"
        await self._publish_flagged(payment, "dispute")
        return _applied("disputed")

    async def _publish_flagged(self, payment: Payment, reason: str) -> None:
        await self.publisher.publish(
            self.uow,
            CoursePaymentFlagged(
                payment_id=payment.id,
                course_id=payment.course_id,
                reason_code=reason,
            ),
            tenant_id=payment.tenant_id,
        )

    # -- operators ------------------------------------------------------------------------------

    async def get(self, tenant_id: uuid.UUID, payment_id: uuid.UUID) -> Payment:
        payment = await self.repo.get(payment_id, tenant_id=tenant_id)
        if payment is None:
            raise NotFound(f"no payment {payment_id}")
        return payment

    async def events_of(self, payment: Payment) -> list[ProviderEvent]:
        return list(await self.repo.events_of(payment.id))

    async def erase_buyer(self, email: str) -> tuple[uuid.UUID, int] | None:
        """Remove the buyer's address (their payments stay, under the opaque buyer id); None
        when no buyer has it."""
        buyer = await self.repo.buyer_by_email(email)
        if buyer is None:
            return None
        buyer.email = None
        buyer.erased_at = utcnow()
        payments = await self.repo.of_buyer(buyer.id)
        await self.repo.skip_mails_of([p.id for p in payments])
        await self.uow.flush()
        return buyer.id, len(payments)


# -- flows that call the provider ------------------------------------------------------------------


def return_url(public_url: str, slug: str) -> str:
    # `{CHECKOUT_SESSION_ID}` is filled in by the provider (Stripe's placeholder).
    return f"{public_url}/courses/{quote(slug)}/checkout/return?session={{CHECKOUT_SESSION_ID}}"


def sellable(view: DistributionView | None, slug: str) -> DistributionView:
    """The distribution when visitors may buy it; NotFound or Conflict saying why not."""
    if view is None or not view.visible:
        raise NotFound(f"no course is published under {slug!r}")
    if not view.priced:
        raise Conflict(f"the course {slug!r} has no price; it is enrolled in for free")
    return view


async def start_checkout(
    *,
    view: DistributionView,
    email: str,
    provider: PaymentProvider,
    units_of_work: UnitsOfWork,
    publisher: EventPublisher,
    public_url: str,
) -> tuple[uuid.UUID, CreatedCheckout]:
    assert view.price_amount_minor is not None and view.price_currency is not None
    payment_id = new_id()
    try:
        created = await provider.create_checkout(
            CheckoutRequest(
                checkout_id=payment_id,
                amount_minor=view.price_amount_minor,
                currency=view.price_currency,
                product_name=view.title,
                success_url=return_url(public_url, view.slug),
                cancel_url=f"{public_url}/courses/{quote(view.slug)}",
            )
        )
    except ProviderError as error:
        log.warning("checkout %s: the provider refused: %s", payment_id, error)
        raise ProviderUnavailable(
            f"the payment provider could not open a checkout: {error}"
        ) from None
    async with units_of_work() as uow:
        await PaymentService(uow, publisher).record_checkout(
            payment_id, view, email, created, provider.name
        )
    log.info("checkout %s opened for distribution %s", payment_id, view.distribution_id)
    return payment_id, created


REFUNDABLE = (*SETTLED, PaymentStatus.FLAGGED.value)


async def request_refund(
    payment: Payment, amount_minor: int | None, provider: PaymentProvider
) -> CreatedRefund:
    """Ask the provider to refund; its `charge.refunded` webhook then changes the payment."""
    if payment.status not in REFUNDABLE:
        raise Conflict(f"a {payment.status} payment cannot be refunded")
    if not payment.provider_payment_intent:
        raise Conflict("the provider has not reported this payment's charge yet")
    remaining = payment.amount_minor - payment.refunded_minor
    amount = remaining if amount_minor is None else amount_minor
    if amount > remaining:
        raise ValidationFailed.field(
            "body.amount_minor", f"at most {remaining} is left to refund on this payment"
        )
    # One key per intent: a repeated click refunds once; the next refund has a new base.
    key = f"refund-{payment.id}-{payment.refunded_minor}-{amount}"
    try:
        refund = await provider.refund(payment.provider_payment_intent, amount, idempotency_key=key)
    except ProviderError as error:
        raise ProviderUnavailable(f"the payment provider refused the refund: {error}") from None
    log.info("refund %s of %s requested for payment %s", refund.refund_id, amount, payment.id)
    return refund


@dataclass(frozen=True)
class Reconciled:
    seen: int
    applied: int
    """Events that had not reached us before."""


async def reconcile(
    since: datetime,
    *,
    provider: PaymentProvider,
    units_of_work: UnitsOfWork,
    publisher: EventPublisher,
) -> Reconciled:
    """Take every provider event since `since` that never reached the webhook, through the
    webhook's own path (a known event is a no-op), one unit of work per event."""
    seen = applied = 0
    try:
        async for event in provider.events_since(since):
            seen += 1
            async with units_of_work() as uow:
                received = await PaymentService(uow, publisher).receive(
                    event, provider=provider.name, via="reconcile"
                )
            if not received.duplicate:
                applied += 1
                log.info("reconcile: %s %s → %s", event.type, event.id, received.outcome)
    except ProviderError as error:
        raise ProviderUnavailable(
            f"the payment provider's events could not be listed: {error}"
        ) from None
    return Reconciled(seen, applied)
