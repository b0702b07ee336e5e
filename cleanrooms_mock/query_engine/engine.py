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
from .messages import (
    MISSING_FUNCTION,
    TOO_COMPLEX,
    ambiguity,
    engine_message,
    reads_a_file,
    unreadable_data,
)
from .outcome import QueryError, QueryOutcome, QueryStatistics, Runner
from .parameters import substitute
from .tables import TableSource, attach

if TYPE_CHECKING:
    from sqlglot import exp

    from .refusal import Refusal

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
#: Operands of one OR (AND) chain past which :func:`_balanced` rebuilds it.
_LONG_CHAIN = 32


class MalformedQuery(ValueError):
    """SQL that does not parse as one query of the dialect; the message says where."""


def _check_dialect(dialect: str) -> str:
    if dialect not in DIALECTS.values():
        raise ValueError(f"dialect must be one of {sorted(DIALECTS.values())}, not {dialect!r}")
    return dialect


def _syntax_message(description: str) -> str:
    """sqlglot's description of a syntax error, without its internals (class names)."""
    if "<class" in description or "Required keyword" in description:
        return "an expression is incomplete"
    return description


def parse(sql: str, dialect: str) -> exp.Query:
    """``sql`` parsed as one query (SELECT, set operation, WITH) of ``dialect``: a tree of the
    caller's own, free to change.

    Raises MalformedQuery for a syntax error, several statements or a statement that is not a
    query (Clean Rooms runs SELECT statements only: "SQL commands" in the SQL reference), and
    for text nested too deeply to parse (Spark's FAILED_TO_PARSE_TOO_COMPLEX).
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

    read = _check_dialect(dialect)
    try:
        statements = [s for s in sqlglot.parse(sql, read=read) if s is not None]
    except ParseError as error:
        first = error.errors[0] if error.errors else {}
        where = f" (line {first['line']}, column {first['col']})" if "line" in first else ""
        description = _syntax_message(str(first.get("description", error)))
        raise MalformedQuery(f"Syntax error: {description}{where}") from None
    except TokenError as error:
        raise MalformedQuery(f"Syntax error: {_syntax_message(str(error))}") from None
    except RecursionError:
        raise MalformedQuery(TOO_COMPLEX) from None
    except Exception:  # sqlglot fails on some malformed calls (map(a), date_trunc()) itself
        raise MalformedQuery("Syntax error: a function call has the wrong arguments") from None
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
    tree = parse(sql, dialect)
    try:
        return substitute(tree, declared, values).sql(dialect=dialect)
    except RecursionError:
        raise MalformedQuery(TOO_COMPLEX) from None


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


def _ambiguous(
    sql: str, dialect: str, tables: Mapping[str, TableSource], column: str
) -> str | None:
    """Spark's AMBIGUOUS_REFERENCE message when unqualified ``column`` is a column of several
    sources of one SELECT of ``sql`` (a self-join, two tables sharing a name); else None."""
    from sqlglot import exp
    from sqlglot.optimizer.scope import traverse_scope

    for scope in traverse_scope(parse(sql, dialect)):
        if not any(c.name.lower() == column and not c.table for c in scope.unqualified_columns):
            continue
        having = []
        for alias, (_, source) in scope.selected_sources.items():
            if isinstance(source, exp.Table):
                table = tables.get(".".join(p.name for p in source.parts).lower())
                names = set(table.visible_columns()) if table else set()
            else:
                query = source.expression
                selects = query.selects if isinstance(query, exp.Query) else []
                names = {s.alias_or_name.lower() for s in selects}
            if column in names:
                having.append(f"{alias}.{column}")
        if len(having) > 1:
            return ambiguity(column, having)
    return None


def _table_not_found(name: str, dialect: str) -> str:
    """The message of a query naming ``name``, a table the collaboration has not: Spark's
    ``TABLE_OR_VIEW_NOT_FOUND`` (its words, checked against Spark 3.5) on SPARK; the legacy
    engine's kept."""
    if dialect != "spark":
        return f"Table or view not found: {name}"
    quoted = f"`{name}`" if "/" in name else "`" + "`.`".join(name.split(".")) + "`"
    return (
        f"[TABLE_OR_VIEW_NOT_FOUND] The table or view {quoted} cannot be found. Verify the "
        "spelling and correctness of the schema and catalog.\nIf you did not qualify the name "
        "with a schema, verify the current_schema() output, or qualify the name with the "
        "correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS "
        "or DROP TABLE IF EXISTS."
    )


