"""The IndexNow key file, `/<key>.txt`: search engines fetch it to check that whoever notifies
them about this host holds the key (https://www.indexnow.org/documentation). Public, like
`/robots.txt`; any other name, or IndexNow switched off, is a 404."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from brain.integrations.dependencies import Deps
from brain.kernel.errors import NotFound

router = APIRouter()


@router.get("/{key}.txt", include_in_schema=False)
async def indexnow_key_file(key: str, deps: Deps) -> PlainTextResponse:
    notifier = deps.indexnow
    if notifier is None or key != notifier.key:
        raise NotFound(f"no file {key}.txt")
    return PlainTextResponse(notifier.key, headers={"Cache-Control": "public, max-age=3600"})
