"""The event catalog: one declaration per event type and version, with its payload schema.

Publishing validates against it; consumers validate what they receive against it; the committed
JSON Schema files and the AsyncAPI document are exported from it.
"""

from __future__ import annotations

import builtins
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

MAX_PAYLOAD_BYTES = 1024

# Key segments that name personal, payment or secret data (docs/events/README.md, "Payload rules").
FORBIDDEN_SEGMENTS = frozenset(
    {
        "email",
        "mail",
        "phone",
        "mobile",
        "address",
        "password",
        "passwd",
        "pwd",
        "card",
        "iban",
        "bic",
        "cvv",
        "token",
        "secret",
        "credential",
        "credentials",
        "ssn",
        "birthdate",
        "apikey",
        "ip",
        "surname",
        "username",
        "birthday",
        "dob",
    }
)
FORBIDDEN_PAIRS = frozenset(
    {
        ("api", "key"),
        ("bank", "account"),
        ("account", "number"),
        ("user", "agent"),
        *(
            (part, "name")
            for part in ("first", "last", "full", "given", "family", "user", "customer", "buyer")
        ),
    }
)
# Words that still name such data when glued to others without a separator ("useremail").
FORBIDDEN_INSIDE = frozenset(
    {
        "email",
        "password",
        "passwd",
        "secret",
        "credential",
        "apikey",
        "creditcard",
        "cardnumber",
        "phonenumber",
        "bankaccount",
        "accountnumber",
        "accesstoken",
        "refreshtoken",
        "authtoken",
        "bearertoken",
        "sessiontoken",
    }
)
# "tokens" (plural) counts LLM tokens (`tokens_used`, `prompt_tokens`) and is allowed, unless a
# word before it makes it credentials (`access_tokens`). The singular "token" is always refused.
COUNTED_TOKENS = "tokens"
CREDENTIAL_QUALIFIERS = frozenset(
    {
        "access",
        "refresh",
        "auth",
        "bearer",
        "session",
        "api",
        "id",
        "csrf",
        "reset",
        "approval",
        "oauth",
        "jwt",
        "client",
        "private",
    }
)
_EVENT_NAME = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*){1,3}$")


class EventPayload(BaseModel):
    """Base of every payload model. Unknown keys are ignored when reading (tolerant reader) and
    refused when publishing (see `Catalog.validate_for_publish`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class CatalogError(Exception):
    """A declaration or a payload breaks the catalog's rules."""


class UnknownEventType(CatalogError):
    pass


class PayloadRejected(CatalogError):
    """The payload does not validate, is too large, or names personal or secret data."""

    def __init__(self, event_type: str, reason: str) -> None:
        super().__init__(f"{event_type}: {reason}")
        self.event_type = event_type
        self.reason = reason


@dataclass(frozen=True)
class EventSpec:
    """One event type at one schema version."""

    type: str
    version: int
    payload: builtins.type[EventPayload]
    description: str
    source_module: str
    producer: str
    aggregate_field: str
    field_names: frozenset[str] = frozenset()
    free_form: bool = True
    """Whether a valid payload can hold keys other than declared field names (a field typed
    `Any` or a mapping): then publishing scans its keys for personal or secret data; otherwise
    the names were checked once, when the type was declared."""

    @property
    def key(self) -> tuple[str, int]:
        return (self.type, self.version)

    def json_schema(self) -> dict[str, Any]:
        schema = self.payload.model_json_schema()
        schema["title"] = f"{self.type} v{self.version}"
        schema["description"] = self.description
        schema["$id"] = f"{self.type}.v{self.version}.json"
        return schema


def key_segments(key: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key)
    return [part for part in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if part]


def _singulars(segment: str) -> set[str]:
    """The segment and what it is the plural of, if anything (`emails` → `email`)."""
    forms = {segment}
    if segment != COUNTED_TOKENS and segment.endswith("s") and not segment.endswith("ss"):
        forms.add(segment[:-1])
        if segment.endswith("es"):
            forms.add(segment[:-2])
    return forms


@functools.lru_cache(maxsize=4096)  # a pure function of a key; payloads repeat their keys
def names_sensitive_data(key: str) -> bool:
    segments = key_segments(key)
    forms = [_singulars(segment) for segment in segments]
    if any(form & FORBIDDEN_SEGMENTS for form in forms):
        return True
    if any(word in segment for segment in segments for word in FORBIDDEN_INSIDE):
        return True
    for i in range(1, len(segments)):
        if any((a, b) in FORBIDDEN_PAIRS for a in forms[i - 1] for b in forms[i]):
            return True
        if segments[i] == COUNTED_TOKENS and segments[i - 1] in CREDENTIAL_QUALIFIERS:
            return True
    return False


def sensitive_keys(value: Any, path: str = "") -> list[str]:
    """Every key, at any depth, that names personal or secret data."""
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if names_sensitive_data(str(key)):
                found.append(here)
            found.extend(sensitive_keys(item, here))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found.extend(sensitive_keys(item, f"{path}[{index}]"))
    return found


