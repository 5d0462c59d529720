"""The dashboard's benchmark: the server time of every dashboard page with 1,000 courses in the
tenant, against the same app's `GET /health` (its middleware around a constant answer).

The platform is the embedded default (SQLite under a temporary directory, the SQL event log, no
worker), and PostgreSQL as well when `BRAIN_BENCH_POSTGRES_URL` answers (a database
`brain_bench_<random>` made and dropped). One tenant gets 1,000 courses requested through the
course factory's service, spread over every generation status and workflow state (their rows are
moved there directly, as a generation would), 3 of them generated in full by the template
generator, 50 pending approval requests, a distribution for every course (300 of them PUBLIC), a
few dead letters, the generated courses' content trees with an example assigned, 200 releases
and 2,000 payments of 700 buyers in every status with their provider events and access grants
(these last rows written directly, as the Temporal worker and the provider's webhooks would);
the event log holds what the services published (some 3,500 events).

Each page is requested through the app in this process (httpx's ASGI transport, signed in with
the tenant's admin key through the sign-in form). Server time is measured around the app itself:
from the call of the ASGI app to its last body message, so no socket and no client is in it. Per
page: warm-up requests, then a fixed number of samples, in an order rotated from round to round;
median and 95th percentile, and the SQL statements one request runs. Aim: every page's median
under 100 ms.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event, func, select, update
from sqlalchemy.engine import Engine

from bench.distribution import describe
from bench.events import RESULTS, background_load, median, percentile, progress
from brain.bootstrap import Platform, build_platform, create_app, load_platform_settings
from brain.course_content.models import ContentRelease, ContentReleaseItem
from brain.course_content.module import MODULE as CONTENT
from brain.course_content.packages import PackageFile
from brain.course_content.packages import build as build_package
from brain.course_content.schemas import AssignExample
from brain.course_distribution.models import Distribution
from brain.course_distribution.schemas import CourseCTA, CourseSEO, DistributionCreate
from brain.course_distribution.service import DistributionService
from brain.course_factory.models import AccessGrant, Course, Lesson, WorkflowState
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.schemas import GenerateRequest
from brain.events.models import EventRecord
from brain.kernel import migrations
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService, Principal
from brain.kernel.clock import utcnow
from brain.kernel.config import Settings
from brain.kernel.contracts import CourseOutlineReader
from brain.payments.models import Buyer, Payment, ProviderEvent

COURSES = 1000
GENERATED = 3
PENDING_APPROVALS = 50
PUBLIC = 300
DEAD_LETTERS = 10
RELEASES = 200
PAYMENTS = 2000
BUYERS = 700
EXAMPLE_FILES = {
    "meta.yaml": b"title: FizzBuzz\ndescription: Print the numbers with a twist.\n"
    b"student_submission_files: [fizzbuzz.py]\ntest_files: [tests/test_fizzbuzz.py]\n"
    b"solution_files: [solution/fizzbuzz.py]\n",
    "content/index.md": b"# FizzBuzz\n",
    "studentTemplates/fizzbuzz.py": b"def fizzbuzz(n):\n    ...\n",
    "tests/test_fizzbuzz.py": b"def test_it(): assert True\n",
    "solution/fizzbuzz.py": b"def fizzbuzz(n): return n\n",
}
PER_UNIT_OF_WORK = 100
AIM_MS = 100.0
POSTGRES_URL = os.environ.get(
    "BRAIN_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SPREAD = [  # (generation status, workflow state, share of the courses)
    ("completed", "REVIEW", 0.30),
    ("completed", "PUBLISHED", 0.25),
    ("completed", "PUBLISH_READY", 0.10),
    ("completed", "ARCHIVED", 0.05),
    ("completed", "DRAFT", 0.05),
    ("failed", "DRAFT", 0.10),
    ("running", "DRAFT", 0.05),
    ("cancelled", "DRAFT", 0.05),
    ("queued", "DRAFT", 0.05),
]


@dataclass(frozen=True)
class Config:
    rounds: int
    samples: int
    """Per page and round."""
    warmup: int


FULL = Config(rounds=5, samples=20, warmup=5)
QUICK = Config(rounds=2, samples=8, warmup=2)


@dataclass(frozen=True)
class Seeded:
    admin_key: str
    course_id: uuid.UUID
    lesson_id: uuid.UUID
    distribution_id: uuid.UUID
    event_id: uuid.UUID
    content_id: uuid.UUID
    """An assignment of `course_id` with an example assigned."""
    run_id: str
    """A release of `course_id`."""
    payment_id: uuid.UUID


# -- the data ---------------------------------------------------------------------------------


def settings_for(data_dir: Path, database_url: str = "") -> Settings:
    return load_platform_settings(
        _env_file=None,
        data_dir=data_dir,
        database_url=database_url,
        event_transport="sql",
        embedded_worker=False,
        log_level="WARNING",
    )


def generate_request(n: int) -> GenerateRequest:
    return GenerateRequest.model_validate(
        {
            "title": f"Course number {n}: money matters step by step",
            "description": "A course made by the dashboard benchmark.",
            "language": ["de", "en", "fr", "es"][n % 4],
            "target_audiences": [["employees"], ["students"], ["retirees", "employees"]][n % 3],
            "template_id": "banking_alternatives",
            "full_lessons_count": 2,
        }
    )


def distribution_body(course_id: uuid.UUID, n: int) -> DistributionCreate:
    return DistributionCreate(
        course_id=course_id,
        title=f"Course number {n}: money matters step by step",
        language="en",
        target_group=["employees"],
        seo=CourseSEO(
            meta_title=f"Money matters, course {n}",
            meta_description="Which alternatives to a classic bank account exist, and for whom "
            "each one fits best.",
            keywords=["money", "banks"],
        ),
        cta=CourseCTA(label="Start the course", action="open_course"),
    )


async def seed(platform: Platform) -> Seeded:
    async with platform.unit_of_work() as uow:
        auth = AuthService(uow.session)
        tenant = await auth.create_tenant("bench")
        admin = await auth.issue_key(tenant, Role.ADMIN, "bench admin")
        editor = await auth.issue_key(tenant, Role.EDITOR, "bench editor")
    principal = Principal(tenant.id, editor.key.id, Role.EDITOR)
    factory = platform.deps_of(FACTORY)
    ids: list[uuid.UUID] = []
    for start in range(0, COURSES, PER_UNIT_OF_WORK):
        async with platform.unit_of_work() as uow:
            service = factory.service(uow)
            for n in range(start, min(start + PER_UNIT_OF_WORK, COURSES)):
                ids.append((await service.request_generation(principal, generate_request(n))).id)
    steps = factory.steps
    for course_id in ids[:GENERATED]:
        started = time.monotonic()
        await steps.begin(course_id)
        outline = await steps.create_outline(course_id)
        for position in outline.lessons_to_generate:
            await steps.generate_lesson(course_id, position)
        await steps.create_quiz(course_id)
        await steps.create_landing_page(course_id)
        await steps.deploy_staging(course_id)
        await steps.build_evidence_pack(course_id)
        await steps.complete(course_id, time.monotonic() - started)
    rest, offset = ids[GENERATED:], 0
    async with platform.unit_of_work() as uow:
        for status, state, share in SPREAD:
            chosen = rest[offset : offset + round(share * len(rest))]
            offset += len(chosen)
            for chunk in range(0, len(chosen), 500):
                await uow.session.execute(
                    update(Course)
                    .where(Course.id.in_(chosen[chunk : chunk + 500]))
                    .values(generation_status=status, workflow_state=state)
                )
    async with platform.unit_of_work() as uow:
        service = factory.service(uow)
        reviewed = await uow.session.scalars(
            select(Course.id)
            .where(Course.tenant_id == tenant.id, Course.workflow_state == "REVIEW")
            .limit(PENDING_APPROVALS)
        )
        for course_id in list(reviewed):
            await service.transition(
                principal, course_id, WorkflowState.PUBLISH_READY, "please review"
            )
    distributions: list[uuid.UUID] = []
    for start in range(0, COURSES, PER_UNIT_OF_WORK):
        async with platform.unit_of_work() as uow:
            service = DistributionService(uow, platform.events.publisher)
            for n in range(start, min(start + PER_UNIT_OF_WORK, COURSES)):
                made = await service.create(tenant.id, distribution_body(ids[n], n))
                if n < PUBLIC:
                    await service.publish_distribution(made, "PUBLIC")
                distributions.append(made.id)
    await dead_letters(platform, tenant.id)
    async with platform.database.read_session() as session:
        lesson_id = await session.scalar(
            select(Lesson.id).where(Lesson.course_id == ids[0], Lesson.markdown.is_not(None))
        )
        event_id = await session.scalar(
            select(EventRecord.id).where(EventRecord.aggregate_id == str(ids[0])).limit(1)
        )
        assert await session.scalar(select(Distribution.id).limit(1)) is not None
    assert lesson_id is not None and event_id is not None
    principal = Principal(tenant.id, admin.key.id, Role.ADMIN)
    content_id, run_id = await content(platform, principal, ids)
    payment_id = await payments(platform, tenant.id, ids, distributions)
    return Seeded(
        admin.plaintext,
        ids[0],
        lesson_id,
        distributions[0],
        event_id,
        content_id,
        run_id,
        payment_id,
    )


async def content(
    platform: Platform, principal: Principal, ids: Sequence[uuid.UUID]
) -> tuple[uuid.UUID, str]:
    """The content trees of the generated courses (as the content consumer builds them), an
    example with two versions for each of the first course's exercises (v1 assigned), and
    `RELEASES` release rows over as many courses (every fifth failed), with their items: what a
    Temporal worker would have written."""
    deps = platform.deps_of(CONTENT)
    outlines = platform.contracts.get(CourseOutlineReader)
    files = [PackageFile(path, data) for path, data in EXAMPLE_FILES.items()]
    package = build_package(files)
    async with platform.unit_of_work() as uow:
        for course_id in ids[:GENERATED]:
            outline = await outlines.outline(course_id)
            assert outline is not None
            await deps.content(uow).build_from_outline(outline)
        examples = deps.examples(uow)
        tree = await deps.content(uow).subtree(principal, ids[0], None)
        exercises = [c for c in tree if c.kind_id == "assignment"]
        assigned: dict[uuid.UUID, uuid.UUID] = {}
        for n, exercise in enumerate(exercises):
            example = await examples.ensure(principal, f"python.task{n}", package)
            first = await examples.add_version(principal, example, package, "v1")
            await examples.add_version(principal, example, package, "v2")
            await deps.deployments(uow).assign(
                principal, exercise.id, AssignExample(example_version_id=first.id)
            )
            assigned[exercise.id] = first.id
    now = utcnow()
    rows: list[Any] = []
    run_id = ""
    for n, course_id in enumerate([ids[0], *ids[GENERATED : GENERATED + RELEASES - 1]]):
        failed = n % 5 == 4
        release = ContentRelease(
            id=uuid.uuid4(),
            tenant_id=principal.tenant_id,
            course_id=course_id,
            workflow_id=f"release-{course_id}",
            run_id=uuid.uuid4().hex,
            status="failed" if failed else "completed",
            mode={"all_pending": True},
            requested_by=str(principal.api_key_id),
            commit_sha=None if failed else uuid.uuid4().hex + "00000000",
            deployed_count=0 if failed else 1,
            failed_count=1 if failed else 0,
            error="GitError: the repository refused the push" if failed else None,
            created_at=now - timedelta(minutes=n),
            started_at=now - timedelta(minutes=n),
            finished_at=now - timedelta(minutes=n) + timedelta(seconds=3),
        )
        rows.append(release)
        if n == 0:
            run_id = release.run_id
            rows += [
                ContentReleaseItem(
                    release_id=release.id,
                    deployment_id=uuid.uuid4(),
                    course_content_id=exercise.id,
                    path=exercise.path,
                    example_version_id=assigned[exercise.id],
                    version_tag="v1",
                    outcome="deployed",
                )
                for exercise in exercises
            ]
    async with platform.unit_of_work() as uow:
        uow.session.add_all(rows)
    return exercises[0].id, run_id


async def payments(
    platform: Platform,
    tenant_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    distributions: Sequence[uuid.UUID],
) -> uuid.UUID:
    """`PAYMENTS` payments of `BUYERS` buyers over the courses, in every status, a fifth of them
    paid today; each with its provider event; the first course's paid ones with access grants:
    what the provider's webhooks would have written."""
    now = utcnow()
    statuses = ["paid", "paid", "refunded", "partially_refunded", "pending", "failed", "expired"]
    buyers = [Buyer(id=uuid.uuid4(), email=f"buyer{n}@example.org") for n in range(BUYERS)]
    rows: list[Any] = []
    events: list[Any] = []
    grants: list[Any] = []
    for n in range(PAYMENTS):
        status = statuses[n % len(statuses)]
        course = n % 50
        settled = status in ("paid", "refunded", "partially_refunded")
        at = now - timedelta(hours=1 if n % 5 == 0 else 30 + n)
        payment = Payment(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            course_id=ids[course],
            distribution_id=distributions[course],
            buyer_id=buyers[n % BUYERS].id,
            amount_minor=1900,
            currency="EUR",
            status=status,
            provider="stripe",
            provider_session_id=f"cs_bench_{n}",
            provider_payment_intent=f"pi_bench_{n}" if settled else None,
            refunded_minor={"refunded": 1900, "partially_refunded": 500}.get(status, 0),
            created_at=at,
            paid_at=at if settled else None,
            updated_at=at,
        )
        rows.append(payment)
        events.append(
            ProviderEvent(
                provider="stripe",
                provider_event_id=f"evt_bench_{n}",
                type="checkout.session.completed",
                payment_id=payment.id,
                payment_intent=payment.provider_payment_intent,
                created=at,
                received_at=at,
                received_via="webhook",
                outcome="applied",
                data={},
            )
        )
        if course == 0 and settled:
            grants.append(
                AccessGrant(
                    tenant_id=tenant_id,
                    course_id=ids[0],
                    buyer_id=payment.buyer_id,
                    payment_id=payment.id,
                    token_digest=uuid.uuid4().hex + uuid.uuid4().hex,
                    granted_at=at,
                    revoked_at=now if status == "refunded" else None,
                )
            )
    async with platform.unit_of_work() as uow:
        uow.session.add_all(buyers)
        await uow.session.flush()
        uow.session.add_all(rows)
        await uow.session.flush()
        uow.session.add_all([*events, *grants])
    return rows[0].id


