"""Schemathesis over every route of a running `brain serve`, on SQLite and on PostgreSQL: with
the admin key of the tenant that owns the data and with a second tenant's key, a bounded number of
examples per route, every check. Any 5xx or contract violation fails the test."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from tests.e2e.test_make_run import KEY
from tests.e2e.test_serve import SEO, Server, base_env, brain, serving
from tests.support.services import (
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

pytestmark = pytest.mark.slow

EXAMPLES = 4
UNPROCESSABLE = "/problems/unprocessable"
UNSIGNABLE = {"POST /api/payments/webhooks/stripe"}
"""Routes a fuzzer cannot call with valid data: the provider signs the body with a secret
(tests/integration/test_payments_webhooks.py sends signed ones); unsigned, they answer 400."""


@schemathesis.check
def documented_positive_data_acceptance(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis' check, with the one refusal the document states for schema-valid data: a
    422 of type `/problems/unprocessable` (a rule beyond the schema, listed in every 422's
    description: an id that is not the tenant's, an unknown template, …). A 422 of type
    `/problems/validation-error` for schema-valid data still fails: the schema did not say."""
    if response.status_code == 422 and problem_type(response) == UNPROCESSABLE:
        return None
    if case.operation.label in UNSIGNABLE and response.status_code == 400:
        return None
    return openapi_checks.positive_data_acceptance(ctx, response, case)


def problem_type(response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("type") if isinstance(body, dict) else None


ALL_CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    documented_positive_data_acceptance,
    openapi_checks.negative_data_rejection,
    openapi_checks.missing_required_header,
    openapi_checks.unsupported_method,
    openapi_checks.ignored_auth,
]


def key_of(output: str) -> str:
    found = KEY.search(output)
    assert found is not None, output
    return found[0]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    workdir = tmp_path_factory.mktemp(f"contract-{request.param}")
    url = None
    env = base_env(workdir, BRAIN_EMBEDDED_WORKER="false")
    if request.param == "postgres":
        require_postgres()
        url = asyncio.run(create_postgres_database())
        env["BRAIN_DATABASE_URL"] = url.replace("+asyncpg", "")
    try:
        owner = key_of(brain(env, workdir, "setup").stdout)
        assert brain(env, workdir, "tenant", "create", "globex").returncode == 0
        other = key_of(
            brain(env, workdir, "apikey", "create", "--tenant", "globex", "--role", "admin").stdout
        )
        with serving(env, workdir) as server:
            seed(server, owner)
            yield server, owner, other
    finally:
        if url is not None:
            asyncio.run(drop_postgres_database(url))


def seed(server: Server, key: str) -> None:
    """Data of the owning tenant for the examples to find: a course and a published distribution."""
    auth = {"Authorization": f"Bearer {key}"}
    course = httpx.post(
        f"{server.base}/api/courses/generate",
        json={"title": "Saving money", "language": "en", "target_audiences": ["students"]},
        headers=auth,
    ).json()
    created = httpx.post(
        f"{server.base}/api/distributions/create",
        json={
            "course_id": course["course_id"],
            "title": "Saving money",
            "language": "en",
            "target_group": ["students"],
            "seo": SEO,
            "cta": {"label": "Start the course", "action": "open_course"},
        },
        headers=auth,
    ).json()
    httpx.post(f"{server.base}/api/distributions/{created['id']}/publish", headers=auth)


def test_every_route_keeps_the_openapi_contract_for_both_tenants(api: Any) -> None:
    server, owner, other = api
    spec = schemathesis.openapi.from_url(f"{server.base}/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in spec.get_all_operations()]
    assert len(operations) >= 40

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def examples(case: Any) -> None:
            for key in (owner, other):
                case.call_and_validate(
                    base_url=server.base,
                    headers={"Authorization": f"Bearer {key}"},
                    checks=ALL_CHECKS,
                    timeout=10,
                )

        try:
            examples()
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert failures == [], "\n\n".join(failures)
