"""No valid payload of any declared event type can exceed 1 KB.

Two proofs per type: an upper bound computed from the payload's JSON Schema (every string,
number and array must be bounded for it to exist), and the largest payload the schema admits,
built field by field and published.
"""

import json
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import brain.events.contracts  # noqa: F401 - fills CATALOG
from brain.events.catalog import CATALOG, MAX_PAYLOAD_BYTES, EventSpec, PayloadRejected
from brain.events.contracts import _types
from brain.events.contracts import course_content as content

SPECS = CATALOG.specs()
MAX_BYTES = _types.MAX_JSON_BYTES_KEY
LONGEST_DATETIME = len('"9999-12-31T23:59:59.999999+23:59"')
LONGEST_FLOAT = len("-2.2250738585072014e-308")
LONG_FLOAT = 1.2345678901234567e-05

# The largest string each pattern admits, by length.
FILLERS = {
    _types.SLUG_PATTERN: lambda n: "a" * n,
    _types.CODE_PATTERN: lambda n: "a" * n,
    _types.FIELD_PATH_PATTERN: lambda n: "a" * n,
    _types.URL_PATTERN: lambda n: "https://" + "~" * (n - 8),
    _types.HOSTNAME_PATTERN: lambda n: "a" * n,
    _types.RELATIVE_PATH_PATTERN: lambda n: "a" * n,
    _types.EXCEPTION_NAME_PATTERN: lambda n: "A" * n,
    _types.ACTOR_PATTERN: lambda n: "a" * n,
    _types.VERSION_PATTERN: lambda n: "v" + "9" * (n - 1),
    _types.CURRENCY_PATTERN: lambda n: "E" * n,
    content.PATH_PATTERN: lambda n: ".".join(["a" * 64] * ((n + 1) // 65)),
    content.VERSION_TAG_PATTERN: lambda n: "a" * n,
    content.IDENTIFIER_PATTERN: lambda n: "a" * n,
    content.COMMIT_PATTERN: lambda n: "a" * n,
    content.WORKFLOW_ID_PATTERN: lambda n: "a" * n,
    content.ERROR_CODE_PATTERN: lambda n: "A" * n,
}
# Cross-field rules the field-by-field maximum would break.
OVERRIDES: dict[str, dict[str, Any]] = {
    "course.workflow.transitioned": {"to_state": "PUBLISHED"},
    "distribution.version_bumped": {"from_version": "v99999"},
    "distribution.viewed": {"window_start": "9999-12-31T23:59:58.999999+00:00"},
    "distribution.enrollment_clicked": {"window_start": "9999-12-31T23:59:58.999999+00:00"},
}
# Characters by the bytes they take in UTF-8 JSON: a control character is escaped as \u0001.
BY_SIZE = {6: "\x01", 4: "😀", 3: "€", 2: "é", 1: "a"}


def resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rpartition("/")[2]]
    return schema


def upper_bound(schema: dict[str, Any], root: dict[str, Any]) -> int:
    """The most bytes a value valid against `schema` can take in compact UTF-8 JSON."""
    schema = resolve(schema, root)
    if "anyOf" in schema:
        return max(upper_bound(option, root) for option in schema["anyOf"])
    if "enum" in schema:
        return max(len(json.dumps(value, ensure_ascii=False).encode()) for value in schema["enum"])
    if "const" in schema:
        return len(json.dumps(schema["const"], ensure_ascii=False).encode())
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "uuid":
            return len(json.dumps(str(uuid.uuid4())))
        if schema.get("format") == "date-time":
            return LONGEST_DATETIME
        assert MAX_BYTES in schema, f"unbounded string: {schema}"
        return schema[MAX_BYTES] + 2
    if kind == "integer":
        assert "minimum" in schema and "maximum" in schema, f"unbounded integer: {schema}"
        return max(len(str(schema["minimum"])), len(str(schema["maximum"])))
    if kind == "number":
        assert "minimum" in schema and "maximum" in schema, f"unbounded number: {schema}"
        return LONGEST_FLOAT
    if kind == "boolean":
        return len("false")
    if kind == "null":
        return len("null")
    if kind == "array":
        assert "maxItems" in schema, f"unbounded array: {schema}"
        items = schema["maxItems"]
        return 2 + items * upper_bound(schema["items"], root) + max(items - 1, 0)
    if kind == "object":
        properties = schema["properties"]
        assert schema.get("additionalProperties") in (None, False), "open object"
        fields = [
            len(json.dumps(name)) + 1 + upper_bound(value, root)
            for name, value in properties.items()
        ]
        return 2 + sum(fields) + max(len(fields) - 1, 0)
    raise AssertionError(f"no bound for {schema}")


def worst_text(max_chars: int, max_bytes: int) -> str:
    """The string of at most `max_chars` characters taking exactly `max_bytes` bytes."""
    out, left = [], max_bytes
    while left:
        size = max(size for size in BY_SIZE if size <= left)
        out.append(BY_SIZE[size])
        left -= size
    assert len(out) <= max_chars
    return "".join(out)


def largest(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """The largest value `schema` admits (ignoring rules across fields)."""
    schema = resolve(schema, root)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if resolve(o, root).get("type") != "null"]
        return largest(max(options, key=lambda o: upper_bound(o, root)), root)
    if "enum" in schema:
        return max(schema["enum"], key=lambda value: len(json.dumps(value)))
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "uuid":
            return str(uuid.uuid4())
        if schema.get("format") == "date-time":
            return "9999-12-31T23:59:59.999999+00:00"
        if "pattern" in schema:
            assert schema["pattern"] in FILLERS, f"add a filler for {schema['pattern']}"
            return FILLERS[schema["pattern"]](schema["maxLength"])
        return worst_text(schema["maxLength"], schema[MAX_BYTES])
    if kind == "integer":
        return max(schema["minimum"], schema["maximum"], key=lambda n: (len(str(n)), n))
    if kind == "number":
        assert schema["minimum"] <= LONG_FLOAT <= schema["maximum"]
        return LONG_FLOAT
    if kind == "boolean":
        return False
    if kind == "array":
        return [largest(schema["items"], root) for _ in range(schema["maxItems"])]
    if kind == "object":
        return {name: largest(value, root) for name, value in schema["properties"].items()}
    raise AssertionError(f"cannot build {schema}")


def largest_payload(spec: EventSpec) -> dict[str, Any]:
    schema = spec.json_schema()
    return {**largest(schema, schema), **OVERRIDES.get(spec.type, {})}


def size(data: dict[str, Any]) -> int:
    return len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.type)
