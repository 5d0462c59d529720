"""Buying a priced course end to end over HTTP: the course page's buy form, the test provider's
hosted checkout, its signed webhook, the access grant, the return page's link, the learner view,
a refund from the operator API, and 403 afterwards."""

from __future__ import annotations

import httpx

from tests.support.payments import LESSON_MARKER, Shop, eventually


async def test_buying_a_course_grants_the_learner_view_and_a_full_refund_revokes_it(
    shop: Shop,
) -> None:
    course_id, slug = await shop.course(price=1900)
    page = await shop.http.get(f"/courses/{slug}")
    assert f'action="/courses/{slug}/checkout"' in page.text and "19.00 EUR" in page.text

    locked = await shop.http.get(f"/learn/{slug}")
    assert locked.status_code == 403 and LESSON_MARKER not in locked.text

    checkout_url, session_id = await shop.buy(slug)
    back = await shop.pay(session_id)
    assert back == f"{shop.base}/courses/{slug}/checkout/return?session={session_id}"
    link = await shop.access_link(back)

    async with httpx.AsyncClient(base_url=shop.base) as learner:
        entered = await learner.get(link)
        assert entered.status_code == 303 and entered.headers["location"] == f"/learn/{slug}"
        cookie = entered.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
        view = await learner.get(f"/learn/{slug}")
        assert view.status_code == 200, view.text
        assert LESSON_MARKER in view.text and "What does interest on interest do?" in view.text
        assert "&lt;b&gt;plans&lt;/b&gt;" in view.text

        payments = (await shop.http.get("/api/payments", headers=shop.auth)).json()["items"]
        [payment] = payments
        assert payment["status"] == "paid"
        refund = await shop.http.post(
            f"/api/payments/{payment['id']}/refund", json={}, headers=shop.editor
        )
        assert refund.status_code == 202, refund.text

        async def revoked() -> bool:
            return (await learner.get(f"/learn/{slug}")).status_code == 403

        await eventually(revoked)
        assert (await learner.get(link)).status_code == 403
