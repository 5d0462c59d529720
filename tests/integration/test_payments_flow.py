"""Buying a priced course over HTTP: the course page's buy form, the checkout (form and JSON,
validated, rate-limited), the test provider's hosted checkout and its signed webhook, the access
grant, the return page's link, the learner view, refunds from the operator API, and the operator
API's tenant scoping and roles.

The platform is served on a loopback port; the `StripeAdapter` reaches the built-in test provider
through the official `stripe` package, and the test provider posts its webhooks back over HTTP.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
import stripe

from brain.payments.module import MODULE as PAYMENTS
from tests.support.payments import (
    BUYER,
    LESSON_MARKER,
    Shop,
    eventually,
    open_shop,
    served,
)

SQLITE_ONLY = pytest.mark.parametrize("shop_setup", ["sqlite-sql"], indirect=True)


async def test_buying_a_course_grants_the_learner_view_and_a_full_refund_revokes_it(
    shop: Shop,
) -> None:
    course_id, slug = await shop.course(price=1900)
    page = await shop.http.get(f"/courses/{slug}")
    assert f'action="/courses/{slug}/checkout"' in page.text and "19.00 EUR" in page.text

    locked = await shop.http.get(f"/learn/{slug}")
    assert locked.status_code == 403 and LESSON_MARKER not in locked.text
    # the staging site is the operators' preview (a key or a preview link), never the learners'
    assert (await shop.http.get(f"/staging/{course_id}/index.html")).status_code == 401

    _, session_id = await shop.buy(slug)
    back = await shop.pay(session_id)
    assert back == f"{shop.base}/courses/{slug}/checkout/return?session={session_id}"
    link = await shop.access_link(back)
    assert link.startswith(f"{shop.base}/learn/access?token=")

    async with httpx.AsyncClient(base_url=shop.base) as learner:
        entered = await learner.get(link)
        assert entered.status_code == 303 and entered.headers["location"] == f"/learn/{slug}"
        cookie = entered.headers["set-cookie"]
        assert f"brain_access_{course_id.hex}=" in cookie
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
        view = await learner.get(f"/learn/{slug}")
        assert view.status_code == 200, view.text
        assert LESSON_MARKER in view.text and "What does interest on interest do?" in view.text
        assert "&lt;b&gt;plans&lt;/b&gt;" in view.text, "lesson Markdown is escaped"
        assert view.headers["cache-control"] == "private, no-store"

        # Reloading the return page shows the same link and grants nothing new.
        assert await shop.access_link(back) == link
        grants = await shop.grants(course_id)
        assert (grants["total"], grants["active"]) == (1, 1)
        assert await shop.events("course.distribution.requested") == [], "already PUBLIC"

        payment = await shop.payment(session_id)
        assert payment["status"] == "paid" and payment["transaction_id"]
        [completed] = await shop.events("course.payment.completed")
        assert completed == {
            "payment_id": payment["id"],
            "course_id": str(course_id),
            "buyer_id": payment["buyer_id"],
            "transaction_id": payment["transaction_id"],
        }
        refund = await shop.http.post(
            f"/api/payments/{payment['id']}/refund", json={}, headers=shop.editor
        )
        assert refund.status_code == 202, refund.text

        async def revoked() -> bool:
            return (await learner.get(f"/learn/{slug}")).status_code == 403

        await eventually(revoked)
        assert (await learner.get(link)).status_code == 403
        after = await shop.http.get(back)
        assert "/learn/access" not in after.text and "refunded" in after.text
    assert [t for t in await _types(shop) if t.startswith(("course.payment", "course.access"))] == [
        "course.payment.required",
        "course.payment.completed",
        "course.access.granted",
        "course.payment.refunded",
        "course.access.revoked",
    ]


async def _types(shop: Shop) -> list[str]:
    response = await shop.http.get("/api/events?limit=200", headers=shop.viewer)
    assert response.status_code == 200, response.text
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return [item["type"] for item in items]


@SQLITE_ONLY
async def test_a_presale_from_an_unlisted_page_requests_the_courses_distribution(
    shop: Shop,
) -> None:
    course_id, slug = await shop.course(visibility="UNLISTED")
    page = await shop.http.get(f"/courses/{slug}")
    assert "noindex" in page.text and f"/courses/{slug}/checkout" in page.text
    _, session_id = await shop.buy(slug)
    await shop.access_link(await shop.pay(session_id))

    async def requested() -> list[dict[str, Any]]:
        return await shop.events("course.distribution.completed")

    await eventually(requested)
    assert await shop.events("course.distribution.requested") == [{"course_id": str(course_id)}]


@SQLITE_ONLY
async def test_a_json_checkout_answers_303_and_stores_the_checkout_with_its_event(
    shop: Shop,
) -> None:
    course_id, slug = await shop.course(price=2500, currency="CHF")
    response = await shop.http.post(
        f"/courses/{slug}/checkout", json={"email": " Ada@Example.ORG "}
    )
    assert response.status_code == 303, response.text
    body = response.json()
    assert response.headers["location"] == body["checkout_url"]
    session_id = body["checkout_url"].rsplit("/", 1)[1]
    session = shop.provider.sessions[session_id].data
    assert (session["amount_total"], session["currency"]) == (2500, "chf")
    assert session["client_reference_id"] == body["payment_id"]
    assert session["metadata"] == {"checkout_id": body["payment_id"]}
    [required] = await shop.events("course.payment.required")
    payment = await shop.payment(session_id)
    assert required == {
        "payment_id": body["payment_id"],
        "course_id": str(course_id),
        "buyer_id": payment["buyer_id"],
        "amount_minor": 2500,
        "currency": "CHF",
    }
    again = await shop.http.post(f"/courses/{slug}/checkout", json={"email": "ada@example.org"})
    assert (await shop.payment(again.json()["checkout_url"].rsplit("/", 1)[1]))["buyer_id"] == (
        payment["buyer_id"]
    ), "one buyer id per address"


@SQLITE_ONLY
async def test_a_bad_address_answers_422_naming_the_field_and_stores_nothing(shop: Shop) -> None:
    _, slug = await shop.course()
    for body in ({"email": "not-an-address"}, {}, {"email": "a@b"}, {"email": "x" * 300}):
        response = await shop.http.post(f"/courses/{slug}/checkout", json=body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == "body.email"
    malformed = await shop.http.post(
        f"/courses/{slug}/checkout", content="{", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    form = await shop.http.post(f"/courses/{slug}/checkout", data={"email": "<b>x</b>@"})
    assert form.status_code == 422 and "text/html" in form.headers["content-type"]
    assert "is not a valid e-mail address" in form.text
    assert 'value="&lt;b&gt;x&lt;/b&gt;@"' in form.text, "the form comes back, escaped"
    assert await shop.events("course.payment.required") == []
    listing = await shop.http.get("/api/payments", headers=shop.viewer)
    assert listing.json()["total"] == 0


@SQLITE_ONLY
async def test_only_a_published_priced_course_can_be_bought(shop: Shop) -> None:
    _, free = await shop.course(price=None)
    course_id, private = await shop.course()
    distribution = (
        await shop.http.get(f"/api/distributions?course_id={course_id}", headers=shop.auth)
    ).json()["items"][0]
    await shop.http.post(f"/api/distributions/{distribution['id']}/unpublish", headers=shop.auth)
    cases = {"no-such-course": 404, private: 404, free: 409}
    for slug, status in cases.items():
        as_json = await shop.http.post(f"/courses/{slug}/checkout", json={"email": BUYER})
        assert as_json.status_code == status, slug
        assert as_json.headers["content-type"] == "application/problem+json"
        as_form = await shop.http.post(f"/courses/{slug}/checkout", data={"email": BUYER})
        assert as_form.status_code == status and "<h1>" in as_form.text
    free_page = await shop.http.get(f"/courses/{free}")
    assert "/checkout" not in free_page.text and f"/courses/{free}/enroll" in free_page.text
    free_view = await shop.http.get(f"/learn/{free}")
    assert free_view.status_code == 200 and LESSON_MARKER in free_view.text
    assert (await shop.http.get(f"/learn/{private}")).status_code == 404


@SQLITE_ONLY
async def test_checkouts_are_rate_limited_per_client(shop: Shop) -> None:
    _, slug = await shop.course()
    shop.platform.deps_of(PAYMENTS).checkout_limiter.limit = 2
    answers = [
        (await shop.http.post(f"/courses/{slug}/checkout", json={"email": BUYER})).status_code
        for _ in range(3)
    ]
    assert answers == [303, 303, 429]
    limited = await shop.http.post(f"/courses/{slug}/checkout", data={"email": BUYER})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


@SQLITE_ONLY
async def test_the_return_page_shows_the_link_only_for_its_own_paid_checkout(
    shop: Shop,
) -> None:
    course_id, slug = await shop.course()
    _, unpaid = await shop.buy(slug, email="someone.else@example.org")
    _, paid = await shop.buy(slug)
    link = await shop.access_link(await shop.pay(paid))

    waiting = await shop.http.get(f"/courses/{slug}/checkout/return?session={unpaid}")
    assert waiting.status_code == 200 and "/learn/access" not in waiting.text
    assert waiting.headers["cache-control"] == "no-store"
    assert waiting.headers["referrer-policy"] == "no-referrer"
    for query in ("", "?session=", "?session=cs_test_guessed", f"?session={paid}x"):
        response = await shop.http.get(f"/courses/{slug}/checkout/return{query}")
        assert response.status_code == 404, query
        assert "/learn/access" not in response.text
    token = re.sub(r".*token=", "", link)
    async with httpx.AsyncClient(base_url=shop.base) as stranger:
        forged = await stranger.get(f"/learn/access?token={token[:-2]}xx")
        assert forged.status_code == 403 and "set-cookie" not in forged.headers
        assert (await stranger.get("/learn/access")).status_code == 403
        assert (await stranger.get(f"/learn/{slug}")).status_code == 403
        behind_https = await stranger.get(link, headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in behind_https.headers["set-cookie"]
    assert (await shop.grants(course_id))["total"] == 1


@SQLITE_ONLY
async def test_the_access_cookie_of_one_course_does_not_open_another(shop: Shop) -> None:
    _, bought = await shop.course()
    other_id, other = await shop.course()
    _, session_id = await shop.buy(bought)
    link = await shop.access_link(await shop.pay(session_id))
    async with httpx.AsyncClient(base_url=shop.base) as learner:
        await learner.get(link)
        assert (await learner.get(f"/learn/{bought}")).status_code == 200
        assert (await learner.get(f"/learn/{other}")).status_code == 403
        assert (await learner.get(f"/staging/{other_id}/index.html")).status_code == 401


@SQLITE_ONLY
async def test_the_operator_api_is_scoped_to_the_tenant_and_refunds_need_an_editor(
    shop: Shop,
) -> None:
    course_id, slug = await shop.course()
    _, session_id = await shop.buy(slug)
    payment_id = (await shop.payment(session_id))["id"]
    pending = await shop.http.post(f"/api/payments/{payment_id}/refund", headers=shop.editor)
    assert pending.status_code == 409
    await shop.access_link(await shop.pay(session_id))

    other = await open_shop(shop.platform, shop.base, name="globex")
    async with other.http:
        assert (
            await other.http.get(f"/api/payments/{payment_id}", headers=other.auth)
        ).status_code == 404
        refund = await other.http.post(f"/api/payments/{payment_id}/refund", headers=other.auth)
        assert refund.status_code == 404
        assert (await other.http.get("/api/payments", headers=other.auth)).json()["total"] == 0
        grants = await other.http.get(f"/api/courses/{course_id}/access-grants", headers=other.auth)
        assert grants.status_code == 404

    viewer = await shop.http.post(f"/api/payments/{payment_id}/refund", headers=shop.viewer)
    assert viewer.status_code == 403
    listed = await shop.http.get(
        f"/api/payments?course_id={course_id}&status=paid", headers=shop.viewer
    )
    assert [p["id"] for p in listed.json()["items"]] == [payment_id]
    assert (await shop.http.get("/api/payments?status=refunded", headers=shop.viewer)).json()[
        "total"
    ] == 0
    bad = await shop.http.get("/api/payments?status=lost", headers=shop.viewer)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.status"
    negative = await shop.http.post(
        f"/api/payments/{payment_id}/refund", json={"amount_minor": 0}, headers=shop.editor
    )
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "body.amount_minor"
    detail = await shop.http.get(f"/api/payments/{payment_id}", headers=shop.viewer)
    assert [e["type"] for e in detail.json()["events"]] == ["checkout.session.completed"]
    grants = (await shop.grants(course_id))["grants"]
    assert set(grants[0]) == {
        "id",
        "buyer_id",
        "payment_id",
        "granted_at",
        "revoked_at",
        "revoke_reason",
    }


@pytest.mark.parametrize("shop_setup", ["sqlite-sql"], indirect=True)
async def test_with_a_stripe_key_the_built_in_test_provider_is_gone(
    shop_settings: dict[str, Any],
) -> None:
    async with served({**shop_settings, "payments_stripe_api_key": "sk_test_configured"}) as (
        platform,
        base,
    ):
        assert platform.deps_of(PAYMENTS).test_provider is None
        async with httpx.AsyncClient(base_url=base) as http:
            page = await http.get("/payments/test-provider/checkout/cs_test_x")
            assert page.status_code == 404
            api = await http.get("/payments/test-provider/v1/events")
            assert api.status_code == 404


@SQLITE_ONLY
async def test_the_test_provider_answers_the_official_stripe_package_as_stripe_would(
    shop: Shop,
) -> None:
    http = stripe.HTTPXClient()
    client = stripe.StripeClient(
        shop.provider.api_key,
        base_addresses={"api": f"{shop.base}/payments/test-provider"},
        http_client=http,
    )
    try:
        params: Any = {
            "mode": "payment",
            "client_reference_id": "ref-1",
            "line_items": [
                {
                    "quantity": 2,
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": 450,
                        "product_data": {"name": "Two seats"},
                    },
                }
            ],
            "success_url": f"{shop.base}/done?session={{CHECKOUT_SESSION_ID}}",
            "cancel_url": f"{shop.base}/courses",
        }
        created = await client.v1.checkout.sessions.create_async(
            params, {"idempotency_key": "same-intent"}
        )
        assert (created.amount_total, created.status, created.url) == (
            900,
            "open",
            f"{shop.base}/payments/test-provider/checkout/{created.id}",
        )
        replayed = await client.v1.checkout.sessions.create_async(
            params, {"idempotency_key": "same-intent"}
        )
        assert replayed.id == created.id, "one session per idempotency key"
        retrieved = await client.v1.checkout.sessions.retrieve_async(created.id)
        assert retrieved.client_reference_id == "ref-1"
        expired = await client.v1.checkout.sessions.expire_async(created.id)
        assert expired.status == "expired"
        with pytest.raises(stripe.InvalidRequestError) as refused:
            await client.v1.refunds.create_async({"payment_intent": "pi_unknown"})
        assert refused.value.http_status == 404 and refused.value.param == "payment_intent"
        with pytest.raises(stripe.InvalidRequestError) as bad:
            await client.v1.checkout.sessions.create_async({**params, "mode": "subscription"})
        assert bad.value.param == "mode"
        events = await client.v1.events.list_async({"types": ["checkout.session.expired"]})
        assert [e.data.object.id for e in events.data] == [created.id]
        stranger = stripe.StripeClient(
            "sk_test_wrong",
            base_addresses={"api": f"{shop.base}/payments/test-provider"},
            http_client=http,
        )
        with pytest.raises(stripe.AuthenticationError):
            await stranger.v1.events.list_async()
    finally:
        await http.close_async()
