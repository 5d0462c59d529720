"""The platform's signing secret: what signed links and session cookies are signed with.

`BRAIN_SECRET_KEY` in production (the same value on every replica). Unset — the embedded default —
a random key is generated once and kept in `<data dir>/secret_key` (readable by its owner only),
so links and sessions survive a restart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from brain.kernel.config import Settings

KEY_FILE = "secret_key"
KEY_BYTES = 32


def platform_secret(settings: Settings) -> bytes:
    configured = settings.secret_key.get_secret_value()
    if configured:
        return configured.encode()
    path = settings.data_dir / KEY_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        return _create(path)


def _create(path: Path) -> bytes:
    """Write a new key next to `path` and link it into place: the link fails when another
    process got there first, and then its key is the one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secrets.token_urlsafe(KEY_BYTES).encode())
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_bytes().strip()
