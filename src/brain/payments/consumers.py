"""The payments module's subscriber: `course.access.granted` → queue the access link's e-mail
(only when mail is configured; the mailer in `mail.py` sends it outside the transaction)."""

from __future__ import annotations

from brain.events import HandlerContext, Subscriber
from brain.events.contracts.course import CourseAccessGranted
from brain.payments.repository import PaymentRepository

SUBSCRIBER = "payments_access_mail"


def access_mail_queue() -> Subscriber:
    async def on_granted(ctx: HandlerContext[CourseAccessGranted]) -> None:
        repo = PaymentRepository(ctx.session)
        if await repo.get(ctx.payload.payment_id) is None:
            return  # a grant made by some other means than a payment of ours
        await repo.queue_mail(ctx.payload.payment_id)

    return Subscriber.of(SUBSCRIBER, {CourseAccessGranted: on_granted})
