"""The tables a protected query reads: what Glue says about them, and how DuckDB reads their files.

A :class:`TableSource` is everything the engine knows about one table of a query: the name the
SQL uses (the collaboration's schema name), its Glue columns and partition keys, the columns its
configured table allows, its analysis rule, its owner, its storage format and its objects in S3.
:func:`attach` makes it a DuckDB view showing only the allowed columns. DuckDB is imported by the
caller and handed in, so this module imports nothing heavy.

Formats, as Glue catalogs them ("Data formats for AWS Clean Rooms"; Athena's "CSV SerDe
libraries"): CSV read by the Lazy Simple SerDe (``field.delim``, no quoting, ``\\N`` for NULL)
or the Open CSV SerDe (``separatorChar``, ``quoteChar``, ``escapeChar``), with the table property
``skip.header.line.count``; Parquet (``ParquetHiveSerDe``, columns matched by name); JSON lines
(the OpenX ``JsonSerDe`` or Hive's ``JsonSerDe``). The SerDe names are
:mod:`cleanrooms_mock.glue_tables.formats`' ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..glue_tables.formats import CSV_SERDES, glue_type

if TYPE_CHECKING:
    import duckdb

__all__ = ["StorageFormat", "TableSource", "attach", "storage_format"]

#: One object of a table: its key relative to the table's location, and its bytes.
S3Object = tuple[str, bytes]


@dataclass(frozen=True)
class StorageFormat:
    """How a table's files are written: ``kind`` is ``csv``, ``parquet`` or ``json``.

    For CSV: ``delimiter``, ``quote`` (empty: no quoting, the Lazy Simple SerDe), ``escape``,
    ``null`` (the text that stands for NULL; None: an empty field) and ``header_lines`` (the
    table property ``skip.header.line.count``).
    """

    kind: str
    delimiter: str = ","
    quote: str = ""
    escape: str = ""
    null: str | None = None
    header_lines: int = 0


def storage_format(
    serde: str | None,
    serde_parameters: Mapping[str, str] | None = None,
    table_parameters: Mapping[str, str] | None = None,
    input_format: str | None = None,
) -> StorageFormat:
    """The format of a Glue table from its ``StorageDescriptor`` and ``Parameters``.

    ``serde`` is ``SerdeInfo.SerializationLibrary``; ``serde_parameters`` its ``Parameters``;
    ``table_parameters`` the table's ``Parameters`` (``classification``,
    ``skip.header.line.count``); ``input_format`` the ``InputFormat``. Raises ValueError for a
    format Clean Rooms cannot read (the caller fails the query with ``INVALID_RESOURCE``).
    Defaults are Hive's: the Lazy Simple SerDe splits on ``\\x01`` and reads ``\\N`` as NULL;
    the Open CSV SerDe's separator, quote and escape are ``,`` ``"`` and ``\\``.
    """
    library = (serde or "").lower()
    params = dict(serde_parameters or {})
    table = {k.lower(): v for k, v in (table_parameters or {}).items()}
    header = table.get("skip.header.line.count", params.get("skip.header.line.count", "0"))
    try:
        header_lines = int(header)
    except ValueError:
        raise ValueError(f"skip.header.line.count is {header!r}, not a number") from None
    classification = table.get("classification", "").lower()
    if "parquet" in library or "parquet" in (input_format or "").lower():
        return StorageFormat("parquet")
    if "json" in library or classification == "json":
        return StorageFormat("json")
    if library == CSV_SERDES["opencsvserde"].lower():
        escape = params.get("escapeChar", "\\")
        quote = params.get("quoteChar", '"')
        return StorageFormat(
            "csv",
            delimiter=params.get("separatorChar", ","),
            quote=quote,
            # Open CSV reads a doubled quote inside quotes as one quote, whatever its escape;
            # DuckDB takes one escape character, so the quote wins unless one is set.
            escape=quote if "escapeChar" not in params else escape,
            header_lines=header_lines,
        )
    if library == CSV_SERDES["lazysimpleserde"].lower() or (not library and classification):
        return StorageFormat(
            "csv",
            delimiter=params.get("field.delim", params.get("serialization.format", "\x01")),
            escape=params.get("escape.delim", ""),
            null=params.get("serialization.null.format", "\\N"),
            header_lines=header_lines,
        )
    raise ValueError(f"the SerDe {serde!r} is not one AWS Clean Rooms reads")


@dataclass(frozen=True)
class TableSource:
    """One table a query may read, as the engine sees it.

    ``name``: the schema (association) name the SQL uses, lower case. ``columns`` and
    ``partition_keys``: ``(name, Glue type)`` as the Glue table has them. ``allowed_columns``:
    the configured table's ``allowedColumns`` (the only columns the query sees).
    ``analysis_rule``: the configured table's ``ConfiguredTableAnalysisRulePolicyV1`` union,
    ``{"custom": {...}}``, ``{"aggregation": {...}}`` or ``{"list": {...}}``.
    ``owner_account_id``: the member whose table it is. ``storage``: its format. ``objects``:
    called once per query, returns the objects under the table's location (keys relative to it,
    partition folders ``key=value/`` included).
    """

    name: str
    columns: Sequence[tuple[str, str]]
    allowed_columns: Sequence[str]
    analysis_rule: Mapping[str, Any]
    owner_account_id: str
    storage: StorageFormat
    objects: Callable[[], Iterable[S3Object]] = field(compare=False)
    partition_keys: Sequence[tuple[str, str]] = ()

    @property
    def rule_type(self) -> str:
        """``CUSTOM``, ``AGGREGATION`` or ``LIST``: the key of :attr:`analysis_rule`."""
        return next(iter(self.analysis_rule), "").upper()

    @property
    def policy(self) -> Mapping[str, Any]:
        """The rule's body: the value of the one key of :attr:`analysis_rule`."""
        return next(iter(self.analysis_rule.values()), {})

    def visible_columns(self) -> dict[str, str]:
        """The allowed columns (partition keys included) and their Glue types, in table order."""
        allowed = {c.lower() for c in self.allowed_columns}
        every = [*self.columns, *self.partition_keys]
        return {name.lower(): kind for name, kind in every if name.lower() in allowed}


