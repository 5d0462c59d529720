"""The dashboard's own work: signing in with an API key, the overview gathered from the modules'
operator contracts, and the tenant's API keys (the kernel's `AuthService`). Everything about
courses, distributions and the rest is the owning module's, through its contract."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from pydantic import ValidationError

from brain.dashboard.dependencies import DashboardDeps
from brain.events.operations import MAX_PAGE
from brain.kernel.admin_contracts import (
    ApprovalView,
    ContentSummary,
    CourseCounts,
    CourseSummary,
    DailyActivity,
    DistributionTotals,
    PaymentTotals,
    validation_failed,
)
from brain.kernel.auth import ApiKey, Principal, Role, ensure_role
from brain.kernel.auth.router import ApiKeyCreate
from brain.kernel.auth.service import AuthService, IssuedKey
from brain.kernel.clock import utcnow
from brain.kernel.errors import NotFound


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    tenant_name: str


async def sign_in(deps: DashboardDeps, api_key: str) -> SignedIn:
    """The key's principal, or `Unauthorized` (the API's rule: unknown, wrong or revoked)."""
    async with deps.database.read_session() as session:
        service = AuthService(session)
        principal = await service.authenticate(api_key)
        tenant = await service.tenants.by_id(principal.tenant_id)
    if tenant is None:
        raise NotFound(f"no tenant {principal.tenant_id}")
    return SignedIn(principal, tenant.name)


@dataclass(frozen=True)
class Overview:
    courses: CourseCounts
    distributions: DistributionTotals
    recent: Sequence[CourseSummary]
    pending: Sequence[ApprovalView]
    dead_letters: int | None
    """Open dead letters of the tenant's events (admins only, as in the API)."""
    content: ContentSummary | None
    payments: PaymentTotals | None
    today: DailyActivity | None


OVERVIEW_ROWS = 5


async def overview(deps: DashboardDeps, principal: Principal) -> Overview:
    now = utcnow()
    midnight = datetime.combine(now.date(), time(0), tzinfo=UTC)
    dead_letters = None
    if principal.role is Role.ADMIN:
        letters = await deps.events.dead_letters(
            tenant_id=principal.tenant_id, status="open", limit=MAX_PAGE
        )
        dead_letters = len(letters)
    return Overview(
        courses=await deps.courses.counts(principal),
        distributions=await deps.distributions.totals(principal),
        recent=(await deps.courses.list(principal, limit=OVERVIEW_ROWS)).items,
        pending=(await deps.courses.approvals(principal, limit=OVERVIEW_ROWS)).items,
        dead_letters=dead_letters,
        content=await deps.content.summary(principal) if deps.content else None,
        payments=await deps.payments.totals(principal, midnight) if deps.payments else None,
        today=await deps.analytics.day(principal, now.date()) if deps.analytics else None,
    )


# -- API keys ---------------------------------------------------------------------------------


async def actor_names(deps: DashboardDeps, principal: Principal) -> dict[str, str]:
    """How the modules name an API key acting (`apikey:<id>`) → its name and role, for the
    tenant's keys (an operator reads "Anna (approver)", not an id)."""
    async with deps.database.read_session() as session:
        keys = await AuthService(session).list_keys(principal.tenant_id)
    return {f"apikey:{key.id}": f"{key.name} ({key.role.value})" for key in keys}


async def api_keys(deps: DashboardDeps, principal: Principal) -> Sequence[ApiKey]:
    ensure_role(principal)
    async with deps.database.read_session() as session:
        return await AuthService(session).list_keys(principal.tenant_id)


async def issue_key(deps: DashboardDeps, principal: Principal, role: str, name: str) -> IssuedKey:
    ensure_role(principal)
    try:
        body = ApiKeyCreate.model_validate({"role": role, "name": name})
    except ValidationError as exc:
        raise validation_failed(exc) from None
    async with deps.units_of_work() as uow:
        service = AuthService(uow.session)
        tenant = await service.tenants.by_id(principal.tenant_id)
        assert tenant is not None
        return await service.issue_key(tenant, body.role, body.name)


async def revoke_key(deps: DashboardDeps, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    ensure_role(principal)
    async with deps.units_of_work() as uow:
        return await AuthService(uow.session).revoke_key(key_id, tenant_id=principal.tenant_id)
