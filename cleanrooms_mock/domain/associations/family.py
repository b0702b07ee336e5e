"""The associations family, as the shared modules see it (:mod:`..family`): configured table
associations with their collaboration analysis rules, and the schemas derived from them.

No quota: the user guide's "Quotas in AWS Clean Rooms" names none on associations (README
Assumptions)."""

from __future__ import annotations

from ..family import Family
from . import seed
from .entities import ConfiguredTableAssociation
from .ops import ConfiguredTableAssociationOps, SchemaOps

FAMILY = Family(
    order=4,
    ops=(ConfiguredTableAssociationOps, SchemaOps),
    taggable=(ConfiguredTableAssociation,),
    seed=seed,
)
