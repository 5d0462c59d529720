"""The built-in test provider: a small payment provider that speaks the subset of Stripe's
protocol the platform uses, for the embedded default and the tests.

It is a real HTTP server (its routes are in `test_provider_routes.py`, served by the platform
under `/payments/test-provider/` when no Stripe key is configured): the `StripeAdapter` calls it
through the official `stripe` package exactly as it calls Stripe — create, retrieve and expire a
checkout session, refund, list events — and it sends signed webhooks (`Stripe-Signature`,
HMAC-SHA256 over `t.body`) to the platform's webhook endpoint over HTTP, from a task of its own,
never from inside the request that caused them, and retries a delivery that fails, as Stripe does.

Its state lives in memory: a restart forgets its sessions, like a fresh Stripe test account. No
money moves. Tests steer it through `pause_deliveries`, `deliver`, `dispute` and `settle`.
"""

from __future__ import annotations

import asyncio
import copy
import hmac
import json
import logging
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import stripe

log = logging.getLogger(__name__)

API_VERSION = "2025-03-31.basil"
DELIVERY_ATTEMPTS = 6
DELIVERY_FIRST_DELAY_SECONDS = 0.5
SESSION_LIFETIME_SECONDS = 24 * 3600
BANK_DEBIT_DELAY_SECONDS = 1.0


