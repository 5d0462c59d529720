"""The operator dashboard, as the composition root sees it (`docs/modules.md`).

It owns no table: it signs operators in with their API keys (the kernel's), and does everything
else through the operator contracts the other modules provide (`brain.kernel.admin_contracts`)
and the event stream's operations. The pages of a contract nobody provides stay hidden.
"""

from __future__ import annotations

from typing import TypeVar

from brain.dashboard.approval_pages import router as approval_pages
from brain.dashboard.content_pages import router as content_pages
from brain.dashboard.course_pages import router as course_pages
from brain.dashboard.dependencies import DASHBOARD, DashboardDeps
from brain.dashboard.distribution_pages import router as distribution_pages
from brain.dashboard.event_pages import router as event_pages
from brain.dashboard.key_pages import router as key_pages
from brain.dashboard.limits import FailedSignIns
from brain.dashboard.pages import router as pages
from brain.dashboard.payment_pages import router as payment_pages
from brain.dashboard.sessions import SessionCodec
from brain.dashboard.settings import DashboardSettings
from brain.dashboard.webhook_pages import router as webhook_pages
from brain.kernel.admin_contracts import (
    AccessGrantAdmin,
    AnalyticsAdmin,
    ContentAdmin,
    CourseAdmin,
    DistributionAdmin,
    PaymentAdmin,
    WebhookAdmin,
)
from brain.kernel.secrets import platform_secret
from brain.modules import Contracts, Module, Parts, Services

C = TypeVar("C")


def provided(contracts: Contracts, kind: type[C]) -> C | None:
    return contracts.get(kind) if kind in contracts else None


def build(services: Services) -> Parts[DashboardDeps]:
    settings = services.settings_as(DashboardSettings)
    public_url = services.settings.public_url
    contracts = services.contracts
    deps = DashboardDeps(
        settings=settings,
        database=services.database,
        units_of_work=services.unit_of_work,
        events=services.events,
        sessions=SessionCodec(
            platform_secret(services.settings),
            idle_seconds=settings.dashboard_idle_minutes * 60,
            lifetime_seconds=settings.dashboard_session_hours * 3600,
        ),
        sign_ins=FailedSignIns(
            settings.dashboard_login_attempts, settings.dashboard_login_window_seconds
        ),
        public_url=public_url,
        https=public_url.startswith("https://"),
        courses=contracts.get(CourseAdmin),
        distributions=contracts.get(DistributionAdmin),
        content=provided(contracts, ContentAdmin),
        payments=provided(contracts, PaymentAdmin),
        access_grants=provided(contracts, AccessGrantAdmin),
        webhooks=provided(contracts, WebhookAdmin),
        analytics=provided(contracts, AnalyticsAdmin),
    )
    return Parts(deps=deps)


MODULE = Module[DashboardDeps](
    name="dashboard",
    build=build,
    dependency=DASHBOARD,
    settings=DashboardSettings,
    pages=[
        pages,
        course_pages,
        approval_pages,
        distribution_pages,
        event_pages,
        key_pages,
        content_pages,
        payment_pages,
        webhook_pages,
    ],
    needs=[CourseAdmin, DistributionAdmin],
    uses=[ContentAdmin, PaymentAdmin, AccessGrantAdmin, WebhookAdmin, AnalyticsAdmin],
)
