"""When the worker loop looks for due retries.

It looks when a retry this process scheduled is due, and otherwise at most once per poll interval
(for retries that other workers scheduled); `poll` and `drain` always look. Querying
`event_pending` on every poll would cost a transaction per poll for nothing.
"""

from __future__ import annotations

import heapq
import time


class RetryClock:
    def __init__(self) -> None:
        self._look_at: dict[str, float] = {}
        """Per subscriber, when (`time.monotonic()`) to look for other workers' retries again;
        missing: at once."""
        self._scheduled: dict[str, list[float]] = {}
        """Per subscriber, a heap of when the retries this process scheduled fall due."""

    def scheduled(self, subscriber: str, delay: float) -> None:
        heapq.heappush(self._scheduled.setdefault(subscriber, []), time.monotonic() + delay)

    def may_be_due(self, subscriber: str) -> bool:
        now = time.monotonic()
        scheduled = self._scheduled.get(subscriber)
        return now >= self._look_at.get(subscriber, 0.0) or bool(scheduled and scheduled[0] <= now)

    def looked(self, subscriber: str, at: float, *, full: bool, again: float) -> None:
        """Everything due at `at` was found (unless the query hit its limit: look again at
        once); other workers' retries are looked for again `again` seconds later."""
        self._look_at[subscriber] = at if full else at + again
        scheduled = self._scheduled.get(subscriber)
        while scheduled and scheduled[0] <= at:
            heapq.heappop(scheduled)
