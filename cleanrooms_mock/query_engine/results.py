"""Result files of a protected query, as AWS writes them to S3: CSV with a header row, or Parquet.

AWS's own sample reads keys as ``<keyPrefix>/collaboration=<collaborationId>/<queryId>/<file>``
(aws-solutions-library-samples/guidance-for-aws-sustainability-insights-framework, the Clean
Rooms connector); :func:`result_key` builds that key and :func:`write_result` the files. One
file, never a marker or an empty object beside it: its key is ``result.output.s3.location``,
which then works as one object (GetObject) and as a prefix (a listing finds exactly the file).
"""

from __future__ import annotations

import os

from . import duck
from .outcome import QueryOutcome

__all__ = ["RESULT_FORMATS", "result_key", "write_result"]

#: ``ProtectedQueryS3OutputConfiguration.resultFormat`` values, and each file's extension.
RESULT_FORMATS = {"CSV": "csv", "PARQUET": "parquet"}


def result_key(key_prefix: str | None, collaboration_id: str, query_id: str, file_name: str) -> str:
    """The S3 key of a result file: ``<keyPrefix>/collaboration=<id>/<queryId>/<file>``.

    An empty or missing ``keyPrefix`` starts the key at ``collaboration=``; a trailing ``/`` of
    the prefix is not doubled.
    """
    prefix = (key_prefix or "").rstrip("/")
    tail = f"collaboration={collaboration_id}/{query_id}/{file_name}"
    return f"{prefix}/{tail}" if prefix else tail


def write_result(
    outcome: QueryOutcome, result_format: str = "CSV", single_file: bool = True
) -> list[tuple[str, bytes]]:
    """The result files of a successful ``outcome``: ``[(file name, bytes)]``, one file.

    ``result_format`` is ``CSV`` (a header row, then the rows; NULL an empty field) or
    ``PARQUET``. ``single_file`` (``singleFileOutput``) names the file ``result.<ext>``;
    otherwise it is Spark's first part file, ``part-00000.<ext>`` (a result this size is one
    part). Raises ValueError for another format or a failed outcome (it has no result).
    """
    extension = RESULT_FORMATS.get(result_format)
    if extension is None:
        raise ValueError(
            f"result_format must be one of {sorted(RESULT_FORMATS)}, not {result_format!r}"
        )
    if not outcome.succeeded:
        raise ValueError("a failed query has no result to write")
    name = f"result.{extension}" if single_file else f"part-00000.{extension}"
    if result_format == "PARQUET":
        return [(name, outcome.parquet)]
    if outcome.csv:
        return [(name, outcome.csv)]
    connection = duck.connection()  # an outcome made without the CSV: made from the Parquet
    try:
        with duck.scratch("cleanrooms-result-") as folder:
            source = os.path.join(folder, "result.parquet")
            with open(source, "wb") as out:
                out.write(outcome.parquet)
            return [(name, duck.csv_of_parquet(connection, source, os.path.join(folder, name)))]
    finally:
        connection.close()
