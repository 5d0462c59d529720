"""Staging sites are previews for the course's tenant, not public pages.

`/staging/<course_id>/…` is served to a request that carries an API key of the course's tenant
(`Authorization: Bearer …`, for tools) or a preview link: `GET /api/courses/{id}/preview-link`
hands out the site's address with a `preview` token signed with the platform's secret key
(`brain.kernel.secrets`) that names the course and when it expires
(`BRAIN_PREVIEW_LINK_SECONDS`). Opening the link moves the token into a cookie scoped to that one
site and redirects to the plain address, so the site's relative links keep working and the token
leaves the address bar. The `staging_url` in events stays the plain address: it carries no secret.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from itsdangerous import BadSignature, URLSafeSerializer

from brain.course_factory.dependencies import Deps
from brain.course_factory.repository import CourseRepository
from brain.kernel.auth.service import AuthService
from brain.kernel.errors import NotFound, Unauthorized

LINK_PARAMETER = "preview"
COOKIE = "brain_preview"


@dataclass(frozen=True)
class PreviewLink:
    url: str
    expires_at: datetime


class PreviewLinks:
    """Signed, expiring links to a course's staging site."""

    def __init__(self, secret: bytes, seconds: int, public_url: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="brain.staging-preview")
        self.seconds = seconds
        self.public_url = public_url.rstrip("/")

    def link(self, course_id: uuid.UUID) -> PreviewLink:
        expires = int(time.time()) + self.seconds
        token = self._serializer.dumps({"course": str(course_id), "expires": expires})
        return PreviewLink(
            url=f"{self.public_url}/staging/{course_id}/?{LINK_PARAMETER}={token}",
            expires_at=datetime.fromtimestamp(expires, UTC),
        )

    def seconds_left(self, token: str, course_id: uuid.UUID) -> int | None:
        """How long `token` still opens the site of `course_id`; None when it does not."""
        try:
            data = self._serializer.loads(token)
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("course") != str(course_id):
            return None
        left = int(data.get("expires", 0)) - int(time.time())
        return left if left > 0 else None


router = APIRouter(include_in_schema=False)


@router.get("/staging/{course_id}/{path:path}")
async def site_file(course_id: uuid.UUID, path: str, request: Request, deps: Deps) -> Response:
    links = deps.previews
    token = request.query_params.get(LINK_PARAMETER)
    if token is not None:
        left = links.seconds_left(token, course_id)
        if left is None:
            raise Unauthorized("this preview link has expired or is not valid; ask for a new one")
        moved = RedirectResponse(f"/staging/{course_id}/{path}", status_code=303)
        moved.set_cookie(
            COOKIE,
            token,
            max_age=left,
            path=f"/staging/{course_id}/",
            httponly=True,
            samesite="lax",
            secure=urlsplit(links.public_url).scheme == "https",
        )
        return moved
    cookie = request.cookies.get(COOKIE)
    if cookie is None or links.seconds_left(cookie, course_id) is None:
        await _tenant_key_for(course_id, request, deps)
    return await _file(deps.sites, course_id, path, request)


async def _tenant_key_for(course_id: uuid.UUID, request: Request, deps: Deps) -> None:
    """The request's API key belongs to the course's tenant, or the request is refused."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key:
        raise Unauthorized("open the site through a preview link, or send an API key")
    async with deps.database.read_session() as session:
        principal = await AuthService(session).authenticate(key.strip())
        course = await CourseRepository(session).get(course_id, tenant_id=principal.tenant_id)
    if course is None:
        raise NotFound(f"no staging site for course {course_id}")


async def _file(sites: Path, course_id: uuid.UUID, path: str, request: Request) -> Response:
    files = StaticFiles(directory=sites, html=True, check_dir=False)
    response = await files.get_response(f"{course_id}/{path}", request.scope)
    response.headers["Cache-Control"] = "private, no-store"
    return response
