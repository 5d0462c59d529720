"""The platform's event catalog: what is declared, what is exported, that it stays compatible."""

import json
from pathlib import Path

import pytest
from pydantic import Field

import brain.events.contracts  # noqa: F401 - fills CATALOG
from brain.events import export
from brain.events.catalog import (
    CATALOG,
    Catalog,
    CatalogError,
    EventPayload,
    EventSpec,
    names_sensitive_data,
)
from brain.events.compat import breaking_changes

EXAMPLES = Path(__file__).parent / "event_payload_examples"

DISTRIBUTION_EVENTS = [
    "distribution.created",
    "distribution.updated",
    "distribution.deleted",
    "distribution.published",
    "distribution.unpublished",
    "distribution.viewed",
    "distribution.enrollment_clicked",
    "distribution.micro_niche_created",
    "distribution.version_bumped",
]
COURSE_EVENTS = [
    "course.generation.requested",
    "course.outline.created",
    "course.lesson.generated",
    "course.quiz.created",
    "course.landing_page.created",
    "course.generation.completed",
    "course.generation.failed",
    "course.workflow.transitioned",
    "course.deployed.staging",
    "course.lesson.updated",
    "course.access.granted",
    "course.access.revoked",
]
PAYMENT_EVENTS = [
    "course.payment.required",
    "course.payment.completed",
    "course.payment.failed",
    "course.payment.refunded",
    "course.payment.flagged",
]
DISTRIBUTION_REQUEST_EVENTS = [
    "course.distribution.requested",
    "course.distribution.completed",
    "course.distribution.failed",
]
CONTENT_EVENTS = [
    "course_content.created",
    "course_content.updated",
    "course_content.moved",
    "course_content.deleted",
    "example.version_created",
    "course_content.example_assigned",
    "course_content.example_unassigned",
    "course_content.release.requested",
    "course_content.release.completed",
    "course_content.release.failed",
    "course_content.deployment.completed",
    "course_content.deployment.failed",
    "course_content.deployment.rolled_back",
]
INTEGRATION_EVENTS = [
    "webhook.endpoint.created",
    "webhook.endpoint.updated",
    "webhook.endpoint.deleted",
    "webhook.endpoint.secret_rotated",
    "webhook.endpoint.disabled",
    "webhook.test.requested",
    "alert.raised",
]
REQUIRED = (
    DISTRIBUTION_EVENTS
    + COURSE_EVENTS
    + PAYMENT_EVENTS
    + DISTRIBUTION_REQUEST_EVENTS
    + CONTENT_EVENTS
    + INTEGRATION_EVENTS
)


def test_every_required_event_type_is_declared() -> None:
    assert len(set(REQUIRED)) == len(REQUIRED), "an event type is listed twice"
    missing = [type for type in REQUIRED if type not in CATALOG]
    assert missing == []


def test_nothing_undeclared_by_this_list_sneaks_in() -> None:
    assert sorted(CATALOG.types()) == sorted(REQUIRED)


def test_the_seed_002_name_started_is_not_used() -> None:
    assert "course.generation.started" not in CATALOG


@pytest.mark.parametrize(
    ("types", "source_module", "aggregate_field"),
    [
        (DISTRIBUTION_EVENTS, "course_distribution", "distribution_id"),
        (COURSE_EVENTS, "course_factory", "course_id"),
        (PAYMENT_EVENTS, "payments", "payment_id"),
        (["course.distribution.requested"], "course_factory", "course_id"),
        (DISTRIBUTION_REQUEST_EVENTS[1:], "course_distribution", "course_id"),
        (INTEGRATION_EVENTS[:-1], "integrations", "endpoint_id"),
        (["alert.raised"], "integrations", "alert_id"),
        (
            [t for t in CONTENT_EVENTS if t.startswith("course_content.")],
            "course_content",
            "course_id",
        ),
        (["example.version_created"], "course_content", "example_id"),
    ],
)
def test_owner_and_aggregate_of_each_type(
    types: list[str], source_module: str, aggregate_field: str
) -> None:
    for type in types:
        spec = CATALOG.get(type)
        assert (spec.source_module, spec.aggregate_field) == (source_module, aggregate_field), type


