"""Run a protected query: parse (sqlglot), check the rules, run (DuckDB), enforce thresholds.

The collaboration's ``analyticsEngine`` chooses the dialect: ``SPARK`` reads Spark SQL
(``dialect="spark"``), the legacy ``CLEAN_ROOMS_SQL`` a Redshift-like SQL
(``dialect="redshift"``; user guide, "SQL reference"). sqlglot and DuckDB are imported on first
use, so importing this module costs nothing.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import duck
from .outcome import QueryError, QueryOutcome, QueryStatistics, Runner
from .parameters import substitute
from .tables import TableSource, attach

if TYPE_CHECKING:
    from sqlglot import exp

__all__ = [
    "DIALECTS",
    "MalformedQuery",
    "analysis_allowed",
    "bind_parameters",
    "referenced_tables",
    "run",
]

#: The sqlglot dialect of each ``Collaboration.analyticsEngine``.
DIALECTS = {"SPARK": "spark", "CLEAN_ROOMS_SQL": "redshift"}
_MALFORMED = "MALFORMED_QUERY"
_INVALID_RESOURCE = "INVALID_RESOURCE"
#: sqlglot's words for a qualified column (``c.ssn``) the table does not have or allow.
_UNKNOWN_COLUMN = re.compile(r"Unknown column: (?P<name>.+)")


class MalformedQuery(ValueError):
    """SQL that does not parse as one query of the dialect; the message says where."""


def _check_dialect(dialect: str) -> str:
    if dialect not in DIALECTS.values():
        raise ValueError(f"dialect must be one of {sorted(DIALECTS.values())}, not {dialect!r}")
    return dialect


def parse(sql: str, dialect: str) -> exp.Query:
    """``sql`` parsed as one query (SELECT, set operation, WITH) of ``dialect``: a tree of the
    caller's own, free to change.

    Raises MalformedQuery for a syntax error, several statements or a statement that is not a
    query (Clean Rooms runs SELECT statements only: "SQL commands" in the SQL reference).
    """
    return _parsed(sql, dialect).copy()


@functools.lru_cache(maxsize=32)
def _parsed(sql: str, dialect: str) -> exp.Query:
    """:func:`parse`'s tree, shared: read it, never change it (copy it first).

    A query's text is parsed at StartProtectedQuery (its tables counted), again when it runs
    (its tables looked up) and once more to check and run it; the tree depends on nothing but
    the text and the dialect, so it is parsed once. Failures are not kept (each call raises).
    """
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        statements = [s for s in sqlglot.parse(sql, read=_check_dialect(dialect)) if s is not None]
    except ParseError as error:
        first = error.errors[0] if error.errors else {}
        where = f" (line {first['line']}, column {first['col']})" if "line" in first else ""
        raise MalformedQuery(
            f"Syntax error: {first.get('description', str(error))}{where}"
        ) from None
    except TokenError as error:
        raise MalformedQuery(f"Syntax error: {error}") from None
    if len(statements) != 1:
        raise MalformedQuery(f"A query is one statement; this text has {len(statements)}")
    statement = statements[0]
    if not isinstance(statement, exp.Query):
        raise MalformedQuery(f"Only SELECT queries can run, not {statement.key.upper()} statements")
    return statement


def _table_names(tree: exp.Expr) -> list[str]:
    from sqlglot import exp

    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    names = []
    tables = sorted(tree.find_all(exp.Table), key=lambda t: t.this.meta.get("start", 0))
    for table in tables:
        if table.find_ancestor(exp.Hint):  # /*+ BROADCAST(t) */ names an alias, not a table
            continue
        name = ".".join(p.name for p in table.parts).lower()
        if name and name not in ctes and name not in names:
            names.append(name)
    return names


def referenced_tables(sql: str, dialect: str) -> list[str]:
    """The tables ``sql`` reads, lower case, in order of appearance; CTE names are not tables.

    What ``AnalysisTemplate.schema.referencedTables`` holds when the caller gives none.
    Raises MalformedQuery for SQL :func:`parse` refuses.
    """
    return _table_names(_parsed(sql, dialect))


def bind_parameters(
    sql: str,
    dialect: str,
    declared: Sequence[Mapping[str, Any]],
    values: Mapping[str, str] | None,
) -> str:
    """A template's ``sql`` with its ``:name`` parameters replaced by typed literals.

    ``declared``: the template's ``analysisParameters``; ``values``: the query's
    ``sqlParameters.parameters``. Raises a :class:`.ParameterError` (UnknownParameter,
    MissingParameter, BadParameterValue) or MalformedQuery.
    """
    return substitute(parse(sql, dialect), declared, values).sql(dialect=dialect)


def analysis_allowed(
    tables: Iterable[TableSource], runner: Runner, template_creator_account_id: str | None = None
) -> str | None:
    """The first table whose CUSTOM rule does not allow what ``runner`` runs; None if all do.

    A direct query needs ``ANY_QUERY`` in ``allowedAnalyses`` and the runner's account in
    ``allowedAnalysisProviders``; a template needs its ARN in ``allowedAnalyses``, or
    ``ANY_QUERY`` with its creator among the providers (user guide, "Custom analysis rule":
    "Data owner can allow either analysis templates or accounts to create queries"). Tables
    with an AGGREGATION or LIST rule allow direct queries of any member who can query.
    """
    for table in tables:
        if table.rule_type != "CUSTOM":
            continue
        analyses = set(table.policy.get("allowedAnalyses") or ())
        providers = set(table.policy.get("allowedAnalysisProviders") or ())
        arn = runner.analysis_template_arn
        author = runner.account_id if arn is None else template_creator_account_id
        if arn is not None and arn in analyses:
            continue
        if "ANY_QUERY" in analyses and author in providers:
            continue
        return table.name
    return None


def _failure(code: str, message: str, started: float) -> QueryOutcome:
    elapsed = (time.perf_counter() - started) * 1000
    return QueryOutcome(error=QueryError(code, message), statistics=QueryStatistics(0, elapsed))


def _prepare(
    sql: str, dialect: str, tables: Mapping[str, TableSource], runner: Runner
) -> tuple[str, list[TableSource]]:
    """The DuckDB SQL to run and the tables it reads; raises Refusal or MalformedQuery."""
    from sqlglot.errors import OptimizeError, SqlglotError
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.schema import MappingSchema

    from .enforce import enforce
    from .names import name_outputs, refuse_duplicate_names
    from .rules import Refusal, check_rules

    tree = parse(sql, dialect)
    name_outputs(tree, dialect, sql)
    names = _table_names(tree)
    unknown = [n for n in names if n not in tables]
    if unknown:
        raise Refusal(f"Table or view not found: {unknown[0]}")
    used = {n: tables[n] for n in names}
    schema = MappingSchema({n: dict(t.visible_columns()) for n, t in used.items()}, dialect="spark")
    try:
        qualified = qualify(tree, schema=schema, dialect=dialect)
        assert isinstance(qualified, type(tree))
        thresholds = check_rules(qualified, used, runner)
        refuse_duplicate_names(qualified, dialect)
    except OptimizeError as error:
        raise Refusal(_unresolved(error)) from None
    except SqlglotError as error:  # a construct sqlglot cannot follow: not one we can check
        raise Refusal(f"Unsupported query: {error}") from None
    # The tree is this query's own copy: changed in place, written without copying it again.
    return enforce(qualified, thresholds).sql(dialect="duckdb", copy=False), list(used.values())


def _unresolved(error: Exception) -> str:
    """sqlglot's message for a column it cannot resolve, one wording whether the column is
    named alone or with its table (``Column 'x' could not be resolved``), without the
    position and double quotes."""
    message = str(error).split(". Line:")[0].replace('"', "")
    unknown = _UNKNOWN_COLUMN.fullmatch(message)
    return f"Column '{unknown['name']}' could not be resolved" if unknown else message


def run(sql: str, *, dialect: str, tables: Iterable[TableSource], runner: Runner) -> QueryOutcome:
    """Runs ``sql`` in ``dialect`` (``spark`` or ``redshift``) on ``tables``, as ``runner``.

    ``tables`` are the tables the query may name (the collaboration's schemas; more is fine:
    only the ones it names are read). The outcome fails with ``MALFORMED_QUERY`` for SQL that
    does not parse, names a table that is not given or a column that is not allowed, or breaks
    an analysis rule (the console's message); with ``INVALID_RESOURCE`` when a table's data
    cannot be read. Otherwise it holds the rows, aggregation thresholds applied (rows below a
    minimum are dropped silently: user guide, "Analysis rules"). Whether the runner may run
    the analysis at all is :func:`analysis_allowed`'s question, asked by the caller.
    """
    import duckdb

    from .rules import Refusal

    started = time.perf_counter()
    by_name = {t.name.lower(): t for t in tables}
    try:
        duck_sql, used = _prepare(sql, dialect, by_name, runner)
    except MalformedQuery as error:
        return _failure(_MALFORMED, str(error), started)
    except Refusal as refusal:
        return _failure(refusal.code, refusal.message, started)
    connection = duck.connection()
    try:
        with duck.scratch("cleanrooms-query-") as folder:
            for number, table in enumerate(used):
                try:
                    attach(connection, table, os.path.join(folder, str(number)))
                except (ValueError, OSError, duckdb.Error) as error:
                    message = f"The data of table {table.name} cannot be read: {error}"
                    return _failure(_INVALID_RESOURCE, message, started)
            try:
                connection.execute(f"CREATE TEMP TABLE __result AS {duck_sql}")
            except (duckdb.InvalidInputException, duckdb.IOException) as error:
                message = f"The data of a table cannot be read: {error}"
                return _failure(_INVALID_RESOURCE, message, started)
            except duckdb.Error as error:
                return _failure(_MALFORMED, str(error), started)
            result = connection.table("__result")
            if any(str(t) == "HUGEINT" for t in result.types):
                # DuckDB sums integers as HUGEINT; Spark and Redshift as BIGINT.
                casts = ", ".join(
                    f'CAST("{n}" AS BIGINT) AS "{n}"' if str(t) == "HUGEINT" else f'"{n}"'
                    for n, t in zip(result.columns, result.types, strict=True)
                )
                connection.execute(f"CREATE TEMP TABLE __bigint AS SELECT {casts} FROM __result")
                result = connection.table("__bigint")
            columns = tuple(zip(result.columns, (str(t) for t in result.types), strict=True))
            rows = tuple(result.fetchall())
            path = os.path.join(folder, "result.parquet")
            result.write_parquet(path)
            with open(path, "rb") as written:
                parquet = written.read()
            # The CSV result, made here while the Parquet file is on disk, saves write_result
            # a connection, a folder and writing the file again.
            csv = duck.csv_of_parquet(connection, path, os.path.join(folder, "result.csv"))
    finally:
        connection.close()
    elapsed = (time.perf_counter() - started) * 1000
    return QueryOutcome(
        columns=columns,
        rows=rows,
        statistics=QueryStatistics(len(rows), elapsed),
        sql=duck_sql,
        parquet=parquet,
        csv=csv,
    )
