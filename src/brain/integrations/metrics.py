"""Prometheus metrics of the integrations, registered on the platform's registry (`/metrics`)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class IntegrationMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.deliveries = Counter(
            "brain_webhook_deliveries_total",
            "Webhook delivery attempts by outcome (delivered, retrying, failed, gone, refused).",
            ["outcome"],
            registry=registry,
        )
        self.latency = Histogram(
            "brain_webhook_delivery_duration_seconds",
            "Time from sending a webhook request to the receiver's answer (or the error).",
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0),
            registry=registry,
        )
        self.pending = Gauge(
            "brain_webhook_deliveries_pending",
            "Webhook deliveries waiting for their first attempt or a retry.",
            registry=registry,
        )
        self.disabled = Gauge(
            "brain_webhook_endpoints_disabled",
            "Webhook endpoints that are disabled (by an operator, 410 Gone or failing).",
            registry=registry,
        )
        self.indexnow_requests = Counter(
            "brain_indexnow_requests_total",
            "IndexNow notifications by outcome (accepted, retrying, rejected, dropped).",
            ["outcome"],
            registry=registry,
        )
        self.indexnow_urls = Counter(
            "brain_indexnow_urls_total",
            "URLs search engines accepted a notification for.",
            registry=registry,
        )
        self.indexnow_queued = Gauge(
            "brain_indexnow_urls_queued",
            "URLs waiting to be notified to search engines.",
            registry=registry,
        )
        self.alerts = Counter(
            "brain_alerts_total",
            "Alert occurrences by cause and outcome (raised, deduplicated, too_old).",
            ["cause", "outcome"],
            registry=registry,
        )
