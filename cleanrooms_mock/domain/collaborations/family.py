"""The collaborations family, as the shared modules see it (:mod:`..family`). Its entries are
in the seed document's ``collaborations`` section, which the memberships family replays
(a collaboration and the memberships nested in it are replayed together)."""

from __future__ import annotations

from ..family import Family, Quota
from .entities import Collaboration
from .ops import CollaborationOps

FAMILY = Family(
    order=1,
    ops=CollaborationOps,
    quotas=(
        Quota("collaborations_per_account", 10, "Collaborations created per account"),
        Quota("members_per_collaboration", 5, "Members invited per collaboration"),
    ),
    taggable=(Collaboration,),
)
