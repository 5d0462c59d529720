"""The pages of the contracts no module provides yet (content and releases, payments, webhooks)
render the contracts' views in both languages; their routes are exercised once a module provides
the contract, these tests keep the templates honest until then."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from brain.dashboard.rendering import Operator, Pager, templates
from brain.dashboard.sessions import Session
from brain.dashboard.strings import LANGUAGES, strings
from brain.kernel.admin_contracts import (
    AccessGrants,
    AccessGrantView,
    ContentNodeView,
    CourseSummary,
    DeploymentHistoryView,
    DeploymentView,
    ExampleVersionView,
    Page,
    PaymentDetail,
    PaymentEventView,
    PaymentView,
    ProgressView,
    ReleaseOutcomeView,
    ReleaseView,
    RepositoryView,
    WebhookDeliveryView,
    WebhookEndpointView,
    WebhookSecretShown,
)
from brain.kernel.auth import Principal, Role

NOW = datetime(2026, 1, 31, 14, 0, tzinfo=UTC)
COURSE = uuid.uuid4()


ADMIN = Operator(
    principal=Principal(uuid.uuid4(), uuid.uuid4(), Role.ADMIN),
    session=Session(key_id=uuid.uuid4(), nonce="n", started_at=0, tenant_name="acme"),
    csrf="token",
)


def render(template: str, lang: str, **context: Any) -> str:
    return templates.get_template(f"admin/{template}").render(
        t=strings(lang),
        lang=lang,
        title="x",
        operator=ADMIN,
        csrf="token",
        nav=[("/admin", "overview")],
        here="/admin/x",
        languages=[],
        flash=None,
        **context,
    )


def deployment(content_id: uuid.UUID) -> DeploymentView:
    return DeploymentView(
        deployment_id=uuid.uuid4(),
        content_id=content_id,
        example_version_id=uuid.uuid4(),
        example_identifier="python.loops.fizzbuzz",
        version_tag="v2",
        status="deployed",
        message=None,
        has_newer_version=True,
        deployment_path="module_01/exercise",
        version_identifier="a" * 40,
        deployed_at=NOW,
        workflow_id="release-x",
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_content_pages_render_a_tree_its_deployments_releases_and_history(lang: str) -> None:
    assignment = uuid.uuid4()
    release = ReleaseView(
        workflow_id=f"release-{COURSE}",
        run_id="run-7",
        course_id=COURSE,
        status="completed",
        commit_sha="b" * 40,
        deployed=1,
        failed=0,
        started_at=NOW,
        finished_at=NOW,
        outcomes=(ReleaseOutcomeView(assignment, "module_01/exercise", "deployed", None),),
    )
    page = render(
        "content.html.j2",
        lang,
        courses=(CourseSummary(COURSE, "Budget", "en", "completed", "REVIEW", _done(), NOW),),
        course_id=COURSE,
        tree=(
            ContentNodeView(uuid.uuid4(), COURSE, "module_01", 0, "unit", "Basics", False, None),
            ContentNodeView(
                assignment,
                COURSE,
                "module_01.exercise",
                1,
                "assignment",
                "Exercise",
                True,
                deployment(assignment),
            ),
        ),
        versions=(
            ExampleVersionView(uuid.uuid4(), uuid.uuid4(), "python.loops", "Loops", "v3", 3, NOW),
        ),
        releases=(release,),
        repository=RepositoryView("/srv/git/x.git", "main", "b" * 40, ("module_01/README.md",)),
    )
    assert "module_01.exercise" in page and "python.loops.fizzbuzz" in page
    assert f"/admin/content/{assignment}/assign" in page
    assert "module_01/README.md" in page and strings(lang)["start_release"] in page
    assert "/admin/content/releases/run-7?course_id=" in page, "a release is linked by its run"
    history = render(
        "content_history.html.j2",
        lang,
        content_id=assignment,
        course_id=COURSE,
        entries=(
            DeploymentHistoryView(
                uuid.uuid4(), "deployed", "v2", "v1", "w", "c" * 40, None, "system", NOW
            ),
            DeploymentHistoryView(
                uuid.uuid4(), "assigned", "v1", None, None, None, None, "system", NOW
            ),
        ),
    )
    assert history.count(f"/admin/content/{assignment}/rollback") == 1
    shown = render("content_release.html.j2", lang, r=release)
    assert "b" * 40 in shown and "module_01/exercise" in shown
    assert strings(lang)["release_refreshing"] not in shown
    running = render(
        "content_release.html.j2",
        lang,
        r=dataclasses.replace(release, status="running", finished_at=None),
    )
    assert strings(lang)["release_refreshing"] in running


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_payment_pages_render_payments_refunds_and_access_grants(lang: str) -> None:
    payment = PaymentView(
        uuid.uuid4(), COURSE, uuid.uuid4(), "paid", 1990, "EUR", 0, "buyer_7f3a", NOW, NOW
    )
    listed = render(
        "payments.html.j2",
        lang,
        page=Page((payment,), 1, 0, 25),
        grants=AccessGrants(
            COURSE,
            1,
            0,
            (AccessGrantView(uuid.uuid4(), "buyer_7f3a", payment.payment_id, NOW, None),),
        ),
        filters={"status": None, "course_id": None},
        errors=None,
        statuses=("pending", "paid", "refunded"),
        pager=Pager.of(Page((payment,), 1, 0, 25), "/admin/payments", {}, "{n}/{total}"),
    )
    assert "19.90 EUR" in listed and "buyer_7f3a" in listed
    detail = render(
        "payment.html.j2",
        lang,
        p=PaymentDetail(payment, (PaymentEventView("evt_1", "checkout.session.completed", NOW),)),
    )
    assert f"/admin/payments/{payment.payment_id}/refund" in detail
    assert "checkout.session.completed" in detail


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_webhook_pages_render_endpoints_a_secret_once_and_deliveries(lang: str) -> None:
    endpoint = WebhookEndpointView(
        uuid.uuid4(), "https://hooks.example/x", ("distribution.*",), "CRM", True, False, NOW
    )
    listed = render(
        "webhooks.html.j2",
        lang,
        endpoints=(endpoint,),
        shown=WebhookSecretShown(endpoint, "whsec_abc"),
        errors=None,
        values={"url": "", "event_types": "", "description": ""},
    )
    assert "whsec_abc" in listed and "https://hooks.example/x" in listed
    delivery = WebhookDeliveryView(
        uuid.uuid4(),
        endpoint.endpoint_id,
        uuid.uuid4(),
        "distribution.published",
        "failed",
        3,
        500,
        120,
        "oops",
        NOW,
        NOW,
    )
    page = Page((delivery,), 1, 0, 25)
    detail = render(
        "webhook.html.j2",
        lang,
        e=endpoint,
        page=page,
        shown=None,
        pager=Pager.of(page, "/admin/webhooks/x", {}, "{n}/{total}"),
    )
    assert f"/admin/webhooks/deliveries/{delivery.delivery_id}/redeliver" in detail
    assert f"/admin/webhooks/{endpoint.endpoint_id}/disable" in detail


def _done() -> ProgressView:
    return ProgressView("completed", 3, 3, None, True)
