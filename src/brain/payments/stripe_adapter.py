"""The payment provider adapter for Stripe's protocol, through the official `stripe` package.

It serves Stripe itself (`BRAIN_PAYMENTS_STRIPE_API_KEY`) and the built-in test provider, which
speaks the same subset of the protocol under `/payments/test-provider` (`test_provider.py`):
one code path for checkout, refunds, event listing and webhook verification.

Outbound calls carry idempotency keys made from our ids, so a retried call (the package retries
network errors) never creates a second checkout or refund.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import stripe

from brain.payments.provider import (
    CheckoutRequest,
    CreatedCheckout,
    CreatedRefund,
    InvalidSignature,
    MalformedEvent,
    ProviderError,
    ProviderEventView,
)

HANDLED_EVENTS = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "charge.refunded",
    "charge.dispute.created",
)
PAGE_SIZE = 100
MAX_SIGNATURE_HEADER = 4096


class StripeAdapter:
    name = "stripe"

    def __init__(
        self,
        api_key: str,
        webhook_secrets: Sequence[str],
        *,
        api_base: str,
        tolerance_seconds: int = 300,
        timeout_seconds: float = 20.0,
    ) -> None:
        self._http = stripe.HTTPXClient(timeout=timeout_seconds)
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base},
            http_client=self._http,
            max_network_retries=2,
        )
        self._secrets = list(webhook_secrets)
        self._tolerance = tolerance_seconds

    async def create_checkout(self, request: CheckoutRequest) -> CreatedCheckout:
        reference = str(request.checkout_id)
        params: dict[str, Any] = {
            "mode": "payment",
            "client_reference_id": reference,
            "metadata": {"checkout_id": reference},
            "payment_intent_data": {"metadata": {"checkout_id": reference}},
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": request.amount_minor,
                        "product_data": {"name": request.product_name},
                    },
                }
            ],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        try:
            session = await self._client.v1.checkout.sessions.create_async(
                params,  # type: ignore[arg-type]  # a plain dict of the documented parameters
                {"idempotency_key": f"checkout-{reference}"},
            )
        except stripe.StripeError as error:
            raise ProviderError(_reason(error)) from None
        if not session.url:
            raise ProviderError("the provider returned a checkout session without a URL")
        return CreatedCheckout(session_id=session.id, url=session.url)

    async def refund(
        self, payment_intent: str, amount_minor: int, *, idempotency_key: str
    ) -> CreatedRefund:
        try:
            refund = await self._client.v1.refunds.create_async(
                {"payment_intent": payment_intent, "amount": amount_minor},
                {"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise ProviderError(_reason(error)) from None
        return CreatedRefund(
            refund_id=refund.id, amount_minor=refund.amount, status=refund.status or "pending"
        )

    async def events_since(self, since: datetime) -> AsyncIterator[ProviderEventView]:
        found: list[ProviderEventView] = []
        params: dict[str, Any] = {
            "created": {"gte": int(since.timestamp())},
            "limit": PAGE_SIZE,
            "types": list(HANDLED_EVENTS),
        }
        while True:
            try:
                page = await self._client.v1.events.list_async(params)  # type: ignore[arg-type]
            except stripe.StripeError as error:
                raise ProviderError(_reason(error)) from None
            for event in page.data:
                found.append(event_view(event.to_dict()))
            if not page.has_more or not page.data:
                break
            params["starting_after"] = page.data[-1].id
        for view in sorted(found, key=lambda v: (v.created, v.id)):
            yield view

    def verify_webhook(self, body: bytes, signature: str | None) -> ProviderEventView:
        if not signature:
            raise InvalidSignature("the Stripe-Signature header is missing")
        if len(signature) > MAX_SIGNATURE_HEADER:
            raise InvalidSignature("the Stripe-Signature header is malformed (too long)")
        if not self._secrets:
            raise InvalidSignature("no webhook secret is configured")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidSignature("the body is not UTF-8") from None
        timestamp = _signed_at(signature)
        matched = False
        for secret in self._secrets:
            try:
                # Any `v1` signature of the header may match any configured secret: Stripe signs
                # with the old and the new secret while one rotates, and we may list both.
                stripe.WebhookSignature.verify_header(text, signature, secret, tolerance=None)
            except stripe.SignatureVerificationError:
                continue
            matched = True
            break
        if not matched:
            raise InvalidSignature("no signature matches the webhook secret")
        if timestamp < time.time() - self._tolerance:
            raise InvalidSignature(f"the signature's timestamp is older than {self._tolerance} s")
        try:
            raw = json.loads(text)
        except ValueError:
            raise MalformedEvent("the body is not JSON") from None
        return event_view(raw)

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]  # unannotated in stripe


def _signed_at(header: str) -> int:
    """The `t=` timestamp of a `Stripe-Signature` header (`t=…,v1=…[,v1=…]`)."""
    items = [item.split("=", 1) for item in header.split(",")]
    stamps = [value for key, *rest in items if key.strip() == "t" for value in rest]
    if len(stamps) != 1 or not stamps[0].strip().isdigit():
        raise InvalidSignature("the Stripe-Signature header is malformed (no t=<timestamp>)")
    if not any(key.strip() == "v1" and rest for key, *rest in items):
        raise InvalidSignature("the Stripe-Signature header carries no v1 signature")
    return int(stamps[0])


def _reason(error: stripe.StripeError) -> str:
    message = error.user_message or type(error).__name__
    status = f" (HTTP {error.http_status})" if error.http_status else ""
    return f"{message}{status}"[:200]


def _string(value: object) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])  # an expanded object
    return None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _uuid(value: object) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def event_view(raw: object) -> ProviderEventView:
    """The fields of a Stripe event the payments module reads, checked for their types."""
    if not isinstance(raw, Mapping):
        raise MalformedEvent("the event is not a JSON object")
    event_id, event_type, created = raw.get("id"), raw.get("type"), _int(raw.get("created"))
    data = raw.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= 255:
        raise MalformedEvent("the event has no id")
    if not isinstance(event_type, str) or not 1 <= len(event_type) <= 64:
        raise MalformedEvent("the event has no type")
    if created is None or created < 0:
        raise MalformedEvent("the event has no creation time")
    if not isinstance(obj, Mapping):
        raise MalformedEvent("the event carries no data.object")
    kind = obj.get("object")
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
    assert isinstance(metadata, Mapping)
    checkout_id = _uuid(metadata.get("checkout_id"))
    session_id = payment_intent = payment_status = None
    amount = refunded_amount = None
    fully_refunded: bool | None = None
    if kind == "checkout.session":
        checkout_id = _uuid(obj.get("client_reference_id")) or checkout_id
        session_id = _string(obj.get("id"))
        payment_intent = _string(obj.get("payment_intent"))
        amount = _int(obj.get("amount_total"))
        status = obj.get("payment_status")
        payment_status = status if isinstance(status, str) else None
    elif kind == "charge":
        payment_intent = _string(obj.get("payment_intent"))
        amount = _int(obj.get("amount"))
        refunded_amount = _int(obj.get("amount_refunded"))
        refunded = obj.get("refunded")
        fully_refunded = refunded if isinstance(refunded, bool) else None
    elif kind == "dispute":
        payment_intent = _string(obj.get("payment_intent"))
        amount = _int(obj.get("amount"))
    currency = obj.get("currency")
    currency = currency.upper() if isinstance(currency, str) and len(currency) == 3 else None
    reduced = {
        "object": kind if isinstance(kind, str) else None,
        "object_id": _string(obj.get("id")),
        "checkout_id": str(checkout_id) if checkout_id else None,
        "session_id": session_id,
        "payment_intent": payment_intent,
        "amount_minor": amount,
        "currency": currency,
        "payment_status": payment_status,
        "amount_refunded_minor": refunded_amount,
        "fully_refunded": fully_refunded,
    }
    return ProviderEventView(
        id=event_id,
        type=event_type,
        created=datetime.fromtimestamp(created, UTC),
        checkout_id=checkout_id,
        session_id=session_id,
        payment_intent=payment_intent,
        amount_minor=amount,
        currency=currency,
        payment_status=payment_status,
        amount_refunded_minor=refunded_amount,
        fully_refunded=fully_refunded,
        data={k: v for k, v in reduced.items() if v is not None},
    )
