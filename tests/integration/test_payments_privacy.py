"""The buyer's e-mail address stays in the payments module: it reaches the buyer's own inbox (a
real SMTP server on loopback, aiosmtpd), and no event, no log line (text and JSON formats), no
table outside the payments module and no dashboard page of any role ever holds it; `brain
payments erase-buyer` removes it there too, keeping the payments under the opaque buyer id."""

from __future__ import annotations

import asyncio
import email
import io
import json
import logging
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from typer.testing import CliRunner

from brain.bootstrap import metadata
from brain.cli import app as brain_cli
from brain.kernel.observability import JsonFormatter, configure_logging
from tests.support.dashboard import Dashboard
from tests.support.payments import BUYER, Shop, eventually, free_port, open_shop, served

# An address the provider collected itself (Stripe's `customer_details`): never kept either.
PROVIDER_COLLECTED = "grace.hopper@example.net"
SMTP_SERVER_LOGGER = "mail.log"
"""aiosmtpd's logger: the stand-in for the buyer's mail provider, not the platform."""


@dataclass
class Inbox:
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


class PlatformLogs(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith(SMTP_SERVER_LOGGER)


@pytest.fixture
def logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """Every log line of the platform at DEBUG (its most talkative level), once in each of its
    two formats."""
    text, as_json = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", text)
    configure_logging("DEBUG", "text")
    monkeypatch.undo()
    json_handler = logging.StreamHandler(as_json)
    json_handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(json_handler)
    for handler in root.handlers:
        handler.addFilter(PlatformLogs())
    yield text, as_json
    root.removeHandler(json_handler)


@pytest.fixture
async def mailing_shop(
    shop_settings: dict[str, Any], smtp: tuple[int, Inbox]
) -> AsyncIterator[Shop]:
    port, _inbox = smtp
    values = {**shop_settings, "smtp_url": f"smtp://127.0.0.1:{port}"}
    async with served(values) as (platform, base):
        shop = await open_shop(platform, base)
        async with shop.http:
            yield shop


async def dump_tables(shop: Shop) -> dict[str, str]:
    """Every table's rows as text, by table name."""
    dumped: dict[str, str] = {}
    async with shop.platform.database.read_session() as session:
        for table in metadata().sorted_tables:
            rows = (await session.execute(select(table))).all()
            dumped[table.name] = json.dumps([list(row) for row in rows], default=str).lower()
    return dumped


def outside_payments(tables: dict[str, str]) -> dict[str, str]:
    return {name: rows for name, rows in tables.items() if not name.startswith("payment")}


async def test_the_address_reaches_the_inbox_and_nothing_outside_payments(
    mailing_shop: Shop,
    smtp: tuple[int, Inbox],
    logs: tuple[io.StringIO, io.StringIO],
) -> None:
    shop, (_port, inbox) = mailing_shop, smtp
    course_id, slug = await shop.course()
    _, session_id = await shop.buy(slug, email=BUYER.upper())
    shop.provider.sessions[session_id].data["customer_details"] = {"email": PROVIDER_COLLECTED}
    back = await shop.pay(session_id)
    link = await shop.access_link(back)

    async def mailed() -> bool:
        return bool(inbox.messages)

    await eventually(mailed)
    [(recipients, message)] = inbox.messages
    assert recipients == [BUYER]
    assert message["To"] == BUYER and message["Subject"] == "Your access to Money basics"
    assert link in message.get_payload(decode=True).decode()

    async with httpx.AsyncClient(base_url=shop.base) as learner:
        assert (await learner.get(link)).status_code == 303
    payment = await shop.payment(session_id)
    refund = await shop.http.post(f"/api/payments/{payment['id']}/refund", headers=shop.editor)
    assert refund.status_code == 202

    async def revoked() -> bool:
        return (await shop.grants(course_id))["revoked"] == 1

    await eventually(revoked)
    await asyncio.sleep(0.2)  # the last consumers' log lines

    addresses = (BUYER, PROVIDER_COLLECTED)
    tables = await dump_tables(shop)
    assert "events" in tables and "course_access_grants" in tables
    for name, rows in outside_payments(tables).items():
        for address in addresses:
            assert address not in rows, f"{address} is in table {name}"
    for address in addresses:
        assert address.split("@")[0] not in tables["events"]
    assert PROVIDER_COLLECTED not in tables["payment_provider_events"]
    assert BUYER in tables["payment_buyers"], "the one place it is kept"
    text, as_json = logs[0].getvalue(), logs[1].getvalue()
    assert "webhook checkout.session.completed" in text and '"logger": ' in as_json
    assert f"access mail for payment {payment['id']} sent" in text
    for lines, kind in ((text, "text"), (as_json, "json")):
        for address in addresses:
            assert address not in lines.lower(), f"{address} is in the {kind} log"
    for response in (
        await shop.http.get(f"/api/payments/{payment['id']}", headers=shop.viewer),
        await shop.http.get("/api/payments", headers=shop.viewer),
        await shop.http.get(f"/api/courses/{course_id}/access-grants", headers=shop.viewer),
        await shop.http.get("/api/events?limit=200", headers=shop.viewer),
    ):
        assert BUYER not in response.text.lower()
    for role in (shop.viewer, shop.auth):
        async with httpx.AsyncClient(base_url=shop.base) as http:
            operator = Dashboard(http)
            key = role["Authorization"].removeprefix("Bearer ")
            assert (await operator.sign_in(key)).status_code == 303
            for path in (
                "/admin",
                "/admin/payments",
                f"/admin/payments/{payment['id']}",
                f"/admin/payments?course_id={course_id}",
            ):
                page = await operator.get(path)
                assert page.status_code == 200, path
                assert BUYER not in page.text.lower(), f"the dashboard's {path} shows it"


@pytest.mark.parametrize("shop_setup", ["sqlite-sql"], indirect=True)
async def test_erasing_a_buyer_removes_the_address_and_keeps_the_payments(shop: Shop) -> None:
    _, slug = await shop.course()
    _, first = await shop.buy(slug)
    await shop.access_link(await shop.pay(first))
    _, second = await shop.buy(slug, email=f"  {BUYER.title()} ")
    buyer_id = (await shop.payment(first))["buyer_id"]
    assert (await shop.payment(second))["buyer_id"] == buyer_id
    settings = shop.platform.settings
    env = {
        "BRAIN_DATABASE_URL": settings.resolved_database_url,
        "BRAIN_DATA_DIR": str(settings.data_dir),
        "BRAIN_PUBLIC_BASE_URL": shop.base,
    }

    def erase(address: str) -> Any:
        return CliRunner().invoke(brain_cli, ["payments", "erase-buyer", address], env=env)

    erased = await asyncio.to_thread(erase, BUYER)
    assert erased.exit_code == 0, erased.output
    assert f"buyer {buyer_id} erased; 2 payment(s) kept" in erased.output
    assert BUYER not in erased.output
    tables = await dump_tables(shop)
    for name, rows in tables.items():
        assert BUYER not in rows, f"still in {name}"
    assert (await shop.payment(first))["status"] == "paid"
    assert (await shop.payment(first))["buyer_id"] == buyer_id

    again = await asyncio.to_thread(erase, BUYER)
    assert again.exit_code == 1 and "nothing was erased" in again.output
    bad = await asyncio.to_thread(erase, "not an address")
    assert bad.exit_code == 2

    # A new purchase with the same address is a new buyer: nothing links it to the erased one.
    _, third = await shop.buy(slug)
    assert (await shop.payment(third))["buyer_id"] != buyer_id
