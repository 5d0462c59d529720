"""Fixing a generated course piece by piece, the workflow with human approval, cancel and retry,
and a generation that fails."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from brain.bootstrap import Platform
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys, make_tenant
from tests.support.courses import wait_for_status

pytestmark = pytest.mark.slow

REQUEST: dict[str, Any] = {
    "title": "Privacy basics for small businesses",
    "description": "What to collect, what to keep, and how to answer requests.",
    "language": "de",
    "target_audiences": ["small_businesses"],
    "template_id": "custom",
    "full_lessons_count": 2,
}


@pytest.fixture
async def acme(factory_platform: Platform) -> TenantKeys:
    return await make_tenant(factory_platform, "acme")


@pytest.fixture
async def course_id(courses_api: httpx.AsyncClient, acme: TenantKeys) -> str:
    response = await courses_api.post(
        "/api/courses/generate", json=REQUEST, headers=acme.auth(Role.EDITOR)
    )
    course_id = str(response.json()["course_id"])
    await wait_for_status(courses_api, course_id, acme.auth(), {"completed"})
    return course_id


async def types_of(api: httpx.AsyncClient, course_id: str, keys: TenantKeys) -> list[str]:
    events = (await api.get(f"/api/courses/{course_id}/events", headers=keys.auth())).json()
    return [event["type"] for event in events]


async def test_an_edit_keeps_the_old_text_emits_an_update_and_rebuilds_the_site(
    courses_api: httpx.AsyncClient, acme: TenantKeys, course_id: str
) -> None:
    lessons = (
        await courses_api.get(f"/api/courses/{course_id}/lessons", headers=acme.auth())
    ).json()
    first = lessons[0]
    before = first["markdown"]
    edited = await courses_api.put(
        f"/api/courses/{course_id}/lessons/{first['id']}",
        json={"title": "Eine bessere Überschrift", "markdown": "# Neu\n\nKorrigierter Text."},
        headers=acme.auth(Role.EDITOR),
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["title"], body["revision"]) == ("Eine bessere Überschrift", 2)
    assert [r["source"] for r in body["revisions"]] == ["generated", "edited"]
    assert body["revisions"][0]["markdown"] == before
    assert "course.lesson.updated" in await types_of(courses_api, course_id, acme)
    page = await courses_api.get(f"/staging/{course_id}/lessons/1.html", headers=acme.auth())
    assert "Korrigierter Text" in page.text


async def test_regenerating_a_placeholder_makes_it_a_full_lesson(
    courses_api: httpx.AsyncClient, acme: TenantKeys, course_id: str
) -> None:
    lessons = (
        await courses_api.get(f"/api/courses/{course_id}/lessons", headers=acme.auth())
    ).json()
    placeholder = next(lesson for lesson in lessons if lesson["placeholder"])
    response = await courses_api.post(
        f"/api/courses/{course_id}/lessons/{placeholder['id']}/regenerate",
        headers=acme.auth(Role.EDITOR),
    )
    assert response.status_code == 200, response.text
    assert response.json()["placeholder"] is False
    assert response.json()["revision"] == 1
    events = (await courses_api.get(f"/api/courses/{course_id}/events", headers=acme.auth())).json()
    regenerated = [
        e
        for e in events
        if e["type"] == "course.lesson.generated" and e["payload"]["lesson_id"] == placeholder["id"]
    ]
    assert [e["payload"]["revision"] for e in regenerated] == [1]


async def test_regenerating_a_quiz_question_keeps_its_history(
    courses_api: httpx.AsyncClient, acme: TenantKeys, course_id: str
) -> None:
    quiz = (await courses_api.get(f"/api/courses/{course_id}/quiz", headers=acme.auth())).json()
    question = quiz["questions"][2]
    response = await courses_api.post(
        f"/api/courses/{course_id}/quiz/questions/{question['id']}/regenerate",
        headers=acme.auth(Role.EDITOR),
    )
    assert response.status_code == 200, response.text
    assert response.json()["revision"] == 2
    missing = await courses_api.post(
        f"/api/courses/{course_id}/quiz/questions/{quiz['id']}/regenerate",
        headers=acme.auth(Role.EDITOR),
    )
    assert missing.status_code == 404


async def test_edits_need_an_editor_and_a_body(
    courses_api: httpx.AsyncClient, acme: TenantKeys, course_id: str
) -> None:
    lessons = (
        await courses_api.get(f"/api/courses/{course_id}/lessons", headers=acme.auth())
    ).json()
    url = f"/api/courses/{course_id}/lessons/{lessons[0]['id']}"
    assert (
        await courses_api.put(url, json={"title": "xyz"}, headers=acme.auth(Role.VIEWER))
    ).status_code == 403
    empty = await courses_api.put(url, json={}, headers=acme.auth(Role.EDITOR))
    assert empty.status_code == 422
    short = await courses_api.put(url, json={"title": "x"}, headers=acme.auth(Role.EDITOR))
    assert short.json()["errors"][0]["field"] == "body.title"


async def test_review_to_publish_ready_needs_an_approval_by_someone_else(
    courses_api: httpx.AsyncClient, acme: TenantKeys, course_id: str
) -> None:
    requested = await courses_api.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "PUBLISH_READY", "comment": "ready"},
        headers=acme.auth(Role.ADMIN),
    )
    assert requested.status_code == 202, requested.text
    approval_id = requested.json()["approval_request_id"]
    assert requested.json()["workflow_state"] == "REVIEW"
    pending = (await courses_api.get("/api/approvals", headers=acme.auth(Role.APPROVER))).json()
    assert [a["id"] for a in pending] == [approval_id]
    again = await courses_api.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "PUBLISH_READY"},
        headers=acme.auth(Role.EDITOR),
    )
    assert again.status_code == 409
    own = await courses_api.post(
        f"/api/approvals/{approval_id}/approve", headers=acme.auth(Role.ADMIN)
    )
    assert own.status_code == 403
    assert (
        await courses_api.post(
            f"/api/approvals/{approval_id}/approve", headers=acme.auth(Role.EDITOR)
        )
    ).status_code == 403
    approved = await courses_api.post(
        f"/api/approvals/{approval_id}/approve",
        json={"comment": "looks good"},
        headers=acme.auth(Role.APPROVER),
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    course = (await courses_api.get(f"/api/courses/{course_id}", headers=acme.auth())).json()
    assert course["workflow_state"] == "PUBLISH_READY"
    events = (await courses_api.get(f"/api/courses/{course_id}/events", headers=acme.auth())).json()
    moves = [e["payload"] for e in events if e["type"] == "course.workflow.transitioned"]
    assert moves[-1]["from_state"] == "REVIEW"
    assert moves[-1]["to_state"] == "PUBLISH_READY"
    assert moves[-1]["requires_approval"] is True
    assert moves[-1]["approval_request_id"] == approval_id
    assert "approval_token" not in moves[-1]
    decided = await courses_api.post(
        f"/api/approvals/{approval_id}/reject", headers=acme.auth(Role.APPROVER)
    )
    assert decided.status_code == 409


async def test_publishing_requests_the_distribution(
    courses_api: httpx.AsyncClient, factory_platform: Platform, acme: TenantKeys, course_id: str
) -> None:
    requested = await courses_api.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "PUBLISH_READY"},
        headers=acme.auth(Role.EDITOR),
    )
    await courses_api.post(
        f"/api/approvals/{requested.json()['approval_request_id']}/approve",
        headers=acme.auth(Role.APPROVER),
    )
    published = await courses_api.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "PUBLISHED"},
        headers=acme.auth(Role.EDITOR),
    )
    assert published.status_code == 200
    assert published.json()["workflow_state"] == "PUBLISHED"
    types = await types_of(courses_api, course_id, acme)
    # the distribution consumer may already have answered with its own events after these
    last = len(types) - 1 - types[::-1].index("course.workflow.transitioned")
    assert types[last + 1] == "course.distribution.requested"


async def test_a_rejected_request_leaves_the_course_where_it_was(
    courses_api: httpx.AsyncClient, acme: TenantKeys, course_id: str
) -> None:
    requested = await courses_api.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "PUBLISH_READY"},
        headers=acme.auth(Role.EDITOR),
    )
    rejected = await courses_api.post(
        f"/api/approvals/{requested.json()['approval_request_id']}/reject",
        json={"comment": "lesson 2 is wrong"},
        headers=acme.auth(Role.APPROVER),
    )
    assert rejected.json()["status"] == "rejected"
    course = (await courses_api.get(f"/api/courses/{course_id}", headers=acme.auth())).json()
    assert course["workflow_state"] == "REVIEW"


async def test_an_illegal_transition_answers_409_with_the_allowed_targets(
    courses_api: httpx.AsyncClient, acme: TenantKeys, course_id: str
) -> None:
    response = await courses_api.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "ARCHIVED"},
        headers=acme.auth(Role.EDITOR),
    )
    assert response.status_code == 409
    assert set(response.json()["allowed_targets"]) == {"PUBLISH_READY", "DRAFT"}
    bad = await courses_api.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "DONE"},
        headers=acme.auth(Role.EDITOR),
    )
    assert bad.status_code == 422


async def test_approvals_of_another_tenant_are_not_visible(
    courses_api: httpx.AsyncClient, factory_platform: Platform, acme: TenantKeys, course_id: str
) -> None:
    requested = await courses_api.post(
        f"/api/courses/{course_id}/transitions",
        json={"to_state": "PUBLISH_READY"},
        headers=acme.auth(Role.EDITOR),
    )
    globex = await make_tenant(factory_platform, "globex")
    approval_id = requested.json()["approval_request_id"]
    assert (await courses_api.get("/api/approvals", headers=globex.auth())).json() == []
    foreign = await courses_api.post(
        f"/api/approvals/{approval_id}/approve", headers=globex.auth(Role.APPROVER)
    )
    assert foreign.status_code == 404


async def test_a_completed_generation_cannot_be_cancelled_or_retried(
    courses_api: httpx.AsyncClient, acme: TenantKeys, course_id: str
) -> None:
    for action in ("cancel", "retry"):
        response = await courses_api.post(
            f"/api/courses/{course_id}/{action}", headers=acme.auth(Role.EDITOR)
        )
        assert response.status_code == 409, action


@pytest.mark.parametrize(
    "factory_platform",
    [{"llm_base_url": "http://127.0.0.1:9/v1", "llm_timeout_seconds": 0.5}],
    indirect=True,
)
async def test_a_generation_that_keeps_failing_ends_failed_and_can_be_retried(
    courses_api: httpx.AsyncClient, acme: TenantKeys
) -> None:
    response = await courses_api.post(
        "/api/courses/generate", json=REQUEST, headers=acme.auth(Role.EDITOR)
    )
    course_id = response.json()["course_id"]
    failed = await wait_for_status(courses_api, course_id, acme.auth(), {"failed", "completed"}, 90)
    assert failed["generation_status"] == "failed"
    assert failed["error"]
    events = (await courses_api.get(f"/api/courses/{course_id}/events", headers=acme.auth())).json()
    [failure] = [e["payload"] for e in events if e["type"] == "course.generation.failed"]
    assert failure["title"] == REQUEST["title"]
    assert failure["error_type"]
    assert failure["execution_time_seconds"] >= 0
    retried = await courses_api.post(
        f"/api/courses/{course_id}/retry", headers=acme.auth(Role.EDITOR)
    )
    assert retried.status_code == 202
    again = await wait_for_status(courses_api, course_id, acme.auth(), {"failed"}, 90)
    assert again["generation_attempt"] == 2
