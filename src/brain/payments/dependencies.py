"""The payments module's dependencies as one object, and the request dependencies built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from brain.events import EventPublisher
from brain.kernel.contracts import CourseAccessLinks, DistributionReader
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import UoW, Wired
from brain.payments.limits import RateLimiter
from brain.payments.mail import AccessMailer
from brain.payments.provider import PaymentProvider
from brain.payments.service import PaymentService
from brain.payments.settings import PaymentsSettings
from brain.payments.test_provider import TestProvider


@dataclass(frozen=True)
class PaymentsDeps:
    settings: PaymentsSettings
    public_url: str
    database: Database
    units_of_work: Callable[[], UnitOfWork]
    publisher: EventPublisher
    distributions: DistributionReader
    access_links: CourseAccessLinks
    provider: PaymentProvider
    test_provider: TestProvider | None
    """The built-in test provider, when no Stripe key is configured (it is then `provider`'s
    other end)."""
    checkout_limiter: RateLimiter
    mailer: AccessMailer | None

    def service(self, uow: UnitOfWork) -> PaymentService:
        return PaymentService(uow, self.publisher)


PAYMENTS = Wired[PaymentsDeps]("the payments module")
Deps = Annotated[PaymentsDeps, Depends(PAYMENTS)]


def _service(uow: UoW, deps: Deps) -> PaymentService:
    return deps.service(uow)


Payments = Annotated[PaymentService, Depends(_service)]
