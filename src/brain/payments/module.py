"""The payments module, as the composition root sees it (`docs/modules.md`)."""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from brain.kernel.admin_contracts import PaymentAdmin
from brain.kernel.contracts import CourseAccessLinks, DistributionReader
from brain.modules import Module, Parts, Services
from brain.payments import cli
from brain.payments.admin import PaymentAdministration
from brain.payments.consumers import access_mail_queue
from brain.payments.dependencies import PAYMENTS, PaymentsDeps
from brain.payments.limits import RateLimiter
from brain.payments.mail import AccessMailer, SmtpTarget
from brain.payments.pages import router as pages
from brain.payments.router import router
from brain.payments.settings import STRIPE_API_BASE, PaymentsSettings
from brain.payments.stripe_adapter import StripeAdapter
from brain.payments.test_provider import TestProvider
from brain.payments.test_provider_routes import PREFIX as TEST_PROVIDER_PATH
from brain.payments.test_provider_routes import router as test_provider_pages

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/api/payments/webhooks/stripe"


@dataclass(frozen=True)
class BuiltinProviderKeys:
    api_key: str
    webhook_secret: str


def builtin_provider_keys(data_dir: Path) -> BuiltinProviderKeys:
    """The built-in test provider's API key and webhook secret, made once per data directory so
    the server and the CLI (`brain payments reconcile`) of one installation share them."""
    path = data_dir / "payments-test-provider.json"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        keys = {
            "api_key": f"sk_test_{secrets.token_urlsafe(24)}",
            "webhook_secret": f"whsec_{secrets.token_urlsafe(24)}",
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(keys, file)
    stored = json.loads(path.read_text(encoding="utf-8"))
    return BuiltinProviderKeys(str(stored["api_key"]), str(stored["webhook_secret"]))


def build(services: Services) -> Parts[PaymentsDeps]:
    settings = services.settings_as(PaymentsSettings)
    public_url = services.settings.public_url
    test_provider = None
    if settings.uses_stripe:
        api_key = settings.payments_stripe_api_key.get_secret_value()
        webhook_secrets = settings.webhook_secrets
        api_base = settings.payments_stripe_api_base or STRIPE_API_BASE
    else:
        keys = builtin_provider_keys(services.settings.data_dir)
        api_key = keys.api_key
        webhook_secrets = settings.webhook_secrets or [keys.webhook_secret]
        api_base = settings.payments_stripe_api_base or f"{public_url}{TEST_PROVIDER_PATH}"
        test_provider = TestProvider(
            base_url=f"{public_url}{TEST_PROVIDER_PATH}",
            api_key=api_key,
            signing_secrets=list(webhook_secrets),
            webhook_url=f"{public_url}{WEBHOOK_PATH}",
        )
        log.info("payments: no Stripe key configured, the built-in test provider takes payments")
    provider = StripeAdapter(
        api_key,
        webhook_secrets,
        api_base=api_base,
        tolerance_seconds=settings.payments_webhook_tolerance_seconds,
        timeout_seconds=settings.payments_provider_timeout_seconds,
    )
    distributions = services.contracts.get(DistributionReader)
    links = services.contracts.get(CourseAccessLinks)
    mailer = None
    smtp_url = settings.smtp_url.get_secret_value()
    if smtp_url:
        mailer = AccessMailer(
            SmtpTarget.parse(smtp_url),
            settings.smtp_from,
            units_of_work=services.unit_of_work,
            database=services.database,
            links=links,
            distributions=distributions,
        )
    deps = PaymentsDeps(
        settings=settings,
        public_url=public_url,
        database=services.database,
        units_of_work=services.unit_of_work,
        publisher=services.publisher,
        distributions=distributions,
        access_links=links,
        provider=provider,
        test_provider=test_provider,
        checkout_limiter=RateLimiter(
            settings.payments_checkout_rate_limit, settings.payments_checkout_rate_window_seconds
        ),
        mailer=mailer,
    )
    close = [provider.close]
    if test_provider is not None:
        close.insert(0, test_provider.close)
    return Parts(
        deps=deps,
        subscribers=[access_mail_queue()] if mailer is not None else [],
        tasks=[mailer.run] if mailer is not None else [],
        close=close,
    )


MODULE = Module[PaymentsDeps](
    name="payments",
    build=build,
    dependency=PAYMENTS,
    settings=PaymentsSettings,
    routers=[router],
    pages=[pages, test_provider_pages],
    cli=cli.build,
    cli_name="payments",
    exports={PaymentAdmin: PaymentAdministration},
    needs=[DistributionReader, CourseAccessLinks],
)
