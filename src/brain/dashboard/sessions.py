"""The dashboard's session: a cookie signed with the platform's secret that holds the API key's id
(never the key), a random nonce and when it began; its signature's timestamp is the last request,
so it ends after the idle time. Forms carry a CSRF token derived from the nonce, and flash
messages ride in a short-lived signed cookie. ADR 0023 explains the choices.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

SESSION_COOKIE = "brain_admin_session"
LOGIN_COOKIE = "brain_admin_login"
FLASH_COOKIE = "brain_admin_flash"
LANGUAGE_COOKIE = "brain_admin_lang"
COOKIE_PATH = "/admin"
REFRESH_SECONDS = 60
"""A session's cookie is signed again at most once a minute (the idle time's precision)."""
FLASH_SECONDS = 120
LOGIN_SECONDS = 3600


@dataclass(frozen=True)
class Session:
    key_id: uuid.UUID
    nonce: str
    started_at: int
    tenant_name: str
    signed_at: int = 0
    """When the cookie was last signed (its last refresh)."""


@dataclass(frozen=True)
class Flash:
    kind: str
    """`ok` or `error`."""
    message: str


def _signer(clock: Callable[[], float]) -> type[TimestampSigner]:
    class ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return ClockedSigner


class SessionCodec:
    def __init__(
        self,
        secret: bytes,
        *,
        idle_seconds: int,
        lifetime_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.idle_seconds = idle_seconds
        self.lifetime_seconds = lifetime_seconds
        self.clock = clock
        signer = _signer(clock)
        self._sessions = URLSafeTimedSerializer(
            secret, salt="brain.dashboard.session", signer=signer
        )
        self._flashes = URLSafeTimedSerializer(secret, salt="brain.dashboard.flash", signer=signer)
        self._csrf_key = hmac.new(secret, b"brain.dashboard.csrf", hashlib.sha256).digest()

    # -- sessions --------------------------------------------------------------------------

    def start(self, key_id: uuid.UUID, tenant_name: str) -> Session:
        return Session(
            key_id=key_id,
            nonce=secrets.token_urlsafe(16),
            started_at=int(self.clock()),
            tenant_name=tenant_name,
        )

    def dump(self, session: Session) -> str:
        payload = {
            "k": str(session.key_id),
            "n": session.nonce,
            "s": session.started_at,
            "t": session.tenant_name,
        }
        return str(self._sessions.dumps(payload))

    def load(self, cookie: str) -> Session | None:
        """The session in `cookie`, or None when it is forged, idle too long or too old."""
        try:
            payload, signed = self._sessions.loads(
                cookie, max_age=self.idle_seconds, return_timestamp=True
            )
            session = Session(
                key_id=uuid.UUID(str(payload["k"])),
                nonce=str(payload["n"]),
                started_at=int(payload["s"]),
                tenant_name=str(payload["t"]),
                signed_at=int(signed.timestamp()),
            )
        except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError):
            return None
        if self.clock() - session.started_at > self.lifetime_seconds:
            return None
        return session

    def due_for_refresh(self, session: Session) -> bool:
        return self.clock() - session.signed_at >= REFRESH_SECONDS

    # -- CSRF ------------------------------------------------------------------------------

    def csrf_token(self, nonce: str) -> str:
        """The token every state-changing form of a session (or of a sign-in page) carries."""
        return hmac.new(self._csrf_key, nonce.encode(), hashlib.sha256).hexdigest()

    def csrf_matches(self, nonce: str, token: object) -> bool:
        return isinstance(token, str) and hmac.compare_digest(self.csrf_token(nonce), token)

    @staticmethod
    def login_nonce() -> str:
        return secrets.token_urlsafe(16)

    # -- flash messages --------------------------------------------------------------------

    def dump_flash(self, flash: Flash) -> str:
        return str(self._flashes.dumps({"k": flash.kind, "m": flash.message[:500]}))

    def load_flash(self, cookie: str) -> Flash | None:
        try:
            payload: Any = self._flashes.loads(cookie, max_age=FLASH_SECONDS)
            return Flash(kind=str(payload["k"]), message=str(payload["m"]))
        except (BadSignature, SignatureExpired, KeyError, TypeError):
            return None