def _closed(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> bool:
    """Whether every key a value of `schema` can hold is a declared property name."""
    if "$ref" in schema:
        return _closed(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            return all(_closed(option, defs) for option in schema[union])
    if "enum" in schema or "const" in schema:
        return True
    kind = schema.get("type")
    if kind in ("string", "integer", "number", "boolean", "null"):
        return True
    if kind == "array":
        items = schema.get("items")
        return isinstance(items, Mapping) and _closed(items, defs)
    if kind == "object" and "properties" in schema:
        extra = schema.get("additionalProperties", False)
        return extra is False and all(
            _closed(value, defs) for value in schema["properties"].values()
        )
    return False


def _schema_field_names(schema: Mapping[str, Any]) -> Iterable[str]:
    for key, value in schema.items():
        if key == "properties" and isinstance(value, Mapping):
            yield from value.keys()
        if isinstance(value, Mapping):
            yield from _schema_field_names(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    yield from _schema_field_names(item)


class Catalog:
    def __init__(self) -> None:
        self._specs: dict[tuple[str, int], EventSpec] = {}
        self._by_payload: dict[type[EventPayload], EventSpec] = {}
        self._latest: dict[str, int] = {}

    def declare(
        self,
        type: str,
        payload: type[EventPayload],
        *,
        description: str,
        source_module: str,
        producer: str,
        aggregate_field: str,
        version: int = 1,
    ) -> EventSpec:
        """Declare an event type; refuses names not in the past tense form `a.b[.c]`, payload
        fields that name personal or secret data, a second declaration of the same version, and
        a payload class declared for a second type (a payload class names its event)."""
        if not _EVENT_NAME.match(type):
            raise CatalogError(f"{type!r} is not a dotted lower-case event name")
        if not description.startswith("Emitted when"):
            raise CatalogError(f"{type}: the description must say 'Emitted when …'")
        if (type, version) in self._specs:
            raise CatalogError(f"{type} v{version} is declared twice")
        if payload in self._by_payload:
            raise CatalogError(
                f"{payload.__name__} is already the payload of {self._by_payload[payload].type}"
            )
        fields = set(_schema_field_names(payload.model_json_schema()))
        if aggregate_field not in payload.model_fields:
            raise CatalogError(f"{type}: aggregate field {aggregate_field!r} is not in the payload")
        bad = sorted(name for name in fields if names_sensitive_data(name))
        if bad:
            raise CatalogError(f"{type}: payload fields name personal or secret data: {bad}")
        schema = payload.model_json_schema()
        spec = EventSpec(
            type,
            version,
            payload,
            description,
            source_module,
            producer,
            aggregate_field,
            field_names=frozenset(payload.model_fields),
            free_form=not _closed(schema, schema.get("$defs", {})),
        )
        self._specs[spec.key] = spec
        self._latest[type] = max(version, self._latest.get(type, 0))
        self._by_payload[payload] = spec
        return spec

    def spec_of(self, payload: type[EventPayload]) -> EventSpec:
        """The event type and version whose payload class is `payload`."""
        try:
            return self._by_payload[payload]
        except KeyError:
            raise UnknownEventType(f"{payload.__name__} is not declared in the catalog") from None

    def get(self, type: str, version: int | None = None) -> EventSpec:
        if version is None:
            latest = self._latest.get(type)
            if latest is None:
                raise UnknownEventType(f"unknown event type {type!r}")
            version = latest
        spec = self._specs.get((type, version))
        if spec is None:
            raise UnknownEventType(f"unknown event type {type!r} version {version}")
        return spec

    def __contains__(self, type: str) -> bool:
        return type in self._latest

    def specs(self) -> list[EventSpec]:
        return sorted(self._specs.values(), key=lambda spec: spec.key)

    def types(self) -> list[str]:
        return sorted({t for (t, _) in self._specs})

    def validate_for_publish(
        self, type: str, payload: Mapping[str, Any] | EventPayload, version: int | None = None
    ) -> tuple[EventSpec, dict[str, Any]]:
        """The spec and the JSON-ready payload, or `PayloadRejected` saying why."""
        spec = self.get(type, version)
        raw = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else dict(payload)
        sensitive = sensitive_keys(raw)
        if sensitive:
            raise PayloadRejected(type, f"keys name personal or secret data: {sensitive}")
        unknown = sorted(set(raw) - spec.field_names)
        if unknown:
            raise PayloadRejected(type, f"unknown payload fields: {unknown}")
        try:
            model = spec.payload.model_validate(raw)
        except ValidationError as exc:
            raise PayloadRejected(type, _describe(exc)) from None
        return spec, _within_size(spec, model.model_dump(mode="json"))

    def validate_object(self, payload: EventPayload) -> tuple[EventSpec, dict[str, Any]]:
        """`validate_for_publish` for a contract's payload object: it names its type and
        version, and its keys are its declared fields (checked once, by `declare`), unless its
        type is free-form."""
        spec = self.spec_of(type(payload))
        data = payload.model_dump(mode="json")
        if spec.free_form:
            sensitive = sensitive_keys(data)
            if sensitive:
                raise PayloadRejected(spec.type, f"keys name personal or secret data: {sensitive}")
        try:  # an object made with `model_construct` has skipped its validation
            spec.payload.model_validate(data)
        except ValidationError as exc:
            raise PayloadRejected(spec.type, _describe(exc)) from None
        return spec, _within_size(spec, data)

    def parse(self, type: str, version: int, payload: Mapping[str, Any]) -> EventPayload:
        """A received payload as its model (unknown keys ignored); `PayloadRejected` if invalid."""
        spec = self.get(type, version)
        try:
            return spec.payload.model_validate(dict(payload))
        except ValidationError as exc:
            raise PayloadRejected(type, _describe(exc)) from None


def _within_size(spec: EventSpec, data: dict[str, Any]) -> dict[str, Any]:
    size = len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_PAYLOAD_BYTES:
        raise PayloadRejected(
            spec.type, f"payload is {size} bytes serialized; the limit is {MAX_PAYLOAD_BYTES}"
        )
    return data


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'payload'}: {err['msg']}" for err in exc.errors()
    )


CATALOG = Catalog()
"""The platform's catalog; `brain.events.contracts` fills it on import."""
