from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from brain.kernel.auth import keys
from brain.kernel.auth.models import ApiKey, Role, Tenant
from brain.kernel.auth.repository import ApiKeyRepository, TenantRepository
from brain.kernel.clock import utcnow
from brain.kernel.errors import Conflict, NotFound, Unauthorized, ValidationFailed

TENANT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
DEMO_TENANT = "demo"


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key of one tenant, with one role."""

    tenant_id: uuid.UUID
    api_key_id: uuid.UUID
    role: Role


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    plaintext: str


class AuthService:
    def __init__(self, session: AsyncSession) -> None:
        self.tenants = TenantRepository(session)
        self.keys = ApiKeyRepository(session)

    async def create_tenant(self, name: str) -> Tenant:
        if not TENANT_NAME.match(name):
            raise ValidationFailed.field(
                "name",
                "2 to 63 characters: lower-case letters, digits and hyphens, not leading '-'",
            )
        if await self.tenants.by_name(name) is not None:
            raise Conflict(f"tenant {name!r} already exists")
        return await self.tenants.add(Tenant(name=name))

    async def tenant_named(self, name: str) -> Tenant:
        tenant = await self.tenants.by_name(name)
        if tenant is None:
            raise NotFound(f"no tenant named {name!r}")
        return tenant

    async def list_tenants(self) -> Sequence[Tenant]:
        return await self.tenants.all()

    async def issue_key(self, tenant: Tenant, role: Role, name: str = "") -> IssuedKey:
        generated = keys.generate_key()
        key = ApiKey(
            tenant_id=tenant.id,
            name=name or f"{role.value} key",
            role=role,
            prefix=generated.prefix,
            key_hash=generated.key_hash,
        )
        await self.keys.add(key)
        return IssuedKey(key=key, plaintext=generated.plaintext)

    async def list_keys(self, tenant_id: uuid.UUID) -> Sequence[ApiKey]:
        return await self.keys.for_tenant(tenant_id)

    async def revoke_key(self, key_id: uuid.UUID, *, tenant_id: uuid.UUID | None = None) -> ApiKey:
        key = await self.keys.by_id(key_id, tenant_id=tenant_id)
        if key is None:
            raise NotFound(f"no API key {key_id}")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
        return key

    async def authenticate(self, plaintext: str) -> Principal:
        prefix = keys.parse_prefix(plaintext)
        key = await self.keys.by_prefix(prefix) if prefix else None
        if key is None or not keys.matches(plaintext, key.key_hash):
            raise Unauthorized("the API key is not valid")
        if key.revoked_at is not None:
            raise Unauthorized("the API key has been revoked")
        return Principal(tenant_id=key.tenant_id, api_key_id=key.id, role=key.role)

    async def principal_of_key(self, key_id: uuid.UUID) -> Principal:
        """The principal of a key known by its id (a dashboard session holds the id, never the
        key): `Unauthorized` once the key is revoked or gone."""
        key = await self.keys.by_id(key_id)
        if key is None:
            raise Unauthorized("the API key does not exist")
        if key.revoked_at is not None:
            raise Unauthorized("the API key has been revoked")
        return Principal(tenant_id=key.tenant_id, api_key_id=key.id, role=key.role)

    async def ensure_demo_tenant(self) -> IssuedKey | None:
        """On an empty database: a `demo` tenant with an admin key (returned once)."""
        if await self.tenants.count() > 0:
            return None
        tenant = await self.create_tenant(DEMO_TENANT)
        return await self.issue_key(tenant, Role.ADMIN, "demo admin key")
