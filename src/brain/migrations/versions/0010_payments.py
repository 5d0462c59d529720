"""Payments: buyers (the only place of their e-mail address), payments, provider events, access
mails.

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "payment_buyers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_buyers")),
        sa.UniqueConstraint("email", name=op.f("uq_payment_buyers_email")),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("distribution_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("provider_session_id", sa.String(255), nullable=False),
        sa.Column("provider_payment_intent", sa.String(255), nullable=True),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column("refunded_minor", sa.Integer(), nullable=False),
        sa.Column("flag_reason", sa.String(32), nullable=True),
        sa.Column("failure_reason", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_payments_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["buyer_id"],
            ["payment_buyers.id"],
            name=op.f("fk_payments_buyer_id_payment_buyers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("provider_session_id", name=op.f("uq_payments_provider_session_id")),
    )
    op.create_index(op.f("ix_payments_buyer_id"), "payments", ["buyer_id"])
    op.create_index(
        op.f("ix_payments_provider_payment_intent"), "payments", ["provider_payment_intent"]
    )
    op.create_index("ix_payments_tenant_created", "payments", ["tenant_id", "created_at"])
    op.create_index("ix_payments_tenant_course", "payments", ["tenant_id", "course_id"])
    op.create_table(
        "payment_provider_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("provider_event_id", sa.String(255), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("payment_intent", sa.String(255), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_via", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_provider_events_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_provider_events")),
        sa.UniqueConstraint(
            "provider_event_id", name=op.f("uq_payment_provider_events_provider_event_id")
        ),
    )
    op.create_index(
        op.f("ix_payment_provider_events_payment_id"), "payment_provider_events", ["payment_id"]
    )
    op.create_index(
        op.f("ix_payment_provider_events_payment_intent"),
        "payment_provider_events",
        ["payment_intent"],
    )
    op.create_table(
        "payment_access_mails",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_access_mails_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_payment_access_mails")),
    )
    op.create_index(
        op.f("ix_payment_access_mails_next_attempt_at"),
        "payment_access_mails",
        ["next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_payment_access_mails_next_attempt_at"), table_name="payment_access_mails"
    )
    op.drop_table("payment_access_mails")
    op.drop_index(
        op.f("ix_payment_provider_events_payment_intent"), table_name="payment_provider_events"
    )
    op.drop_index(
        op.f("ix_payment_provider_events_payment_id"), table_name="payment_provider_events"
    )
    op.drop_table("payment_provider_events")
    op.drop_index("ix_payments_tenant_course", table_name="payments")
    op.drop_index("ix_payments_tenant_created", table_name="payments")
    op.drop_index(op.f("ix_payments_provider_payment_intent"), table_name="payments")
    op.drop_index(op.f("ix_payments_buyer_id"), table_name="payments")
    op.drop_table("payments")
    op.drop_table("payment_buyers")