def _unresolved(error: Exception, sql: str, dialect: str, tables: Mapping[str, TableSource]) -> str:
    """The message of a column sqlglot could not resolve: Spark's AMBIGUOUS_REFERENCE when
    several sources have it, else :func:`_column_not_found`'s wording whether the column is
    named alone or with its table, without sqlglot's position and quotes."""
    text = str(error).split(". Line:")[0].replace('"', "")
    unknown = _UNKNOWN_COLUMN.fullmatch(text)
    if unknown:
        return _column_not_found(unknown["name"], dialect, tables)
    named = re.match(r"Column '([^']+)' could not be resolved$", text)
    if named:
        found = _ambiguous(sql, dialect, tables, named.group(1).lower())
        return found or _column_not_found(named.group(1), dialect, tables)
    return text


def _distance(left: str, right: str) -> int:
    """Levenshtein distance of ``left`` and ``right`` (Spark orders its suggestions by it)."""
    row = list(range(len(right) + 1))
    for i, a in enumerate(left, 1):
        previous, row[0] = row[0], i
        for j, b in enumerate(right, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (a != b))
    return row[-1]


def _column_not_found(name: str, dialect: str, tables: Mapping[str, TableSource]) -> str:
    """The message of ``name``, a column no source of the query has: on SPARK, Spark's
    ``UNRESOLVED_COLUMN.WITH_SUGGESTION`` with the columns of the one table read, nearest
    first (Levenshtein distance, then name; five at most, as Spark 3.5 lists them), or
    ``WITHOUT_SUGGESTION`` when several are read; the legacy engine's wording kept."""
    if dialect != "spark":
        return f"Column '{name}' could not be resolved"
    start = f"A column or function parameter with name `{name}` cannot be resolved."
    if len(tables) != 1:
        return f"[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] {start}"
    (table,) = tables.values()
    near = sorted(table.visible_columns(), key=lambda c: (_distance(name.lower(), c.lower()), c))
    listed = ", ".join(f"`{c}`" for c in near[:5])
    suggestion = f"Did you mean one of the following? [{listed}]."
    return f"[UNRESOLVED_COLUMN.WITH_SUGGESTION] {start} {suggestion}"


def _spark_semantics(tree: exp.Query) -> exp.Query:
    """``tree`` with the functions whose DuckDB rendering differs from Spark's rewritten:
    ``date_add`` returns a DATE (DuckDB adds an interval: a TIMESTAMP); ``substring`` takes
    position 0 as 1; ``percentile_approx`` returns a value of the column (DuckDB's
    ``approx_quantile`` interpolates: ``quantile_disc``); ``percentile`` interpolates
    (DuckDB's ``quantile`` does not: ``quantile_cont``); and :func:`.spark_rewrites.for_duckdb`'s
    rewrites. Sources: the functions' pages of the Clean Rooms Spark SQL reference and Spark's
    built-in functions reference."""
    from sqlglot import exp

    from .spark_rewrites import for_duckdb

    tree = for_duckdb(tree)

    def rewrite(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.TsOrDsAdd):
            return exp.cast(node, "DATE")
        if isinstance(node, exp.Substring) and node.args.get("start") is not None:
            start = node.args["start"]
            zero = exp.EQ(this=start.copy(), expression=exp.Literal.number(0))
            node.set("start", exp.If(this=zero, true=exp.Literal.number(1), false=start.copy()))
        if isinstance(node, exp.ApproxQuantile):
            return exp.Anonymous(
                this="QUANTILE_DISC", expressions=[node.this, node.args["quantile"]]
            )
        if isinstance(node, exp.Quantile):
            return exp.Anonymous(
                this="QUANTILE_CONT", expressions=[node.this, node.args["quantile"]]
            )
        return node

    rewritten = tree.transform(rewrite, copy=False)
    assert isinstance(rewritten, type(tree))
    return rewritten


def _balanced(tree: exp.Query) -> exp.Query:
    """``tree`` with each long chain of ORs (ANDs) rebuilt as a balanced tree of the same
    operands: the same condition (both are associative), but a depth of log2(n) instead of n,
    so that analyzing a WHERE of thousands of ORs (whose walkers climb from each column to the
    root) costs n log n, not n squared."""
    from sqlglot import exp

    def balanced(kind: type[exp.Connector], operands: list[exp.Expr]) -> exp.Expr:
        if len(operands) == 1:
            return operands[0]
        middle = len(operands) // 2
        left, right = operands[:middle], operands[middle:]
        return kind(this=balanced(kind, left), expression=balanced(kind, right))

    for kind in (exp.Or, exp.And):
        for chain in list(tree.find_all(kind)):
            if isinstance(chain.parent, kind):  # inside a chain: its top rebuilds it
                continue
            operands = list(chain.flatten())
            if len(operands) > _LONG_CHAIN:
                chain.replace(balanced(kind, operands))
    return tree


