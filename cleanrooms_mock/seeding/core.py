"""The seed document's core: its version, problems and errors, reading and writing files, the
checks every section shares, and the contexts of the two passes (:class:`Planner` checks a whole
document, :class:`Loader` replays it into a staged copy of the state).

A family's section (``domain/<family>/seed.py``) plans, replays and dumps its own entries with
these; :mod:`.state` puts the sections together.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import json
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from botocore.model import StructureShape

from ..domain.errors import CleanRoomsError, ValidationError
from ..domain.store import State
from ..protocol.dispatch import binding
from ..protocol.model import operation, service_model
from ..protocol.parsing import parse_json
from ..protocol.shapes import FieldError, Validator, compile_validator

if TYPE_CHECKING:
    from ..domain.backend import StoreView

__all__ = [
    "FORMAT_VERSION",
    "Loader",
    "Planner",
    "SeedError",
    "SeedProblem",
    "check",
    "check_input",
    "entry",
    "entry_times",
    "flag",
    "iso",
    "join",
    "operation_inputs",
    "order_times",
    "read",
    "render",
    "settle_times",
    "structure",
    "timestamp",
    "write",
]

#: The version of the document format this package reads and writes.
FORMAT_VERSION = 1

T = TypeVar("T")

_YAML_SUFFIXES = (".yaml", ".yml")
_MAX_VALUE_IN_MESSAGE = 60


# ---- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedProblem:
    """One problem of a seed document: where (``path``) and what (``message``)."""

    #: e.g. ``regions.us-east-1.collaborations[2].memberships[0].queryLogStatus``; empty for the
    #: file as a whole (malformed JSON, unknown file type).
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SeedError(ValueError):
    """A seed document that cannot be loaded; names the source, each entry and each problem."""

    def __init__(self, source: str, problems: Sequence[SeedProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = f"{source}: {self.problems[0]}"
        else:
            text = f"{source}: {len(self.problems)} problems:" + "".join(
                f"\n  {problem}" for problem in self.problems
            )
        super().__init__(text)


def render(value: Any) -> str:
    """``value`` for a message, cut short."""
    text = repr(value)
    if len(text) > _MAX_VALUE_IN_MESSAGE:
        return text[:_MAX_VALUE_IN_MESSAGE] + "..."
    return text


def join(path: str, member: str) -> str:
    """The path of ``member`` (a key, or ``[index]``) inside the entry at ``path``."""
    if not path:
        return member
    return f"{path}{member}" if member.startswith("[") else f"{path}.{member}"


def _field_problems(path: str, errors: Sequence[FieldError]) -> list[SeedProblem]:
    return [
        SeedProblem(
            join(path, error.path),
            error.message
            if error.value is None
            else f"{error.message} (got {render(error.value)})",
        )
        for error in errors
    ]


def _error_problems(path: str, error: CleanRoomsError) -> list[SeedProblem]:
    """A domain error raised by the operation an entry describes, named by the entry's path."""
    if isinstance(error, ValidationError) and error.field_errors:
        return _field_problems(path, error.field_errors)
    return [SeedProblem(path, f"{error.code}: {error.message}")]


# ---- the model's vocabulary -----------------------------------------------------------------


@functools.cache
def operation_inputs(operation_name: str) -> frozenset[str]:
    """The input members of a model operation."""
    shape = service_model().operation_model(operation_name).input_shape
    return frozenset(shape.members) if shape is not None else frozenset()


def structure(name: str) -> StructureShape:
    """The model's structure shape ``name``."""
    shape = service_model().shape_for(name)
    assert isinstance(shape, StructureShape), name
    return shape


@functools.cache
def _validator(structure_name: str, member: str) -> Validator:
    """The model's validator of one member of an output structure (ids, account ids, enums)."""
    return compile_validator(structure(structure_name).members[member])


def check(structure_name: str, member: str, value: Any, path: str) -> list[SeedProblem]:
    """The problems of ``value`` as ``member`` of the model's ``structure_name``."""
    errors: list[FieldError] = []
    _validator(structure_name, member)(value, member, errors)
    return _field_problems(path, errors)


def check_input(operation_name: str, params: dict[str, Any], path: str) -> list[SeedProblem]:
    """The problems of ``params`` as the input of ``operation_name``, by the model."""
    try:
        operation(operation_name).validate(params)
    except ValidationError as error:
        return _field_problems(path, error.field_errors)
    return []


