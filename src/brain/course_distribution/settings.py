"""The course distribution's settings (`BRAIN_DISTRIBUTION_*`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from brain.kernel.config import BrainSettings


class DistributionSettings(BrainSettings):
    distribution_tracking_limit: Annotated[int, Field(ge=1, le=100_000)] = 30
    distribution_tracking_window_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
    distribution_view_flush_seconds: Annotated[float, Field(gt=0, le=86_400)] = 60.0
    distribution_version_check_seconds: Annotated[float, Field(ge=0, le=1)] = 0.5
    """How old this process's knowledge of the catalog's version may be: other processes' changes
    show within it (0: check on every request). ADR 0024."""
