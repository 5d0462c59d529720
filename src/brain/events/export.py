"""Export the event catalog: one JSON Schema file per event type and version, and an AsyncAPI 3.0
document of the event stream.

    python -m brain.events.export           (re)write every file
    python -m brain.events.export --check   exit 1 listing the files that are not up to date

Schema files are never deleted: a committed `<type>.v<version>.json` is a promise to consumers
(see `brain.events.compat`), so a version that is no longer declared shows up as a failing test,
not as a silently removed file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import brain.events.contracts  # noqa: F401 - declaring the contracts fills CATALOG
from brain.events.catalog import CATALOG, MAX_PAYLOAD_BYTES, Catalog, EventSpec

STREAM = "brain:events:stream"
CHANNEL = "eventStream"
ASYNCAPI_VERSION = "3.0.0"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DOCUMENT_VERSION = "1.0.0"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
PROJECT_ROOT = Path(__file__).resolve().parents[3]
ASYNCAPI_PATH = Path("docs") / "events" / "asyncapi.json"


def render(document: Any) -> str:
    """Pretty JSON with sorted keys and a trailing newline: stable for review and diffs."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_file_name(spec: EventSpec) -> str:
    return f"{spec.type}.v{spec.version}.json"


def message_key(spec: EventSpec) -> str:
    return f"{spec.type}.v{spec.version}"


def schema_document(spec: EventSpec) -> dict[str, Any]:
    """The content of a schema file: the payload's JSON Schema (as pydantic writes it, draft
    2020-12)."""
    return {"$schema": JSON_SCHEMA_DIALECT, **spec.json_schema()}


def schema_files(catalog: Catalog, schema_dir: Path = SCHEMA_DIR) -> dict[Path, str]:
    return {
        schema_dir / schema_file_name(spec): render(schema_document(spec))
        for spec in catalog.specs()
    }


