"""The dashboard's pages do what the API does, through the modules' operator contracts: the same
validation messages next to the fields, the same roles (a forged form is refused by the module),
the same tenant scoping; every action ends with a flash message."""

from __future__ import annotations

import re
import uuid
import zipfile
from io import BytesIO
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from brain.bootstrap import Platform, build_platform, create_app
from brain.course_distribution.module import MODULE as COURSE_DISTRIBUTION
from brain.course_distribution.schemas import CourseCTA, CourseSEO, DistributionCreate
from brain.course_distribution.service import DistributionService
from brain.course_factory.module import MODULE as FACTORY
from brain.course_factory.schemas import GenerateRequest
from brain.dashboard.module import MODULE as DASHBOARD
from brain.events.models import EventRecord
from brain.kernel.admin_contracts import (
    AccessGrantAdmin,
    AnalyticsAdmin,
    ContentAdmin,
    CourseAdmin,
    DistributionAdmin,
    PaymentAdmin,
    WebhookAdmin,
)
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import Principal
from tests.conftest import TenantKeys, make_tenant
from tests.support.dashboard import (
    Dashboard,
    SignIn,
    dashboard,
    field_errors,
    flash,
    post_forms,
    text_of,
)
from tests.support.factory import completed_course


@pytest.fixture
def platform(dashboard_platform: Platform) -> Platform:
    return dashboard_platform


@pytest.fixture
def app(dashboard_app: FastAPI) -> FastAPI:
    return dashboard_app


@pytest.fixture
def tenant(operator_tenant: TenantKeys) -> TenantKeys:
    return operator_tenant


async def followed(browser: Dashboard, response: httpx.Response) -> httpx.Response:
    assert response.status_code == 303, response.text
    return await browser.get(response.headers["location"])


async def course_of(
    platform: Platform, tenant: TenantKeys, *, deploy_to_staging: bool = False
) -> uuid.UUID:
    """A completed course in REVIEW, requested by the tenant's editor."""
    return await completed_course(
        platform,
        tenant.tenant_id,
        api_key_id=tenant.key_ids[Role.EDITOR],
        deploy_to_staging=deploy_to_staging,
    )


async def queued_courses(platform: Platform, tenant: TenantKeys, count: int, title: str) -> None:
    principal = Principal(tenant.tenant_id, tenant.key_ids[Role.EDITOR], Role.EDITOR)
    body = GenerateRequest.model_validate(
        {"title": title, "language": "en", "target_audiences": ["students"]}
    )
    async with platform.unit_of_work() as uow:
        courses = platform.deps_of(FACTORY).service(uow)
        for _ in range(count):
            await courses.request_generation(principal, body)


def distribution_body(course_id: uuid.UUID, *, seo: bool = True) -> DistributionCreate:
    return DistributionCreate(
        course_id=course_id,
        title="Alternatives to the big banks",
        language="en",
        target_group=["employees"],
        seo=CourseSEO(
            meta_title="Banking alternatives",
            meta_description="Which alternatives to a classic bank account exist, "
            "and for whom each one fits.",
        )
        if seo
        else None,
        cta=CourseCTA(label="Start the course", action="open_course"),
    )


async def distributions_of(
    platform: Platform, tenant: TenantKeys, course_id: uuid.UUID, count: int, *, seo: bool = True
) -> list[uuid.UUID]:
    async with platform.unit_of_work() as uow:
        service = DistributionService(uow, platform.events.publisher)
        return [
            (await service.create(tenant.tenant_id, distribution_body(course_id, seo=seo))).id
            for _ in range(count)
        ]


async def distribution_of(
    platform: Platform, tenant: TenantKeys, course_id: uuid.UUID, *, seo: bool = True
) -> uuid.UUID:
    [made] = await distributions_of(platform, tenant, course_id, 1, seo=seo)
    return made


def test_the_modules_provide_the_operator_contracts_the_dashboard_needs(
    platform: Platform,
) -> None:
    for kind in (
        CourseAdmin,
        DistributionAdmin,
        ContentAdmin,
        PaymentAdmin,
        AccessGrantAdmin,
        WebhookAdmin,
        AnalyticsAdmin,
    ):
        assert kind in platform.contracts, kind.__name__


# -- courses ---------------------------------------------------------------------------------


