"""Events of the integrations module: webhook endpoints and alerts.

An endpoint is referred to by its id only: its URL (which may carry a receiver's credentials in
its query) and its signing secret never travel in an event. Each endpoint is its own aggregate
(`endpoint_id`), each alert too (`alert_id`).
"""

from typing import Annotated, Literal

from pydantic import Field

from brain.events.catalog import CATALOG, EventPayload
from brain.events.contracts._types import (
    Code,
    Count,
    FieldPath,
    Flag,
    Text,
    UtcDatetime,
    Uuid,
)

SOURCE = "integrations"
WEBHOOKS = "webhook_service"
DELIVERY = "webhook_delivery"
ALERTING = "alerting"

Severity = Literal["info", "warning", "critical"]


class WebhookEndpointCreated(EventPayload):
    endpoint_id: Uuid
    enabled: Flag
    event_types_count: Annotated[int, Count(minimum=1, maximum=50)] = Field(
        description="How many event type patterns the endpoint subscribes to."
    )


class WebhookEndpointUpdated(EventPayload):
    endpoint_id: Uuid
    changed_fields: list[FieldPath] = Field(
        min_length=1, max_length=8, description="Names of the changed fields, e.g. `url`."
    )
    enabled: Flag = Field(description="Whether the endpoint receives deliveries after the change.")


class WebhookEndpointDeleted(EventPayload):
    endpoint_id: Uuid


class WebhookEndpointSecretRotated(EventPayload):
    endpoint_id: Uuid
    previous_valid_until: UtcDatetime = Field(
        description="Until then deliveries carry a signature with the previous secret too."
    )


class WebhookEndpointDisabled(EventPayload):
    endpoint_id: Uuid
    reason_code: Literal["gone", "failing"] = Field(
        description="`gone`: the receiver answered 410 Gone; `failing`: every delivery has "
        "failed for the configured period."
    )
    failing_since: UtcDatetime | None = Field(
        default=None, description="When the deliveries started failing without a success since."
    )
    last_status_code: Annotated[int, Count(maximum=599)] | None = Field(
        default=None, description="The receiver's last HTTP status; none after a network error."
    )


class WebhookTestRequested(EventPayload):
    endpoint_id: Uuid = Field(description="The only endpoint this event is delivered to.")


class AlertRaised(EventPayload):
    alert_id: Uuid
    severity: Severity
    cause: Code = Field(
        description="What kind of trouble: `generation_failed`, `dead_letter`, "
        "`webhook_endpoint_disabled`, `payment_flagged`."
    )
    summary: Annotated[str, Text(200, 300)] = Field(
        description="One line for operators, made of codes and ids; never personal data."
    )
    subject_id: Uuid | None = Field(
        default=None,
        description="What the alert is about: a course, a payment, an endpoint or a dead letter.",
    )
    source_event_id: Uuid | None = Field(
        default=None, description="The event that caused the alert (none for a dead letter)."
    )
    suppressed_count: Annotated[int, Count()] = Field(
        description="Occurrences of the same cause deduplicated into the previous alert since it "
        "was raised."
    )


_DECLARATIONS: list[tuple[str, type[EventPayload], str, str, str]] = [
    (
        "webhook.endpoint.created",
        WebhookEndpointCreated,
        WEBHOOKS,
        "endpoint_id",
        "Emitted when a tenant has registered a webhook endpoint.",
    ),
    (
        "webhook.endpoint.updated",
        WebhookEndpointUpdated,
        WEBHOOKS,
        "endpoint_id",
        "Emitted when a webhook endpoint's URL, event types, description or state has changed.",
    ),
    (
        "webhook.endpoint.deleted",
        WebhookEndpointDeleted,
        WEBHOOKS,
        "endpoint_id",
        "Emitted when a webhook endpoint has been removed with its delivery log.",
    ),
    (
        "webhook.endpoint.secret_rotated",
        WebhookEndpointSecretRotated,
        WEBHOOKS,
        "endpoint_id",
        "Emitted when a webhook endpoint's signing secret has been replaced (both sign a while).",
    ),
    (
        "webhook.endpoint.disabled",
        WebhookEndpointDisabled,
        DELIVERY,
        "endpoint_id",
        "Emitted when a webhook endpoint has been disabled as its receiver is gone or failing.",
    ),
    (
        "webhook.test.requested",
        WebhookTestRequested,
        WEBHOOKS,
        "endpoint_id",
        "Emitted when an operator has asked for a test delivery to one webhook endpoint.",
    ),
    (
        "alert.raised",
        AlertRaised,
        ALERTING,
        "alert_id",
        "Emitted when something needs an operator's attention (deduplicated per cause).",
    ),
]
for _type, _payload, _producer, _aggregate, _description in _DECLARATIONS:
    CATALOG.declare(
        _type,
        _payload,
        description=_description,
        source_module=SOURCE,
        producer=_producer,
        aggregate_field=_aggregate,
    )
