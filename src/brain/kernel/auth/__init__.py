"""Tenants, API keys and roles.

Keys are shown once at creation and stored only as SHA-256 hashes: they are 256-bit random
secrets, so a slow password hash would add latency to every request without adding safety.
"""

from brain.kernel.auth.models import ApiKey, Role, Tenant
from brain.kernel.auth.principal import ensure_role, has_role, require_roles
from brain.kernel.auth.service import Principal

__all__ = ["ApiKey", "Principal", "Role", "Tenant", "ensure_role", "has_role", "require_roles"]
