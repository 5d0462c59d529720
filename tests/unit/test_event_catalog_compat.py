"""`breaking_changes`: which schema changes at one event version break consumers."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from brain.events.catalog import EventPayload
from brain.events.compat import breaking_changes

OLD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "course_id": {"type": "string", "format": "uuid"},
        "title": {"type": "string", "maxLength": 100},
        "count": {"type": "integer", "minimum": 0},
        "state": {"enum": ["DRAFT", "REVIEW"], "type": "string"},
        "staging_url": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "ids": {"type": "array", "items": {"type": "string", "format": "uuid"}},
        "kind": {"$ref": "#/$defs/Kind"},
    },
    "required": ["course_id", "title", "count", "state", "ids", "kind"],
    "$defs": {"Kind": {"enum": ["a", "b"], "type": "string"}},
}


def changed(edit: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    new = copy.deepcopy(OLD)
    edit(new)
    return new


def test_an_identical_schema_breaks_nothing() -> None:
    assert breaking_changes(OLD, copy.deepcopy(OLD)) == []


def test_adding_an_optional_field_is_fine() -> None:
    new = changed(lambda s: s["properties"].update(revision={"type": "integer", "default": 1}))
    assert breaking_changes(OLD, new) == []


def test_documentation_and_bounds_may_change() -> None:
    def edit(schema: dict[str, Any]) -> None:
        schema["properties"]["title"].update(maxLength=120, description="The course title")
        schema["properties"]["count"]["maximum"] = 30
        schema["description"] = "Emitted when something else"

    assert breaking_changes(OLD, changed(edit)) == []


def test_a_removed_field_breaks() -> None:
    new = changed(lambda s: (s["properties"].pop("title"), s["required"].remove("title")))
    assert breaking_changes(OLD, new) == ["title: removed"]


def test_removing_an_optional_field_breaks_too() -> None:
    new = changed(lambda s: s["properties"].pop("staging_url"))
    assert breaking_changes(OLD, new) == ["staging_url: removed"]


@pytest.mark.parametrize(
    ("field", "schema"),
    [
        ("count", {"type": "number"}),
        ("count", {"type": "string"}),
        ("course_id", {"type": "string"}),
        ("course_id", {"type": "string", "format": "uri"}),
        ("state", {"enum": ["DRAFT", "REVIEW", "PUBLISHED"], "type": "string"}),
        ("state", {"enum": ["DRAFT"], "type": "string"}),
        ("staging_url", {"type": "string"}),
        ("ids", {"type": "array", "items": {"type": "integer"}}),
        ("kind", {"$ref": "#/$defs/Other"}),
        ("title", {"anyOf": [{"type": "string"}, {"type": "null"}]}),
    ],
)
def test_a_retyped_field_breaks(field: str, schema: dict[str, Any]) -> None:
    new = changed(lambda s: s["properties"].update({field: schema}))
    new["$defs"]["Other"] = {"type": "integer"}
    (problem,) = breaking_changes(OLD, new)
    assert problem.startswith(f"{field}: type changed from ")


def test_enum_order_is_not_a_change() -> None:
    new = changed(lambda s: s["properties"]["state"].update(enum=["REVIEW", "DRAFT"]))
    assert breaking_changes(OLD, new) == []


def test_a_changed_definition_behind_an_unchanged_ref_breaks() -> None:
    new = changed(lambda s: s["$defs"]["Kind"].update(enum=["a", "b", "c"]))
    (problem,) = breaking_changes(OLD, new)
    assert problem.startswith("kind: type changed")


def test_a_new_required_field_breaks() -> None:
    def edit(schema: dict[str, Any]) -> None:
        schema["properties"]["revision"] = {"type": "integer"}
        schema["required"].append("revision")

    assert breaking_changes(OLD, changed(edit)) == [
        "revision: added as a required field (stored events lack it)"
    ]


def test_an_optional_field_becoming_required_breaks() -> None:
    new = changed(lambda s: s["required"].append("staging_url"))
    assert breaking_changes(OLD, new) == ["staging_url: newly required (stored events may lack it)"]


def test_a_required_field_becoming_optional_breaks() -> None:
    new = changed(lambda s: s["required"].remove("title"))
    assert breaking_changes(OLD, new) == [
        "title: no longer required (consumers rely on it being present)"
    ]


def test_every_problem_is_reported() -> None:
    def edit(schema: dict[str, Any]) -> None:
        schema["properties"].pop("title")
        schema["properties"]["count"] = {"type": "string"}
        schema["properties"]["extra"] = {"type": "string"}
        schema["required"].append("extra")

    problems = breaking_changes(OLD, changed(edit))
    assert [problem.split(":")[0] for problem in problems] == ["count", "title", "extra"]


def test_nested_objects_are_compared_field_by_field() -> None:
    old = {
        "type": "object",
        "properties": {"seo": {"$ref": "#/$defs/Seo"}},
        "required": ["seo"],
        "$defs": {
            "Seo": {
                "type": "object",
                "properties": {"meta_title": {"type": "string"}},
                "required": ["meta_title"],
            }
        },
    }
    new = copy.deepcopy(old)
    new["$defs"]["Seo"]["properties"] = {"keywords": {"type": "array", "items": {}}}
    new["$defs"]["Seo"]["required"] = ["keywords"]
    assert breaking_changes(old, new) == [
        "seo.meta_title: removed",
        "seo.keywords: added as a required field (stored events lack it)",
    ]


def test_on_real_pydantic_models() -> None:
    class V1(EventPayload):
        course_id: str
        score: int
        note: str | None = None

    class AddedOptional(V1):
        revision: int = 1

    class Retyped(EventPayload):
        course_id: str
        score: float
        note: str | None = None

    class AddedRequired(V1):
        revision: int

    old = V1.model_json_schema()
    assert breaking_changes(old, AddedOptional.model_json_schema()) == []
    assert breaking_changes(old, Retyped.model_json_schema())[0].startswith("score: type changed")
    assert breaking_changes(old, AddedRequired.model_json_schema()) == [
        "revision: added as a required field (stored events lack it)"
    ]
