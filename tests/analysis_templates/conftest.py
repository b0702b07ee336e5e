"""Fixtures of the analysis template tests (:mod:`template_support`)."""

from assoc_support import collab, table_of
from template_support import with_tables

__all__ = ["collab", "table_of", "with_tables"]
