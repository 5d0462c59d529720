"""The course factory end to end: API → outbox → consumer → Temporal workflow → activities →
artifacts and events, on a real Temporal dev server, on SQLite + SQL log and PostgreSQL + Redis."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections import Counter
from typing import Any

import httpx
import pytest

from brain.bootstrap import Platform
from brain.course_factory.contract import OutlineReader
from brain.course_factory.evidence import verify_evidence_pack
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys, make_tenant
from tests.support.courses import wait_for_status

pytestmark = pytest.mark.slow

REQUEST: dict[str, Any] = {
    "title": "Banking alternatives for employees",
    "description": "Neobanks, credit unions and ethical banks compared, with safe switching.",
    "language": "en",
    "target_audiences": ["employees", "private_individuals"],
    "template_id": "banking_alternatives",
    "full_lessons_count": 3,
}


@pytest.fixture
async def acme(factory_platform: Platform) -> TenantKeys:
    return await make_tenant(factory_platform, "acme")


async def generate(api: httpx.AsyncClient, keys: TenantKeys, **changes: Any) -> str:
    response = await api.post(
        "/api/courses/generate", json={**REQUEST, **changes}, headers=keys.auth(Role.EDITOR)
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "queued"
    assert body["status_url"].endswith(f"/api/courses/{body['course_id']}")
    return str(body["course_id"])


async def event_types(api: httpx.AsyncClient, course_id: str, keys: TenantKeys) -> list[str]:
    events = (await api.get(f"/api/courses/{course_id}/events", headers=keys.auth())).json()
    return [event["type"] for event in events]


async def test_a_generation_produces_a_complete_course_with_the_full_event_sequence(
    courses_api: httpx.AsyncClient, factory_platform: Platform, acme: TenantKeys
) -> None:
    course_id = await generate(courses_api, acme)
    course = await wait_for_status(courses_api, course_id, acme.auth(), {"completed", "failed"})
    assert course["generation_status"] == "completed", course["error"]
    assert course["workflow_state"] == "REVIEW"
    assert course["progress"] == {"lessons_done": 3, "lessons_total": 3}
    assert course["staging_url"] == f"http://testserver/staging/{course_id}/"

    outline = (
        await courses_api.get(f"/api/courses/{course_id}/outline", headers=acme.auth())
    ).json()
    assert 4 <= outline["total_modules"] <= 6
    assert 12 <= outline["total_lessons"] <= 30
    lessons = (
        await courses_api.get(f"/api/courses/{course_id}/lessons", headers=acme.auth())
    ).json()
    assert [lesson["placeholder"] for lesson in lessons[:4]] == [False, False, False, True]
    # the read-only contract other modules use: the same outline, which lessons are written
    view = await OutlineReader(factory_platform.database).outline(uuid.UUID(course_id))
    assert view is not None and view.tenant_id == acme.tenant_id
    flat = [lesson for module in view.modules for lesson in module.lessons]
    assert len(view.modules) == outline["total_modules"] and len(flat) == len(lessons)
    assert [lesson.title for lesson in flat] == [lesson["title"] for lesson in lessons]
    assert [lesson.has_content for lesson in flat] == [not x["placeholder"] for x in lessons]
    quiz = (await courses_api.get(f"/api/courses/{course_id}/quiz", headers=acme.auth())).json()
    assert 10 <= len(quiz["questions"]) <= 15
    landing = await courses_api.get(f"/api/courses/{course_id}/landing-page", headers=acme.auth())
    assert landing.json()["sections"][0]["kind"] == "hero"

    # The course's trail also holds what other modules record of it (course_content builds
    # the content tree from the outline, in its own time); this is course_factory's part.
    types = [t for t in await event_types(courses_api, course_id, acme) if t.startswith("course.")]
    assert types[0] == "course.generation.requested"
    counts = Counter(types)
    assert counts == {
        "course.generation.requested": 1,
        "course.outline.created": 1,
        "course.lesson.generated": 3,
        "course.quiz.created": 1,
        "course.landing_page.created": 1,
        "course.deployed.staging": 1,
        "course.generation.completed": 1,
        "course.workflow.transitioned": 1,
    }
    order = [t for t in types if t != "course.lesson.generated"]
    assert order == [
        "course.generation.requested",
        "course.outline.created",
        "course.quiz.created",
        "course.landing_page.created",
        "course.deployed.staging",
        "course.generation.completed",
        "course.workflow.transitioned",
    ]

    site = await courses_api.get(f"/staging/{course_id}/", headers=acme.auth())
    assert site.status_code == 200
    assert "<html" in site.text
    lesson_page = await courses_api.get(f"/staging/{course_id}/lessons/1.html", headers=acme.auth())
    assert lesson_page.status_code == 200

    pack = await courses_api.get(f"/api/courses/{course_id}/evidence-pack", headers=acme.auth())
    assert pack.status_code == 200
    assert pack.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(pack.content))
    names = set(archive.namelist())
    assert {"manifest.json", "outline.json", "quiz.json", "request.json", "generator.json"} <= names
    assert any(name.startswith("site/") for name in names)
    path = factory_platform.settings.data_dir / "evidence" / f"{course_id}.zip"
    assert verify_evidence_pack(path) == []


async def test_the_completed_event_carries_what_the_distribution_needs(
    courses_api: httpx.AsyncClient, factory_platform: Platform, acme: TenantKeys
) -> None:
    course_id = await generate(courses_api, acme, title="T" * 5 + " " + "long words " * 17)
    await wait_for_status(courses_api, course_id, acme.auth(), {"completed"})
    page = await factory_platform.events.operations.list_events(
        tenant_id=acme.tenant_id, type_pattern="course.generation.completed"
    )
    [(_, event, _)] = page.items
    payload = event.payload
    assert payload["course_id"] == course_id
    assert payload["language"] == "en"
    assert payload["target_audiences"] == ["employees", "private_individuals"]
    assert payload["dry_run"] is False
    assert len(payload["title"]) <= 100
    assert payload["title"].endswith("…")
    assert payload["description"] == REQUEST["description"]
    assert payload["deployed"] is True
    assert payload["staging_url"] == f"http://testserver/staging/{course_id}/"
    assert payload["evidence_pack_path"] == f"evidence/{course_id}.zip"
    assert payload["full_lessons_generated"] == 3


async def test_a_dry_run_stores_only_the_outline(
    courses_api: httpx.AsyncClient, acme: TenantKeys
) -> None:
    course_id = await generate(courses_api, acme, dry_run=True)
    course = await wait_for_status(courses_api, course_id, acme.auth(), {"completed", "failed"})
    assert course["generation_status"] == "completed"
    assert course["workflow_state"] == "DRAFT"
    assert course["staging_url"] is None
    types = await event_types(courses_api, course_id, acme)
    assert types == [
        "course.generation.requested",
        "course.outline.created",
        "course.generation.completed",
    ]
    lessons = (
        await courses_api.get(f"/api/courses/{course_id}/lessons", headers=acme.auth())
    ).json()
    assert all(lesson["placeholder"] for lesson in lessons)
    assert (
        await courses_api.get(f"/api/courses/{course_id}/quiz", headers=acme.auth())
    ).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "ab"}, "body.title"),
        ({"title": "   x   "}, "body.title"),
        ({"title": "x" * 201}, "body.title"),
        ({"description": "d" * 501}, "body.description"),
        ({"language": "it"}, "body.language"),
        ({"target_audiences": []}, "body.target_audiences"),
        ({"target_audiences": ["astronauts"]}, "body.target_audiences.0"),
        ({"target_audiences": ["employees", "employees"]}, "body.target_audiences"),
        ({"full_lessons_count": 31}, "body.full_lessons_count"),
        ({"full_lessons_count": -1}, "body.full_lessons_count"),
        ({"template_id": "no_such_template"}, "body.template_id"),
        ({"dry_run": "maybe"}, "body.dry_run"),
        ({"priority": "high"}, "body.priority"),
    ],
)
async def test_bad_generation_requests_answer_422_naming_the_field(
    courses_api: httpx.AsyncClient, acme: TenantKeys, changes: dict[str, Any], field: str
) -> None:
    response = await courses_api.post(
        "/api/courses/generate", json={**REQUEST, **changes}, headers=acme.auth(Role.EDITOR)
    )
    assert response.status_code == 422, response.text
    assert field in [error["field"] for error in response.json()["errors"]]
    listed = (await courses_api.get("/api/courses", headers=acme.auth())).json()
    assert listed["total"] == 0


async def test_courses_are_scoped_to_the_tenant_and_generation_needs_an_editor(
    courses_api: httpx.AsyncClient, factory_platform: Platform, acme: TenantKeys
) -> None:
    globex = await make_tenant(factory_platform, "globex")
    for role in (Role.VIEWER, Role.APPROVER):
        denied = await courses_api.post(
            "/api/courses/generate", json=REQUEST, headers=acme.auth(role)
        )
        assert denied.status_code == 403
    course_id = await generate(courses_api, acme)
    for path in ("", "/outline", "/lessons", "/quiz", "/events", "/evidence-pack", "/progress"):
        response = await courses_api.get(f"/api/courses/{course_id}{path}", headers=globex.auth())
        assert response.status_code == 404, path
    assert (await courses_api.get("/api/courses", headers=globex.auth())).json()["total"] == 0
    mine = (await courses_api.get("/api/courses", headers=acme.auth(Role.VIEWER))).json()
    assert [item["id"] for item in mine["items"]] == [course_id]
    await wait_for_status(courses_api, course_id, acme.auth(), {"completed"})


async def test_courses_are_listed_with_filters_and_pages(
    courses_api: httpx.AsyncClient, acme: TenantKeys
) -> None:
    first = await generate(courses_api, acme, dry_run=True)
    second = await generate(courses_api, acme, dry_run=True)
    for course_id in (first, second):
        await wait_for_status(courses_api, course_id, acme.auth(), {"completed"})
    page = (await courses_api.get("/api/courses", params={"limit": 1}, headers=acme.auth())).json()
    assert (page["total"], len(page["items"])) == (2, 1)
    drafts = (
        await courses_api.get(
            "/api/courses",
            params={"workflow_state": "DRAFT", "generation_status": "completed"},
            headers=acme.auth(),
        )
    ).json()
    assert {item["id"] for item in drafts["items"]} == {first, second}
    bad = await courses_api.get(
        "/api/courses", params={"workflow_state": "DONE"}, headers=acme.auth()
    )
    assert bad.status_code == 422


async def test_progress_streams_as_server_sent_events_until_the_end(
    courses_api: httpx.AsyncClient, acme: TenantKeys
) -> None:
    course_id = await generate(courses_api, acme)
    seen: list[str] = []
    async with courses_api.stream(
        "GET", f"/api/courses/{course_id}/progress", headers=acme.auth()
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        async for line in response.aiter_lines():
            if line.startswith("data:"):
                seen.append(line)
    assert seen
    assert '"completed"' in seen[-1]