@pytest.mark.parametrize("spec", CATALOG.specs(), ids=lambda spec: spec.type)
def test_each_declaration_is_documented(spec: EventSpec) -> None:
    assert spec.description.startswith("Emitted when ")
    assert "\n" not in spec.description
    assert spec.producer
    assert spec.producer.replace("_", "").isalpha() and spec.producer.islower()
    # Past tense: `course.quiz.created`, `course.deployed.staging` (seed 003's name),
    # `course_content.deployment.rolled_back`.
    words = [word for part in spec.type.split(".")[1:] for word in part.split("_")]
    assert any(word.endswith("ed") for word in words), spec.type


def test_producers_follow_seed_003() -> None:
    assert CATALOG.get("course.generation.requested").producer == "course_factory_service"
    assert CATALOG.get("course.workflow.transitioned").producer == "workflow_state_machine"
    assert CATALOG.get("distribution.published").producer == "distribution_service"


def test_brief_conflict_fixes_are_in_the_schemas() -> None:
    completed = CATALOG.get("course.generation.completed").payload.model_fields
    for field in ("title", "description", "language", "target_audiences", "dry_run"):
        assert field in completed
    assert "staging_url" in completed
    transitioned = CATALOG.get("course.workflow.transitioned").payload.model_fields
    assert "approval_token" not in transitioned
    assert "approval_request_id" in transitioned
    assert "tenant_id" in CATALOG.get("course.generation.requested").payload.model_fields


def test_no_declared_field_anywhere_names_personal_or_secret_data() -> None:
    for spec in CATALOG.specs():
        properties = spec.json_schema()["properties"]
        assert not [name for name in properties if names_sensitive_data(name)], spec.type


# --- exports -------------------------------------------------------------------------------


def test_the_committed_exports_are_up_to_date() -> None:
    stale = export.outdated(export.expected_files())
    assert stale == [], "run `python -m brain.events.export` and commit the result"


def test_check_mode_lists_missing_and_differing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh, changed, missing = (
        tmp_path / "fresh.json",
        tmp_path / "changed.json",
        tmp_path / "no.json",
    )
    files = {path: export.render({"name": path.name}) for path in (fresh, changed, missing)}
    fresh.write_text(files[fresh])
    changed.write_text("{}\n")
    monkeypatch.setattr(export, "expected_files", lambda: files)

    assert export.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert str(changed) in out and str(missing) in out and str(fresh) not in out
    assert changed.read_text() == "{}\n" and not missing.exists(), "--check writes nothing"

    assert export.main([]) == 0
    assert export.main(["--check"]) == 0
    assert changed.read_text() == files[changed]


def test_write_rewrites_only_what_differs(tmp_path: Path) -> None:
    files = {tmp_path / "a.json": export.render({"b": 1, "a": [1]})}
    assert export.write(files) == [tmp_path / "a.json"]
    assert (tmp_path / "a.json").read_text() == '{\n  "a": [\n    1\n  ],\n  "b": 1\n}\n'
    assert export.write(files) == []
    assert export.outdated(files) == []


def test_one_schema_file_per_type_and_version() -> None:
    names = sorted(path.name for path in export.SCHEMA_DIR.glob("*.json"))
    assert names == sorted(f"{spec.type}.v{spec.version}.json" for spec in CATALOG.specs())
    for spec in CATALOG.specs():
        text = (export.SCHEMA_DIR / export.schema_file_name(spec)).read_text(encoding="utf-8")
        assert text.endswith("}\n")
        document = json.loads(text)
        assert document["$id"] == f"{spec.type}.v{spec.version}.json"
        assert document["description"] == spec.description


