"""Access to a priced course's learner view: grants, their tokens, and the check a learner
route asks ("may this request read the course's lessons?").

A grant is made once per payment (`course.payment.completed`) and revoked by a full refund or a
dispute. Its personal token is derived from the grant id with the platform's secret
(`BRAIN_SECRET_KEY`, `brain.kernel.secrets`) by HMAC-SHA256: the database holds
only the token's SHA-256, the token travels in no event, and the payments module obtains the link
to show its buyer through the `CourseAccessLinks` read contract (ADR 0012). Exchanging the token
at `/learn/access` sets it as an HttpOnly cookie, one per course; a request may read a priced
course when its cookie's digest names an active grant of that course.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

from fastapi import Request

from brain.course_factory.models import AccessGrant
from brain.course_factory.repository import AccessGrantRepository, CourseRepository
from brain.events import EventPublisher
from brain.events.contracts.course import CourseAccessGranted, CourseAccessRevoked
from brain.kernel.clock import utcnow
from brain.kernel.contracts import DistributionReader
from brain.kernel.db import Database
from brain.kernel.uow import UnitOfWork

COOKIE_PREFIX = "brain_access_"
TOKEN_PURPOSE = b"brain course access v1:"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers keep


class AccessTokens:
    """Tokens of grants: derived, never stored; their digests are."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def token(self, grant_id: uuid.UUID) -> str:
        mac = hmac.new(self._key, TOKEN_PURPOSE + grant_id.bytes, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()


def cookie_name(course_id: uuid.UUID) -> str:
    return f"{COOKIE_PREFIX}{course_id.hex}"


class AccessService:
    """Granting and revoking, inside the caller's unit of work."""

    def __init__(self, uow: UnitOfWork, publisher: EventPublisher, tokens: AccessTokens) -> None:
        self.uow = uow
        self.grants = AccessGrantRepository(uow.session)
        self.publisher = publisher
        self.tokens = tokens

    async def grant(
        self,
        *,
        tenant_id: uuid.UUID,
        course_id: uuid.UUID,
        buyer_id: uuid.UUID,
        payment_id: uuid.UUID,
    ) -> AccessGrant | None:
        """The new grant, or None when the payment already has one (granting twice is a no-op)."""
        grant_id = uuid.uuid4()
        grant = AccessGrant(
            id=grant_id,
            tenant_id=tenant_id,
            course_id=course_id,
            buyer_id=buyer_id,
            payment_id=payment_id,
            token_digest=self.tokens.digest(self.tokens.token(grant_id)),
            granted_at=utcnow(),
        )
        if not await self.grants.add_once(grant):
            return None
        await self.publisher.publish(
            self.uow,
            CourseAccessGranted(
                course_id=course_id, grant_id=grant_id, buyer_id=buyer_id, payment_id=payment_id
            ),
            tenant_id=tenant_id,
        )
        return grant

    async def revoke(self, payment_id: uuid.UUID, reason: str) -> AccessGrant | None:
        """The revoked grant, or None when the payment has no active one."""
        grant = await self.grants.by_payment(payment_id)
        if grant is None or not grant.active:
            return None
        grant.revoked_at = utcnow()
        grant.revoke_reason = reason
        await self.publisher.publish(
            self.uow,
            CourseAccessRevoked(
                course_id=grant.course_id,
                grant_id=grant.id,
                buyer_id=grant.buyer_id,
                reason=reason,
            ),
            tenant_id=grant.tenant_id,
        )
        return grant


class LearnerGate:
    """Answers whether a request may read a course's lessons: a course with a priced
    distribution needs the cookie of an active grant; any other course is open."""

    def __init__(self, database: Database, distributions: DistributionReader) -> None:
        self.database = database
        self.distributions = distributions

    async def is_priced(self, tenant_id: uuid.UUID, course_id: uuid.UUID) -> bool:
        return any(d.priced for d in await self.distributions.of_course(tenant_id, course_id))

    async def active_grant(self, token: str | None) -> AccessGrant | None:
        if not token or len(token) > 200:
            return None
        async with self.database.read_session() as session:
            grant = await AccessGrantRepository(session).by_digest(AccessTokens.digest(token))
        return grant if grant is not None and grant.active else None

    async def holds_grant(self, request: Request, course_id: uuid.UUID) -> bool:
        grant = await self.active_grant(request.cookies.get(cookie_name(course_id)))
        return grant is not None and grant.course_id == course_id

    async def may_read(self, request: Request, tenant_id: uuid.UUID, course_id: uuid.UUID) -> bool:
        """May this request see the course's lessons and quiz?"""
        if not await self.is_priced(tenant_id, course_id):
            return True
        return await self.holds_grant(request, course_id)

    async def may_read_course(self, request: Request, course_id: uuid.UUID) -> bool:
        """The same for a course known only by its id (the staging site's paths)."""
        async with self.database.read_session() as session:
            course = await CourseRepository(session).get(course_id)
        if course is None:
            return True  # nothing to protect; the static files answer 404
        return await self.may_read(request, course.tenant_id, course_id)
