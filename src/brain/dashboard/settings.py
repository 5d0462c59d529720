"""The dashboard's settings (`BRAIN_DASHBOARD_*`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from brain.kernel.config import BrainSettings


class DashboardSettings(BrainSettings):
    dashboard_idle_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 30
    dashboard_session_hours: Annotated[int, Field(ge=1, le=7 * 24)] = 12
    dashboard_login_attempts: Annotated[int, Field(ge=1, le=1000)] = 5
    dashboard_login_window_seconds: Annotated[int, Field(ge=1, le=86_400)] = 300
