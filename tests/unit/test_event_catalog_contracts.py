"""Rules inside single payload contracts: ranges, cross-field rules, strict types, time zones."""

import json
from pathlib import Path
from typing import Any

import pytest

import brain.events.contracts  # noqa: F401 - fills CATALOG
from brain.events.catalog import CATALOG, PayloadRejected

EXAMPLES = Path(__file__).parent / "event_payload_examples"


def example(type: str, index: int = 0) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{type}.v1.json").read_text(encoding="utf-8"))[index]


def publish(type: str, **changes: Any) -> dict[str, Any]:
    return CATALOG.validate_for_publish(type, {**example(type), **changes})[1]


def refused(type: str, **changes: Any) -> str:
    with pytest.raises(PayloadRejected) as caught:
        publish(type, **changes)
    return caught.value.reason


@pytest.mark.parametrize(
    ("type", "field", "low", "high"),
    [
        ("course.outline.created", "modules_count", 4, 6),
        ("course.outline.created", "total_lessons", 12, 30),
    ],
)
def test_seed_003_ranges_are_enforced(type: str, field: str, low: int, high: int) -> None:
    assert publish(type, **{field: low})[field] == low
    assert publish(type, **{field: high})[field] == high
    assert refused(type, **{field: low - 1}).startswith(f"{field}:")
    assert refused(type, **{field: high + 1}).startswith(f"{field}:")


def test_a_quiz_has_10_to_15_questions_and_one_id_each() -> None:
    quiz = example("course.quiz.created")
    ids = quiz["question_ids"]
    assert publish("course.quiz.created", question_count=10, question_ids=ids[:10])
    assert refused("course.quiz.created", question_count=9, question_ids=ids[:9]).startswith(
        "question_count:"
    )
    assert "question_ids has 11 ids for question_count 12" in refused(
        "course.quiz.created", question_ids=ids[:11]
    )


def test_counts_are_strict_integers_and_flags_strict_booleans() -> None:
    assert refused("course.outline.created", modules_count="5").startswith("modules_count:")
    assert refused("course.outline.created", modules_count=5.0).startswith("modules_count:")
    assert refused("course.landing_page.created", has_hero="yes").startswith("has_hero:")
    assert refused("course.landing_page.created", has_hero=1).startswith("has_hero:")
    assert refused("course.generation.completed", execution_time_seconds="1.5").startswith(
        "execution_time_seconds:"
    )
    assert refused("course.generation.completed", execution_time_seconds=float("inf"))
    assert publish("course.generation.completed", execution_time_seconds=2)


def test_generation_completed_carries_what_the_distribution_needs() -> None:
    data = publish("course.generation.completed")
    assert {"title", "description", "language", "target_audiences", "dry_run"} <= set(data)
    assert publish("course.generation.completed", staging_url=None)["staging_url"] is None
    without_url = {
        k: v for k, v in example("course.generation.completed").items() if k != "staging_url"
    }
    assert (
        CATALOG.validate_for_publish("course.generation.completed", without_url)[1]["staging_url"]
        is None
    )
    assert "full_lessons_generated (13) exceeds total_lessons (12)" in refused(
        "course.generation.completed", total_lessons=12, full_lessons_generated=13
    )


def test_workflow_transition_names_an_approval_request_never_a_token() -> None:
    reason = refused("course.workflow.transitioned", approval_token="s3cr3t")
    assert "personal or secret" in reason
    assert "from_state and to_state are both REVIEW" in refused(
        "course.workflow.transitioned", from_state="REVIEW", to_state="REVIEW"
    )
    assert refused("course.workflow.transitioned", to_state="DONE").startswith("to_state:")


def test_lesson_revisions() -> None:
    generated = example("course.lesson.generated")
    assert "revision" not in generated
    assert publish("course.lesson.generated")["revision"] == 1
    assert publish("course.lesson.updated", revision=7)["revision"] == 7
    assert refused("course.lesson.updated", revision=1).startswith("revision:")