def _prepare(
    sql: str, dialect: str, tables: Mapping[str, TableSource], runner: Runner
) -> tuple[str, list[TableSource]]:
    """The DuckDB SQL to run and the tables it reads; raises Refusal or MalformedQuery."""
    from sqlglot import exp
    from sqlglot.errors import OptimizeError, SqlglotError
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.schema import MappingSchema

    from .enforce import enforce
    from .names import name_outputs, refuse_duplicate_names
    from .rules import Refusal, check_rules
    from .surface import check_surface

    tree = parse(sql, dialect)
    try:
        name_outputs(tree, dialect, sql)  # first: it reads the text at the tree's positions
        tree = _balanced(tree)
        check_surface(tree, sql, dialect)
        names = _table_names(tree)
        unknown = [n for n in names if n not in tables]
        if unknown:
            raise Refusal(_table_not_found(unknown[0], dialect))
        used = {n: tables[n] for n in names}
        schema = MappingSchema(
            {n: dict(t.visible_columns()) for n, t in used.items()}, dialect="spark"
        )
        try:
            qualified = qualify(tree, schema=schema, dialect=dialect)
        except OptimizeError as error:
            raise Refusal(_unresolved(error, sql, dialect, used)) from None
        assert isinstance(qualified, type(tree))
        thresholds = check_rules(qualified, used, runner)
        refuse_duplicate_names(qualified, dialect)
        enforced = enforce(qualified, thresholds)
        if dialect == "spark":
            enforced = _spark_semantics(enforced)
        for hint in list(enforced.find_all(exp.Hint)):  # Spark's plan hints: DuckDB has none
            hint.pop()
        # The tree is this query's own copy: changed in place, written without copying it again.
        duck_sql = enforced.sql(dialect="duckdb", copy=False)
    except OptimizeError as error:
        raise Refusal(_unresolved(error, sql, dialect, tables)) from None
    except SqlglotError:  # a construct sqlglot cannot follow: not one we can check
        raise Refusal("Unsupported query: the analytics engine cannot analyze it") from None
    except RecursionError:
        raise MalformedQuery(TOO_COMPLEX) from None
    return duck_sql, list(used.values())


def _missing_reference_function(error: Exception, dialect: str) -> Refusal | None:
    """``INTERNAL_ERROR`` for DuckDB's ``error`` when it is a DuckDB Catalog Error naming a
    function the SPARK allow-list accepted (the Clean Rooms Spark SQL reference lists it, DuckDB
    lacks it): AWS would run the query, the mock cannot (README, Assumptions). ``None`` for
    any other error."""
    import duckdb

    from .spark_functions import SPARK_FUNCTIONS
    from .spark_rewrites import not_run

    if dialect != "spark" or not isinstance(error, duckdb.CatalogException):
        return None
    found = MISSING_FUNCTION.search(str(error))
    if found is None or found.group(1).lower() not in SPARK_FUNCTIONS:
        return None
    return not_run(found.group(1).lower())


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
            folders = {os.path.join(folder, str(n), ""): t.name for n, t in enumerate(used)}
            for table_folder, name in folders.items():
                table = by_name[name.lower()]
                try:
                    attach(connection, table, table_folder)
                except ValueError as error:  # a format Clean Rooms cannot read: our wording
                    message = f"The data of table {table.name} cannot be read: {error}"
                    return _failure(_INVALID_RESOURCE, message, started)
                except (OSError, duckdb.Error) as error:
                    return _failure(_INVALID_RESOURCE, unreadable_data(error, folders), started)
            try:
                connection.execute(f"CREATE TEMP TABLE __result AS {duck_sql}")
            except (duckdb.InvalidInputException, duckdb.IOException) as error:
                if reads_a_file(error, folders):
                    return _failure(_INVALID_RESOURCE, unreadable_data(error, folders), started)
                return _failure(_MALFORMED, engine_message(error), started)
            except duckdb.Error as error:
                missing = _missing_reference_function(error, dialect)
                if missing is not None:
                    return _failure(missing.code, missing.message, started)
                return _failure(_MALFORMED, engine_message(error), started)
            except RecursionError:
                return _failure(_MALFORMED, TOO_COMPLEX, started)
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