def test_the_schema_bounds_every_payload_under_1_kb(spec: EventSpec) -> None:
    schema = spec.json_schema()
    assert upper_bound(schema, schema) <= MAX_PAYLOAD_BYTES


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.type)
def test_the_largest_valid_payload_is_published_and_fits(spec: EventSpec) -> None:
    payload = largest_payload(spec)
    _, data = CATALOG.validate_for_publish(spec.type, payload, spec.version)
    schema = spec.json_schema()
    assert size(data) <= upper_bound(schema, schema) <= MAX_PAYLOAD_BYTES
    assert size(data) >= 0.9 * upper_bound(schema, schema), "the builder is not the worst case"


def test_the_largest_completed_event_is_close_to_the_limit() -> None:
    """The event that carries the most (seed 003 plus what the distribution needs) is the one
    whose string limits were budgeted; this pins the budget so a change is deliberate."""
    spec = CATALOG.get("course.generation.completed")
    schema = spec.json_schema()
    assert 950 <= upper_bound(schema, schema) <= MAX_PAYLOAD_BYTES


def test_a_string_over_its_byte_budget_is_refused_naming_the_field() -> None:
    spec = CATALOG.get("course.generation.completed")
    payload = largest_payload(spec)
    payload["title"] = "😀" * 38  # 38 characters, 152 bytes: within max_length, over the bytes
    with pytest.raises(PayloadRejected) as caught:
        CATALOG.validate_for_publish(spec.type, payload)
    assert caught.value.reason.startswith("title:")
    assert "152 bytes" in caught.value.reason


TEXT_FIELDS = [
    (spec, name, prop)
    for spec in SPECS
    for name, prop in spec.json_schema()["properties"].items()
    if prop.get("type") == "string" and "pattern" not in prop and MAX_BYTES in prop
]


def test_there_are_free_text_fields_to_try() -> None:
    assert {name for _, name, _ in TEXT_FIELDS} >= {"title", "description", "message", "reason"}


@given(st.data())
def test_any_text_in_any_free_text_field_never_breaks_the_size_limit(data: st.DataObject) -> None:
    spec, name, prop = data.draw(st.sampled_from(TEXT_FIELDS), label="field")
    text = data.draw(st.text(max_size=prop["maxLength"] + 5), label="text")
    payload = {**largest_payload(spec), name: text}
    try:
        CATALOG.validate_for_publish(spec.type, payload, spec.version)
        rejected = None
    except PayloadRejected as error:  # only ever for the field itself, never for the size
        rejected = error.reason
    assert rejected is None or rejected.startswith(f"{name}:"), rejected