# ---- reading and writing --------------------------------------------------------------------


def _yaml() -> Any:
    """PyYAML if importable (an optional extra, never a dependency), else None."""
    try:
        return importlib.import_module("yaml")
    except ImportError:
        return None


def read(source: str | os.PathLike[str]) -> tuple[str, Any]:
    """The source's name for messages and its parsed document."""
    path = Path(os.fspath(source))
    name = str(source)
    suffix = path.suffix.lower()
    if suffix != ".json" and suffix not in _YAML_SUFFIXES:
        raise SeedError(
            name, [SeedProblem("", f"unknown file type {suffix!r}: use .json, .yaml or .yml")]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SeedError(name, [SeedProblem("", f"not UTF-8 text ({error.reason})")]) from None
    if suffix == ".json":
        try:
            return name, parse_json(text)
        except json.JSONDecodeError as error:
            where = f"line {error.lineno}, column {error.colno}"
            raise SeedError(
                name, [SeedProblem("", f"malformed JSON at {where}: {error.msg}")]
            ) from None
        except ValueError as error:  # NaN, Infinity, nesting too deep for the parser
            raise SeedError(name, [SeedProblem("", f"malformed JSON: {error}")]) from None
    yaml = _yaml()
    if yaml is None:
        raise SeedError(
            name, [SeedProblem("", "reading YAML needs PyYAML (pip install pyyaml); or use JSON")]
        )
    try:
        return name, yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise SeedError(name, [SeedProblem("", f"malformed YAML{where}: {problem}")]) from None


def write(path: str | os.PathLike[str], document: Any) -> None:
    """Write ``document`` to ``path`` atomically: JSON, or YAML for ``.yaml``/``.yml``.

    The document goes to a temporary file in the same directory, then replaces ``path`` in one
    step, so a reader never sees a half-written file and a failure leaves the old one intact.
    """
    target = Path(os.fspath(path))
    suffix = target.suffix.lower()
    if suffix in _YAML_SUFFIXES:
        yaml = _yaml()
        if yaml is None:
            raise ValueError(f"{path}: writing YAML needs PyYAML (pip install pyyaml); or use JSON")
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    elif suffix == ".json":
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        raise ValueError(f"{path}: unknown file type {suffix!r}: use .json, .yaml or .yml")
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    # os.open, unlike tempfile, creates the file with the usual permissions (0o666 - umask).
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


# ---- values ---------------------------------------------------------------------------------


def timestamp(value: Any, path: str, problems: list[SeedProblem]) -> datetime | None:
    """An ISO 8601 string (or a YAML timestamp) as an aware UTC datetime; naive means UTC."""
    if value is None:
        return None
    parsed: datetime | None = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        with contextlib.suppress(ValueError):
            parsed = datetime.fromisoformat(text)
    if parsed is None:
        problems.append(SeedProblem(path, f"must be an ISO 8601 timestamp (got {render(value)})"))
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def iso(value: datetime) -> str:
    """A timestamp as the documents write it."""
    return value.isoformat()


def flag(value: Any, path: str, problems: list[SeedProblem]) -> bool:
    """A true/false value (absent: false)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        problems.append(SeedProblem(path, f"must be true or false (got {render(value)})"))
        return False
    return value


def entry(
    value: Any, path: str, allowed: frozenset[str], problems: list[SeedProblem]
) -> dict[str, Any] | None:
    """``value`` as a dict of its known, non-null members; unknown keys are problems."""
    if not isinstance(value, Mapping):
        problems.append(SeedProblem(path, f"must be a mapping (got {render(value)})"))
        return None
    found: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or key not in allowed:
            problems.append(
                SeedProblem(
                    join(path, str(key)),
                    f"unknown key {key!r}; known keys: {', '.join(sorted(allowed))}",
                )
            )
        elif item is not None:
            found[key] = item
    return found


def order_times(
    earlier: datetime | None,
    later: datetime | None,
    what: str,
    path: str,
    problems: list[SeedProblem],
) -> None:
    """A problem when ``later`` is before ``earlier`` (``what`` names the earlier one)."""
    if earlier is not None and later is not None and later < earlier:
        problems.append(SeedProblem(path, f"is before {what}"))


def entry_times(
    checked: Mapping[str, Any], path: str, problems: list[SeedProblem]
) -> tuple[datetime | None, datetime | None]:
    """An entry's ``createTime`` and ``updateTime``, the second not before the first."""
    created = timestamp(checked.get("createTime"), join(path, "createTime"), problems)
    updated = timestamp(checked.get("updateTime"), join(path, "updateTime"), problems)
    order_times(created, updated, "createTime", join(path, "updateTime"), problems)
    return created, updated


def settle_times(resource: Any, create_time: datetime | None, update_time: datetime | None) -> None:
    """Give a replayed ``resource`` (its ``create_time`` and ``update_time``) an entry's
    ``createTime`` and ``updateTime``: ``updateTime`` defaults to ``createTime``, and a time the
    entry leaves out to the one the replay gave."""
    resource.create_time = create_time or resource.create_time
    resource.update_time = update_time or create_time or resource.update_time


# ---- the two passes -------------------------------------------------------------------------


class Planner:
    """Checks a whole document, collecting every problem, before anything is replayed."""

    def __init__(self, taken: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.problems: list[SeedProblem] = []
        #: Per structure ("Collaboration", "Membership"): ids in use -> who uses them.
        self.ids: dict[str, dict[str, str]] = {
            kind: dict(ids) for kind, ids in (taken or {}).items()
        }

    def each(self, path: str, value: Any, plan_entry: Callable[[str, Any], T | None]) -> list[T]:
        """A section's list at ``path``, each entry planned by ``plan_entry(entry_path, entry)``
        (None for a refused entry, its problems added here); a value that is not a list is a
        problem."""
        if not isinstance(value, list):
            self.problems.append(SeedProblem(path, f"must be a list (got {render(value)})"))
            return []
        planned = (plan_entry(f"{path}[{index}]", item) for index, item in enumerate(value))
        return [entry for entry in planned if entry is not None]

    def unique_id(self, value: Any, path: str, structure_name: str) -> str | None:
        """An entry's optional ``id``: valid for ``structure_name`` and not used yet."""
        if value is None:
            return None
        found = check(structure_name, "id", value, path)
        if found:
            self.problems.extend(found)
            return None
        seen = self.ids.setdefault(structure_name, {})
        if value in seen:
            self.problems.append(
                SeedProblem(join(path, "id"), f"{value} is already used by {seen[value]}")
            )
            return None
        seen[value] = path
        return str(value)


class Loader:
    """Replays a checked document through the operations, into ``staging`` (a copy of the
    state); a rule that refuses an entry fails the load, naming the entry."""

    def __init__(self, source: str, staging: State) -> None:
        self.source = source
        self.staging = staging

    def view(self, account: str, region: str) -> StoreView:
        """``account``'s operations in ``region`` of the staged state.

        They read no Glue table (``verify_glue_tables`` off): a document does not carry moto's
        Glue Data Catalog (a server's ``--state`` is reloaded into an empty one), and a table
        configured on AWS keeps working when its Glue table is dropped later.
        """
        from ..domain.backend import StoreView  # the backend finds the families: their seed
        # sections import this module

        return StoreView(account, region, self.staging.region(region), verify_glue_tables=False)

    def run(
        self,
        path: str,
        view: StoreView,
        operation_name: str,
        params: Mapping[str, Any],
        **extra: Any,
    ) -> Any:
        """Call ``operation_name`` as ``view``'s account with ``params`` (model names, bound as
        the dispatcher binds a request's), plus ``extra`` keywords; see :meth:`call`."""
        bound = binding(type(view), operation_name)
        arguments = bound.arguments(copy.deepcopy(dict(params)))
        return self.call(path, lambda: getattr(view, bound.method)(**arguments, **extra))

    def fail(self, problems: list[SeedProblem]) -> SeedError:
        return SeedError(self.source, problems)

    def call(self, path: str, action: Callable[[], T], doing: str = "") -> T:
        """Run one operation for the entry at ``path``; a refusal names that entry."""
        try:
            return action()
        except CleanRoomsError as error:
            if not doing:
                raise self.fail(_error_problems(path, error)) from error
            if isinstance(error, ValidationError) and error.field_errors:
                reason = "; ".join(e.message for e in error.field_errors)
            else:
                reason = error.message
            raise self.fail([SeedProblem(path, f"cannot {doing}: {reason}")]) from error