def test_timestamps_must_be_aware_and_are_stored_in_utc() -> None:
    data = publish("course.deployed.staging", deployed_at="2025-12-28T11:15:30+01:00")
    assert data["deployed_at"] == "2025-12-28T10:15:30Z"
    assert refused("course.deployed.staging", deployed_at="2025-12-28T10:15:30").startswith(
        "deployed_at:"
    )


def test_tracking_windows_are_ordered() -> None:
    for type in ("distribution.viewed", "distribution.enrollment_clicked"):
        start = example(type)["window_start"]
        assert "window_end must be after window_start" in refused(type, window_end=start)
    assert refused("distribution.enrollment_clicked", clicks=0).startswith("clicks:")


def test_tracking_events_carry_no_visitor_data() -> None:
    for type in ("distribution.viewed", "distribution.enrollment_clicked"):
        fields = set(CATALOG.get(type).payload.model_fields)
        assert fields <= {
            "distribution_id",
            "course_id",
            "views",
            "clicks",
            "window_start",
            "window_end",
        }
        assert "personal or secret" in refused(type, visitor_ip="203.0.113.7")


def test_visibility_of_publish_and_unpublish() -> None:
    assert publish("distribution.published", visibility="UNLISTED")["visibility"] == "UNLISTED"
    assert refused("distribution.published", visibility="PRIVATE").startswith("visibility:")
    assert refused("distribution.unpublished", visibility="PUBLIC").startswith("visibility:")
    assert publish("distribution.created", visibility="PUBLIC")


def test_version_bumps_go_up_and_keep_their_message_short() -> None:
    assert publish("distribution.version_bumped", from_version="v9", to_version="v10")
    assert "to_version v1 is not after v2" in refused(
        "distribution.version_bumped", from_version="v2", to_version="v1"
    )
    assert refused("distribution.version_bumped", to_version="2").startswith("to_version:")
    assert publish("distribution.version_bumped", message="ä" * 200)
    assert refused("distribution.version_bumped", message="x" * 201).startswith("message:")


def test_a_micro_niche_variant_is_not_its_own_parent() -> None:
    variant = example("distribution.micro_niche_created")
    assert "own parent" in refused(
        "distribution.micro_niche_created", parent_distribution_id=variant["distribution_id"]
    )


def test_distribution_updates_name_their_fields() -> None:
    assert refused("distribution.updated", changed_fields=[]).startswith("changed_fields:")
    assert refused("distribution.updated", changed_fields=["SEO Title"]).startswith(
        "changed_fields.0:"
    )


def test_slugs_urls_and_codes_are_plain_ascii() -> None:
    assert refused("distribution.created", slug="Über-Uns").startswith("slug:")
    assert refused("distribution.created", slug="a--b").startswith("slug:")
    assert refused("course.distribution.completed", url='https://x.example/"q"').startswith("url:")
    assert refused("course.generation.completed", evidence_pack_path="../etc/passwd").startswith(
        "evidence_pack_path:"
    )
    assert refused("course.generation.requested", target_audiences=["Private People"]).startswith(
        "target_audiences.0:"
    )


def test_payments_use_integer_minor_units_and_iso_currencies() -> None:
    assert publish("course.payment.required", amount_minor=1, currency="CHF")
    assert refused("course.payment.required", amount_minor=0).startswith("amount_minor:")
    assert refused("course.payment.required", amount_minor=49.5).startswith("amount_minor:")
    assert refused("course.payment.required", currency="EURO").startswith("currency:")
    fields = set(CATALOG.get("course.payment.required").payload.model_fields)
    assert fields == {"payment_id", "course_id", "buyer_id", "amount_minor", "currency"}


def test_reading_is_tolerant_of_fields_added_later() -> None:
    payload = {**example("distribution.deleted"), "reason_code": "duplicate"}
    parsed = CATALOG.parse("distribution.deleted", 1, payload)
    assert not hasattr(parsed, "reason_code")
    with pytest.raises(PayloadRejected, match="slug"):
        CATALOG.parse("distribution.deleted", 1, {**payload, "slug": "Not A Slug"})
