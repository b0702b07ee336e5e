"""The protected queries family, as the shared modules see it (:mod:`..family`).

Quotas, from the user guide's "Quotas in AWS Clean Rooms": "Concurrent ongoing queries per
membership" (5) and "Configured tables per protected query" (15); the query text lengths
there are not adjustable, so they are constants (:data:`QUERY_TEXT_LIMITS`, checked by
:mod:`.rules`). No seed section:
a state document carries resources, not runs; a query's result lives in S3, which a document
does not carry (README Assumptions).
"""

from __future__ import annotations

from ..family import Family, Quota
from .ops import ProtectedQueryOps
from .rules import QUERY_TEXT_LIMITS

__all__ = ["FAMILY", "QUERY_TEXT_LIMITS"]

FAMILY = Family(
    order=7,
    ops=ProtectedQueryOps,
    quotas=(
        Quota("queries_per_membership", 5, "Concurrent ongoing queries per membership"),
        Quota("tables_per_query", 15, "Configured tables per protected query"),
    ),
)
