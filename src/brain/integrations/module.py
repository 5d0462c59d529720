"""The integrations, as the composition root sees it (`docs/modules.md`)."""

from __future__ import annotations

from brain.integrations import cli
from brain.integrations.admin import AnalyticsAdministration, WebhookAdministration
from brain.integrations.alerts import Alerting, DeadLetterWatch
from brain.integrations.consumers import (
    alerts_subscriber,
    analytics_subscriber,
    indexnow_subscriber,
    webhooks_subscriber,
)
from brain.integrations.delivery import DeliveryWorker
from brain.integrations.dependencies import INTEGRATIONS, IntegrationsDeps
from brain.integrations.indexnow import IndexNowNotifier
from brain.integrations.metrics import IntegrationMetrics
from brain.integrations.pages import router as pages
from brain.integrations.router import router
from brain.integrations.settings import IntegrationSettings
from brain.kernel.admin_contracts import AnalyticsAdmin, WebhookAdmin
from brain.modules import Background, Module, Parts, Services


def build(services: Services) -> Parts[IntegrationsDeps]:
    settings = services.settings_as(IntegrationSettings)
    public_url = services.settings.public_url
    metrics = IntegrationMetrics(services.metrics)
    delivery = DeliveryWorker(
        services.database, services.unit_of_work, services.publisher, settings, metrics
    )
    alerting = Alerting(settings, metrics, services.publisher)
    dead_letters = DeadLetterWatch(
        services.unit_of_work, services.events, alerting, settings.alerts_dead_letter_poll_seconds
    )
    indexnow = None
    if settings.indexnow_enabled:
        indexnow = IndexNowNotifier(
            services.database, services.unit_of_work, settings, public_url, metrics
        )
    deps = IntegrationsDeps(
        settings=settings,
        database=services.database,
        units_of_work=services.unit_of_work,
        publisher=services.publisher,
        events=services.events,
        delivery=delivery,
        dead_letters=dead_letters,
        indexnow=indexnow,
    )
    tasks: list[Background] = [delivery.run, dead_letters.run]
    refresh = [delivery.refresh_gauges]
    if indexnow is not None:
        tasks.append(indexnow.run)
        refresh.append(indexnow.refresh_gauges)
    return Parts(
        deps=deps,
        subscribers=[
            webhooks_subscriber(delivery.wake),
            analytics_subscriber(),
            alerts_subscriber(alerting),
            indexnow_subscriber(public_url, enabled=indexnow is not None),
        ],
        # Outside every consumer batch and transaction: HTTP to receivers and search engines.
        tasks=tasks,
        before_metrics=refresh,
    )


MODULE = Module[IntegrationsDeps](
    name="integrations",
    build=build,
    dependency=INTEGRATIONS,
    settings=IntegrationSettings,
    routers=[router],
    pages=[pages],
    cli=cli.build,
    cli_name="webhooks",
    cli_groups={"analytics": cli.build_analytics},
    exports={WebhookAdmin: WebhookAdministration, AnalyticsAdmin: AnalyticsAdministration},
)
