"""`RequestModel.never_null` and `schema_rules`: what a model refuses is what its JSON Schema says,
so that schema-valid bodies are accepted and schema-invalid ones refused (the OpenAPI contract
test runs schemathesis over every route with both kinds)."""

from __future__ import annotations

import uuid
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from brain.course_content.schemas import AssignExample, ContentUpdate, RollbackRequest
from brain.integrations.schemas import EndpointUpdate

MODELS = [AssignExample, ContentUpdate, RollbackRequest, EndpointUpdate]


def schema_accepts(model: Any, body: dict[str, Any]) -> bool:
    return bool(jsonschema_rs.validator_for(model.model_json_schema()).is_valid(body))


def model_accepts(model: Any, body: dict[str, Any]) -> bool:
    try:
        model.model_validate(body)
    except ValidationError:
        return False
    return True


def test_a_never_null_field_is_documented_without_null_and_refused_as_null() -> None:
    schema = RollbackRequest.model_json_schema()
    assert schema["properties"]["history_id"] == {
        "type": "string",
        "format": "uuid",
        "title": "History Id",
    }
    with pytest.raises(ValidationError, match="history_id may be left out but not null"):
        RollbackRequest.model_validate({"history_id": None, "version_tag": "v1"})


def test_an_empty_update_is_refused_by_the_schema_and_by_the_model() -> None:
    for model in (ContentUpdate, EndpointUpdate):
        assert model.model_json_schema()["minProperties"] == 1
        assert not schema_accepts(model, {})
        assert not model_accepts(model, {})


VALUES: dict[str, st.SearchStrategy[Any]] = {
    "history_id": st.sampled_from([str(uuid.UUID(int=7)), None]),
    "version_tag": st.sampled_from(["v1", "1.0.0", None]),
    "example_version_id": st.sampled_from([str(uuid.UUID(int=8)), None]),
    "example_id": st.sampled_from([str(uuid.UUID(int=9)), None]),
    "example_version": st.sampled_from(["v2", None]),
    "force": st.booleans(),
    "path": st.sampled_from(["week_1.intro", None]),
    "title": st.sampled_from(["Intro", None]),
    "position": st.sampled_from([0, 3, None]),
    "description": st.sampled_from(["text", None]),
    "enabled": st.sampled_from([True, False, None]),
    "url": st.sampled_from(["https://hooks.example.org/brain", None]),
    "event_types": st.sampled_from([["distribution.*"], None]),
}


@given(data=st.data())
def test_the_schema_and_the_model_agree_on_every_shape(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(MODELS))
    names = [name for name in VALUES if name in model.model_fields]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True))
    body = {name: data.draw(VALUES[name]) for name in chosen}
    assert schema_accepts(model, body) == model_accepts(model, body), body
