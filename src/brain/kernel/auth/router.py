"""Who am I, and the tenant's API keys (admin only, always within the caller's tenant)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from brain.kernel.auth.models import ApiKey, Role
from brain.kernel.auth.principal import AdminPrincipal, AnyPrincipal
from brain.kernel.auth.service import AuthService
from brain.kernel.errors import problem_responses
from brain.kernel.requests import RequestModel
from brain.kernel.web import UoW

router = APIRouter(prefix="/api", tags=["auth"], responses=problem_responses(401, 403))


class WhoAmI(BaseModel):
    tenant_id: uuid.UUID
    tenant_name: str
    api_key_id: uuid.UUID
    role: Role


class ApiKeyOut(BaseModel):
    id: uuid.UUID
    name: str
    role: Role
    prefix: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            id=key.id,
            name=key.name,
            role=key.role,
            prefix=key.prefix,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )


class ApiKeyCreate(RequestModel):
    role: Role
    name: str = Field(default="", max_length=100)


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself. It is shown only in this response.")


@router.get("/me", summary="The caller's tenant and role")
async def who_am_i(principal: AnyPrincipal, uow: UoW) -> WhoAmI:
    tenant = await AuthService(uow.session).tenants.by_id(principal.tenant_id)
    assert tenant is not None
    return WhoAmI(
        tenant_id=tenant.id,
        tenant_name=tenant.name,
        api_key_id=principal.api_key_id,
        role=principal.role,
    )


@router.get("/apikeys", summary="The tenant's API keys (never the keys themselves)")
async def list_api_keys(principal: AdminPrincipal, uow: UoW) -> list[ApiKeyOut]:
    keys = await AuthService(uow.session).list_keys(principal.tenant_id)
    return [ApiKeyOut.of(key) for key in keys]


@router.post(
    "/apikeys",
    status_code=201,
    summary="Issue an API key in the caller's tenant",
    responses=problem_responses(422),
)
async def create_api_key(body: ApiKeyCreate, principal: AdminPrincipal, uow: UoW) -> ApiKeyCreated:
    service = AuthService(uow.session)
    tenant = await service.tenants.by_id(principal.tenant_id)
    assert tenant is not None
    issued = await service.issue_key(tenant, body.role, body.name)
    return ApiKeyCreated(**ApiKeyOut.of(issued.key).model_dump(), key=issued.plaintext)


@router.delete(
    "/apikeys/{key_id}",
    summary="Revoke an API key of the caller's tenant",
    responses=problem_responses(404, 422),
)
async def revoke_api_key(
    key_id: Annotated[uuid.UUID, Path()], principal: AdminPrincipal, uow: UoW
) -> ApiKeyOut:
    key = await AuthService(uow.session).revoke_key(key_id, tenant_id=principal.tenant_id)
    return ApiKeyOut.of(key)
