"""The provider's webhooks over HTTP: signatures (tampering, age, wrong and rotated secrets),
deduplication under concurrent replays, every event type, out-of-order delivery, mismatched
amounts, refunds (full and partial), disputes, and reconciliation of an undelivered webhook.

The built-in test provider is the real server on the other end: the platform reaches it through
the official `stripe` package (the `StripeAdapter`), and it posts signed webhooks back over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from brain.cli import app as brain_cli
from brain.payments.test_provider import sign
from tests.support.payments import (
    BUYER,
    LESSON_MARKER,
    WEBHOOK,
    Shop,
    eventually,
    open_shop,
    served,
)

SQLITE_ONLY = pytest.mark.parametrize("shop_setup", ["sqlite-sql"], indirect=True)


async def paid_but_undelivered(shop: Shop, slug: str) -> tuple[str, dict[str, Any]]:
    """A card payment whose `checkout.session.completed` the provider has not delivered."""
    shop.provider.pause_deliveries()
    _, session_id = await shop.buy(slug)
    await shop.pay(session_id)
    [completed] = [e for e in shop.provider.events if e["type"] == "checkout.session.completed"]
    return session_id, completed


@contextlib.asynccontextmanager
async def learner_with_access(shop: Shop, return_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A browser that opened the access link from the return page (it holds the cookie)."""
    link = await shop.access_link(return_url)
    async with httpx.AsyncClient(base_url=shop.base) as learner:
        assert (await learner.get(link)).status_code == 303
        yield learner


async def test_five_concurrent_replays_of_one_webhook_grant_access_once(shop: Shop) -> None:
    course_id, slug = await shop.course()
    _, completed = await paid_but_undelivered(shop, slug)

    answers = await asyncio.gather(*(shop.post_webhook(completed) for _ in range(5)))

    assert [a.status_code for a in answers] == [200] * 5
    assert sorted(a.json()["duplicate"] for a in answers) == [False, True, True, True, True]
    assert await shop.stored_provider_events() == 1

    async def granted() -> bool:
        return (await shop.grants(course_id))["active"] == 1

    await eventually(granted)
    await asyncio.sleep(0.3)  # time for any second grant to show up
    assert (await shop.grants(course_id))["total"] == 1
    assert len(await shop.events("course.payment.completed")) == 1
    assert len(await shop.events("course.access.granted")) == 1


@SQLITE_ONLY
async def test_a_bad_signature_answers_400_and_stores_nothing(shop: Shop) -> None:
    _, slug = await shop.course()
    session_id, completed = await paid_but_undelivered(shop, slug)
    body = json.dumps(completed, separators=(",", ":"))
    good = shop.provider.signing_secrets
    now = int(time.time())
    tampered = body.replace('"amount_total":1900', '"amount_total":1')
    assert tampered != body
    cases = {
        "missing header": {},
        "malformed header": {"Stripe-Signature": "v1=abc"},
        "no v1 signature": {"Stripe-Signature": f"t={now},v0=abc"},
        "wrong secret": {"Stripe-Signature": sign(body, ["whsec_wrong"])},
        "old timestamp": {"Stripe-Signature": sign(body, good, timestamp=now - 301)},
    }
    for case, headers in cases.items():
        response = await shop.http.post(WEBHOOK, content=body, headers=headers)
        assert response.status_code == 400, case
        problem = response.json()
        assert problem["errors"][0]["field"] == "header.stripe-signature", case
    signed_for_original = sign(body, good)
    response = await shop.http.post(
        WEBHOOK, content=tampered, headers={"Stripe-Signature": signed_for_original}
    )
    assert response.status_code == 400
    assert "no signature matches" in response.json()["detail"]

    assert await shop.stored_provider_events() == 0
    assert (await shop.payment(session_id))["status"] == "pending"
    assert await shop.events("course.payment.completed") == []

    fresh = await shop.http.post(
        WEBHOOK, content=body, headers={"Stripe-Signature": sign(body, good, timestamp=now - 290)}
    )
    assert fresh.status_code == 200, "within the 300 s tolerance"


@SQLITE_ONLY
async def test_a_correctly_signed_body_that_is_no_event_answers_400(shop: Shop) -> None:
    for body in ("not json", json.dumps({"id": "evt_1", "type": "x"}), "[]"):
        header = sign(body, shop.provider.signing_secrets)
        response = await shop.http.post(WEBHOOK, content=body, headers={"Stripe-Signature": header})
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["field"] == "body"
    assert await shop.stored_provider_events() == 0


@SQLITE_ONLY
async def test_a_provider_rolling_its_secret_signs_with_both_and_is_accepted(shop: Shop) -> None:
    _, slug = await shop.course()
    _, completed = await paid_but_undelivered(shop, slug)
    ours = shop.provider.signing_secrets[0]
    rolled = await shop.post_webhook(completed, secrets=["whsec_the_next_one", ours])
    assert rolled.status_code == 200 and rolled.json()["outcome"] == "applied"


