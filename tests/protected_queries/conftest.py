"""Fixtures of the protected query tests: the four-account collaboration and tables to bring
(:mod:`assoc_support`), and a two-member clean room with rows (:mod:`pq_support`)."""

from assoc_support import collab, table_of
from pq_support import room

__all__ = ["collab", "room", "table_of"]
