"""Identifiers: random UUIDs for every entity and event."""

import uuid


def new_id() -> uuid.UUID:
    return uuid.uuid4()
