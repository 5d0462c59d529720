"""The learner's side of access to a priced course: `GET /learn/access?token=…` exchanges the
personal token of an access grant for a cookie and sends the learner to the course's learner
view; with no valid grant (never issued, or revoked by a refund) it answers 403.

The cookie holds the token itself (HttpOnly, Secure when the request came over HTTPS, SameSite=Lax,
one per course); every request of the learner view checks it against the active grants
(`access.LearnerGate`), so a refund locks the course at once.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from brain.course_factory import learner
from brain.course_factory.access import COOKIE_MAX_AGE, cookie_name
from brain.course_factory.dependencies import Deps

ACCESS_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "forbidden": "No access to this course",
        "forbidden_text": "This access link is not valid (any more). A purchase that was refunded "
        "no longer opens the course.",
        "locked": "This course is for buyers",
        "locked_text": "Open your personal access link from your purchase to read it here.",
        "missing": "Course not found",
        "missing_text": "This course does not exist or is not published.",
        "to_course_page": "To the course page",
        "all_courses": "All courses",
    },
    "de": {
        "forbidden": "Kein Zugang zu diesem Kurs",
        "forbidden_text": "Dieser Zugangslink gilt nicht (mehr). Ein erstatteter Kauf öffnet den "
        "Kurs nicht mehr.",
        "locked": "Dieser Kurs ist für Käuferinnen und Käufer",
        "locked_text": "Öffne deinen persönlichen Zugangslink aus deinem Kauf, um ihn hier zu "
        "lesen.",
        "missing": "Kurs nicht gefunden",
        "missing_text": "Diesen Kurs gibt es nicht oder er ist nicht veröffentlicht.",
        "to_course_page": "Zur Kursseite",
        "all_courses": "Alle Kurse",
    },
}

router = APIRouter(include_in_schema=False)


def message_page(language: str, key: str, status_code: int, back: str | None = None) -> Response:
    t = ACCESS_STRINGS.get(language, ACCESS_STRINGS["en"])
    return learner.message_page(
        status_code,
        t[key],
        lang=language,
        text=t[f"{key}_text"],
        back=back,
        back_label=t["to_course_page"] if back else None,
    )


@router.get("/learn/access")
async def exchange_token(
    request: Request,
    deps: Deps,
    token: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    grant = await deps.gate.active_grant(token)
    if grant is None or token is None:
        return message_page("en", "forbidden", 403)
    distributions = await deps.distributions.of_course(grant.tenant_id, grant.course_id)
    visible = sorted(
        (d for d in distributions if d.visible),
        key=lambda d: (not d.priced, d.visibility != "PUBLIC"),
    )
    if not visible:
        return message_page("en", "missing", 404)
    response = RedirectResponse(
        f"/learn/{quote(visible[0].slug)}",
        status_code=303,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
    response.set_cookie(
        cookie_name(grant.course_id),
        token,
        max_age=COOKIE_MAX_AGE,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return response
