"""The dashboard's dependencies as one object, and the request dependency built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from brain.dashboard.limits import FailedSignIns
from brain.dashboard.sessions import SessionCodec
from brain.dashboard.settings import DashboardSettings
from brain.events.operations import EventOperations
from brain.kernel.admin_contracts import (
    AccessGrantAdmin,
    AnalyticsAdmin,
    ContentAdmin,
    CourseAdmin,
    DistributionAdmin,
    PaymentAdmin,
    WebhookAdmin,
)
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork
from brain.kernel.web import Wired


@dataclass(frozen=True)
class DashboardDeps:
    settings: DashboardSettings
    database: Database
    units_of_work: Callable[[], UnitOfWork]
    events: EventOperations
    sessions: SessionCodec
    sign_ins: FailedSignIns
    public_url: str
    https: bool
    """Whether the platform is served over HTTPS (then cookies are `Secure`)."""
    courses: CourseAdmin
    distributions: DistributionAdmin
    content: ContentAdmin | None = None
    payments: PaymentAdmin | None = None
    access_grants: AccessGrantAdmin | None = None
    webhooks: WebhookAdmin | None = None
    analytics: AnalyticsAdmin | None = None


DASHBOARD = Wired[DashboardDeps]("the dashboard")
Deps = Annotated[DashboardDeps, Depends(DASHBOARD)]
