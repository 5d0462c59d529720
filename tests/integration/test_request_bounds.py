"""No input reaches the database unbounded: integers past what their column holds, cursors that
are no cursor and control characters in any text (path, query, body) answer 4xx naming the field,
on both databases and on public routes too; the text log cannot be made to show a forged line."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy import func, select

from brain.bootstrap import Platform, create_app
from brain.course_distribution.models import Distribution
from brain.course_factory.models import Course
from brain.kernel import observability
from brain.kernel.auth.models import Role
from tests.conftest import TenantKeys
from tests.integration.test_distribution_api import body as distribution_body
from tests.support.factory import requested_course

INT64_MAX = 2**63 - 1
REFUSED = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]]
"""Control characters no text may hold; tab, LF and CR are refused only in single-line text."""
LINE_BREAKS = ["\t", "\n", "\r"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/courses?offset=9223372036854775808", "query.offset"),
        ("/api/courses?offset=2147483648", "query.offset"),
        ("/api/events?cursor=99999999999999999999", "query.cursor"),
        ("/api/events?cursor=9223372036854775808", "query.cursor"),
        ("/api/events?cursor=-1", "query.cursor"),
        ("/api/distributions/catalog?page=99999999999999999999", "query.page"),
    ],
)
async def test_an_integer_past_what_its_column_holds_answers_422_naming_it(
    client: httpx.AsyncClient, tenant: TenantKeys, url: str, field: str
) -> None:
    response = await client.get(url, headers=tenant.auth())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_the_largest_cursor_and_offset_answer_an_empty_page(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    events = await client.get(f"/api/events?cursor={INT64_MAX}", headers=tenant.auth())
    assert events.status_code == 200, events.text
    assert events.json()["items"] == []
    courses = await client.get("/api/courses?offset=2147483647", headers=tenant.auth())
    assert courses.status_code == 200, courses.text
    assert courses.json()["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/courses/a%00b",
        "/courses/x%00%0aFORGED-LINE",
        "/courses/a%1fb/enroll",
        "/api/distributions/a%00b",
        "/api/distributions/a%00b/outline",
        "/api/courses/a%7fb",
    ],
)
async def test_a_control_character_in_the_path_answers_404(
    client: httpx.AsyncClient, tenant: TenantKeys, path: str
) -> None:
    response = await client.get(path, headers=tenant.auth())
    assert response.status_code == 404, response.text


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/distributions/catalog?q=a%00b", "query.q"),
        ("/courses?q=a%00b", "query.q"),
        ("/courses?language=e%0An", "query.language"),
        ("/api/events?type=course.%1b", "query.type"),
        ("/api/events?aggregate_id=a%00", "query.aggregate_id"),
        ("/api/events/dead-letters?subscriber=x%09y", "query.subscriber"),
    ],
)
async def test_a_control_character_in_a_query_answers_422_naming_the_parameter(
    client: httpx.AsyncClient, tenant: TenantKeys, url: str, field: str
) -> None:
    response = await client.get(url, headers=tenant.auth())
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def count(platform: Platform, model: type[Any]) -> int:
    async with platform.database.read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


GENERATE = {
    "title": "Saving for students",
    "description": "How to save.",
    "language": "en",
    "target_audiences": ["students"],
}
SINGLE_LINE_FIELDS = [
    ("generate", "title"),
    ("distribution", "title"),
    ("distribution", "seo.meta_title"),
    ("distribution", "seo.keywords.0"),
    ("distribution", "cta.label"),
]
MULTILINE_FIELDS = [("generate", "description"), ("distribution", "description")]


def with_text(kind: str, dotted: str, text: str, course_id: str) -> dict[str, Any]:
    data: Any = (
        dict(GENERATE)
        if kind == "generate"
        else distribution_body(course_id=course_id, seo=dict(distribution_body()["seo"]))
    )
    if kind == "distribution":
        data["seo"]["keywords"] = list(data["seo"]["keywords"])
        data["cta"] = dict(data["cta"])
    *parents, last = dotted.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    target[key] = f"{str(target[key])[:20]}{text}end"
    return dict(data)


async def send(client: httpx.AsyncClient, tenant: TenantKeys, kind: str, data: dict[str, Any]):
    url = "/api/courses/generate" if kind == "generate" else "/api/distributions/create"
    return await client.post(url, json=data, headers=tenant.auth(Role.EDITOR))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    where=st.sampled_from(SINGLE_LINE_FIELDS + MULTILINE_FIELDS),
    char=st.sampled_from(REFUSED + LINE_BREAKS),
)
async def test_a_control_character_in_any_text_of_a_body_answers_422_naming_the_field(
    client: httpx.AsyncClient,
    platform: Platform,
    tenant: TenantKeys,
    where: tuple[str, str],
    char: str,
) -> None:
    kind, dotted = where
    course_id = await requested_course(client, tenant)
    courses, distributions = await count(platform, Course), await count(platform, Distribution)
    response = await send(client, tenant, kind, with_text(kind, dotted, char, course_id))
    if char in LINE_BREAKS and where in MULTILINE_FIELDS:
        assert response.status_code in (201, 202), response.text
        return
    assert response.status_code == 422, response.text
    field = "body." + re.sub(r"\.\d+$", "", dotted)
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await count(platform, Course), await count(platform, Distribution)) == (
        courses,
        distributions,
    )


async def test_the_text_log_shows_one_line_per_record_whatever_the_request_sent(
    client: httpx.AsyncClient,
) -> None:
    buffer = io.StringIO()
    observability.configure_logging("INFO", "text")
    handler = observability._handler
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    await client.get("/courses/x%00%0aFORGED-LINE")
    log = logging.getLogger("brain.test")
    log.warning("visitor asked for %s", "/courses/x\x00\nFORGED-LINE\r\n\x1b[2J")
    try:
        raise ValueError("bad\nFORGED-LINE")
    except ValueError:
        log.exception("failed on %s", "a\nFORGED-LINE")
    lines = buffer.getvalue().splitlines()
    assert lines, "the records were written"
    assert not [line for line in lines if line.startswith("FORGED")], lines
    assert all(re.match(r"\d{4}-\d\d-\d\d |    ", line) for line in lines), lines
    assert "\x00" not in buffer.getvalue() and "\x1b" not in buffer.getvalue()


# -- the rules hold for every route, not only those tested above --------------------------------


def body_models(platform: Platform) -> list[tuple[str, type[BaseModel]]]:
    found = []
    for route in iter_route_contexts(create_app(platform).routes):
        field = getattr(route, "body_field", None)
        if field is not None:
            annotation = field.field_info.annotation
            for candidate in getattr(annotation, "__args__", None) or (annotation,):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    found.append((route.path, candidate))
    return found


def test_every_request_body_is_a_request_model(platform: Platform) -> None:
    from brain.kernel.requests import RequestModel

    models = body_models(platform)
    assert len(models) >= 10
    assert [(path, m.__name__) for path, m in models if not issubclass(m, RequestModel)] == []


def schemas_in(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += schemas_in(value)
    elif isinstance(node, list):
        for value in node:
            found += schemas_in(value)
    return found


def request_schemas(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every schema a request may fill: parameters and request bodies, references followed."""
    components = spec.get("components", {}).get("schemas", {})
    found: list[tuple[str, dict[str, Any]]] = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            roots = [p["schema"] for p in operation.get("parameters", [])]
            content = operation.get("requestBody", {}).get("content", {})
            roots += [media["schema"] for media in content.values()]
            seen: set[str] = set()
            while roots:
                for schema in schemas_in(roots.pop()):
                    ref = schema.get("$ref", "")
                    if ref and ref not in seen:
                        seen.add(ref)
                        roots.append(components[ref.rsplit("/", 1)[1]])
                    found.append((f"{method.upper()} {path}", schema))
    return found


def test_every_integer_and_text_a_request_may_carry_is_bounded_in_the_openapi_document(
    platform: Platform,
) -> None:
    spec = create_app(platform).openapi()
    unbounded = [
        (where, schema)
        for where, schema in request_schemas(spec)
        if schema.get("type") == "integer"
        and not (
            -INT64_MAX - 1
            <= schema.get("minimum", -(2**64))
            <= schema.get("maximum", 2**64)
            <= INT64_MAX
        )
    ]
    assert unbounded == []
    free_text = [
        (where, schema)
        for where, schema in request_schemas(spec)
        if schema.get("type") == "string"
        and not ({"pattern", "enum", "format", "const"} & set(schema))
    ]
    assert free_text == []