def test_the_asyncapi_document_describes_the_stream_and_every_message() -> None:
    document = json.loads((export.PROJECT_ROOT / export.ASYNCAPI_PATH).read_text("utf-8"))
    assert document["asyncapi"] == "3.0.0"
    (channel,) = document["channels"].values()
    assert channel["address"] == "brain:events:stream"
    assert document["servers"]["redis"]["protocol"] == "redis"
    messages = document["components"]["messages"]
    assert sorted(message["name"] for message in messages.values()) == sorted(REQUIRED)
    assert sorted(channel["messages"]) == sorted(messages)
    for action in ("send", "receive"):
        (operation,) = [op for op in document["operations"].values() if op["action"] == action]
        assert len(operation["messages"]) == len(messages)
    headers = document["components"]["schemas"]["EventHeaders"]
    assert set(headers["properties"]) == {"id", "type", "source", "target", "timestamp", "meta"}
    assert set(headers["properties"]["meta"]["properties"]) == {
        "schema_version",
        "producer",
        "source_module",
        "tenant_id",
        "correlation_id",
        "causation_id",
        "sequence",
        "aggregate_id",
    }
    for key, message in messages.items():
        spec = CATALOG.get(message["name"], int(key.rpartition(".v")[2]))
        assert message["summary"] == spec.description
        assert message["title"] == f"{spec.type} v{spec.version}"
        schema_name = message["payload"]["$ref"].removeprefix("#/components/schemas/")
        assert document["components"]["schemas"][schema_name] == spec.json_schema()
        assert message["headers"]["allOf"][0] == {"$ref": "#/components/schemas/EventHeaders"}


def test_every_local_reference_of_the_asyncapi_document_resolves() -> None:
    document = json.loads((export.PROJECT_ROOT / export.ASYNCAPI_PATH).read_text("utf-8"))

    def references(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return found + [ref for value in node.values() for ref in references(value)]
        if isinstance(node, list):
            return [ref for item in node for ref in references(item)]
        return []

    refs = references(document)
    assert refs
    for ref in refs:
        assert ref.startswith("#/")
        target: object = document
        for part in ref[2:].split("/"):
            assert isinstance(target, dict) and part in target, ref
            target = target[part]


# --- compatibility of the committed schemas ------------------------------------------------


def test_committed_schemas_are_not_broken_by_the_current_models() -> None:
    committed = export.committed_schemas()
    assert committed, "no committed schema files found"
    problems: list[str] = []
    for (type, version), old in committed.items():
        try:
            spec = CATALOG.get(type, version)
        except CatalogError:
            problems.append(f"{type} v{version}: committed but no longer declared")
            continue
        problems += [
            f"{type} v{version}: {problem}"
            for problem in breaking_changes(old, export.schema_document(spec))
        ]
    assert problems == [], "a breaking change needs a new version (a new schema file)"


# --- examples of real payloads -------------------------------------------------------------


def _examples() -> list:
    found = []
    for path in sorted(EXAMPLES.glob("*.json")):
        type, _, version = path.name.removesuffix(".json").rpartition(".v")
        for index, payload in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            found.append(pytest.param(type, int(version), payload, id=f"{path.stem}-{index}"))
    return found


def test_every_declared_type_and_version_has_an_example() -> None:
    have = {(example.values[0], example.values[1]) for example in _examples()}
    assert have == {spec.key for spec in CATALOG.specs()}


@pytest.mark.parametrize(("type", "version", "payload"), _examples())
def test_stored_example_payloads_still_validate(type: str, version: int, payload: dict) -> None:
    parsed = CATALOG.parse(type, version, payload)
    assert isinstance(parsed, CATALOG.get(type, version).payload)
    spec, data = CATALOG.validate_for_publish(type, payload, version)
    assert spec.version == version
    assert CATALOG.parse(type, version, data) == parsed


# --- declarations --------------------------------------------------------------------------


def test_a_payload_model_with_a_personal_field_cannot_be_declared() -> None:
    class Signup(EventPayload):
        course_id: str
        user_email: str

    with pytest.raises(CatalogError, match="user_email"):
        Catalog().declare(
            "course.signup.created",
            Signup,
            description="Emitted when someone signed up.",
            source_module="course_factory",
            producer="test",
            aggregate_field="course_id",
        )


@pytest.mark.parametrize("field", ["approval_token", "buyerPhoneNumbers", "card_number", "apiKey"])
def test_no_sensitive_field_name_is_declarable(field: str) -> None:
    model = type(
        "Payload",
        (EventPayload,),
        {"__annotations__": {"course_id": str, field: str}, field: Field(default="")},
    )
    with pytest.raises(CatalogError, match="personal or secret"):
        Catalog().declare(
            "course.thing.happened",
            model,
            description="Emitted when a thing happened.",
            source_module="course_factory",
            producer="test",
            aggregate_field="course_id",
        )
