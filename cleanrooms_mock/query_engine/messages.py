"""The engine's failures in the words a Clean Rooms user reads, never DuckDB's or sqlglot's.

A protected query that fails shows ``error.message`` (model ``ProtectedQueryError``); on the
Spark engine that is Spark's analysis error (its error classes: ``UNRESOLVED_COLUMN``,
``AMBIGUOUS_REFERENCE``, ``DATATYPE_MISMATCH``, ``UNRESOLVED_ROUTINE``, ``CAST_INVALID_INPUT``,
``MISSING_AGGREGATION``...; Spark's ``error-conditions`` reference). DuckDB finds some of these
only when it runs the SQL the mock made of the query: :func:`engine_message` words each kind
it knows as Spark does, and any other as a generic message that names no internals (the
original text goes to the ``cleanrooms_mock`` logger, at DEBUG, for whoever debugs the mock).
:func:`ambiguity` finds the column a self-join leaves ambiguous. Pure text in, text out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping

__all__ = ["MISSING_FUNCTION", "TOO_COMPLEX", "ambiguity", "engine_message", "unreadable_data"]

_log = logging.getLogger("cleanrooms_mock")

#: Spark's error for a statement its parser cannot take in (too deeply nested or too long a
#: chain): the mock's parser is recursive, and says so with Spark's words.
TOO_COMPLEX = (
    "[FAILED_TO_PARSE_TOO_COMPLEX] The statement, including potential SQL functions and "
    "referenced views, was too complex to parse. To mitigate this error divide the statement "
    "into multiple, less complex chunks."
)
#: DuckDB's Catalog Error for a function it does not have (group 1: the name).
MISSING_FUNCTION = re.compile(r"(?:Scalar|Aggregate|Table) Function with name (\w+) does not exist")
_GENERIC = "The query cannot run: the analytics engine could not analyze it."
#: DuckDB's type names as Spark writes them.
_TYPES = {
    "VARCHAR": "STRING",
    "INTEGER": "INT",
    "INT32": "INT",
    "INT64": "BIGINT",
    "BIGINT": "BIGINT",
    "SMALLINT": "SMALLINT",
    "TINYINT": "TINYINT",
    "DOUBLE": "DOUBLE",
    "FLOAT": "FLOAT",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "HUGEINT": "DECIMAL(38,0)",
}


def _type(name: str) -> str:
    return _TYPES.get(name.upper(), name.upper())


def _column(match: re.Match[str]) -> str:
    return (
        "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column or function parameter with name "
        f"`{match.group(1)}` cannot be resolved."
    )


def _ambiguous(match: re.Match[str]) -> str:
    return f"[AMBIGUOUS_REFERENCE] Reference `{match.group(1)}` is ambiguous."


def _signature(match: re.Match[str]) -> str:
    name = match.group(1).split("(", 1)[0]
    return (
        f'[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "{name}(...)" due to data '
        "type mismatch: its arguments are not of the types the function takes."
    )


def _comparison(match: re.Match[str]) -> str:
    left, right = _type(match.group(1)), _type(match.group(2))
    return (
        "[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve an operation due to data type "
        f'mismatch: the left and right operands have different types ("{left}" and "{right}").'
    )


def _cast(match: re.Match[str]) -> str:
    return (
        f"[CAST_INVALID_INPUT] The value '{match.group(1)}' of the type \"STRING\" cannot be "
        f'cast to "{_type(match.group(2))}" because it is malformed.'
    )


def _routine(match: re.Match[str]) -> str:
    return (
        f"[UNRESOLVED_ROUTINE] Cannot resolve function `{match.group(1).lower()}` on search "
        "path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."
    )


def _grouping(match: re.Match[str]) -> str:
    return (
        f"[MISSING_AGGREGATION] The non-aggregating expression `{match.group(1)}` is based on "
        "columns which are not participating in the GROUP BY clause."
    )


def _fixed(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _: text


#: (DuckDB's message pattern, Spark's wording): the first that matches words the error.
_KINDS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r'Referenced column "([^"]+)" not found'), _column),
    (re.compile(r'Ambiguous reference to column name "([^"]+)"'), _ambiguous),
    (re.compile(r"No function matches the given name and argument types '([^']*)'"), _signature),
    (re.compile(r"Cannot compare values of type (\w+) and type (\w+)"), _comparison),
    (re.compile(r"Cannot mix values of type (\w+) and (\w+)"), _comparison),
    (re.compile(r"Could not convert string '(.*?)' to (\w+)"), _cast),
    (MISSING_FUNCTION, _routine),
    (
        re.compile(r'column "([^"]+)" must appear in the GROUP BY clause'),
        _grouping,
    ),
    (
        re.compile(r"aggregate function calls cannot be nested"),
        _fixed(
            "[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the "
            "argument of another aggregate function."
        ),
    ),
    (
        re.compile(r"WHERE clause cannot contain (?:aggregates|window functions)"),
        _fixed(
            "[INVALID_WHERE_CONDITION] The WHERE condition contains invalid expressions: "
            "rewrite the query to avoid window functions and aggregate functions in the WHERE "
            "clause."
        ),
    ),
    (
        re.compile(r"(?:Overflow|out of range)", re.IGNORECASE),
        _fixed("[ARITHMETIC_OVERFLOW] An arithmetic operation overflowed its result's type."),
    ),
    (
        re.compile(r"More than one row returned by a subquery"),
        _fixed(
            "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery used as "
            "an expression."
        ),
    ),
    (
        re.compile(
            r"^Invalid Input Error: (?:missing \)|missing \]|unexpected \)|invalid escape|"
            r"bad repetition|invalid character class|invalid nested repetition|"
            r"invalid repetition size|invalid named capture group|trailing \\|"
            r"invalid perl operator|bad named capture group|missing argument to repetition)"
        ),
        _fixed(
            "[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) `regexp` is invalid: a "
            "regular expression of the query does not compile."
        ),
    ),
    (
        re.compile(r"Division by zero", re.IGNORECASE),
        _fixed("[DIVIDE_BY_ZERO] Division by zero."),
    ),
)


def engine_message(error: Exception) -> str:
    """What the console shows for ``error``, an error DuckDB raised running a query's SQL.

    Each kind DuckDB words one way gets Spark's wording of the same fault (module docstring);
    any other a generic message. Never DuckDB's text, nor the SQL the mock ran.
    """
    text = str(error)
    for pattern, word in _KINDS:
        found = pattern.search(text)
        if found:
            return word(found)
    _log.debug("query failed in DuckDB with an error the mock does not word: %s", text)
    return _GENERIC


#: DuckDB's words for a fault of reading a file (CSV, Parquet, JSON readers), which name no
#: scratch path in some DuckDB releases.
_FILE_READING = re.compile(
    r"CSV (?:Error|File)|sniff|Parquet|parquet|magic bytes|JSON (?:file|Error)|reading file|"
    r"read_json|read_csv|Could not read|No files found|Error opening file|Malformed JSON in file",
)


def reads_a_file(error: Exception, folders: Mapping[str, str]) -> bool:
    """Whether ``error`` (DuckDB's, while running a query) is about reading a table's data
    files: it names one of ``folders`` (the tables' scratch folders) or a file reader's fault.
    Otherwise it is a fault of the query's own evaluation (division, a regular expression, a
    scalar subquery), not of the table's data."""
    text = str(error)
    return any(folder in text for folder in folders) or bool(_FILE_READING.search(text))


def unreadable_data(error: Exception, folders: Mapping[str, str]) -> str:
    """The message of a query whose data files DuckDB cannot read (``INVALID_RESOURCE``).

    ``folders`` maps each table's scratch folder to the table's name: the table whose file
    the error names is named; the error's own text (paths of the mock's scratch folders,
    DuckDB's reader options) is not shown.
    """
    text = str(error)
    _log.debug("a table's data could not be read by DuckDB: %s", text)
    for folder, name in folders.items():
        if folder in text:
            return (
                f"The data of table {name} cannot be read: a data file does not match the "
                "table's format and columns (Glue StorageDescriptor and schema)."
            )
    return (
        "The data of a table cannot be read: a data file does not match its table's format and "
        "columns (Glue StorageDescriptor and schema)."
    )


def ambiguity(column: str, candidates: list[str]) -> str:
    """Spark's message for an unqualified ``column`` several sources of a SELECT have
    (``candidates``: ``alias.column`` of each)."""
    listed = ", ".join("`" + "`.`".join(c.split(".")) + "`" for c in candidates)
    return f"[AMBIGUOUS_REFERENCE] Reference `{column}` is ambiguous, could be: [{listed}]."
