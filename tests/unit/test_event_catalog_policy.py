"""The publish policy: no personal, payment or secret data at any depth, known types and fields
only, valid values, and at most 1 KB."""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import create_model

import brain.events.contracts  # noqa: F401 - fills CATALOG
from brain.events.catalog import (
    CATALOG,
    CREDENTIAL_QUALIFIERS,
    FORBIDDEN_PAIRS,
    FORBIDDEN_SEGMENTS,
    MAX_PAYLOAD_BYTES,
    Catalog,
    EventPayload,
    PayloadRejected,
    UnknownEventType,
    names_sensitive_data,
)

COURSE_ID = "3f6c2a1e-8b7d-4c59-9e2a-1d4b5c6e7f80"
REQUESTED = "course.distribution.requested"  # payload: {"course_id": ...}

FORBIDDEN_KEYS = [
    "email",
    "customer_email",
    "phoneNumber",
    "iban",
    "card_number",
    "api_key",
    "apiKey",
    "APIKey",
    "access_token",
    "accessToken",
    "password",
    "client_secret",
    "bank_account",
    "approval_token",
    # plural and glued spellings
    "emails",
    "api_keys",
    "passwords",
    "useremail",
    "creditcard",
    # people and visitors
    "first_name",
    "ip_address",
    "visitor_ip",
    "user_agent",
]
ALLOWED_KEYS = [
    "staging_url",
    "approval_request_id",
    "buyer_id",
    "lesson_id",
    "transaction_id",
    "amount_minor",
    "title",
    "lesson_title",
    "template_id",
]

# "tokens" is allowed: on this platform it counts LLM tokens. The singular "token" names a
# credential and is always refused, and so are credential kinds of tokens in the plural.
COUNTED_TOKEN_KEYS = ["tokens_used", "prompt_tokens", "completion_tokens", "max_tokens", "tokens"]
CREDENTIAL_TOKEN_KEYS = ["token", "access_tokens", "refreshTokens", "id_tokens", "approval_tokens"]


class Free(EventPayload):
    """A test payload that takes any nested data and any text."""

    course_id: str
    data: Any = None
    note: str = ""


def free_catalog(*fields: str) -> Catalog:
    """A catalog with one test type whose payload also has the optional int `fields`."""
    model = create_model("Wide", __base__=Free, **dict.fromkeys(fields, (int | None, None)))
    catalog = Catalog()
    catalog.declare(
        "course.test.happened",
        model,
        description="Emitted when a test ran.",
        source_module="course_factory",
        producer="test",
        aggregate_field="course_id",
    )
    return catalog


def rejection(type: str, payload: dict[str, Any], catalog: Catalog = CATALOG) -> str:
    with pytest.raises(PayloadRejected) as caught:
        catalog.validate_for_publish(type, payload)
    assert caught.value.event_type == type
    return caught.value.reason


# --- personal and secret data ----------------------------------------------------------------


@pytest.mark.parametrize("key", FORBIDDEN_KEYS)
def test_a_sensitive_key_is_rejected_at_the_top(key: str) -> None:
    reason = rejection(REQUESTED, {"course_id": COURSE_ID, key: "x"})
    assert "personal or secret" in reason and key in reason


@pytest.mark.parametrize("key", FORBIDDEN_KEYS)
def test_a_sensitive_key_is_rejected_inside_a_dict(key: str) -> None:
    reason = rejection(
        "course.test.happened", {"course_id": "c", "data": {"a": {key: 1}}}, free_catalog()
    )
    assert f"data.a.{key}" in reason


@pytest.mark.parametrize("key", FORBIDDEN_KEYS)
def test_a_sensitive_key_is_rejected_inside_a_list(key: str) -> None:
    payload = {"course_id": "c", "data": [{"ok": 1}, {"items": [{key: "x"}]}]}
    reason = rejection("course.test.happened", payload, free_catalog())
    assert f"data[1].items[0].{key}" in reason


