"""Alembic environment: runs on the connection `brain.kernel.migrations` hands in."""

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from brain.bootstrap import metadata
from brain.kernel.db import UTCDateTime

config = context.config
connection: Connection | None = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `brain db …`, which supplies the connection")


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Migrations name plain SQLAlchemy types, never the project's own decorators."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    target_metadata=metadata(),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
