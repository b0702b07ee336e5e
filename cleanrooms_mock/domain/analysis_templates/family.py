"""The analysis templates family, as the shared modules see it (:mod:`..family`)."""

from __future__ import annotations

from ..family import Family
from .ops import AnalysisTemplateOps

FAMILY = Family(order=5, ops=AnalysisTemplateOps)
