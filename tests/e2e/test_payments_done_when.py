"""Selling a course on the embedded default, as a newcomer does it after `make run` with nothing
configured: real `brain setup` + `brain serve`, everything over HTTP.

Give a published distribution a price, open its page, buy it with an e-mail address, pay on the
built-in test provider's page, read the course in the learner view from the access link; refund it
from the API and the same link answers 403. Every step is in the event audit, with no personal
data in any payload.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from tests.e2e.test_make_run import generate_a_course, running_platform

pytestmark = pytest.mark.slow

BUYER = "linus.learner@example.org"
T = TypeVar("T")


def poll(what: str, probe: Callable[[], T | None], timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not within {timeout} s")
        time.sleep(0.2)


def test_a_course_is_bought_read_refunded_and_locked_again(tmp_path: Path) -> None:
    with running_platform(tmp_path) as served:
        base = served.base
        admin = {"Authorization": f"Bearer {served.key}"}
        course = generate_a_course(base, served.key)
        assert course["generation_status"] == "completed", course
        listed = poll(
            "the course's distribution",
            lambda: httpx.get(
                f"{base}/api/distributions", params={"course_id": course["id"]}, headers=admin
            ).json()["items"],
        )
        distribution = listed[0]
        priced = httpx.put(
            f"{base}/api/distributions/{distribution['id']}",
            json={"price": {"amount_minor": 2900, "currency": "EUR"}},
            headers=admin,
        )
        assert priced.status_code == 200, priced.text
        published = httpx.post(
            f"{base}/api/distributions/{distribution['id']}/publish", headers=admin
        )
        assert published.status_code == 200, published.text
        slug = distribution["slug"]

        page = httpx.get(f"{base}/courses/{slug}")
        assert "29.00 EUR" in page.text and f'action="/courses/{slug}/checkout"' in page.text
        assert httpx.get(f"{base}/learn/{slug}").status_code == 403
        assert httpx.get(course["staging_url"]).status_code == 401  # operators' preview

        with httpx.Client(base_url=base) as browser:
            checkout = browser.post(f"/courses/{slug}/checkout", data={"email": BUYER})
            assert checkout.status_code == 303, checkout.text
            provider_page = browser.get(checkout.headers["location"])
            assert provider_page.status_code == 200 and "Pay 29.00 EUR" in provider_page.text
            pay_path = re.search(r'action="([^"]+/pay)"', provider_page.text)
            assert pay_path is not None
            paid = browser.post(pay_path[1], data={"method": "card"})
            assert paid.status_code == 303
            return_url = paid.headers["location"]

            def link() -> str | None:
                found = re.search(
                    r'href="([^"]*/learn/access\?token=[^"]+)"', browser.get(return_url).text
                )
                return found[1] if found else None

            access_link = poll("the access link on the return page", link)
            entered = browser.get(access_link)
            assert entered.status_code == 303
            view = browser.get(entered.headers["location"])
            assert view.status_code == 200, view.text
            assert course["title"] in view.text and 'id="quiz"' in view.text
            staged = browser.get(course["staging_url"])
            assert staged.status_code == 401, "a grant opens the learner view, not the preview"

            payments = httpx.get(f"{base}/api/payments", headers=admin).json()["items"]
            [payment] = payments
            assert payment["status"] == "paid"
            refund = httpx.post(f"{base}/api/payments/{payment['id']}/refund", headers=admin)
            assert refund.status_code == 202, refund.text
            poll(
                "the refund locking the course",
                lambda: browser.get(f"/learn/{slug}").status_code == 403,
            )
            assert browser.get(access_link).status_code == 403

        audit = httpx.get(f"{base}/api/events", params={"limit": 500}, headers=admin).json()
        events = audit["items"] if isinstance(audit, dict) else audit
        types = [e["type"] for e in events]
        for expected in (
            "course.payment.required",
            "course.payment.completed",
            "course.access.granted",
            "course.payment.refunded",
            "course.access.revoked",
        ):
            assert types.count(expected) == 1, (expected, types)
        assert BUYER not in json.dumps(events)

    with sqlite3.connect(tmp_path / "var" / "brain.db") as db:
        payloads = " ".join(row[0] for row in db.execute("SELECT payload FROM events"))
        assert BUYER not in payloads and "linus" not in payloads
    assert BUYER not in served.output
