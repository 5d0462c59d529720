"""The access link by e-mail (`BRAIN_SMTP_URL`), sent through aiosmtplib.

`payments_access_mail` (consumers.py) queues one mail per payment when course_factory has granted
the access; the mailer, a worker task, sends due mails outside any transaction. The recipient is
read from `payment_buyers` at sending time and never logged; an erased buyer gets nothing.
A claimed mail is leased for a while, so several workers never send it at the same time, and a
worker that dies mid-send leaves it to be sent again after the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

import aiosmtplib

from brain.kernel.clock import utcnow
from brain.kernel.contracts import CourseAccessLinks, DistributionReader
from brain.kernel.db import Database
from brain.payments.models import MailStatus
from brain.payments.repository import PaymentRepository
from brain.payments.service import UnitsOfWork

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=5)
BATCH = 20
SMTP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpTarget:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        use_tls = parts.scheme == "smtps"
        return cls(
            hostname=parts.hostname or "localhost",
            port=parts.port or (465 if use_tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=use_tls,
        )

    async def send(self, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            start_tls=None if not self.use_tls else False,  # STARTTLS when the server offers it
            timeout=SMTP_TIMEOUT_SECONDS,
        )


def compose(sender: str, recipient: str, title: str, link: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = f"Your access to {title}"
    message["Message-ID"] = make_msgid(domain="brain.local")
    message.set_content(
        "\n".join(
            [
                "Thank you for your purchase.",
                "",
                f"Your personal access link to {title}:",
                link,
                "",
                "Keep it to yourself: whoever opens it can read the course.",
            ]
        )
        + "\n"
    )
    return message


def _describe(error: Exception) -> str:
    """What went wrong, without the server's text (a refusal quotes the recipient's address)."""
    code = getattr(error, "code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


class AccessMailer:
    def __init__(
        self,
        target: SmtpTarget,
        sender: str,
        *,
        units_of_work: UnitsOfWork,
        database: Database,
        links: CourseAccessLinks,
        distributions: DistributionReader,
        poll_seconds: float = 1.0,
    ) -> None:
        self.target = target
        self.sender = sender
        self.units_of_work = units_of_work
        self.database = database
        self.links = links
        self.distributions = distributions
        self.poll_seconds = poll_seconds

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.send_due()
            except Exception:
                log.exception("the access mailer failed; it tries again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll_seconds)

    async def send_due(self) -> int:
        """Send the mails that are due; how many were sent."""
        now = utcnow()
        async with self.units_of_work() as uow:
            repo = PaymentRepository(uow.session)
            claimed = [
                mail.payment_id
                for mail in await repo.due_mails(now, BATCH)
                if await repo.claim_mail(mail, now + LEASE)
            ]
        sent = 0
        for payment_id in claimed:
            sent += await self._send(payment_id)
        return sent

    async def _send(self, payment_id: uuid.UUID) -> int:
        async with self.database.read_session() as session:
            repo = PaymentRepository(session)
            payment = await repo.get(payment_id)
            recipient = await repo.buyer_email(payment.buyer_id) if payment else None
        if payment is None or recipient is None:
            await self._finish(payment_id, MailStatus.SKIPPED, "the buyer was erased")
            return 0
        link = await self.links.link_for_payment(payment_id)
        if link is None:
            await self._finish(payment_id, MailStatus.SKIPPED, "the access is no longer granted")
            return 0
        view = await self.distributions.get(payment.distribution_id)
        title = view.title if view is not None else "your course"
        try:
            await self.target.send(compose(self.sender, recipient, title, link))
        except (aiosmtplib.SMTPException, OSError) as error:
            await self._failed(payment_id, _describe(error))
            return 0
        await self._finish(payment_id, MailStatus.SENT, None)
        log.info("access mail for payment %s sent", payment_id)
        return 1

    async def _finish(self, payment_id: uuid.UUID, status: MailStatus, error: str | None) -> None:
        async with self.units_of_work() as uow:
            mail = await PaymentRepository(uow.session).mail(payment_id)
            if mail is not None:
                mail.status = status.value
                mail.last_error = error
                mail.sent_at = utcnow() if status is MailStatus.SENT else None

    async def _failed(self, payment_id: uuid.UUID, error: str) -> None:
        async with self.units_of_work() as uow:
            mail = await PaymentRepository(uow.session).mail(payment_id)
            if mail is None:
                return
            mail.last_error = error
            if mail.attempts >= MAX_ATTEMPTS:
                mail.status = MailStatus.FAILED.value
                log.warning("access mail for payment %s failed for good: %s", payment_id, error)
            else:
                mail.next_attempt_at = utcnow() + timedelta(seconds=30 * 2 ** (mail.attempts - 1))
                log.warning(
                    "access mail for payment %s failed, retried later: %s", payment_id, error
                )