@pytest.mark.parametrize("key", ALLOWED_KEYS + COUNTED_TOKEN_KEYS)
def test_ordinary_keys_pass(key: str) -> None:
    assert not names_sensitive_data(key)
    catalog = free_catalog(key)
    _, data = catalog.validate_for_publish("course.test.happened", {"course_id": "c", key: 3})
    assert data[key] == 3
    catalog.validate_for_publish("course.test.happened", {"course_id": "c", "data": {key: 1}})


@pytest.mark.parametrize("key", CREDENTIAL_TOKEN_KEYS)
def test_credential_tokens_are_refused(key: str) -> None:
    assert names_sensitive_data(key)
    reason = rejection(
        "course.test.happened", {"course_id": "c", "data": [{key: "x"}]}, free_catalog()
    )
    assert key in reason


def test_values_are_not_keys() -> None:
    """Only keys are judged: a reason text may mention a card without carrying one."""
    _, data = CATALOG.validate_for_publish(
        "course.payment.failed",
        {
            "payment_id": str(uuid.uuid4()),
            "course_id": COURSE_ID,
            "reason": "card declined by the provider",
            "retry_count": 0,
        },
    )
    assert data["reason"] == "card declined by the provider"


WORDS = [
    "course",
    "id",
    "title",
    "count",
    "staging",
    "url",
    "approval",
    "request",
    "lesson",
    "module",
    "used",
    "total",
    "views",
    "clicks",
    "window",
    "start",
    "end",
    "slug",
    "version",
    "state",
    "language",
    "target",
    "group",
    "distribution",
    "payment",
    "amount",
    "minor",
    "currency",
    "reason",
    "retry",
    "quiz",
    "question",
    "sections",
    "hero",
    "pricing",
    "prompt",
]
SENSITIVE = sorted(FORBIDDEN_SEGMENTS)
words = st.lists(st.sampled_from(WORDS), min_size=0, max_size=3)


def join(parts: list[str], style: str) -> str:
    if style == "camel":
        return parts[0] + "".join(part.capitalize() for part in parts[1:])
    return {"snake": "_", "kebab": "-", "dotted": "."}[style].join(parts)


styles = st.sampled_from(["snake", "camel", "kebab", "dotted"])


