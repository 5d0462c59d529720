"""Checkout rate limiting per client, in memory: a fixed window per (client, scope).

The client's address is kept only as a salted hash, and only for one window.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._salt = os.urandom(16)
        self._windows: dict[bytes, tuple[float, int]] = {}
        self._last_sweep = clock()

    def hit(self, client: str, scope: str) -> float | None:
        """None when allowed; otherwise the seconds until the client may try again."""
        now = self.clock()
        if now - self._last_sweep > self.window:
            self._windows = {k: v for k, v in self._windows.items() if now - v[0] < self.window}
            self._last_sweep = now
        key = hashlib.blake2b(f"{client}|{scope}".encode(), key=self._salt, digest_size=16).digest()
        started, count = self._windows.get(key, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        if count >= self.limit:
            return max(0.0, self.window - (now - started))
        self._windows[key] = (started, count + 1)
        return None