@pytest.mark.parametrize("shop_setup", ["sqlite-sql"], indirect=True)
async def test_while_we_rotate_the_secret_both_listed_secrets_are_accepted(
    shop_settings: dict[str, Any],
) -> None:
    rotating = {**shop_settings, "payments_stripe_webhook_secret": "whsec_new, whsec_old"}
    async with served(rotating) as (platform, base):
        shop = await open_shop(platform, base)
        async with shop.http:
            assert shop.provider.signing_secrets == ["whsec_new", "whsec_old"]
            _, slug = await shop.course()
            _, completed = await paid_but_undelivered(shop, slug)
            for n, secrets in enumerate((["whsec_old"], ["whsec_new"])):
                event = {**completed, "id": f"evt_test_rotation_{n}"}
                response = await shop.post_webhook(event, secrets=secrets)
                assert response.status_code == 200, secrets
            stale = {**completed, "id": "evt_test_rotation_stale"}
            assert (await shop.post_webhook(stale, secrets=["whsec_older"])).status_code == 400


@SQLITE_ONLY
async def test_a_refund_that_arrives_before_the_completion_is_applied_after_it(
    shop: Shop,
) -> None:
    course_id, slug = await shop.course()
    session_id, completed = await paid_but_undelivered(shop, slug)
    intent = shop.provider.sessions[session_id].data["payment_intent"]
    shop.provider.refund({"payment_intent": intent})
    [refunded] = [e for e in shop.provider.events if e["type"] == "charge.refunded"]

    early = await shop.post_webhook(refunded)
    assert early.json()["outcome"] == "deferred"
    assert (await shop.payment(session_id))["status"] == "pending"

    assert (await shop.post_webhook(completed)).json()["outcome"] == "applied"
    payment = await shop.payment(session_id)
    assert payment["status"] == "refunded" and payment["refunded_minor"] == 1900
    assert [e["outcome"] for e in payment["events"]] == ["applied", "applied"]
    assert len(await shop.events("course.payment.completed")) == 1
    [refund] = await shop.events("course.payment.refunded")
    assert refund["full"] is True and refund["amount_refunded_minor"] == 1900

    async def revoked() -> bool:
        return (await shop.grants(course_id))["revoked"] == 1

    await eventually(revoked)
    assert [e["reason"] for e in await shop.events("course.access.revoked")] == ["refunded"]


@SQLITE_ONLY
async def test_a_late_expiry_never_undoes_a_payment(shop: Shop) -> None:
    _, slug = await shop.course()
    session_id, completed = await paid_but_undelivered(shop, slug)
    expired = copy.deepcopy(completed)
    expired.update(id="evt_test_late_expiry", type="checkout.session.expired")
    expired["data"]["object"].update(status="expired", payment_status="unpaid")

    assert (await shop.post_webhook(completed)).json()["outcome"] == "applied"
    late = await shop.post_webhook(expired)
    assert late.status_code == 200 and late.json()["outcome"] == "ignored"
    assert (await shop.payment(session_id))["status"] == "paid"
    assert await shop.events("course.payment.failed") == []


@SQLITE_ONLY
async def test_an_expired_checkout_fails_the_payment(shop: Shop) -> None:
    _, slug = await shop.course()
    _, session_id = await shop.buy(slug)
    shop.provider.expire(session_id)
    await shop.status_becomes(session_id, "expired")
    [failed] = await shop.events("course.payment.failed")
    assert failed["reason"] == "the checkout expired before it was paid"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [("amount_total", 100, "amount_mismatch"), ("currency", "usd", "currency_mismatch")],
)
@SQLITE_ONLY
async def test_a_settlement_that_does_not_match_the_checkout_is_flagged_without_access(
    shop: Shop, field: str, value: object, reason: str
) -> None:
    course_id, slug = await shop.course()
    session_id, completed = await paid_but_undelivered(shop, slug)
    completed["data"]["object"][field] = value

    assert (await shop.post_webhook(completed)).status_code == 200
    payment = await shop.payment(session_id)
    assert payment["status"] == "flagged" and payment["flag_reason"] == reason
    assert [e["reason_code"] for e in await shop.events("course.payment.flagged")] == [reason]
    assert await shop.events("course.payment.completed") == []
    await asyncio.sleep(0.3)
    assert (await shop.grants(course_id))["total"] == 0
    page = await shop.http.get(f"/courses/{slug}/checkout/return?session={session_id}")
    assert "/learn/access" not in page.text and "reviewing" in page.text


