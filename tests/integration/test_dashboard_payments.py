"""The dashboard's payment pages through the payments module's operator contract, against a real
server and the built-in test provider (its refund webhooks arrive over HTTP): payments with their
status and no e-mail address for any role, a refund in part and in full with the API's messages
for a bad amount, the course's access grants revoked by the full refund; a viewer sees no refund
button and a forged one is refused; another tenant's payment answers 404; a refund form without
its CSRF token changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx

from brain.kernel.auth.models import Role
from tests.conftest import make_tenant
from tests.support.dashboard import Dashboard, flash, post_forms, text_of
from tests.support.payments import BUYER, Shop, eventually


def key_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def browser(shop: Shop, key: str) -> AsyncIterator[Dashboard]:
    async with httpx.AsyncClient(base_url=shop.base, timeout=30.0) as http:
        signed = Dashboard(http)
        assert (await signed.sign_in(key)).status_code == 303
        yield signed


async def paid_payment(shop: Shop) -> tuple[uuid.UUID, str]:
    course_id, slug = await shop.course()
    _, session_id = await shop.buy(slug)
    await shop.access_link(await shop.pay(session_id))
    await shop.status_becomes(session_id, "paid")
    return course_id, str((await shop.payment(session_id))["id"])


async def followed(signed: Dashboard, response: httpx.Response) -> httpx.Response:
    assert response.status_code == 303, response.text
    return await signed.get(response.headers["location"])


async def test_an_editor_refunds_in_part_then_in_full_and_the_grant_is_revoked(shop: Shop) -> None:
    course_id, payment_id = await paid_payment(shop)
    async for editor in browser(shop, key_of(shop.editor)):
        listing = await editor.get("/admin/payments")
        assert listing.status_code == 200
        assert f"/admin/payments/{payment_id}" in listing.text and "19.00" in listing.text
        page = await editor.get(f"/admin/payments/{payment_id}")
        refund = f"/admin/payments/{payment_id}/refund"
        assert refund in post_forms(page.text)
        assert "checkout.session.completed" in page.text

        bad = await followed(editor, await editor.post(refund, {"amount": "a lot"}))
        assert flash(bad.text) == "amount: an amount with at most two decimals, e.g. 9.50"
        too_much = await followed(editor, await editor.post(refund, {"amount": "25"}))
        assert (
            flash(too_much.text) == "amount_minor: at most 1900 is left to refund on this payment"
        )

        part = await followed(editor, await editor.post(refund, {"amount": "5.00"}))
        assert flash(part.text) == "Refund requested; the provider confirms it."
        await shop_status(shop, payment_id, "partially_refunded")
        rest = await followed(editor, await editor.post(refund, {"amount": ""}))
        assert flash(rest.text) == "Refund requested; the provider confirms it."
        await shop_status(shop, payment_id, "refunded")

        refunded = await editor.get(f"/admin/payments/{payment_id}")
        assert refund not in post_forms(refunded.text), "nothing is left to refund"
        assert "Refunded 19.00" in text_of(refunded.text).replace("€", "").replace("EUR", "")

        async def revoked() -> bool:
            return bool((await shop.grants(course_id))["revoked"] == 1)

        await eventually(revoked)
        grants = await editor.get(f"/admin/payments?course_id={course_id}")
        assert "active: 0 · revoked: 1" in text_of(grants.text)
        filtered = await editor.get("/admin/payments?status=paid")
        assert f"/admin/payments/{payment_id}" not in filtered.text
        unknown = await editor.get("/admin/payments?status=lost")
        assert unknown.status_code == 422 and "must be one of pending" in unknown.text
        for path in ("/admin", "/admin/payments", f"/admin/payments/{payment_id}", grants.url.path):
            assert BUYER not in (await editor.get(str(path))).text.lower()


async def shop_status(shop: Shop, payment_id: str, status: str) -> None:
    async def reached() -> bool:
        answer = await shop.http.get(f"/api/payments/{payment_id}", headers=shop.viewer)
        return bool(answer.json()["status"] == status)

    await eventually(reached)


async def test_a_viewer_sees_no_refund_button_and_forged_or_tokenless_refunds_change_nothing(
    shop: Shop,
) -> None:
    _, payment_id = await paid_payment(shop)
    refund = f"/admin/payments/{payment_id}/refund"
    async for viewer in browser(shop, key_of(shop.viewer)):
        for path in ("/admin/payments", f"/admin/payments/{payment_id}"):
            page = await viewer.get(path)
            assert page.status_code == 200
            assert post_forms(page.text) == ["/admin/logout"], path
            assert BUYER not in page.text.lower()
        forged = await viewer.post(refund, {"amount": "1"})
        assert forged.status_code == 403 and "may not do this" in forged.text
    async for editor in browser(shop, key_of(shop.editor)):
        await editor.get(f"/admin/payments/{payment_id}")
        tokenless = await editor.post(refund, {"amount": "1", "csrf_token": "x"})
        assert tokenless.status_code == 403 and "This form has expired" in tokenless.text
    answer = await shop.http.get(f"/api/payments/{payment_id}", headers=shop.viewer)
    assert answer.json()["status"] == "paid" and answer.json()["refunded_minor"] == 0
    assert [e["type"] for e in answer.json()["events"]] == ["checkout.session.completed"]


async def test_a_refund_the_payment_cannot_take_is_refused_in_a_flash(shop: Shop) -> None:
    _, slug = await shop.course()
    _, session_id = await shop.buy(slug)
    pending = shop.provider.sessions[session_id].data["client_reference_id"]
    async for editor in browser(shop, key_of(shop.editor)):
        page = await editor.get(f"/admin/payments/{pending}")
        assert "pending" in page.text
        assert f"/admin/payments/{pending}/refund" not in post_forms(page.text)
        refused = await followed(editor, await editor.post(f"/admin/payments/{pending}/refund"))
        assert flash(refused.text) == "a pending payment cannot be refunded"
    answer = await shop.http.get(f"/api/payments/{pending}", headers=shop.viewer)
    assert answer.json()["status"] == "pending"


async def test_another_tenants_payment_answers_404(shop: Shop) -> None:
    _, payment_id = await paid_payment(shop)
    other = await make_tenant(shop.platform, f"p-{uuid.uuid4().hex[:12]}")
    async for editor in browser(shop, other.keys[Role.EDITOR]):
        assert (await editor.get(f"/admin/payments/{payment_id}")).status_code == 404
        refused = await editor.post(f"/admin/payments/{payment_id}/refund", {"amount": "1"})
        assert refused.status_code == 404
        assert payment_id not in (await editor.get("/admin/payments")).text
    answer = await shop.http.get(f"/api/payments/{payment_id}", headers=shop.viewer)
    assert answer.json()["refunded_minor"] == 0
