"""The payments module's settings (`BRAIN_PAYMENTS_*`, `BRAIN_SMTP_*`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator

from brain.kernel.config import BrainSettings

STRIPE_API_BASE = "https://api.stripe.com"


class PaymentsSettings(BrainSettings):
    payments_stripe_api_key: SecretStr = SecretStr("")
    """Empty: the built-in test provider takes the payments (no real money moves)."""
    payments_stripe_webhook_secret: SecretStr = SecretStr("")
    """One `whsec_…` secret, or several separated by commas while a secret rotates."""
    payments_stripe_api_base: str = ""
    """Empty: Stripe's own API with a key, the built-in test provider without one."""
    payments_webhook_tolerance_seconds: Annotated[int, Field(ge=1, le=86_400)] = 300
    payments_checkout_rate_limit: Annotated[int, Field(ge=1, le=100_000)] = 10
    payments_checkout_rate_window_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
    payments_provider_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 20.0
    smtp_url: SecretStr = SecretStr("")
    """`smtp://user:password@host:port` (STARTTLS when offered), `smtps://…` (TLS); empty: no
    mail, the return page shows the access link."""
    smtp_from: Annotated[str, Field(min_length=3, max_length=200)] = "BRAiN <no-reply@localhost>"

    @field_validator("payments_stripe_api_base")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://api.stripe.com")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: SecretStr) -> SecretStr:
        raw = value.get_secret_value().strip()
        if raw and not raw.startswith(("smtp://", "smtps://")):
            raise ValueError("must start with smtp:// or smtps://")
        return SecretStr(raw)

    @property
    def uses_stripe(self) -> bool:
        return bool(self.payments_stripe_api_key.get_secret_value())

    @property
    def webhook_secrets(self) -> list[str]:
        raw = self.payments_stripe_webhook_secret.get_secret_value()
        return [part.strip() for part in raw.split(",") if part.strip()]