@SQLITE_ONLY
async def test_a_partial_refund_keeps_the_access_and_the_rest_revokes_it(shop: Shop) -> None:
    course_id, slug = await shop.course()
    _, session_id = await shop.buy(slug)
    payment_id = (await shop.payment(session_id))["id"]
    async with learner_with_access(shop, await shop.pay(session_id)) as learner:
        partial = await shop.http.post(
            f"/api/payments/{payment_id}/refund", json={"amount_minor": 500}, headers=shop.editor
        )
        assert partial.status_code == 202, partial.text
        await shop.status_becomes(session_id, "partially_refunded")
        [first] = await shop.events("course.payment.refunded")
        assert first == {**first, "amount_refunded_minor": 500, "full": False}
        await asyncio.sleep(0.3)
        view = await learner.get(f"/learn/{slug}")
        assert view.status_code == 200 and LESSON_MARKER in view.text

        too_much = await shop.http.post(
            f"/api/payments/{payment_id}/refund", json={"amount_minor": 1401}, headers=shop.editor
        )
        assert too_much.status_code == 422
        assert too_much.json()["errors"][0]["field"] == "body.amount_minor"

        rest = await shop.http.post(f"/api/payments/{payment_id}/refund", headers=shop.editor)
        assert rest.status_code == 202 and rest.json()["amount_minor"] == 1400
        await shop.status_becomes(session_id, "refunded")

        async def locked() -> bool:
            return (await learner.get(f"/learn/{slug}")).status_code == 403

        await eventually(locked)
        staged = await learner.get(f"/staging/{course_id}/index.html")
        assert staged.status_code == 401  # a preview for operators only
    again = await shop.http.post(f"/api/payments/{payment_id}/refund", headers=shop.editor)
    assert again.status_code == 409


@SQLITE_ONLY
async def test_a_dispute_revokes_the_access(shop: Shop) -> None:
    course_id, slug = await shop.course()
    _, session_id = await shop.buy(slug)
    async with learner_with_access(shop, await shop.pay(session_id)) as learner:
        shop.provider.dispute(shop.provider.sessions[session_id].data["payment_intent"])
        await shop.status_becomes(session_id, "disputed")

        async def locked() -> bool:
            return (await learner.get(f"/learn/{slug}")).status_code == 403

        await eventually(locked)
    assert [e["reason_code"] for e in await shop.events("course.payment.flagged")] == ["dispute"]
    assert [e["reason"] for e in await shop.events("course.access.revoked")] == ["disputed"]
    assert (await shop.grants(course_id))["revoked"] == 1


@SQLITE_ONLY
async def test_a_delayed_payment_grants_access_once_it_settles(shop: Shop) -> None:
    course_id, slug = await shop.course()
    _, session_id = await shop.buy(slug)
    back = await shop.pay(session_id, method="bank_debit")
    waiting = await shop.http.get(back)
    assert "/learn/access" not in waiting.text and 'http-equiv="refresh"' in waiting.text
    link = await shop.access_link(back)
    assert link.startswith(f"{shop.base}/learn/access?token=")
    payment = await shop.payment(session_id)
    assert [e["type"] for e in payment["events"]] == [
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
    ]
    assert (await shop.grants(course_id))["active"] == 1


@SQLITE_ONLY
async def test_a_declined_payment_fails_and_counts_the_buyers_earlier_attempts(
    shop: Shop,
) -> None:
    _, slug = await shop.course()
    for attempt in range(2):
        _, session_id = await shop.buy(slug)
        declined = await shop.http.post(f"/payments/test-provider/checkout/{session_id}/decline")
        assert declined.status_code == 303
        await shop.status_becomes(session_id, "failed")
        page = await shop.http.get(declined.headers["location"])
        assert "did not go through" in page.text and "/learn/access" not in page.text
        failures = await shop.events("course.payment.failed")
        assert failures[-1]["retry_count"] == attempt
        assert failures[-1]["reason"] == "the delayed payment failed at the bank"


@SQLITE_ONLY
async def test_reconcile_applies_a_webhook_that_never_arrived_and_is_idempotent(
    shop: Shop,
) -> None:
    course_id, slug = await shop.course()
    session_id, completed = await paid_but_undelivered(shop, slug)
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    settings = shop.platform.settings
    env = {
        "BRAIN_DATABASE_URL": settings.resolved_database_url,
        "BRAIN_DATA_DIR": str(settings.data_dir),
        "BRAIN_PUBLIC_BASE_URL": shop.base,
    }

    def run() -> Any:
        return CliRunner().invoke(brain_cli, ["payments", "reconcile", "--since", since], env=env)

    first = await asyncio.to_thread(run)
    assert first.exit_code == 0, first.output
    assert "1 provider event(s), 1 new" in first.output
    assert (await shop.payment(session_id))["status"] == "paid"
    assert (await shop.payment(session_id))["events"][0]["received_via"] == "reconcile"

    second = await asyncio.to_thread(run)
    assert "1 provider event(s), 0 new" in second.output
    late = await shop.post_webhook(completed)
    assert late.json()["duplicate"] is True

    async def granted() -> bool:
        return (await shop.grants(course_id))["active"] == 1

    await eventually(granted)
    assert len(await shop.events("course.payment.completed")) == 1


@SQLITE_ONLY
async def test_an_event_for_no_checkout_of_ours_is_stored_and_answered_200(shop: Shop) -> None:
    event = {
        "id": "evt_test_foreign",
        "object": "event",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": "cs_test_foreign",
                "object": "checkout.session",
                "payment_status": "paid",
                "amount_total": 500,
                "currency": "eur",
                "customer_details": {"email": BUYER},
            }
        },
    }
    response = await shop.post_webhook(event)
    assert response.status_code == 200 and response.json()["outcome"] == "unmatched"
    assert await shop.stored_provider_events() == 1
    other = await shop.post_webhook({**event, "id": "evt_test_other", "type": "invoice.paid"})
    assert other.json()["outcome"] == "unmatched"
