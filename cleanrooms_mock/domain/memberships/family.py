"""The memberships family, as the shared modules see it (:mod:`..family`). Its seed section is
the document's ``collaborations``: each collaboration entry with its memberships nested."""

from __future__ import annotations

from ..family import Family, Quota
from . import seed
from .entities import Membership
from .ops import MembershipOps

FAMILY = Family(
    order=2,
    ops=MembershipOps,
    quotas=(Quota("memberships_per_account", 100, "Memberships per account"),),
    taggable=(Membership,),
    seed=seed,
)