def _duckdb_type(text: str) -> str | None:
    """The DuckDB type of a Glue type; None for a nested one (read as the file has it)."""
    try:
        return glue_type(text, "column").duckdb
    except ValueError:
        return None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _data_files(table: TableSource, folder: str) -> list[str]:
    """Writes the table's objects under ``folder``, as their keys lay them out; their paths.

    Skipped, as Hive and Athena skip them: folder markers (keys ending ``/``), empty objects and
    files whose name starts with ``_`` or ``.`` (``_SUCCESS``, ``.crc``).
    """
    paths = []
    for key, body in table.objects():
        name = key.rsplit("/", 1)[-1]
        if not name or not body or name.startswith(("_", ".")):
            continue
        parts = [p for p in key.split("/") if p not in ("", ".", "..")]
        path = os.path.join(folder, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(body)
        paths.append(path)
    return paths


def _reader(table: TableSource, paths: list[str]) -> str:
    """The DuckDB table function that reads ``paths`` with the table's columns."""
    files = "[" + ", ".join(_literal(p) for p in paths) + "]"
    keys = {name: _duckdb_type(kind) or "VARCHAR" for name, kind in table.partition_keys}
    hive = "hive_partitioning = false"
    if keys:
        types = ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in keys.items())
        hive = f"hive_partitioning = true, hive_types = {{{types}}}"
    storage = table.storage
    if storage.kind == "parquet":
        return f"read_parquet({files}, {hive})"
    # Text is read as text and cast in the view: Hive's text SerDes read a value that does not
    # parse as its column's type as NULL, and ignore fields past the last column.
    columns = ", ".join(f"{_literal(name)}: 'VARCHAR'" for name, _ in table.columns)
    if storage.kind == "json":
        return (
            f"read_json({files}, format = 'newline_delimited', columns = {{{columns}}}, "
            f"ignore_errors = false, {hive})"
        )
    null = "" if storage.null is None else f", nullstr = {_literal(storage.null)}"
    return (
        f"read_csv({files}, header = false, skip = {storage.header_lines}, "
        f"delim = {_literal(storage.delimiter)}, quote = {_literal(storage.quote)}, "
        f"escape = {_literal(storage.escape)}{null}, columns = {{{columns}}}, "
        f"auto_detect = false, null_padding = true, strict_mode = false, {hive})"
    )


def attach(connection: duckdb.DuckDBPyConnection, table: TableSource, folder: str) -> None:
    """Makes ``table`` a temporary view of ``connection`` (``table.name``), allowed columns only.

    Its objects are written under ``folder`` first (DuckDB reads files). A table without data
    files is an empty view with the same columns. Raises ``duckdb.Error`` for files that do not
    fit the table's format or types (the caller fails the query with ``INVALID_RESOURCE``).
    """
    visible = table.visible_columns()
    os.makedirs(folder, exist_ok=True)
    paths = _data_files(table, folder)

    cast = "CAST" if table.storage.kind == "parquet" else "TRY_CAST"

    def column(name: str, kind: str) -> str:
        target = _duckdb_type(kind)
        value = _quoted(name) if paths else "NULL"
        alias = _quoted(name)
        return f"{cast}({value} AS {target}) AS {alias}" if target else f"{value} AS {alias}"

    select = ", ".join(column(name, kind) for name, kind in visible.items()) or "NULL AS _"
    source = _reader(table, paths) if paths else "(SELECT 1) WHERE false"
    connection.execute(f"CREATE TEMP VIEW {_quoted(table.name)} AS SELECT {select} FROM {source}")
