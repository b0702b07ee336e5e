"""The analysis template operations (to be written: issue 14)."""

from __future__ import annotations

from ..store import Scope

__all__ = ["AnalysisTemplateOps"]


class AnalysisTemplateOps(Scope):
    """CreateAnalysisTemplate ... BatchGetCollaborationAnalysisTemplate (none yet)."""
