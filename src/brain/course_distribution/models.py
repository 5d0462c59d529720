"""Tables of the course distribution: distributions with their SEO and CTA, slugs, changelog,
the catalog's read model and the tracking buckets."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from brain.kernel.clock import utcnow
from brain.kernel.db import Base, UTCDateTime
from brain.kernel.ids import new_id

JsonType = JSON().with_variant(JSONB(), "postgresql")


class Visibility(StrEnum):
    PRIVATE = "PRIVATE"
    PUBLIC = "PUBLIC"
    UNLISTED = "UNLISTED"


VISIBLE = (Visibility.PUBLIC.value, Visibility.UNLISTED.value)
"""The visibilities whose course page visitors may open (only PUBLIC is in the catalog)."""


class Distribution(Base):
    """A course as the public sees it. `course_id` names a course of course_factory; there is no
    foreign key across modules (they share events and read-only contracts, not tables)."""

    __tablename__ = "course_distributions"
    __table_args__ = (
        Index("ix_course_distributions_tenant_course", "tenant_id", "course_id"),
        Index("ix_course_distributions_visibility_language", "visibility", "language"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[list[str]] = mapped_column(JsonType)
    version: Mapped[str] = mapped_column(String(8), default="v1")
    derived_from: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("course_distributions.id", ondelete="RESTRICT"), index=True
    )
    seo: Mapped[dict[str, Any]] = mapped_column(JsonType)
    cta: Mapped[dict[str, Any]] = mapped_column(JsonType)
    visibility: Mapped[str] = mapped_column(String(8), default=Visibility.PRIVATE)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    staging_url: Mapped[str | None] = mapped_column(String(300))
    price_amount_minor: Mapped[int | None] = mapped_column(Integer)
    price_currency: Mapped[str | None] = mapped_column(String(3))
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    enrollment_click_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SlugHistory(Base):
    """Earlier slugs of a distribution: their public URLs answer 301 to the current one."""

    __tablename__ = "distribution_slug_history"

    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    distribution_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("course_distributions.id", ondelete="CASCADE"), index=True
    )
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChangelogEntry(Base):
    __tablename__ = "distribution_changelog"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    distribution_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("course_distributions.id", ondelete="CASCADE"), index=True
    )
    from_version: Mapped[str] = mapped_column(String(8))
    to_version: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PendingStagingUrl(Base):
    """A staging URL that arrived before its course's distribution existed (the factory sends
    `course.deployed.staging` before `course.generation.completed`); applied on creation."""

    __tablename__ = "distribution_pending_staging_urls"

    course_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    staging_url: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CatalogEntry(Base):
    """The public catalog's read model: one row per PUBLIC distribution, kept by the catalog
    projection from the module's own events (see `catalog.py`). It holds what the catalog API,
    the catalog page and the sitemap show, so they never read the write model. No foreign key: the
    projection removes the row when the distribution is deleted, and a rebuild recreates it all."""

    __tablename__ = "distribution_catalog"
    __table_args__ = (
        Index("ix_distribution_catalog_language_published", "language", "published_at"),
    )

    distribution_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), index=True)
    language: Mapped[str] = mapped_column(String(2))
    audiences: Mapped[str] = mapped_column(String(400))
    """The audience codes as `|code|code|`: one portable LIKE finds an audience."""
    search_text: Mapped[str] = mapped_column(Text)
    """Lower-cased title, description and keywords, for the `q` filter."""
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    item: Mapped[dict[str, Any]] = mapped_column(JsonType)
    """The public fields as the catalog API shows them (without the absolute URL)."""


class CatalogState(Base):
    """One row: the catalog's version, raised by every change of the read model. Response caches
    key on it, so a change shows at once in every process that serves the catalog."""

    __tablename__ = "distribution_catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TrackingBucket(Base):
    """Views and clicks counted since a distribution's last aggregated event. Written in the
    request's transaction with the counters, so no counted view is lost when a process stops or
    dies; any process may publish a due bucket, at most once per interval per distribution."""

    __tablename__ = "distribution_tracking_buckets"

    distribution_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    views: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the first count not yet in an event came in (None: nothing pending)."""
    last_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
