"""The Clean Rooms domain: collaborations, their members, and the memberships that join them.

``entities`` holds the resources, ``rules`` the service's business rules, ``quotas`` the
service quotas, and ``backend`` the per-account view that enforces them.
"""

from __future__ import annotations

from .backend import CleanRoomsBackend, cleanrooms_backends, reset_state
from .entities import Collaboration, Member, Membership
from .quotas import DEFAULT_QUOTAS, Quotas, quotas

__all__ = [
    "DEFAULT_QUOTAS",
    "CleanRoomsBackend",
    "Collaboration",
    "Member",
    "Membership",
    "Quotas",
    "cleanrooms_backends",
    "quotas",
    "reset_state",
]
