"""Whether a new payload schema of an event type and version still serves its consumers.

An event type's version is a promise to consumers and to the events already in the log: a
consumer written against it keeps working, and a stored event still parses when it is replayed.
So, at one version, a field may not be removed, change its type, become required or stop being
required. Such a change needs a new version of the event type. Adding an optional field is fine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]

_TYPE_KEYWORDS = ("type", "format", "enum", "const", "$ref")
_ALTERNATIVES = ("anyOf", "oneOf", "allOf")


def breaking_changes(old_schema: Schema, new_schema: Schema) -> list[str]:
    """One sentence per change of `new_schema` that breaks consumers of `old_schema`."""
    problems: list[str] = []
    _compare_object("", old_schema, old_schema, new_schema, new_schema, problems)
    return problems


def _compare_object(
    path: str, old: Schema, old_root: Schema, new: Schema, new_root: Schema, problems: list[str]
) -> None:
    old_properties: Mapping[str, Any] = old.get("properties", {})
    new_properties: Mapping[str, Any] = new.get("properties", {})
    old_required = set(old.get("required", []))
    new_required = set(new.get("required", []))
    for name in sorted(old_properties):
        where = f"{path}{name}"
        if name not in new_properties:
            problems.append(f"{where}: removed")
            continue
        _compare_field(
            where, old_properties[name], old_root, new_properties[name], new_root, problems
        )
        if name in old_required and name not in new_required:
            problems.append(f"{where}: no longer required (consumers rely on it being present)")
    for name in sorted(new_required - old_required):
        where = f"{path}{name}"
        if name in old_properties:
            problems.append(f"{where}: newly required (stored events may lack it)")
        else:
            problems.append(f"{where}: added as a required field (stored events lack it)")


def _compare_field(
    path: str, old: Schema, old_root: Schema, new: Schema, new_root: Schema, problems: list[str]
) -> None:
    old_signature = _signature(old, old_root)
    new_signature = _signature(new, new_root)
    if old_signature != new_signature:
        problems.append(
            f"{path}: type changed from {_show(old_signature)} to {_show(new_signature)}"
        )
        return
    old_resolved, new_resolved = _resolve(old, old_root), _resolve(new, new_root)
    if "properties" in old_resolved:
        _compare_object(f"{path}.", old_resolved, old_root, new_resolved, new_root, problems)
    if isinstance(old_resolved.get("items"), Mapping) and isinstance(
        new_resolved.get("items"), Mapping
    ):
        _compare_field(
            f"{path}[]", old_resolved["items"], old_root, new_resolved["items"], new_root, problems
        )


def _resolve(schema: Schema, root: Schema) -> Schema:
    """`schema` with local `$ref`s (`#/$defs/…`, `#/definitions/…`) followed."""
    seen: set[str] = set()
    while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
        reference = schema["$ref"]
        if reference in seen:
            break
        seen.add(reference)
        target: Any = root
        for part in reference[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
        schema = target
    return schema


def _signature(schema: Schema, root: Schema) -> dict[str, Any]:
    """What a consumer relies on about a value's type: type, format, enum, const, $ref, the
    signatures of array items and of alternatives, and those of a referenced definition."""
    signature: dict[str, Any] = {}
    for keyword in _TYPE_KEYWORDS:
        if keyword not in schema:
            continue
        value = schema[keyword]
        if keyword == "type" and isinstance(value, list):
            value = sorted(value)
        elif keyword == "enum":
            value = sorted(json.dumps(item, sort_keys=True) for item in value)
        signature[keyword] = value
    if isinstance(schema.get("$ref"), str):
        resolved = _resolve(schema, root)
        if resolved is not schema:
            signature["target"] = _signature(resolved, root)
    if isinstance(schema.get("items"), Mapping):
        signature["items"] = _signature(schema["items"], root)
    for keyword in _ALTERNATIVES:
        if isinstance(schema.get(keyword), list):
            signature[keyword] = sorted(
                json.dumps(_signature(option, root), sort_keys=True) for option in schema[keyword]
            )
    return signature


def _show(signature: Mapping[str, Any]) -> str:
    return json.dumps(signature, sort_keys=True) if signature else "{} (any)"
