"""Prometheus metrics of the event stream, registered on the platform's registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class EventMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.published = Counter(
            "brain_events_published_total",
            "Events relayed from the outbox to the transport, by type.",
            ["type"],
            registry=registry,
        )
        self.consumed = Counter(
            "brain_events_consumed_total",
            "Deliveries handled, by subscriber and outcome "
            "(processed, duplicate, retried, waiting, dead_lettered).",
            ["subscriber", "outcome"],
            registry=registry,
        )
        self.lag = Gauge(
            "brain_events_consumer_lag",
            "Events in the log the subscriber has not taken yet.",
            ["subscriber"],
            registry=registry,
        )
        self.outbox_backlog = Gauge(
            "brain_events_outbox_backlog",
            "Events committed but not yet relayed to the transport.",
            registry=registry,
        )
        self.dead_letters = Gauge(
            "brain_events_dead_letters",
            "Open dead letters, by subscriber.",
            ["subscriber"],
            registry=registry,
        )
        self.handler_seconds = Histogram(
            "brain_events_handler_duration_seconds",
            "Time spent in a subscriber's handler per delivery.",
            ["subscriber"],
            registry=registry,
        )
