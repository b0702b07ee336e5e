"""Fixtures of the schemas tests: the four-account collaboration and tables to bring
(:mod:`assoc_support`)."""

from assoc_support import collab, table_of

__all__ = ["collab", "table_of"]
