"""The platform's signing key: `BRAIN_SECRET_KEY`, or one generated once and kept in the data
directory (`secret.key`, readable by its owner only), which every process on the machine shares.
Several machines serving one installation must set `BRAIN_SECRET_KEY` to the same value."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from brain.kernel.config import Settings

KEY_FILE = "secret.key"


def secret_key(settings: Settings) -> bytes:
    configured = settings.secret_key.get_secret_value()
    if configured:
        return configured.encode()
    return _kept_key(settings.data_dir / KEY_FILE)


def _kept_key(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        # A link, unlike a rename, fails when another process kept its key first: then its key is
        # the one everybody uses.
        os.link(fresh, path)
    except FileExistsError:
        pass
    finally:
        with contextlib.suppress(FileNotFoundError):
            fresh.unlink()
    return path.read_bytes().strip()