async def dead_letters(platform: Platform, tenant_id: uuid.UUID) -> None:
    """Events the distribution consumer refuses for good (a payload broken after it was logged)."""
    subscriber = platform.events.registry.get("distribution_consumer")
    logging.getLogger("brain").setLevel(logging.ERROR)  # each dead letter is logged: expected here
    for _ in range(DEAD_LETTERS):
        async with platform.unit_of_work() as uow:
            published = await platform.events.publisher.publish(
                uow,
                "course.deployed.staging",
                {
                    "course_id": str(uuid.uuid4()),
                    "staging_url": "https://staging.example.com/x/",
                    "staging_domain": "staging.example.com",
                    "deployed_at": "2026-01-01T00:00:00Z",
                },
                tenant_id=tenant_id,
            )
        async with platform.database.sessionmaker() as session, session.begin():
            await session.execute(
                update(EventRecord).where(EventRecord.id == published.id).values(payload={})
            )
        broken = await platform.events.operations.get_event(published.id, tenant_id=tenant_id)
        await platform.events.runtime.deliver_now(subscriber, [broken], "bench")


# -- measuring --------------------------------------------------------------------------------


class Timed:
    """The app, timed from its call to its last body message (the server's time)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last_ms = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()

        async def timed_send(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.last_ms = (time.perf_counter() - started) * 1000

        await self.app(scope, receive, timed_send)


class Statements:
    def __init__(self, engines: Sequence[Engine]) -> None:
        self.count = 0
        for engine in engines:
            event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


@dataclass(frozen=True)
class PageTarget:
    name: str
    path: Callable[[Seeded], str]


PAGES = [
    PageTarget("GET /health (baseline)", lambda s: "/health"),
    PageTarget("overview", lambda s: "/admin"),
    PageTarget("courses, page 1", lambda s: "/admin/courses"),
    PageTarget("courses, page 20", lambda s: "/admin/courses?offset=475"),
    PageTarget("courses in REVIEW", lambda s: "/admin/courses?workflow_state=REVIEW"),
    PageTarget("new course form", lambda s: "/admin/courses/new"),
    PageTarget("a generated course", lambda s: f"/admin/courses/{s.course_id}"),
    PageTarget("a lesson", lambda s: f"/admin/courses/{s.course_id}/lessons/{s.lesson_id}"),
    PageTarget("approvals (50 pending)", lambda s: "/admin/approvals"),
    PageTarget("distributions, page 1", lambda s: "/admin/distributions"),
    PageTarget("distributions PUBLIC", lambda s: "/admin/distributions?visibility=PUBLIC"),
    PageTarget("a distribution", lambda s: f"/admin/distributions/{s.distribution_id}"),
    PageTarget("events, first 50", lambda s: "/admin/events"),
    PageTarget("events of a course", lambda s: f"/admin/events?aggregate_id={s.course_id}"),
    PageTarget("events of a type", lambda s: "/admin/events?type=distribution.*"),
    PageTarget("an event", lambda s: f"/admin/events/{s.event_id}"),
    PageTarget("dead letters", lambda s: "/admin/events/dead-letters"),
    PageTarget("API keys", lambda s: "/admin/keys"),
    PageTarget("content, no course chosen", lambda s: "/admin/content"),
    PageTarget("content of a course", lambda s: f"/admin/content?course_id={s.course_id}"),
    PageTarget(
        "a deployment's history",
        lambda s: f"/admin/content/{s.content_id}/history?course_id={s.course_id}",
    ),
    PageTarget(
        "a release", lambda s: f"/admin/content/releases/{s.run_id}?course_id={s.course_id}"
    ),
    PageTarget("payments, page 1", lambda s: "/admin/payments"),
    PageTarget("payments, page 20", lambda s: "/admin/payments?offset=475"),
    PageTarget("payments refunded", lambda s: "/admin/payments?status=refunded"),
    PageTarget("a course's payments+grants", lambda s: f"/admin/payments?course_id={s.course_id}"),
    PageTarget("a payment", lambda s: f"/admin/payments/{s.payment_id}"),
    PageTarget("webhook endpoints", lambda s: "/admin/webhooks"),
]


async def sign_in(client: httpx.AsyncClient, key: str) -> None:
    page = await client.get("/admin/login")
    token = CSRF.search(page.text)
    assert token is not None
    answer = await client.post("/admin/login", data={"api_key": key, "csrf_token": token[1]})
    assert answer.status_code == 303, answer.text


async def measure(platform: Platform, seeded: Seeded, config: Config) -> dict[str, Any]:
    timed = Timed(create_app(platform))
    engines = {platform.database.engine.sync_engine, platform.database.read_engine.sync_engine}
    statements = Statements(list(engines))
    samples: dict[str, list[float]] = {page.name: [] for page in PAGES}
    queries: dict[str, int] = {}
    transport = httpx.ASGITransport(app=timed)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await sign_in(client, seeded.admin_key)
        for page in PAGES:
            for _ in range(config.warmup):
                answer = await client.get(page.path(seeded))
                assert answer.status_code == 200, (page.name, answer.status_code)
            before = statements.count
            await client.get(page.path(seeded))
            queries[page.name] = statements.count - before
        for k in range(config.rounds):
            progress(f"  round {k + 1} of {config.rounds}")
            shift = k % len(PAGES)
            for page in PAGES[shift:] + PAGES[:shift]:
                for _ in range(config.samples):
                    answer = await client.get(page.path(seeded))
                    assert answer.status_code == 200, (page.name, answer.status_code)
                    samples[page.name].append(timed.last_ms)
    return {
        name: {
            "median_ms": median(values),
            "p95_ms": percentile(values, 95),
            "max_ms": max(values),
            "statements": queries[name],
            "samples": len(values),
        }
        for name, values in samples.items()
    }


# -- the run ----------------------------------------------------------------------------------


async def postgres_database() -> str | None:
    try:
        conn = await asyncpg.connect(POSTGRES_URL, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return None
    name = f"brain_bench_{uuid.uuid4().hex[:12]}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres(url: str) -> None:
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


async def one_database(label: str, data_dir: Path, url: str, config: Config) -> dict[str, Any]:
    platform = build_platform(settings_for(data_dir, url))
    try:
        await migrations.upgrade(platform.database.engine)
        progress(f"{label}: {COURSES} courses, {COURSES} distributions, events …")
        began = time.perf_counter()
        seeded = await seed(platform)
        async with platform.database.read_session() as session:
            events = int(await session.scalar(select(func.count()).select_from(EventRecord)) or 0)
        progress(f"{label}: seeded in {time.perf_counter() - began:.0f} s ({events} events)")
        return {"events": events, "pages": await measure(platform, seeded, config)}
    finally:
        await platform.close()


async def run(quick: bool) -> int:
    config = QUICK if quick else FULL
    began = time.perf_counter()
    about = describe()
    background = await background_load(1.0)
    about["background"] = "?" if background is None else f"{background:.0%}"
    results: dict[str, Any] = {}
    data_dir = Path(tempfile.mkdtemp(prefix="brain-bench-dashboard-"))
    try:
        results["SQLite"] = await one_database("SQLite", data_dir / "sqlite", "", config)
        url = await postgres_database()
        if url is None:
            progress(f"PostgreSQL does not answer at {POSTGRES_URL}: measured on SQLite only")
        else:
            try:
                results["PostgreSQL"] = await one_database(
                    "PostgreSQL", data_dir / "postgres", url, config
                )
            finally:
                await drop_postgres(url)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    text = report(config, quick, about, results, time.perf_counter() - began)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    name = "dashboard-quick" if quick else "dashboard"
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    (RESULTS / f"{name}.json").write_text(
        json.dumps({"about": about, "config": config.__dict__, "results": results}, indent=2) + "\n"
    )
    return 0


def report(
    config: Config, quick: bool, about: dict[str, str], results: dict[str, Any], elapsed: float
) -> str:
    lines = [
        f"Dashboard pages benchmark ({'quick' if quick else 'full'} run, {elapsed:.0f} s)",
        f"  commit {about['commit']} (uncommitted changes in src/: {about['src_dirty']}); "
        f"Python {about['python']}, FastAPI {about['fastapi']}",
        f"  {about['cpus']} CPUs, load average at start {about['load']}, CPUs "
        f"{about['background']} busy with other work just before",
        f"  one tenant: {COURSES} courses ({GENERATED} generated in full), {PENDING_APPROVALS} "
        f"pending approvals, {COURSES} distributions ({PUBLIC} PUBLIC), {DEAD_LETTERS} dead "
        f"letters, {RELEASES} releases, {PAYMENTS} payments of {BUYERS} buyers;",
        f"  server time = the ASGI app's call to its last body message, in this process; "
        f"{config.rounds} rounds x {config.samples} requests per page after {config.warmup} "
        "warm-up requests",
    ]
    for database, found in results.items():
        lines += [
            "",
            f"  {database} ({found['events']:,} events in the log)",
            f"  {'page':<30} {'median ms':>9} {'p95 ms':>7} {'max ms':>7} {'SQL':>4}  aim",
        ]
        for name, f in found["pages"].items():
            aim = ""
            if not name.startswith("GET /health"):
                aim = f"< {AIM_MS:.0f} ms: {'met' if f['median_ms'] < AIM_MS else 'MISSED'}"
            lines.append(
                f"  {name:<30} {f['median_ms']:>9.1f} {f['p95_ms']:>7.1f} {f['max_ms']:>7.1f}"
                f" {f['statements']:>4}  {aim}".rstrip()
            )
    lines.append("  (SQL: the statements one request of the page sends to the database)")
    return "\n".join(lines)