@st.composite
def ordinary_keys(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    if draw(st.booleans()):  # LLM token counts, after no word that makes them credentials
        places = [
            i for i in range(len(parts) + 1) if i == 0 or parts[i - 1] not in CREDENTIAL_QUALIFIERS
        ]
        parts.insert(draw(st.sampled_from(places)), "tokens")
    return join(parts, draw(styles))


@st.composite
def sensitive_keys(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        middle = [draw(st.sampled_from(SENSITIVE))]
        # Plurals are refused too, except "tokens" (see COUNTED_TOKEN_KEYS).
        if draw(st.booleans()) and not middle[0].endswith("s") and middle[0] != "token":
            middle = [middle[0] + "s"]
    else:
        middle = list(draw(st.sampled_from(sorted(FORBIDDEN_PAIRS))))
    return join(draw(words) + middle + draw(words), draw(styles))


@st.composite
def nested_around(draw: st.DrawFn, key: str) -> Any:
    """`{key: …}` buried at a random depth in dicts and lists with ordinary keys."""
    value: Any = {key: draw(st.sampled_from([1, "x", None, [1, 2]]))}
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            value = [draw(st.integers(0, 3)), value]
        else:
            value = {draw(ordinary_keys()): value, "n": 1}
    return value


@given(st.data())
def test_keys_built_from_ordinary_words_are_never_rejected(data: st.DataObject) -> None:
    key = data.draw(ordinary_keys())
    assert not names_sensitive_data(key), key
    payload = {"course_id": "c", "data": data.draw(nested_around(key))}
    free_catalog().validate_for_publish("course.test.happened", payload)


@given(st.data())
def test_a_key_with_a_sensitive_word_is_rejected_at_any_depth(data: st.DataObject) -> None:
    key = data.draw(sensitive_keys())
    assert names_sensitive_data(key), key
    payload = {"course_id": COURSE_ID, "data": data.draw(nested_around(key))}
    reason = rejection("course.test.happened", payload, free_catalog())
    assert "personal or secret" in reason and key in reason
    top = {"course_id": COURSE_ID, key: data.draw(nested_around("n"))}
    assert key in rejection(REQUESTED, top)


# --- types, fields, values, size -------------------------------------------------------------


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(UnknownEventType):
        CATALOG.validate_for_publish("course.generation.started", {"course_id": COURSE_ID})
    with pytest.raises(UnknownEventType):
        CATALOG.parse("course.nothing.happened", 1, {})
    with pytest.raises(UnknownEventType, match="version 9"):
        CATALOG.validate_for_publish(REQUESTED, {"course_id": COURSE_ID}, version=9)


def test_an_unknown_field_is_refused_when_publishing_and_ignored_when_reading() -> None:
    payload = {"course_id": COURSE_ID, "priority": "high"}
    assert "unknown payload fields: ['priority']" in rejection(REQUESTED, payload)
    parsed = CATALOG.parse(REQUESTED, 1, payload)
    assert str(parsed.course_id) == COURSE_ID


@pytest.mark.parametrize(
    ("type", "payload", "field"),
    [
        ("course.outline.created", {"modules_count": "five"}, "modules_count"),
        ("course.outline.created", {"modules_count": 7}, "modules_count"),
        ("course.outline.created", {"total_lessons": 11}, "total_lessons"),
        ("course.outline.created", {"course_id": "not-a-uuid"}, "course_id"),
        ("course.outline.created", {"template_id": "Banking Alternatives"}, "template_id"),
        ("distribution.published", {"visibility": "PRIVATE"}, "visibility"),
        ("distribution.viewed", {"views": 0}, "views"),
        ("course.deployed.staging", {"deployed_at": "2025-12-28T10:15:30"}, "deployed_at"),
        ("course.deployed.staging", {"staging_url": "ftp://x.example"}, "staging_url"),
        ("course.generation.requested", {"language": "it"}, "language"),
        ("course.generation.requested", {"target_audiences": []}, "target_audiences"),
        ("course.payment.required", {"currency": "eur"}, "currency"),
        ("course.payment.required", {"amount_minor": "49.00"}, "amount_minor"),
    ],
)
def test_a_wrong_value_is_refused_naming_the_field(
    type: str, payload: dict[str, Any], field: str
) -> None:
    valid = json.loads(_example_path(type).read_text(encoding="utf-8"))[0]
    reason = rejection(type, {**valid, **payload})
    assert reason.startswith(f"{field}:"), reason


def test_a_missing_field_is_named() -> None:
    assert rejection(REQUESTED, {}).startswith("course_id: Field required")


def _example_path(type: str) -> Path:
    return Path(__file__).parent / "event_payload_examples" / f"{type}.v1.json"


def test_the_size_limit_is_1_kb_of_compact_utf8_json() -> None:
    catalog = free_catalog()
    overhead = len('{"course_id":"c","data":null,"note":""}')
    fits = {"course_id": "c", "note": "x" * (MAX_PAYLOAD_BYTES - overhead)}
    catalog.validate_for_publish("course.test.happened", fits)
    too_big = {"course_id": "c", "note": "x" * (MAX_PAYLOAD_BYTES - overhead + 1)}
    reason = rejection("course.test.happened", too_big, catalog)
    assert f"is {MAX_PAYLOAD_BYTES + 1} bytes" in reason
    # "ü" is 2 bytes of UTF-8, however a JSON library might escape it.
    umlauts = {"course_id": "c", "note": "ü" * ((MAX_PAYLOAD_BYTES - overhead) // 2)}
    catalog.validate_for_publish("course.test.happened", umlauts)
    umlauts["note"] += "ü"
    assert "bytes serialized" in rejection("course.test.happened", umlauts, catalog)


def test_a_publishable_model_instance_goes_through_the_same_checks() -> None:
    payload = CATALOG.get(REQUESTED).payload(course_id=uuid.UUID(COURSE_ID))
    spec, data = CATALOG.validate_for_publish(REQUESTED, payload)
    assert spec.type == REQUESTED and data == {"course_id": COURSE_ID}
