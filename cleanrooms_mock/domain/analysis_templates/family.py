"""The analysis templates family, as the shared modules see it (:mod:`..family`)."""

from __future__ import annotations

from ..cascades import TEMPLATES_QUOTA
from ..family import Family, Quota
from . import seed
from .entities import AnalysisTemplate
from .ops import AnalysisTemplateOps

FAMILY = Family(
    order=5,
    ops=AnalysisTemplateOps,
    # "Analysis templates per membership: 25" (user guide, "Quotas in AWS Clean Rooms").
    quotas=(Quota(TEMPLATES_QUOTA, 25, "Analysis templates per membership"),),
    taggable=(AnalysisTemplate,),
    seed=seed,
)
