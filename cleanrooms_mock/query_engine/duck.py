"""One in-memory DuckDB database per process; each query gets a connection of its own to it.

Opening a DuckDB database costs about 20 ms, a connection (``cursor()``) to an open one about
nothing: queries share the database and keep their tables and views temporary, so that each
sees only its own (temporary objects belong to the connection that made them).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

__all__ = ["connection", "csv_of_parquet", "scratch"]

#: Linux's shared-memory file system: scratch files there cost no disk (tables are written
#: there for DuckDB to read; a disk folder's clean-up alone costs milliseconds).
_SHARED_MEMORY = "/dev/shm"

_lock = threading.Lock()
_database: list[duckdb.DuckDBPyConnection] = []


def connection() -> duckdb.DuckDBPyConnection:
    """A new connection to the process's database (close it when done)."""
    with _lock:
        if not _database:
            import duckdb

            database = duckdb.connect(":memory:")
            with contextlib.suppress(duckdb.Error):  # an older DuckDB has no such optimizer
                # DuckDB 2.0's type pushdown turns the views' TRY_CAST into a CAST inside the
                # CSV reader, which then fails on a value Hive's text SerDes read as NULL.
                database.execute("SET disabled_optimizers = 'type_pushdown'")
            _database.append(database)
        return _database[0].cursor()


def scratch(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for files DuckDB reads or writes, in memory where the system has one."""
    memory = os.path.isdir(_SHARED_MEMORY) and os.access(_SHARED_MEMORY, os.W_OK)
    return tempfile.TemporaryDirectory(prefix=prefix, dir=_SHARED_MEMORY if memory else None)


def csv_of_parquet(connection: duckdb.DuckDBPyConnection, source: str, target: str) -> bytes:
    """The Parquet file ``source`` written as CSV at ``target`` (a header row, then the rows;
    NULL an empty field; DuckDB's text for values); the CSV's bytes."""
    quoted = [p.replace("'", "''") for p in (source, target)]
    connection.execute(
        f"COPY (SELECT * FROM read_parquet('{quoted[0]}')) TO '{quoted[1]}' "
        "(FORMAT csv, HEADER true)"
    )
    with open(target, "rb") as written:
        return written.read()
