"""The rules of an analysis template's input, as pure functions raising ValidationException.

Sources: the botocore model (``CreateAnalysisTemplateInput``, ``AnalysisParameter``,
``AnalysisSource``), the user guide's "Analysis templates in AWS Clean Rooms" and "Creating a
SQL analysis template" (parameters are ``:name`` in the text, "a subset of parameterization
with literal values"; PySpark templates "are available in collaborations that use the Spark
analytics engine"). The SQL is parsed by :mod:`cleanrooms_mock.query_engine`, imported on first
use so that importing the mock stays cheap.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..collaborations.entities import Collaboration
from ..errors import FieldError, ValidationError

__all__ = ["check_template", "dialect_of"]

_SQL = "SQL"
_TEXT = "source.text"
_INVALID_QUERY = "INVALID_QUERY"


def dialect_of(collaboration: Collaboration) -> str:
    """The sqlglot dialect of the collaboration's ``analyticsEngine``: ``spark`` for SPARK (the
    default), ``redshift`` for the legacy CLEAN_ROOMS_SQL (query_engine ``DIALECTS``)."""
    from ...query_engine import DIALECTS

    return DIALECTS.get(str(collaboration.attributes.get("analyticsEngine") or "SPARK"), "spark")


def _query_error(path: str, message: str, value: Any) -> ValidationError:
    """ValidationException reason INVALID_QUERY (the model's reason for a query the service
    refuses), naming the field at ``path``."""
    return ValidationError(fields=[FieldError(path, message, value)], reason=_INVALID_QUERY)


def _check_source(template_format: str, source: Mapping[str, Any], engine: str) -> None:
    """An SQL template has ``source.text``, a PySpark one ``source.artifacts`` (the model's
    union: one member set), and PySpark needs the Spark engine (user guide)."""
    wanted = "text" if template_format == _SQL else "artifacts"
    if wanted not in source:
        raise ValidationError.for_field(
            "source",
            f"A {template_format} analysis template needs source.{wanted}"
            + (" (the SQL text)" if wanted == "text" else " (entryPoint, roleArn)"),
            sorted(source),
        )
    if template_format != _SQL and engine == "CLEAN_ROOMS_SQL":
        raise ValidationError.for_field(
            "format",
            f"{template_format} analysis templates are available in collaborations that use "
            "the Spark analytics engine; this collaboration uses CLEAN_ROOMS_SQL: use format SQL",
            template_format,
        )


def _check_parameters(parameters: Sequence[Mapping[str, Any]], dialect: str) -> None:
    """Each name declared once; each ``defaultValue`` fits its ``type`` (the engine's typed
    literals: query_engine ``BadParameterValue``)."""
    from ...query_engine import BadParameterValue, bind_parameters

    seen: set[str] = set()
    for index, parameter in enumerate(parameters):
        name = str(parameter["name"])
        if name in seen:
            raise ValidationError.for_field(
                f"analysisParameters[{index}].name",
                f"Parameter {name} is declared twice: declare each parameter once",
                name,
            )
        seen.add(name)
        try:  # no placeholder in this text: only the default is turned into a literal
            bind_parameters("SELECT 1", dialect, [parameter], None)
        except BadParameterValue as error:
            raise ValidationError.for_field(
                f"analysisParameters[{index}].defaultValue",
                str(error),
                parameter.get("defaultValue"),
            ) from None


def _sql_tables(
    text: str, dialect: str, declared: Collection[str], given: Any
) -> tuple[list[str], list[str]]:
    """The tables and the ``:name`` placeholders ``text`` reads; ValidationException
    INVALID_QUERY for SQL the engine cannot parse as one SELECT query, and for a placeholder
    not declared in ``analysisParameters`` or a declaration the text never uses (``given``:
    the request's ``analysisParameters`` as sent, None when left out)."""
    from sqlglot import exp

    from ...query_engine import MalformedQuery, referenced_tables
    from ...query_engine.engine import parse

    try:
        tables = referenced_tables(text, dialect)
        placeholders = {p.name for p in parse(text, dialect).find_all(exp.Placeholder) if p.name}
    except MalformedQuery as error:
        message = f"The analysis template's SQL is not valid: {error}"
        raise _query_error(_TEXT, message, text) from None
    undeclared = sorted(placeholders - set(declared))
    if undeclared:
        raise _query_error(
            "analysisParameters",
            f"Parameter(s) {undeclared} are used in the SQL (:name) but not declared: add them "
            "to analysisParameters with their type",
            given,
        )
    unused = sorted(set(declared) - placeholders)
    if unused:
        raise _query_error(
            "analysisParameters",
            f"Parameter(s) {unused} are declared but not used in the SQL: write them as :name "
            "in the text or remove them from analysisParameters",
            unused,
        )
    return tables, sorted(placeholders)


def check_template(
    attributes: Mapping[str, Any],
    collaboration: Collaboration,
    schemas: Collection[str] | None,
) -> list[str]:
    """Check a CreateAnalysisTemplate input (``attributes``: its members but the membership and
    the tags) for ``collaboration``, whose schemas are called ``schemas`` (lower case); returns
    ``schema.referencedTables``: as given, else derived from the SQL (a PySpark template names
    none unless given).

    Raises ValidationException: source not of the format, PySpark on CLEAN_ROOMS_SQL, a
    parameter declared twice or with a default that does not fit its type; for SQL (reason
    INVALID_QUERY) text that is no single SELECT query, a ``:name`` not declared or a declared
    parameter not used, a table the SQL reads missing from the given ``referencedTables``; and
    (INVALID_QUERY) a referenced table that is no schema of the collaboration (``schemas``
    None skips this check: a state document replays templates whose tables may have gone).
    """
    template_format = str(attributes["format"])
    engine = str(collaboration.attributes.get("analyticsEngine") or "SPARK")
    _check_source(template_format, attributes["source"], engine)
    dialect = dialect_of(collaboration)
    parameters = list(attributes.get("analysisParameters") or [])
    _check_parameters(parameters, dialect)
    given = (attributes.get("schema") or {}).get("referencedTables")
    tables = [str(t) for t in given] if given is not None else []
    field = "schema.referencedTables"
    if template_format == _SQL:
        read, _ = _sql_tables(
            str(attributes["source"]["text"]),
            dialect,
            {p["name"] for p in parameters},
            attributes.get("analysisParameters"),
        )
        if given is None:
            tables, field = read, _TEXT
        else:
            missing = [t for t in read if t not in {g.lower() for g in tables}]
            if missing:
                raise _query_error(
                    field,
                    f"The SQL reads table(s) {missing} that schema.referencedTables does not "
                    "list: list every table the SQL reads, or leave schema out",
                    tables,
                )
    unknown = [t for t in tables if schemas is not None and t.lower() not in schemas]
    if unknown:
        raise _query_error(
            field,
            f"Table {unknown[0]} is not a schema of collaboration {collaboration.id}: associate "
            "a configured table under that name first (its schemas: "
            f"{sorted(schemas or ()) or 'none'})",
            unknown[0],
        )
    return tables
