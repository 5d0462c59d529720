"""The integrations' dependencies as one object, and the request dependencies built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from brain.events import EventPublisher
from brain.events.operations import EventOperations
from brain.integrations import ssrf
from brain.integrations.alerts import DeadLetterWatch
from brain.integrations.delivery import DeliveryWorker
from brain.integrations.indexnow import IndexNowNotifier
from brain.integrations.service import WebhookService
from brain.integrations.settings import IntegrationSettings
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import UoW, Wired


@dataclass(frozen=True)
class IntegrationsDeps:
    settings: IntegrationSettings
    database: Database
    units_of_work: Callable[[], UnitOfWork]
    publisher: EventPublisher
    events: EventOperations
    delivery: DeliveryWorker
    dead_letters: DeadLetterWatch
    indexnow: IndexNowNotifier | None
    """None when IndexNow is not configured."""
    resolver: ssrf.Resolver = ssrf.system_resolver

    def service(self, uow: UnitOfWork) -> WebhookService:
        return WebhookService(
            uow, self.publisher, self.settings, self.resolver, wake=self.delivery.wake
        )


INTEGRATIONS = Wired[IntegrationsDeps]("the integrations")
Deps = Annotated[IntegrationsDeps, Depends(INTEGRATIONS)]


def _service(uow: UoW, deps: Deps) -> WebhookService:
    return deps.service(uow)


Webhooks = Annotated[WebhookService, Depends(_service)]
