"""The request dependencies that authenticate the caller and check its role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from brain.kernel.auth.models import Role
from brain.kernel.auth.service import AuthService, Principal
from brain.kernel.errors import Forbidden, Unauthorized
from brain.kernel.web import AppDatabase

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key, `Authorization: Bearer brain_…`; `brain apikey create` makes one.",
)


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    database: AppDatabase,
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("send an API key as `Authorization: Bearer <key>`")
    async with database.read_session() as session:
        principal = await AuthService(session).authenticate(credentials.credentials)
    request.state.principal = principal
    return principal


def has_role(principal: Principal, *roles: Role) -> bool:
    """Whether `principal` holds one of `roles`; `admin` always does."""
    return principal.role is Role.ADMIN or principal.role in roles


def ensure_role(principal: Principal, *roles: Role) -> Principal:
    """`principal`, or `Forbidden` when it holds none of `roles` (`admin` is always admitted):
    the one rule behind `require_roles` and the modules' operator contracts."""
    if not has_role(principal, *roles):
        names = ", ".join(sorted(r.value for r in {*roles, Role.ADMIN}))
        raise Forbidden(f"the role {principal.role.value!r} may not do this; allowed: {names}")
    return principal


def require_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting the listed roles; `admin` is always admitted."""

    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        return ensure_role(principal, *roles)

    return check


ANY_ROLE = tuple(Role)
AnyPrincipal = Annotated[Principal, Depends(require_roles(*ANY_ROLE))]
AdminPrincipal = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
