"""Failed sign-ins, counted per client in a sliding window (per process, like every other limit
of the platform): after too many, the client waits before it may try again."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

MAX_CLIENTS = 10_000
"""Clients remembered at once; the oldest are forgotten first, so memory stays bounded."""


class FailedSignIns:
    def __init__(
        self, attempts: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.get(client)
        if failures is None:
            return deque()
        cutoff = self.clock() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def retry_after(self, client: str) -> float | None:
        """Seconds until `client` may try again, or None when it may now."""
        failures = self._recent(client)
        if len(failures) < self.attempts:
            return None
        return max(failures[0] + self.window - self.clock(), 0.001)

    def failed(self, client: str) -> None:
        failures = self._recent(client)
        if not failures:
            if len(self._failures) >= MAX_CLIENTS:
                del self._failures[next(iter(self._failures))]
            self._failures[client] = failures
        failures.append(self.clock())

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)