class ProviderRefusal(Exception):
    """A request the provider refuses, answered as Stripe answers errors."""

    def __init__(
        self, status: int, message: str, *, param: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": "invalid_request_error", "message": self.message}
        if self.param:
            error["param"] = self.param
        if self.code:
            error["code"] = self.code
        return {"error": error}


def nested(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (`a[b][0][c]=v`) as nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        path = [head] + ([part.rstrip("]") for part in rest.split("[")] if rest else [])
        node = root
        for index, part in enumerate(path):
            last = index == len(path) - 1
            if part == "":  # `a[]=v`
                part = str(len(node))
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    raise ProviderRefusal(400, f"Invalid parameter {key}", param=key)
    converted: dict[str, Any] = _lists(root)
    return converted


def _lists(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    converted = {k: _lists(v) for k, v in value.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


def _http_url(value: object, param: str) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        raise ProviderRefusal(400, f"Invalid URL: {param} must be an http(s) URL", param=param)
    return value


def _positive_int(value: object, param: str) -> int:
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return int(value)
    raise ProviderRefusal(400, f"Invalid positive integer: {param}", param=param)


def _id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


def sign(body: str, secrets_: Sequence[str], timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header: one `v1` signature per secret (two while one rotates)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signatures = [
        stripe.WebhookSignature.generate_signature_header(body, secret, timestamp).split(",", 1)[1]
        for secret in secrets_
    ]
    return ",".join([f"t={timestamp}", *signatures])


@dataclass
class _Session:
    data: dict[str, Any]
    product_name: str
    payment_intent_metadata: dict[str, Any]


@dataclass
class TestProvider:
    """The provider's state and behaviour; `test_provider_routes.py` is its HTTP surface."""

    __test__ = False  # not a pytest test class

    base_url: str
    """Where it is served, e.g. `http://127.0.0.1:8000/payments/test-provider`."""
    api_key: str
    signing_secrets: list[str]
    webhook_url: str
    sessions: dict[str, _Session] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    """By payment intent."""
    events: list[dict[str, Any]] = field(default_factory=list)
    deliveries_paused: bool = False
    _idempotent: dict[str, tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _http: httpx.AsyncClient | None = None

    # -- the API (Stripe's protocol) ------------------------------------------------------------

    def authorized(self, authorization: str | None) -> bool:
        scheme, _, key = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            key.encode(), self.api_key.encode()
        )

    def idempotent(self, key: str | None, request: str, run: Any) -> tuple[int, dict[str, Any]]:
        """`run()` once per idempotency key; a repeat gets the first answer."""
        if key:
            seen = self._idempotent.get(key)
            if seen is not None:
                if seen[0] != request:
                    raise ProviderRefusal(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters",
                        code="idempotency_error",
                    )
                return seen[1], seen[2]
        status, body = 200, run()
        if key:
            self._idempotent[key] = (request, status, body)
        return status, body

    def create_session(self, params: Mapping[str, Any]) -> dict[str, Any]:
        if params.get("mode") != "payment":
            raise ProviderRefusal(400, "Only mode=payment is supported here", param="mode")
        items = params.get("line_items")
        if not isinstance(items, list) or not items:
            raise ProviderRefusal(400, "line_items is required", param="line_items")
        total, currency, names = 0, None, []
        for index, item in enumerate(items):
            price = item.get("price_data") if isinstance(item, dict) else None
            if not isinstance(price, dict):
                raise ProviderRefusal(400, "price_data is required", param=f"line_items[{index}]")
            amount = _positive_int(price.get("unit_amount"), f"line_items[{index}][unit_amount]")
            quantity = _positive_int(item.get("quantity", "1"), f"line_items[{index}][quantity]")
            code = str(price.get("currency") or "").lower()
            if len(code) != 3 or not code.isalpha() or (currency and code != currency):
                raise ProviderRefusal(400, "Invalid currency", param=f"line_items[{index}]")
            currency = code
            product = price.get("product_data") or {}
            names.append(str(product.get("name") or "Item")[:250])
            total += amount * quantity
        metadata = params.get("metadata") if isinstance(params.get("metadata"), dict) else {}
        intent_data = params.get("payment_intent_data") or {}
        intent_metadata = intent_data.get("metadata") if isinstance(intent_data, dict) else None
        session_id = _id("cs")
        now = int(time.time())
        data = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_subtotal": total,
            "amount_total": total,
            "currency": currency,
            "client_reference_id": params.get("client_reference_id"),
            "metadata": dict(metadata or {}),
            "payment_intent": None,
            "success_url": _http_url(params.get("success_url"), "success_url"),
            "cancel_url": _http_url(params.get("cancel_url"), "cancel_url"),
            "url": f"{self.base_url}/checkout/{session_id}",
            "created": now,
            "expires_at": now + SESSION_LIFETIME_SECONDS,
            "livemode": False,
        }
        self.sessions[session_id] = _Session(
            data, ", ".join(names), dict(intent_metadata or {}) if intent_metadata else {}
        )
        return copy.deepcopy(data)

    def session(self, session_id: str) -> _Session:
        found = self.sessions.get(session_id)
        if found is None:
            raise ProviderRefusal(
                404,
                f"No such checkout.session: '{session_id}'",
                param="session",
                code="resource_missing",
            )
        return found

    def expire(self, session_id: str) -> dict[str, Any]:
        session = self.session(session_id)
        if session.data["status"] != "open":
            raise ProviderRefusal(
                400, f"Only open sessions can be expired; this one is {session.data['status']}"
            )
        session.data["status"] = "expired"
        self._emit("checkout.session.expired", session.data)
        return copy.deepcopy(session.data)

    def refund(self, params: Mapping[str, Any]) -> dict[str, Any]:
        intent = params.get("payment_intent")
        charge = self.charges.get(intent) if isinstance(intent, str) else None
        if charge is None:
            raise ProviderRefusal(
                404,
                f"No such payment_intent: '{intent}'",
                param="payment_intent",
                code="resource_missing",
            )
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = _positive_int(params["amount"], "amount") if "amount" in params else remaining
        if amount > remaining:
            raise ProviderRefusal(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge "
                f"({remaining})",
                param="amount",
                code="amount_too_large",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        refund = {
            "id": _id("re"),
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "currency": charge["currency"],
            "payment_intent": intent,
            "status": "succeeded",
            "created": int(time.time()),
        }
        self._emit("charge.refunded", charge)
        return refund

    def list_events(self, params: Mapping[str, Any]) -> dict[str, Any]:
        created = params.get("created")
        since = 0
        if isinstance(created, dict) and str(created.get("gte", "")).isdigit():
            since = int(created["gte"])
        elif isinstance(created, str) and created.isdigit():
            since = int(created)
        types = params.get("types") or ([params["type"]] if params.get("type") else None)
        raw_limit = str(params.get("limit") or "10")
        limit = min(max(int(raw_limit), 1), 100) if raw_limit.isdigit() else 10
        newest_first = [
            e
            for e in reversed(self.events)
            if e["created"] >= since and (not types or e["type"] in types)
        ]
        after = params.get("starting_after")
        if after:
            ids = [e["id"] for e in newest_first]
            newest_first = newest_first[ids.index(after) + 1 :] if after in ids else []
        page = newest_first[:limit]
        return {
            "object": "list",
            "url": "/v1/events",
            "has_more": len(newest_first) > limit,
            "data": copy.deepcopy(page),
        }

    # -- the hosted checkout page's actions -----------------------------------------------------

    def pay(self, session_id: str, method: str = "card") -> _Session:
        session = self._open(session_id)
        intent = _id("pi")
        session.data.update(status="complete", payment_intent=intent)
        if method == "bank_debit":
            # Settles later, like SEPA debit: completed but unpaid, then async_payment_succeeded.
            self._emit("checkout.session.completed", session.data)
            self._later(BANK_DEBIT_DELAY_SECONDS, lambda: self.settle(session_id))
            return session
        self._charge(session)
        session.data["payment_status"] = "paid"
        self._emit("checkout.session.completed", session.data)
        return session

    def settle(self, session_id: str) -> None:
        """A delayed payment method's money has arrived."""
        session = self.session(session_id)
        if session.data["payment_status"] == "paid" or session.data["status"] != "complete":
            return
        self._charge(session)
        session.data["payment_status"] = "paid"
        self._emit("checkout.session.async_payment_succeeded", session.data)

    def decline(self, session_id: str) -> _Session:
        """The bank refused the debit: completed unpaid, then async_payment_failed."""
        session = self._open(session_id)
        session.data.update(status="complete", payment_intent=_id("pi"))
        self._emit("checkout.session.completed", session.data)
        self._emit("checkout.session.async_payment_failed", session.data)
        return session

    def dispute(self, payment_intent: str, reason: str = "fraudulent") -> dict[str, Any]:
        charge = self.charges.get(payment_intent)
        if charge is None:
            raise ProviderRefusal(404, f"No such payment_intent: '{payment_intent}'")
        charge["disputed"] = True
        dispute = {
            "id": _id("dp"),
            "object": "dispute",
            "amount": charge["amount"],
            "currency": charge["currency"],
            "charge": charge["id"],
            "payment_intent": payment_intent,
            "reason": reason,
            "status": "needs_response",
            "created": int(time.time()),
        }
        self._emit("charge.dispute.created", dispute)
        return dispute

    def _open(self, session_id: str) -> _Session:
        session = self.session(session_id)
        if session.data["status"] != "open":
            raise ProviderRefusal(409, f"This checkout is {session.data['status']}, not open")
        return session

    def _charge(self, session: _Session) -> None:
        intent = session.data["payment_intent"]
        self.charges[intent] = {
            "id": _id("ch"),
            "object": "charge",
            "amount": session.data["amount_total"],
            "amount_refunded": 0,
            "refunded": False,
            "currency": session.data["currency"],
            "payment_intent": intent,
            "metadata": dict(session.payment_intent_metadata),
            "paid": True,
            "status": "succeeded",
            "created": int(time.time()),
        }

    # -- events and their delivery ----------------------------------------------------------------

    def _emit(self, event_type: str, obj: Mapping[str, Any]) -> dict[str, Any]:
        event = {
            "id": _id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "type": event_type,
            "data": {"object": copy.deepcopy(dict(obj))},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
        }
        self.events.append(event)
        if not self.deliveries_paused:
            self._spawn(self._deliver(event))
        return event

    def event(self, event_id: str) -> dict[str, Any]:
        for event in self.events:
            if event["id"] == event_id:
                return event
        raise KeyError(event_id)

    def pause_deliveries(self) -> None:
        """Keep new events undelivered (a webhook endpoint that is down, say)."""
        self.deliveries_paused = True

    def resume_deliveries(self) -> None:
        self.deliveries_paused = False

    async def deliver(self, event_id: str, *, attempts: int = 1) -> int | None:
        """Send one event now (again); the last HTTP status, or None when unreachable."""
        return await self._deliver(self.event(event_id), attempts=attempts)

    async def wait_idle(self) -> None:
        """Until every delivery under way has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _later(self, delay: float, action: Any) -> None:
        async def run() -> None:
            await asyncio.sleep(delay)
            action()

        self._spawn(run())

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=30.0)
        return self._http

    async def _deliver(
        self, event: Mapping[str, Any], *, attempts: int = DELIVERY_ATTEMPTS
    ) -> int | None:
        body = json.dumps(event, separators=(",", ":"))
        delay = DELIVERY_FIRST_DELAY_SECONDS
        status: int | None = None
        for attempt in range(1, attempts + 1):
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": sign(body, self.signing_secrets),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks; brain test provider)",
            }
            try:
                response = await self._client().post(
                    self.webhook_url, content=body, headers=headers
                )
                status = response.status_code
            except httpx.HTTPError as error:
                status = None
                log.warning(
                    "test provider: delivering %s failed: %s", event["id"], type(error).__name__
                )
            if status is not None and 200 <= status < 300:
                return status
            if attempt < attempts:
                await asyncio.sleep(delay)
                delay *= 2
        log.warning("test provider: gave up delivering %s (last status %s)", event["id"], status)
        return status

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
            self._http = None
