"""Standard Webhooks signatures (https://www.standardwebhooks.com), with the specification's own
Python package: `webhook-signature` is `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per
signing secret, separated by spaces."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = 32
"""Random bytes per secret; the specification asks for 24 to 64."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature(signing_secrets: Sequence[str], msg_id: str, timestamp: datetime, body: str) -> str:
    """The `webhook-signature` header value: one `v1,…` signature per secret, newest first."""
    return " ".join(Webhook(secret).sign(msg_id, timestamp, body) for secret in signing_secrets)


def headers(
    signing_secrets: Sequence[str], msg_id: str, timestamp: datetime, body: str
) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature(signing_secrets, msg_id, timestamp, body),
    }
