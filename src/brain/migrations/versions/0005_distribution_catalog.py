"""Course distribution: the public catalog's read model and its version, filled from the
distributions that are PUBLIC at upgrade time.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "distribution_catalog",
        sa.Column("distribution_id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("audiences", sa.String(length=400), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("item", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("distribution_id", name=op.f("pk_distribution_catalog")),
    )
    op.create_index(
        op.f("ix_distribution_catalog_slug"), "distribution_catalog", ["slug"], unique=False
    )
    op.create_index(
        "ix_distribution_catalog_language_published",
        "distribution_catalog",
        ["language", "published_at"],
        unique=False,
    )
    state = op.create_table(
        "distribution_catalog_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distribution_catalog_state")),
    )
    op.bulk_insert(state, [{"id": 1, "version": 0, "changed_at": datetime.now(UTC)}])
    _fill(op.get_bind(), state)


def _fill(bind: sa.engine.Connection, state: sa.Table) -> None:
    """The distributions PUBLIC at upgrade time, as the projection of this revision writes them
    (frozen here: later code may change, this revision may not)."""
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    columns = ("slug", "title", "description", "language", "version", "visibility")
    source = sa.table(
        "course_distributions",
        sa.column("id", sa.Uuid()),
        *(sa.column(name) for name in columns),
        sa.column("target_group", json_type),
        sa.column("seo", json_type),
        sa.column("cta", json_type),
        sa.column("price_amount_minor", sa.Integer()),
        sa.column("price_currency", sa.String()),
        sa.column("published_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    target = sa.table(
        "distribution_catalog",
        sa.column("distribution_id", sa.Uuid()),
        sa.column("slug"),
        sa.column("language"),
        sa.column("audiences"),
        sa.column("search_text"),
        sa.column("published_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("item", json_type),
    )
    rows = bind.execute(sa.select(source).where(source.c.visibility == "PUBLIC")).mappings()
    entries = []
    for row in rows:
        seo = row["seo"] or {}
        audiences = [str(a) for a in row["target_group"] or []]
        published = _utc(row["published_at"] or row["updated_at"])
        price = None
        if row["price_amount_minor"] is not None and row["price_currency"] is not None:
            price = {"amount_minor": row["price_amount_minor"], "currency": row["price_currency"]}
        words = [row["title"], row["description"] or "", *(seo.get("keywords") or [])]
        entries.append(
            {
                "distribution_id": row["id"],
                "slug": row["slug"],
                "language": row["language"],
                "audiences": "|" + "|".join(audiences) + "|",
                "search_text": " ".join(words).lower(),
                "published_at": published,
                "updated_at": _utc(row["updated_at"]),
                "item": {
                    "id": str(row["id"]),
                    "slug": row["slug"],
                    "title": row["title"],
                    "description": row["description"] or "",
                    "language": row["language"],
                    "target_group": audiences,
                    "version": row["version"],
                    "seo": row["seo"] or None,
                    "cta": row["cta"] or None,
                    "price": price,
                    "visibility": "PUBLIC",
                    "published_at": published.isoformat() if published else None,
                },
            }
        )
    if entries:
        bind.execute(sa.insert(target), entries)
        bind.execute(sa.update(state).values(version=1))


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def downgrade() -> None:
    op.drop_table("distribution_catalog_state")
    op.drop_index("ix_distribution_catalog_language_published", table_name="distribution_catalog")
    op.drop_index(op.f("ix_distribution_catalog_slug"), table_name="distribution_catalog")
    op.drop_table("distribution_catalog")
