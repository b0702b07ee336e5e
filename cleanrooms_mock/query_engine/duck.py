"""One in-memory DuckDB database per process; each query gets a connection of its own to it.

Opening a DuckDB database costs about 20 ms, a connection (``cursor()``) to an open one about
nothing: queries share the database and keep their tables and views temporary, so that each
sees only its own (temporary objects belong to the connection that made them).

The database reads and writes files only under one folder of the process (:func:`scratch`
makes each query's folder there): DuckDB's ``allowed_directories`` with
``enable_external_access`` off, so that no SQL that reaches DuckDB can read another file of
the host, whatever the checks before it let through (a Clean Rooms query reads only the
collaboration's tables).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
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
_root: list[str] = []


def _scratch_root() -> str:
    """The process's folder for DuckDB's files (made on first use, removed at exit)."""
    with _lock:
        if not _root:
            memory = os.path.isdir(_SHARED_MEMORY) and os.access(_SHARED_MEMORY, os.W_OK)
            root = tempfile.mkdtemp(
                prefix="cleanrooms-mock-", dir=_SHARED_MEMORY if memory else None
            )
            atexit.register(shutil.rmtree, root, True)
            _root.append(root)
        os.makedirs(_root[0], exist_ok=True)  # removed by someone else: the same path again
        return _root[0]


def connection() -> duckdb.DuckDBPyConnection:
    """A new connection to the process's database (close it when done)."""
    root = _scratch_root()
    with _lock:
        if not _database:
            import duckdb

            database = duckdb.connect(":memory:")
            with contextlib.suppress(duckdb.Error):  # an older DuckDB has no such optimizer
                # DuckDB 2.0's type pushdown turns the views' TRY_CAST into a CAST inside the
                # CSV reader, which then fails on a value Hive's text SerDes read as NULL.
                database.execute("SET disabled_optimizers = 'type_pushdown'")
            folder = os.path.join(root, "").replace("'", "''")
            with contextlib.suppress(duckdb.Error):  # DuckDB before 1.3: no allowed_directories
                database.execute(f"SET allowed_directories = ['{folder}']")
                database.execute("SET enable_external_access = false")
            _database.append(database)
        return _database[0].cursor()


def scratch(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for files DuckDB reads or writes, under the process's DuckDB folder
    (in memory where the system has shared memory)."""
    return tempfile.TemporaryDirectory(prefix=prefix, dir=_scratch_root())


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
