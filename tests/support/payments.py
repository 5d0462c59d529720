"""Payments test support: the platform served over real HTTP on a loopback port (uvicorn in the
test's event loop), so the built-in test provider is a real server the `StripeAdapter` reaches
through the official `stripe` package, and its signed webhooks arrive over HTTP. The event relay
and the consumers run beside it; no Temporal worker is needed (no generation runs).

A course with lessons and a quiz is written straight into course_factory's tables; its
distribution is created, priced and published through the distribution API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from brain.bootstrap import Platform, build_platform, create_app
from brain.course_factory.models import (
    Course,
    CourseModule,
    GenerationStatus,
    Lesson,
    Quiz,
    QuizQuestion,
    WorkflowState,
)
from brain.events.models import EventRecord
from brain.payments.models import ProviderEvent
from brain.payments.module import MODULE as PAYMENTS
from brain.payments.test_provider import TestProvider, sign
from tests.support.events import Setup, require_setup, stream_settings

T = TypeVar("T")
BUYER = "ada.lovelace+course@example.org"
WEBHOOK = "/api/payments/webhooks/stripe"
LESSON_MARKER = "The secret of compound interest"
SEO = {
    "meta_title": "Money basics for everyone",
    "meta_description": "Learn how budgets, savings and interest work, step by step, with a quiz.",
}
CTA = {"label": "Start the course", "action": "open_course"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class QuietServer(uvicorn.Server):
    """uvicorn without its signal handlers: the test process keeps its own."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Shop:
    """A served platform, its test provider, an HTTP client and a tenant with keys."""

    platform: Platform
    base: str
    http: httpx.AsyncClient
    provider: TestProvider
    auth: dict[str, str]
    editor: dict[str, str]
    viewer: dict[str, str]
    tenant_id: uuid.UUID

    async def course(
        self, *, price: int | None = 1900, currency: str = "EUR", visibility: str = "PUBLIC"
    ) -> tuple[uuid.UUID, str]:
        """A course with two lessons and a quiz, and its published (priced) distribution."""
        course_id = await add_course(self.platform, self.tenant_id)
        created = await self.http.post(
            "/api/distributions/create",
            json={
                "course_id": str(course_id),
                "title": "Money basics",
                "description": "Budgets, savings and interest.",
                "language": "en",
                "target_group": ["private_individuals"],
                "seo": SEO,
                "cta": CTA,
                **({"price": {"amount_minor": price, "currency": currency}} if price else {}),
            },
            headers=self.auth,
        )
        assert created.status_code == 201, created.text
        distribution = created.json()
        published = await self.http.post(
            f"/api/distributions/{distribution['id']}/publish",
            json={"visibility": visibility},
            headers=self.auth,
        )
        assert published.status_code == 200, published.text
        return course_id, distribution["slug"]

    async def buy(self, slug: str, email: str = BUYER) -> tuple[str, str]:
        """Post the course page's buy form; the provider's checkout URL and session id."""
        response = await self.http.post(f"/courses/{slug}/checkout", data={"email": email})
        assert response.status_code == 303, response.text
        url = response.headers["location"]
        assert url.startswith(f"{self.base}/payments/test-provider/checkout/cs_test_"), url
        return url, url.rsplit("/", 1)[1]

    async def pay(self, session_id: str, method: str = "card") -> str:
        """Press "pay" on the provider's page; where it sends the buyer back to."""
        page = await self.http.get(f"/payments/test-provider/checkout/{session_id}")
        assert page.status_code == 200 and "Pay 19.00 EUR" in page.text, page.text
        paid = await self.http.post(
            f"/payments/test-provider/checkout/{session_id}/pay", data={"method": method}
        )
        assert paid.status_code == 303, paid.text
        return paid.headers["location"]

    async def payment(self, session_id: str) -> dict[str, Any]:
        """The operator API's view of the payment of a checkout session."""
        payment_id = self.provider.sessions[session_id].data["client_reference_id"]
        response = await self.http.get(f"/api/payments/{payment_id}", headers=self.viewer)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def status_becomes(self, session_id: str, status: str, within: float = 15.0) -> None:
        async def reached() -> bool:
            return (await self.payment(session_id))["status"] == status

        await eventually(reached, within)

    async def events(self, type: str) -> list[dict[str, Any]]:
        """Payloads of the platform's events of one type, in log order."""
        async with self.platform.database.read_session() as session:
            rows = await session.scalars(
                select(EventRecord).where(EventRecord.type == type).order_by(EventRecord.pk)
            )
            return [dict(row.payload) for row in rows]

    async def grants(self, course_id: uuid.UUID) -> dict[str, Any]:
        response = await self.http.get(
            f"/api/courses/{course_id}/access-grants", headers=self.viewer
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def stored_provider_events(self) -> int:
        async with self.platform.database.read_session() as session:
            return int(await session.scalar(select(func.count()).select_from(ProviderEvent)) or 0)

    async def post_webhook(self, event: dict[str, Any], **sign_options: Any) -> httpx.Response:
        """Post an event the way the provider does, signed with its secrets."""
        body = json.dumps(event, separators=(",", ":"))
        header = sign(
            body, sign_options.pop("secrets", self.provider.signing_secrets), **sign_options
        )
        return await self.http.post(
            WEBHOOK,
            content=body,
            headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        )

    async def access_link(self, return_url: str, within: float = 15.0) -> str:
        """Poll the return page until it shows the access link."""

        async def link() -> str | None:
            page = await self.http.get(return_url)
            assert page.status_code == 200, page.text
            found = re.search(r'href="([^"]*/learn/access\?token=[^"]+)"', page.text)
            return found[1].replace("&amp;", "&") if found else None

        return await eventually(link, within)


async def eventually(probe: Callable[[], Awaitable[T | None]], within: float = 15.0) -> T:
    deadline = time.monotonic() + within
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{probe} gave nothing within {within} s")
        await asyncio.sleep(0.05)


async def add_course(platform: Platform, tenant_id: uuid.UUID) -> uuid.UUID:
    async with platform.unit_of_work() as uow:
        course = Course(
            tenant_id=tenant_id,
            title="Money basics",
            description="Budgets, savings and interest.",
            language="en",
            target_audiences=["private_individuals"],
            template_id="custom",
            full_lessons_count=2,
            generate_quiz=True,
            generate_landing_page=False,
            deploy_to_staging=False,
            generation_status=GenerationStatus.COMPLETED,
            workflow_state=WorkflowState.PUBLISHED,
        )
        uow.session.add(course)
        await uow.session.flush()
        module = CourseModule(course_id=course.id, position=1, title="Saving", summary="Why.")
        uow.session.add(module)
        await uow.session.flush()
        for position, (title, markdown) in enumerate(
            [
                ("Budgets", "# Budgets\n\nA budget <b>plans</b> every euro."),
                ("Interest", f"# Interest\n\n{LESSON_MARKER}: it grows on itself."),
            ],
            start=1,
        ):
            uow.session.add(
                Lesson(
                    course_id=course.id,
                    module_id=module.id,
                    position=position,
                    module_position=position,
                    title=title,
                    summary=f"About {title.lower()}.",
                    markdown=markdown,
                    revision=1,
                )
            )
        quiz = Quiz(course_id=course.id)
        uow.session.add(quiz)
        await uow.session.flush()
        uow.session.add(
            QuizQuestion(
                quiz_id=quiz.id,
                position=1,
                question="What does interest on interest do?",
                options=["It compounds", "Nothing", "It vanishes"],
                correct_index=0,
                explanation="Interest earns interest.",
            )
        )
    return course.id


async def run_background(platform: Platform, stop: asyncio.Event) -> None:
    """The relay, the consumers and the modules' worker tasks (the mailer) — what the embedded
    worker runs, without a Temporal worker."""
    tasks = [task for _module, parts in platform.parts() for task in parts.tasks]
    await asyncio.gather(platform.events.run(stop), *(task(stop) for task in tasks))


@contextlib.asynccontextmanager
async def served(settings_values: dict[str, Any]) -> AsyncIterator[tuple[Platform, str]]:
    from tests.conftest import clear_tables, make_settings

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    values = {**settings_values, "public_base_url": base, "embedded_worker": False}
    platform = build_platform(make_settings(**values))
    await platform.events.transport.start()
    server = QuietServer(
        uvicorn.Config(
            create_app(platform),
            host="127.0.0.1",
            port=port,
            log_config=None,
            access_log=False,
            lifespan="on",
        )
    )
    serving = asyncio.create_task(server.serve())
    stop = asyncio.Event()
    background = asyncio.create_task(run_background(platform, stop))
    try:
        while not server.started:
            if serving.done():
                serving.result()
            await asyncio.sleep(0.02)
        yield platform, base
    finally:
        test_provider = platform.deps_of(PAYMENTS).test_provider
        if test_provider is not None:
            await test_provider.close()
        stop.set()
        await background
        server.should_exit = True
        await serving  # the app's lifespan closes the platform
        await clear_tables(platform.database)
        await platform.database.dispose()


PAYMENT_SETUPS = ["sqlite-sql", "postgres-sql"]


@pytest.fixture(params=PAYMENT_SETUPS)
def shop_setup(request: pytest.FixtureRequest) -> Setup:
    parsed = Setup.parse(str(request.param))
    require_setup(parsed)
    return parsed


@pytest.fixture
def shop_settings(
    shop_setup: Setup, request: pytest.FixtureRequest, tmp_path: Path
) -> dict[str, Any]:
    fixture = "migrated_sqlite" if shop_setup.dialect == "sqlite" else "migrated_postgres"
    database_url = str(request.getfixturevalue(fixture))
    stream = f"brain:test:{uuid.uuid4().hex[:10]}:events"
    return stream_settings(shop_setup, database_url, tmp_path, stream)


async def open_shop(platform: Platform, base: str, name: str = "acme") -> Shop:
    from brain.kernel.auth.models import Role
    from tests.conftest import make_tenant

    tenant = await make_tenant(platform, name)
    provider = platform.deps_of(PAYMENTS).test_provider
    assert provider is not None, "no Stripe key: the built-in test provider serves payments"
    return Shop(
        platform=platform,
        base=base,
        http=httpx.AsyncClient(base_url=base, timeout=30.0),
        provider=provider,
        auth=tenant.auth(Role.ADMIN),
        editor=tenant.auth(Role.EDITOR),
        viewer=tenant.auth(Role.VIEWER),
        tenant_id=tenant.tenant_id,
    )


@pytest.fixture
async def shop(shop_settings: dict[str, Any]) -> AsyncIterator[Shop]:
    async with served(shop_settings) as (platform, base):
        opened = await open_shop(platform, base)
        try:
            yield opened
        finally:
            await opened.http.aclose()