async def test_the_new_course_form_shows_the_apis_own_messages_next_to_each_field(
    signed_in: SignIn, api: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    bad = {
        "title": "ab",
        "language": "xx",
        "target_audiences": [],
        "full_lessons_count": 99,
        "template_id": "Not-A-Template",
    }
    answer = await api.post("/api/courses/generate", json=bad, headers=tenant.auth(Role.EDITOR))
    assert answer.status_code == 422
    expected: dict[str, list[str]] = {}
    for error in answer.json()["errors"]:
        field = error["field"].removeprefix("body.").split(".")[0]
        expected.setdefault(field, []).append(error["reason"])
    assert set(expected) == {
        "title",
        "language",
        "target_audiences",
        "full_lessons_count",
        "template_id",
    }

    browser = await signed_in(tenant, Role.EDITOR)
    form = {k: v for k, v in bad.items() if k != "target_audiences"}
    page = await browser.post("/admin/courses/new", form)
    assert page.status_code == 422
    for field, reasons in expected.items():
        assert field_errors(page.text, field) == reasons, field
        assert f'aria-describedby="{field}-error"' in page.text or f"{field}-error" in page.text
    assert 'value="ab"' in page.text, "what was typed stays in the form"
    assert (await api.get("/api/courses", headers=tenant.auth())).json()["total"] == 0


async def test_an_unknown_template_is_named_at_its_field_as_the_api_names_it(
    signed_in: SignIn, api: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    body = {
        "title": "Budgeting",
        "language": "en",
        "target_audiences": ["students"],
        "template_id": "unknown_template",
    }
    answer = await api.post("/api/courses/generate", json=body, headers=tenant.auth(Role.EDITOR))
    [error] = answer.json()["errors"]
    browser = await signed_in(tenant, Role.EDITOR)
    page = await browser.post(
        "/admin/courses/new", {**body, "target_audiences": "students", "full_lessons_count": "2"}
    )
    assert field_errors(page.text, "template_id") == [error["reason"]]


async def test_starting_a_generation_from_the_form_queues_the_course_with_every_field(
    signed_in: SignIn, api: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    browser = await signed_in(tenant, Role.EDITOR)
    assert "Start generation" in (await browser.get("/admin/courses/new")).text
    response = await browser.post(
        "/admin/courses/new",
        {
            "title": "  Geld anlegen für Einsteiger  ",
            "description": "Vom Sparbuch zum ETF.",
            "language": "de",
            "target_audiences": ["students", "employees"],
            "template_id": "custom",
            "full_lessons_count": "4",
            "generate_quiz": "1",
            "deploy_to_staging": "1",
        },
    )
    page = await followed(browser, response)
    assert flash(page.text) == "Generation requested."
    course_id = response.headers["location"].rsplit("/", 1)[1]
    course = (await api.get(f"/api/courses/{course_id}", headers=tenant.auth())).json()
    assert course["title"] == "Geld anlegen für Einsteiger"
    assert course["target_audiences"] == ["students", "employees"]
    assert (course["full_lessons_count"], course["generation_status"]) == (4, "queued")
    assert (course["generate_quiz"], course["generate_landing_page"]) == (True, False)
    assert (course["deploy_to_staging"], course["dry_run"]) == (True, False)
    events = (await api.get(f"/api/courses/{course_id}/events", headers=tenant.auth())).json()
    assert [e["type"] for e in events] == ["course.generation.requested"]


async def test_a_course_page_shows_outline_quiz_landing_page_downloads_and_event_trail(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant, deploy_to_staging=True)
    browser = await signed_in(tenant, Role.VIEWER)
    page = await browser.get(f"/admin/courses/{course_id}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "100 % · completed" in text
    assert "Module 1:" in text and "Quiz" in text and "Landing page" in text
    assert "course.generation.completed" in text and "course.generation.requested" in text
    assert f"/admin/courses/{course_id}/progress" not in page.text, "no stream once finished"
    lessons = re.findall(rf"/admin/courses/{course_id}/lessons/([0-9a-f-]{{36}})", page.text)
    assert len(lessons) >= 12
    staging = re.search(rf'href="(http://[^"]+/staging/{course_id}/)"', page.text)
    assert staging is not None
    pack = await browser.get(f"/admin/courses/{course_id}/evidence-pack")
    assert pack.status_code == 200
    assert pack.headers["content-type"] == "application/zip"
    assert "manifest.json" in " ".join(zipfile.ZipFile(BytesIO(pack.content)).namelist())


async def test_the_progress_stream_reports_a_finished_generation_and_ends(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    browser = await signed_in(tenant, Role.VIEWER)
    stream = await browser.get(f"/admin/courses/{course_id}/progress")
    assert stream.status_code == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    [data] = re.findall(r"^data: (.*)$", stream.text, re.M)
    assert '"percent":100' in data.replace(" ", "") and '"finished":true' in data.replace(" ", "")


async def test_editing_a_lesson_previews_without_saving_then_saves_a_revision(
    signed_in: SignIn, api: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    lessons = (await api.get(f"/api/courses/{course_id}/lessons", headers=tenant.auth())).json()
    lesson = lessons[0]
    path = f"/admin/courses/{course_id}/lessons/{lesson['id']}"
    browser = await signed_in(tenant, Role.EDITOR)
    markdown = "# Edited\n\nA **bold** claim <script>alert(1)</script>.\n"
    preview = await browser.post(
        path, {"title": "Edited lesson", "markdown": markdown, "action": "preview"}
    )
    assert preview.status_code == 200
    assert "Preview: not saved yet." in preview.text
    assert "<strong>bold</strong>" in preview.text
    assert "<script>alert(1)</script>" not in preview.text, "raw HTML in Markdown is escaped"
    unchanged = (
        await api.get(f"/api/courses/{course_id}/lessons/{lesson['id']}", headers=tenant.auth())
    ).json()
    assert unchanged["revision"] == lesson["revision"]

    too_short = await browser.post(path, {"title": "ab", "markdown": markdown, "action": "save"})
    assert too_short.status_code == 422
    assert field_errors(too_short.text, "title") == ["String should have at least 3 characters"]

    saved = await followed(
        browser,
        await browser.post(
            path, {"title": "Edited lesson", "markdown": markdown, "action": "save"}
        ),
    )
    after = (
        await api.get(f"/api/courses/{course_id}/lessons/{lesson['id']}", headers=tenant.auth())
    ).json()
    assert flash(saved.text) == f"Lesson saved as revision {after['revision']}."
    assert (after["title"], after["markdown"]) == ("Edited lesson", markdown)
    assert after["revisions"][-1]["source"] == "edited"
    assert after["revisions"][-1]["author"] == f"apikey:{tenant.key_ids[Role.EDITOR]}"


async def test_regenerating_a_lesson_and_a_question_keeps_their_history(
    signed_in: SignIn, api: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    auth = tenant.auth()
    placeholder = next(
        x
        for x in (await api.get(f"/api/courses/{course_id}/lessons", headers=auth)).json()
        if x["placeholder"]
    )
    browser = await signed_in(tenant, Role.EDITOR)
    path = f"/admin/courses/{course_id}/lessons/{placeholder['id']}"
    page = await followed(browser, await browser.post(f"{path}/regenerate"))
    assert flash(page.text) == "Lesson regenerated as revision 1."
    lesson = (
        await api.get(f"/api/courses/{course_id}/lessons/{placeholder['id']}", headers=auth)
    ).json()
    assert lesson["markdown"] and not lesson["placeholder"]

    question = (await api.get(f"/api/courses/{course_id}/quiz", headers=auth)).json()["questions"][
        0
    ]
    page = await followed(
        browser,
        await browser.post(f"/admin/courses/{course_id}/quiz/{question['id']}/regenerate"),
    )
    assert flash(page.text) == "Question 1 regenerated."
    again = (await api.get(f"/api/courses/{course_id}/quiz", headers=auth)).json()["questions"][0]
    assert again["revision"] == question["revision"] + 1


async def test_review_to_publish_ready_needs_another_approver_and_the_requester_cannot_decide(
    signed_in: SignIn, api: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    editor = await signed_in(tenant, Role.EDITOR)
    course_page = await editor.get(f"/admin/courses/{course_id}")
    assert "Request approval for PUBLISH_READY" in course_page.text
    assert "Move to DRAFT" in course_page.text
    requested = await followed(
        editor,
        await editor.post(
            f"/admin/courses/{course_id}/transitions",
            {"to_state": "PUBLISH_READY", "comment": "ready"},
        ),
    )
    assert flash(requested.text) == "Approval requested: another approver decides."
    assert "You asked for this; another approver decides." in requested.text
    [approval] = (await api.get("/api/approvals", headers=tenant.auth())).json()
    assert f"/admin/approvals/{approval['id']}/approve" not in requested.text

    admin = await signed_in(tenant, Role.ADMIN)
    inbox = await admin.get("/admin/approvals")
    assert f"/admin/approvals/{approval['id']}/approve" in post_forms(inbox.text)
    forged = await editor.post(f"/admin/approvals/{approval['id']}/approve", {"comment": "me"})
    assert forged.status_code == 403
    assert "approver" in forged.text

    approver = await signed_in(tenant, Role.APPROVER)
    decided = await followed(
        approver,
        await approver.post(
            f"/admin/approvals/{approval['id']}/approve",
            {"comment": "looks good", "back": f"/admin/courses/{course_id}"},
        ),
    )
    assert flash(decided.text) == "Approved: the course is now PUBLISH_READY."
    course = (await api.get(f"/api/courses/{course_id}", headers=tenant.auth())).json()
    assert course["workflow_state"] == "PUBLISH_READY"
    [done] = (await api.get("/api/approvals?status=approved", headers=tenant.auth())).json()
    assert (done["decided_by"], done["decision_comment"]) == (
        f"apikey:{tenant.key_ids[Role.APPROVER]}",
        "looks good",
    )


async def test_not_even_an_admin_decides_on_their_own_request(
    signed_in: SignIn, api: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    admin = await signed_in(tenant, Role.ADMIN)
    await admin.post(f"/admin/courses/{course_id}/transitions", {"to_state": "PUBLISH_READY"})
    inbox = await admin.get("/admin/approvals")
    assert "You asked for this; another approver decides." in inbox.text
    assert not [a for a in post_forms(inbox.text) if a.startswith("/admin/approvals/")]
    [approval] = (await api.get("/api/approvals", headers=tenant.auth())).json()
    forged = await admin.post(f"/admin/approvals/{approval['id']}/approve")
    assert forged.status_code == 403
    assert "the requester of a transition cannot decide on it" in forged.text
    assert (await api.get("/api/approvals", headers=tenant.auth())).json()[0]["status"] == (
        "pending"
    )


async def test_an_illegal_or_repeated_move_ends_in_a_flash_naming_the_allowed_ones(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    editor = await signed_in(tenant, Role.EDITOR)
    page = await followed(
        editor,
        await editor.post(f"/admin/courses/{course_id}/transitions", {"to_state": "ARCHIVED"}),
    )
    assert "REVIEW → ARCHIVED is not allowed" in flash(page.text)
    assert "PUBLISH_READY, DRAFT" in flash(page.text)


async def test_a_viewer_sees_no_write_control_and_a_forged_write_answers_403(
    signed_in: SignIn, api: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    distribution_id = await distribution_of(platform, tenant, course_id)
    viewer = await signed_in(tenant, Role.VIEWER)
    lessons = (await api.get(f"/api/courses/{course_id}/lessons", headers=tenant.auth())).json()
    for path in (
        "/admin",
        "/admin/courses",
        f"/admin/courses/{course_id}",
        f"/admin/courses/{course_id}/lessons/{lessons[0]['id']}",
        "/admin/approvals",
        "/admin/distributions",
        f"/admin/distributions/{distribution_id}",
        "/admin/events",
    ):
        page = await viewer.get(path)
        assert page.status_code == 200, path
        assert post_forms(page.text) == ["/admin/logout"], path
    assert (await viewer.get("/admin/courses/new")).status_code == 200
    for path, form in (
        (
            "/admin/courses/new",
            {"title": "Forged", "language": "en", "target_audiences": "students"},
        ),
        (f"/admin/courses/{course_id}/transitions", {"to_state": "DRAFT"}),
        (
            f"/admin/courses/{course_id}/lessons/{lessons[0]['id']}",
            {"title": "Forged", "markdown": "x", "action": "save"},
        ),
        (f"/admin/distributions/{distribution_id}/publish", {"visibility": "PUBLIC"}),
        ("/admin/keys", {"role": "admin"}),
    ):
        refused = await viewer.post(path, form)
        assert refused.status_code == 403, path
        assert "may not do this" in refused.text
    course = (await api.get(f"/api/courses/{course_id}", headers=tenant.auth())).json()
    assert course["workflow_state"] == "REVIEW"
    assert (await api.get("/api/courses", headers=tenant.auth())).json()["total"] == 1
    listed = (await api.get("/api/distributions", headers=tenant.auth())).json()
    assert listed["items"][0]["visibility"] == "PRIVATE"


async def test_another_tenants_course_and_distribution_answer_404(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    other = await make_tenant(platform, f"g-{uuid.uuid4().hex[:12]}")
    course_id = await course_of(platform, other)
    distribution_id = await distribution_of(platform, other, course_id)
    browser = await signed_in(tenant, Role.ADMIN)
    for path in (
        f"/admin/courses/{course_id}",
        f"/admin/courses/{course_id}/evidence-pack",
        f"/admin/courses/{course_id}/progress",
        f"/admin/distributions/{distribution_id}",
    ):
        assert (await browser.get(path)).status_code == 404, path
    forged = await browser.post(f"/admin/courses/{course_id}/transitions", {"to_state": "DRAFT"})
    assert forged.status_code == 404
    assert other.name not in (await browser.get("/admin/courses")).text
    assert (await browser.get("/admin/courses/not-an-id")).status_code == 404


async def test_the_course_list_filters_and_pages(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    await queued_courses(platform, tenant, 27, title="Queued course")
    await course_of(platform, tenant)
    browser = await signed_in(tenant, Role.VIEWER)
    first = await browser.get("/admin/courses")
    assert first.text.count('href="/admin/courses/') - first.text.count("/admin/courses/new") == 25
    assert "Page 1 of 2" in first.text
    second = await browser.get("/admin/courses?offset=25")
    assert "Page 2 of 2" in second.text
    review = await browser.get("/admin/courses?workflow_state=REVIEW")
    assert text_of(review.text).count("Alternatives to the big banks") == 1
    assert "completed 100 %" in text_of(review.text)
    assert "queued 0 %" in text_of(first.text)
    assert "Queued course" not in review.text
    unknown = await browser.get("/admin/courses?workflow_state=NOPE")
    assert unknown.status_code == 422
    assert "workflow_state: must be one of" in unknown.text


async def test_the_overview_counts_courses_by_status_and_state(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    await course_of(platform, tenant)
    await completed_course(platform, tenant.tenant_id, dry_run=True)
    browser = await signed_in(tenant, Role.ADMIN)
    text = text_of((await browser.get("/admin")).text)
    assert "completed 2" in text and "REVIEW 1" in text and "DRAFT 1" in text
    assert "Pending approvals 0" in text
    assert "Open dead letters 0" in text


# -- distributions ---------------------------------------------------------------------------


async def test_seo_errors_are_shown_at_their_fields_and_a_valid_change_is_saved(
    signed_in: SignIn, api: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    distribution_id = await distribution_of(platform, tenant, course_id)
    path = f"/admin/distributions/{distribution_id}"
    browser = await signed_in(tenant, Role.EDITOR)
    page = await browser.get(path)
    assert 'data-max="60"' in page.text and 'data-min="10"' in page.text, "counts know the limits"
    form = {
        "seo.meta_title": "Too short",
        "seo.meta_description": "Which alternatives to a classic bank account exist.",
        "seo.keywords": "banks, money",
        "cta.label": "Go",
        "cta.action": "custom",
        "price.amount": "19.999",
        "price.currency": "EUR",
    }
    refused = await browser.post(path, form)
    assert refused.status_code == 422
    assert field_errors(refused.text, "price.amount") == ["a number with at most two decimals"]
    refused = await browser.post(path, {**form, "price.amount": "19.90"})
    assert field_errors(refused.text, "seo.meta_title") == [
        "String should have at least 10 characters"
    ]
    assert field_errors(refused.text, "cta.label") == ["String should have at least 5 characters"]
    custom = await browser.post(
        path,
        {**form, "price.amount": "19.90", "cta.label": "Enrol now", "seo.meta_title": "A" * 12},
    )
    assert field_errors(custom.text, "cta") == [
        "Value error, url is required when action is custom"
    ]
    assert 'value="Too short"' in refused.text

    saved = await followed(
        browser,
        await browser.post(
            path,
            {
                **form,
                "seo.meta_title": "Banking alternatives for employees",
                "cta.label": "Enrol now",
                "cta.url": "https://example.com/enrol",
                "price.amount": "19.90",
            },
        ),
    )
    assert flash(saved.text) == "Distribution saved."
    shown = (await api.get("/api/distributions", headers=tenant.auth())).json()["items"][0]
    assert shown["seo"]["meta_title"] == "Banking alternatives for employees"
    assert shown["seo"]["keywords"] == ["banks", "money"]
    assert shown["cta"] == {
        "label": "Enrol now",
        "action": "custom",
        "url": "https://example.com/enrol",
    }
    assert shown["price"] == {"amount_minor": 1990, "currency": "EUR"}


async def test_publishing_unlisting_and_unpublishing_from_the_distribution_page(
    signed_in: SignIn, api: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    incomplete = await distribution_of(platform, tenant, course_id, seo=False)
    browser = await signed_in(tenant, Role.EDITOR)
    refused = await followed(
        browser,
        await browser.post(f"/admin/distributions/{incomplete}/publish", {"visibility": "PUBLIC"}),
    )
    assert flash(refused.text) == (
        "Missing before it can be published: seo.meta_title, seo.meta_description."
    )
    distribution_id = await distribution_of(platform, tenant, course_id)
    path = f"/admin/distributions/{distribution_id}"
    page = await browser.get(path)
    assert "The public page answers once the distribution is PUBLIC or UNLISTED." in page.text
    page = await followed(browser, await browser.post(f"{path}/publish", {"visibility": "PUBLIC"}))
    assert flash(page.text) == "The distribution is now PUBLIC."
    slug = re.search(r'href="/courses/([^"]+)" id="public-page-link"', page.text)
    assert slug is not None
    public = await api.get(f"/courses/{slug[1]}")
    assert public.status_code == 200 and "Banking alternatives" in public.text
    page = await followed(
        browser, await browser.post(f"{path}/publish", {"visibility": "UNLISTED"})
    )
    assert flash(page.text) == "The distribution is now UNLISTED."
    page = await followed(browser, await browser.post(f"{path}/unpublish"))
    assert flash(page.text) == "The distribution is now PRIVATE."
    assert (await api.get(f"/courses/{slug[1]}")).status_code == 404
    bad = await browser.post(f"{path}/publish", {"visibility": "PRIVATE"})
    assert bad.status_code == 303


async def test_a_micro_niche_variant_and_a_version_bump_with_its_changelog(
    signed_in: SignIn, api: httpx.AsyncClient, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    distribution_id = await distribution_of(platform, tenant, course_id)
    path = f"/admin/distributions/{distribution_id}"
    browser = await signed_in(tenant, Role.EDITOR)
    empty = await browser.post(f"{path}/micro-niches", {})
    assert empty.status_code == 422
    assert field_errors(empty.text, "target_group") == [
        "List should have at least 1 item after validation, not 0"
    ]
    made = await browser.post(f"{path}/micro-niches", {"target_group": ["students", "retirees"]})
    page = await followed(browser, made)
    assert flash(page.text).startswith("Variant alternatives-to-the-big-banks-students-retirees")
    variants = (
        await api.get(f"/api/distributions/{distribution_id}/micro-niches", headers=tenant.auth())
    ).json()
    assert variants["items"][0]["target_group"] == ["students", "retirees"]

    blank = await browser.post(f"{path}/bump-version", {"message": ""})
    assert field_errors(blank.text, "message") == ["String should have at least 1 character"]
    page = await followed(
        browser, await browser.post(f"{path}/bump-version", {"message": "New quiz"})
    )
    assert flash(page.text) == "Now at v2."
    assert "v1 → v2: New quiz" in text_of(page.text)


async def test_the_distribution_list_pages_and_filters_by_visibility(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    ids = await distributions_of(platform, tenant, course_id, 27)
    async with platform.unit_of_work() as uow:
        await DistributionService(uow, platform.events.publisher).publish(tenant.tenant_id, ids[0])
    browser = await signed_in(tenant, Role.VIEWER)
    first = await browser.get("/admin/distributions")
    assert len(set(re.findall(r'href="/admin/distributions/([0-9a-f-]{36})"', first.text))) == 25
    assert "Page 1 of 2" in first.text
    public = await browser.get("/admin/distributions?visibility=PUBLIC")
    assert set(re.findall(r'href="/admin/distributions/([0-9a-f-]{36})"', public.text)) == {
        str(ids[0])
    }


# -- events and keys -------------------------------------------------------------------------


async def test_the_event_log_filters_and_pages_with_its_cursor(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    browser = await signed_in(tenant, Role.VIEWER)
    page = await browser.get(f"/admin/events?aggregate_id={course_id}&limit=3")
    ids = re.findall(r'href="/admin/events/([0-9a-f-]{36})"', page.text)
    assert len(ids) == 3
    following = re.search(r'href="(/admin/events\?[^"]*cursor=\d+[^"]*)" rel="next"', page.text)
    assert following is not None
    second = await browser.get(following[1].replace("&amp;", "&"))
    more = re.findall(r'href="/admin/events/([0-9a-f-]{36})"', second.text)
    assert more and not set(more) & set(ids)
    typed = await browser.get("/admin/events?type=course.generation.*")
    assert "course.lesson.generated" not in typed.text
    assert "course.generation.completed" in typed.text
    envelope = await browser.get(f"/admin/events/{ids[0]}")
    assert '"type": "course.generation.requested"' in envelope.text.replace("&#34;", '"')
    bad = await browser.get("/admin/events?since=yesterday")
    assert bad.status_code == 422
    assert field_errors(bad.text, "since") == ["e.g. 2026-01-31 14:00"]


async def test_dead_letters_are_for_admins_and_can_be_retried_or_discarded(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    subscriber = platform.events.registry.get("distribution_consumer")
    letters = []
    for _ in range(2):
        async with platform.unit_of_work() as uow:
            event = await platform.events.publisher.publish(
                uow,
                "course.deployed.staging",
                {
                    "course_id": str(uuid.uuid4()),
                    "staging_url": "https://staging.example.com/x/",
                    "staging_domain": "staging.example.com",
                    "deployed_at": "2026-01-01T00:00:00Z",
                },
                tenant_id=tenant.tenant_id,
            )
        async with platform.database.sessionmaker() as session, session.begin():
            await session.execute(
                update(EventRecord).where(EventRecord.id == event.id).values(payload={})
            )
        broken = await platform.events.operations.get_event(event.id, tenant_id=tenant.tenant_id)
        await platform.events.runtime.deliver_now(subscriber, [broken], "test")
        letters.append(event.id)
    open_letters = await platform.events.operations.dead_letters(tenant_id=tenant.tenant_id)
    assert len(open_letters) == 2

    editor = await signed_in(tenant, Role.EDITOR)
    assert (await editor.get("/admin/events/dead-letters")).status_code == 403
    admin = await signed_in(tenant, Role.ADMIN)
    assert "Open dead letters 2" in text_of((await admin.get("/admin")).text)
    page = await admin.get("/admin/events/dead-letters")
    first, second = open_letters
    assert f"/admin/events/dead-letters/{first.id}/retry" in post_forms(page.text)
    tokenless = await admin.post(
        f"/admin/events/dead-letters/{first.id}/discard", {"csrf_token": "forged"}
    )
    assert tokenless.status_code == 403
    forged = await editor.post(f"/admin/events/dead-letters/{first.id}/discard")
    assert forged.status_code == 403 and "may not do this" in forged.text
    other = await make_tenant(platform, f"d-{uuid.uuid4().hex[:12]}")
    stranger = await signed_in(other, Role.ADMIN)
    assert "Open dead letters 0" in text_of((await stranger.get("/admin")).text)
    foreign = await stranger.post(f"/admin/events/dead-letters/{first.id}/discard")
    assert foreign.status_code == 404
    assert len(await platform.events.operations.dead_letters(tenant_id=tenant.tenant_id)) == 2
    discarded = await followed(
        admin, await admin.post(f"/admin/events/dead-letters/{first.id}/discard")
    )
    assert flash(discarded.text) == "Dead letter discarded."
    async with platform.database.sessionmaker() as session, session.begin():
        await session.execute(
            update(EventRecord)
            .where(EventRecord.id == second.event_id)
            .values(
                payload={
                    "course_id": str(uuid.uuid4()),
                    "staging_url": "https://staging.example.com/x/",
                    "staging_domain": "staging.example.com",
                    "deployed_at": "2026-01-01T00:00:00Z",
                }
            )
        )
    retried = await followed(
        admin, await admin.post(f"/admin/events/dead-letters/{second.id}/retry")
    )
    assert flash(retried.text) == "Retried: processed."
    assert await platform.events.operations.dead_letters(tenant_id=tenant.tenant_id) == []
    again = await followed(admin, await admin.post(f"/admin/events/dead-letters/{first.id}/retry"))
    assert "is already discarded" in flash(again.text)


async def test_an_admin_creates_a_key_shown_once_lists_and_revokes_it(
    signed_in: SignIn, api: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    admin = await signed_in(tenant, Role.ADMIN)
    assert (await admin.post("/admin/keys", {"role": "owner"})).status_code == 422
    made = await admin.post("/admin/keys", {"role": "approver", "name": "Second approver"})
    assert made.status_code == 201
    key = re.search(r'<code class="secret" id="new-key">(brain_[^<]+)</code>', made.text)
    assert key is not None
    me = await api.get("/api/me", headers={"Authorization": f"Bearer {key[1]}"})
    assert me.json()["role"] == "approver"
    listing = await admin.get("/admin/keys")
    assert key[1] not in listing.text, "shown only once"
    assert "Second approver" in listing.text
    key_id = me.json()["api_key_id"]
    page = await followed(admin, await admin.post(f"/admin/keys/{key_id}/revoke"))
    assert flash(page.text).startswith("Key ") and flash(page.text).endswith(" revoked.")
    assert (
        await api.get("/api/me", headers={"Authorization": f"Bearer {key[1]}"})
    ).status_code == 401
    editor = await signed_in(tenant, Role.EDITOR)
    assert (await editor.get("/admin/keys")).status_code == 403
    assert "/admin/keys" not in (await editor.get("/admin")).text


async def test_pages_of_modules_not_installed_are_hidden_and_answer_404(
    dashboard_database_url: str, tmp_path: Path
) -> None:
    from tests.conftest import make_settings

    built = build_platform(
        make_settings(tmp_path, database_url=dashboard_database_url),
        modules=(FACTORY, COURSE_DISTRIBUTION, DASHBOARD),
    )
    try:
        app = create_app(built)
        tenant = await make_tenant(built, f"n-{uuid.uuid4().hex[:12]}")
        async with dashboard(app) as admin:
            assert (await admin.sign_in(tenant.keys[Role.ADMIN])).status_code == 303
            overview = await admin.get("/admin")
            assert overview.status_code == 200
            for path in ("/admin/content", "/admin/payments", "/admin/webhooks"):
                assert f'href="{path}"' not in overview.text
                page = await admin.get(path)
                assert page.status_code == 404
                assert "This part of the platform is not installed here." in page.text
            forged = await admin.post(f"/admin/payments/{uuid.uuid4()}/refund", {"amount": "1"})
            assert forged.status_code == 404
    finally:
        await built.close()


async def test_every_page_reads_in_german_too(
    signed_in: SignIn, platform: Platform, tenant: TenantKeys
) -> None:
    course_id = await course_of(platform, tenant)
    distribution_id = await distribution_of(platform, tenant, course_id)
    admin = await signed_in(tenant, Role.ADMIN)
    await admin.get("/admin/language?lang=de&next=/admin")
    for path, words in (
        ("/admin", "Übersicht"),
        ("/admin/courses", "Neuer Kurs"),
        ("/admin/courses/new", "Generierung starten"),
        (f"/admin/courses/{course_id}", "Gliederung"),
        ("/admin/approvals", "Freigaben"),
        ("/admin/distributions", "Veröffentlichungen"),
        (f"/admin/distributions/{distribution_id}", "Handlungsaufforderung"),
        ("/admin/events", "Ereignisse"),
        ("/admin/events/dead-letters", "Unzustellbare Ereignisse"),
        ("/admin/keys", "Schlüssel anlegen"),
        (f"/admin/content?course_id={course_id}", "Inhalte und Releases"),
        ("/admin/payments", "Käufer erscheinen mit ihrer anonymen Kennung"),
        ("/admin/webhooks", "Webhook-Endpunkte"),
    ):
        page = await admin.get(path)
        assert page.status_code == 200, path
        assert '<html lang="de">' in page.text and words in page.text, path
