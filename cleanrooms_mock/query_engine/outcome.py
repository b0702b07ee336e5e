"""Who runs a query, and what comes back: plain values, no engine imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["QueryError", "QueryOutcome", "QueryStatistics", "Runner"]


@dataclass(frozen=True)
class Runner:
    """The member who runs a query: its account, and the template it runs (None: a direct query).

    A table whose ``owner_account_id`` is ``account_id`` is a "query runner table" for the
    AGGREGATION and LIST rules' join requirements.
    """

    account_id: str
    analysis_template_arn: str | None = None


@dataclass(frozen=True)
class QueryError:
    """Why a query failed, as ``ProtectedQuery.error``: ``code`` is one of the values the
    model documents for ``ProtectedQueryError.code`` (``MALFORMED_QUERY``, ``INVALID_RESOURCE``,
    ...), ``message`` the text the console shows, ``retryable`` its ``retry.retryable``."""

    code: str
    message: str
    retryable: bool = False


@dataclass(frozen=True)
class QueryStatistics:
    """What a run measured: rows returned and milliseconds spent (parse to result)."""

    rows: int = 0
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class QueryOutcome:
    """The result of :func:`.run`: ``error`` None means success.

    ``columns`` are ``(name, DuckDB type)``; ``rows`` tuples of Python values; ``sql`` the DuckDB
    SQL that ran (empty when the query failed before running). The result as a Parquet file and
    as a CSV file (made from the Parquet file) is kept for :func:`.write_result`.
    """

    columns: tuple[tuple[str, str], ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    error: QueryError | None = None
    statistics: QueryStatistics = QueryStatistics()
    sql: str = ""
    parquet: bytes = field(default=b"", repr=False)
    csv: bytes = field(default=b"", repr=False)

    @property
    def succeeded(self) -> bool:
        """True when the query ran and its result is in :attr:`rows`."""
        return self.error is None

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name (a convenience for tests)."""
        names = [name for name, _ in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]
