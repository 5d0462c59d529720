import uuid

import httpx

from brain.bootstrap import Platform
from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService
from tests.conftest import TenantKeys


async def test_no_key_answers_401_with_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"] == "/problems/unauthorized"


async def test_an_unknown_or_malformed_key_answers_401(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    forged = tenant.keys[Role.ADMIN][:-4] + "AAAA"
    for header in (f"Bearer {forged}", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer"):
        response = await client.get("/api/me", headers={"Authorization": header})
        assert response.status_code == 401, header


async def test_every_role_can_ask_who_it_is(client: httpx.AsyncClient, tenant: TenantKeys) -> None:
    for role in Role:
        response = await client.get("/api/me", headers=tenant.auth(role))
        assert response.status_code == 200
        assert response.json() == {
            "tenant_id": str(tenant.tenant_id),
            "tenant_name": "acme",
            "api_key_id": str(tenant.key_ids[role]),
            "role": role.value,
        }


async def test_roles_other_than_admin_may_not_manage_keys(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    for role in (Role.EDITOR, Role.APPROVER, Role.VIEWER):
        listed = await client.get("/api/apikeys", headers=tenant.auth(role))
        created = await client.post(
            "/api/apikeys", json={"role": "viewer"}, headers=tenant.auth(role)
        )
        assert (listed.status_code, created.status_code) == (403, 403), role
        assert "admin" in listed.json()["detail"]


async def test_an_admin_issues_a_key_that_works_once_shown(
    client: httpx.AsyncClient, tenant: TenantKeys
) -> None:
    created = await client.post(
        "/api/apikeys", json={"role": "editor", "name": "ci"}, headers=tenant.auth()
    )
    assert created.status_code == 201
    body = created.json()
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['key']}"})
    assert me.json()["role"] == "editor"
    listed = (await client.get("/api/apikeys", headers=tenant.auth())).json()
    assert body["id"] in {k["id"] for k in listed}
    assert all("key" not in k and "key_hash" not in k for k in listed)


async def test_a_revoked_key_answers_401(client: httpx.AsyncClient, tenant: TenantKeys) -> None:
    viewer = tenant.key_ids[Role.VIEWER]
    revoked = await client.delete(f"/api/apikeys/{viewer}", headers=tenant.auth())
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    response = await client.get("/api/me", headers=tenant.auth(Role.VIEWER))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


async def test_another_tenants_key_answers_404_and_stays_untouched(
    client: httpx.AsyncClient, platform: Platform, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    foreign = other_tenant.key_ids[Role.VIEWER]
    response = await client.delete(f"/api/apikeys/{foreign}", headers=tenant.auth())
    assert response.status_code == 404
    assert str(foreign) not in {
        k["id"] for k in (await client.get("/api/apikeys", headers=tenant.auth())).json()
    }
    async with platform.unit_of_work() as uow:
        key = await AuthService(uow.session).keys.by_id(foreign)
        assert key is not None and key.revoked_at is None
    still = await client.get("/api/me", headers=other_tenant.auth(Role.VIEWER))
    assert still.status_code == 200


async def test_listing_keys_shows_only_the_callers_tenant(
    client: httpx.AsyncClient, tenant: TenantKeys, other_tenant: TenantKeys
) -> None:
    ids = {
        uuid.UUID(k["id"]) for k in (await client.get("/api/apikeys", headers=tenant.auth())).json()
    }
    assert ids == set(tenant.key_ids.values())
    assert not ids & set(other_tenant.key_ids.values())


async def test_keys_are_stored_only_as_hashes(platform: Platform, tenant: TenantKeys) -> None:
    async with platform.unit_of_work() as uow:
        stored = await AuthService(uow.session).list_keys(tenant.tenant_id)
    secrets = set(tenant.keys.values())
    for key in stored:
        assert key.key_hash not in secrets
        assert all(key.key_hash not in s and s not in key.key_hash for s in secrets)
