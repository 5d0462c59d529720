"""The tenant's API keys (admin): create one (shown once), list them, revoke one. A revoked key's
dashboard sessions end on their next request."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from brain.dashboard import service
from brain.dashboard.access import Posted, SignedIn
from brain.dashboard.forms import FieldErrors
from brain.dashboard.rendering import View
from brain.dashboard.security import DashboardRoute
from brain.kernel.auth import Role, ensure_role
from brain.kernel.errors import ValidationFailed

router = APIRouter(include_in_schema=False, route_class=DashboardRoute)


async def _keys_page(
    view: View,
    *,
    shown: str | None = None,
    errors: FieldErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    keys = await service.api_keys(view.deps, view.principal)
    return view.render(
        "keys.html.j2",
        title=view.t["keys_title"],
        status=status,
        keys=keys,
        roles=[r.value for r in Role],
        shown=shown,
        errors=errors,
        values=values or {"role": Role.EDITOR.value, "name": ""},
        current=view.principal.api_key_id,
    )


@router.get("/admin/keys")
async def keys(view: SignedIn) -> Response:
    ensure_role(view.principal)
    return await _keys_page(view)


@router.post("/admin/keys")
async def create_key(posted: Posted) -> Response:
    view = posted.view
    values = {"role": posted.text("role"), "name": posted.text("name")}
    try:
        issued = await service.issue_key(
            view.deps, posted.operator.principal, values["role"], values["name"]
        )
    except ValidationFailed as exc:
        errors = FieldErrors.of(exc, ("role", "name"))
        return await _keys_page(view, errors=errors, values=values, status=422)
    return await _keys_page(view, shown=issued.plaintext, status=201)


@router.post("/admin/keys/{key_id}/revoke")
async def revoke_key(posted: Posted, key_id: uuid.UUID) -> Response:
    view = posted.view
    key = await service.revoke_key(view.deps, posted.operator.principal, key_id)
    return view.redirect("/admin/keys", ok=view.t["key_revoked"].format(prefix=key.prefix))