def committed_schemas(schema_dir: Path = SCHEMA_DIR) -> dict[tuple[str, int], dict[str, Any]]:
    """The schema files on disk, by (type, version)."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for path in sorted(schema_dir.glob("*.v*.json")):
        type, _, version = path.name.removesuffix(".json").rpartition(".v")
        found[(type, int(version))] = json.loads(path.read_text(encoding="utf-8"))
    return found


def _headers_schema() -> dict[str, Any]:
    uuid = {"type": "string", "format": "uuid"}
    return {
        "type": "object",
        "title": "Event envelope",
        "description": (
            "Everything of an event but its payload (Charter v1.0). On Redis each stream entry "
            "has the fields `event` (this envelope with `payload`, as JSON) and `type`."
        ),
        "required": ["id", "type", "source", "timestamp", "meta"],
        "properties": {
            "id": {**uuid, "description": "Unique id of the event; consumers deduplicate on it."},
            "type": {
                "type": "string",
                "description": "The event type, e.g. `course.quiz.created`.",
            },
            "source": {"type": "string", "description": "The module that emitted the event."},
            "target": {
                "type": ["string", "null"],
                "description": "The intended receiver; null broadcasts.",
            },
            "timestamp": {
                "type": "string",
                "format": "date-time",
                "description": "When the event was published, in UTC.",
            },
            "meta": {
                "type": "object",
                "required": [
                    "schema_version",
                    "producer",
                    "source_module",
                    "correlation_id",
                    "aggregate_id",
                    "sequence",
                ],
                "properties": {
                    "schema_version": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "Version of the payload schema.",
                    },
                    "producer": {"type": "string", "description": "The emitting component."},
                    "source_module": {"type": "string", "description": "The emitting module."},
                    "tenant_id": {
                        "type": ["string", "null"],
                        "format": "uuid",
                        "description": "The tenant the event belongs to, if any.",
                    },
                    "correlation_id": {
                        **uuid,
                        "description": "Shared by every event of one piece of work.",
                    },
                    "causation_id": {
                        "type": ["string", "null"],
                        "format": "uuid",
                        "description": "The id of the event whose handling emitted this one.",
                    },
                    "aggregate_id": {
                        "type": "string",
                        "maxLength": 64,
                        "description": "The entity the event is about: its aggregate field.",
                    },
                    "sequence": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "Position of the event among its aggregate's events.",
                    },
                },
            },
        },
    }


def _message(spec: EventSpec) -> dict[str, Any]:
    key = message_key(spec)
    return {
        "name": spec.type,
        "title": f"{spec.type} v{spec.version}",
        "summary": spec.description,
        "contentType": "application/json",
        "headers": {
            "allOf": [
                {"$ref": "#/components/schemas/EventHeaders"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": spec.type},
                        "source": {"const": spec.source_module},
                        "meta": {
                            "type": "object",
                            "properties": {
                                "schema_version": {"const": spec.version},
                                "producer": {"const": spec.producer},
                                "source_module": {"const": spec.source_module},
                            },
                        },
                    },
                },
            ]
        },
        "payload": {"$ref": f"#/components/schemas/{key}"},
        "correlationId": {"$ref": "#/components/correlationIds/correlationId"},
        "x-schema-file": f"src/brain/events/schemas/{schema_file_name(spec)}",
        "x-aggregate-field": spec.aggregate_field,
    }


def asyncapi_document(catalog: Catalog) -> dict[str, Any]:
    specs = catalog.specs()
    keys = [message_key(spec) for spec in specs]
    channel_messages = [{"$ref": f"#/channels/{CHANNEL}/messages/{key}"} for key in keys]
    schemas: dict[str, Any] = {"EventHeaders": _headers_schema()}
    schemas.update({message_key(spec): spec.json_schema() for spec in specs})
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:brain:events",
        "info": {
            "title": "BRAiN event stream",
            "version": DOCUMENT_VERSION,
            "description": (
                "Every event the platform's modules emit. Events are written to a transactional "
                "outbox with the change they report and relayed at least once; consumers "
                "deduplicate on the stream message id and the event id. Payloads are validated "
                f"against their versioned schema at publish, stay under {MAX_PAYLOAD_BYTES} bytes "
                "(compact UTF-8 JSON) and carry no personal, payment or secret data. Without "
                "Redis the `events` table is the log and carries the same envelopes."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "redis": {
                "host": "localhost:6379",
                "protocol": "redis",
                "description": "Redis Streams (production and scale-out); the address is "
                "configured by `REDIS_URL`.",
            }
        },
        "channels": {
            CHANNEL: {
                "address": STREAM,
                "title": "Event stream",
                "description": (
                    "One Redis Stream for all event types; each subscriber reads it through its "
                    "own consumer group and filters by `type`."
                ),
                "servers": [{"$ref": "#/servers/redis"}],
                "messages": {key: {"$ref": f"#/components/messages/{key}"} for key in keys},
            }
        },
        "operations": {
            "publishEvent": {
                "action": "send",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "summary": "The relay appends committed outbox events to the stream.",
                "messages": channel_messages,
            },
            "consumeEvent": {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "summary": "A subscriber reads the stream through its consumer group.",
                "messages": channel_messages,
            },
        },
        "components": {
            "schemas": schemas,
            "messages": {message_key(spec): _message(spec) for spec in specs},
            "correlationIds": {
                "correlationId": {
                    "description": "Shared by every event of one piece of work.",
                    "location": "$message.header#/meta/correlation_id",
                }
            },
        },
    }


def expected_files(catalog: Catalog = CATALOG, root: Path = PROJECT_ROOT) -> dict[Path, str]:
    """Every exported file with the content it should have."""
    files = schema_files(catalog)
    files[root / ASYNCAPI_PATH] = render(asyncapi_document(catalog))
    return files


def outdated(files: dict[Path, str]) -> list[Path]:
    """The files that are missing or differ from what would be written."""
    return [
        path
        for path, content in sorted(files.items())
        if not path.is_file() or path.read_text(encoding="utf-8") != content
    ]


def write(files: dict[Path, str]) -> list[Path]:
    """Write the files that are not up to date; the paths written."""
    changed = outdated(files)
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brain.events.export", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is not up to date"
    )
    arguments = parser.parse_args(argv)
    files = expected_files()
    if arguments.check:
        stale = outdated(files)
        for path in stale:
            print(f"not up to date: {_shown(path)}")
        if stale:
            print("run `python -m brain.events.export` to rewrite them", file=sys.stderr)
        return 1 if stale else 0
    for path in write(files):
        print(f"wrote {_shown(path)}")
    return 0


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


if __name__ == "__main__":
    raise SystemExit(main())
