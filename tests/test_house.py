"""The house rules: operations are registered by name, imports flow one way, entities describe
themselves in their output shape's words. A new family that breaks one fails here, not in use."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore import xform_name
from werkzeug.test import Client

import cleanrooms_mock
from cleanrooms_mock.domain.backend import OPS_MIXINS, CleanRoomsBackend, StoreView
from cleanrooms_mock.domain.backend import operation_methods as backend_operation_methods
from cleanrooms_mock.domain.family import Family, families
from cleanrooms_mock.domain.store import RegionStore, Scope
from cleanrooms_mock.integration.service import implemented_operations
from cleanrooms_mock.protocol.dispatch import binding
from cleanrooms_mock.protocol.model import service_model
from cleanrooms_mock.server import application

PACKAGE = Path(cleanrooms_mock.__file__).resolve().parent
README = PACKAGE.parent / "README.md"
MODEL = service_model()
#: Keyword-only parameters of an operation method that are not input members.
NOT_MEMBERS = {"fixed_id"}  # seeding fixes ids; requests never set it
#: The families in data order (DESIGN.md): a family imports only those before it.
DATA_ORDER = [
    "collaborations",
    "memberships",
    "configured_tables",
    "associations",
    "analysis_templates",
    "privacy",
    "protected_queries",
]


def model_methods() -> dict[str, str]:
    """boto3 method name -> model operation name, for every operation of the model."""
    return {xform_name(name): name for name in MODEL.operation_names}


def not_operations(methods: frozenset[str]) -> set[str]:
    return set(methods) - set(model_methods())


# ---- registration ----------------------------------------------------------------------------


def test_every_public_method_of_the_ops_mixins_is_an_operation_of_the_model() -> None:
    assert not_operations(backend_operation_methods()) == set()


def test_a_misspelt_operation_method_is_caught() -> None:
    class TypoOps(Scope):
        def create_colaboration(self) -> None:
            """Misspelt: would answer 501 for CreateCollaboration if not caught."""

    assert not_operations(backend_operation_methods((TypoOps,))) == {"create_colaboration"}


def test_the_registry_names_the_model_operations_of_the_methods() -> None:
    names = model_methods()

    assert implemented_operations() == sorted(names[m] for m in backend_operation_methods())


@pytest.mark.parametrize("name", implemented_operations())
def test_each_operation_method_takes_its_input_members(name: str) -> None:
    bound = binding(CleanRoomsBackend, name)  # raises when a member has nowhere to go
    function = getattr(CleanRoomsBackend, bound.method)
    keywords = {
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    members = {xform_name(m) for m in MODEL.operation_model(name).input_shape.members}

    assert keywords - members - NOT_MEMBERS == set(), "a keyword no input member binds to"


def test_the_readme_lists_exactly_the_implemented_operations() -> None:
    section = README.read_text().split("## Implemented operations", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][2:]  # no header
    listed = sorted(
        name.strip() for row in rows for name in row.split("|")[1].split(",") if name.strip()
    )

    assert listed == implemented_operations()


def test_the_health_endpoint_lists_the_registry() -> None:
    health = Client(application).get("/_cleanrooms_mock/health").json

    assert health is not None
    assert health["implementedOperations"] == implemented_operations()


# ---- imports ---------------------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


class _Imports(ast.NodeVisitor):
    """Every import of a module, at any depth, but those under ``if TYPE_CHECKING:``."""

    def __init__(self, module: str, is_package: bool, functions: bool = True) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.functions = functions
        self.found: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if self.functions:
            self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.package.split(".")
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        submodules = {f"{base}.{alias.name}" for alias in node.names} & MODULES.keys()
        self.found.update(submodules)
        if len(submodules) < len(node.names):  # names defined in ``base`` itself
            self.found.add(base)


def imports_of(module: str) -> set[str]:
    """The modules of the package that ``module`` imports."""
    path = MODULES[module]
    visitor = _Imports(module, path.name == "__init__.py")
    visitor.visit(ast.parse(path.read_text()))
    return {name for name in visitor.found if name in MODULES and name != module}


GRAPH = {module: imports_of(module) for module in MODULES}


def cycles() -> Iterator[list[str]]:
    done: set[str] = set()

    def walk(module: str, trail: list[str]) -> Iterator[list[str]]:
        if module in trail:
            yield [*trail[trail.index(module) :], module]
            return
        if module in done:
            return
        for imported in sorted(GRAPH[module]):
            yield from walk(imported, [*trail, module])
        done.add(module)

    for module in sorted(GRAPH):
        yield from walk(module, [])


def test_no_import_cycle_inside_the_package() -> None:
    assert [" -> ".join(cycle) for cycle in cycles()] == []


def test_the_cycle_check_sees_function_level_imports() -> None:
    # mock.py imports seeding inside its methods; a cycle through such an import still counts.
    assert "cleanrooms_mock.seeding" in GRAPH["cleanrooms_mock.mock"]


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def imports_leaving(package: str, allowed: Callable[[str, str], bool]) -> set[str]:
    """``module imports other`` for each import out of ``package`` that ``allowed`` refuses."""
    return {
        f"{module} imports {imported}"
        for module, imported_modules in GRAPH.items()
        if within(module, package)
        for imported in imported_modules
        if not within(imported, package) and not allowed(module, imported)
    }


def test_the_protocol_knows_no_domain() -> None:
    neutral = {"cleanrooms_mock._ids", "cleanrooms_mock.defaults"}

    assert imports_leaving("cleanrooms_mock.protocol", lambda _, name: name in neutral) == set()


def test_the_domain_knows_no_http() -> None:
    # The error root (the protocol's) and ids are shared; a family's seed section reads the
    # seed document's core; the protected-query engine (pure SQL in, rows out: it knows no
    # HTTP, checked below) parses templates and queries. Nothing else outside the domain.
    shared = {"cleanrooms_mock.protocol.errors", "cleanrooms_mock._ids"}

    def allowed(module: str, name: str) -> bool:
        return (
            name in shared
            or within(name, "cleanrooms_mock.query_engine")
            or (
                module.endswith(".seed")
                and name in {"cleanrooms_mock.seeding.core", "cleanrooms_mock.seeding.owned"}
            )
        )

    assert imports_leaving("cleanrooms_mock.domain", allowed) == set()


def family_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and parts[1] == "domain" else None


def test_families_import_in_data_order() -> None:
    families = {family_of(m) for m in MODULES} - {None}
    assert families <= set(DATA_ORDER), "add the new family to DATA_ORDER, in data order"
    backwards = {
        f"{module} imports {imported}"
        for module, imported_modules in GRAPH.items()
        if (family := family_of(module)) is not None
        for imported in imported_modules
        if (other := family_of(imported)) is not None
        and DATA_ORDER.index(other) > DATA_ORDER.index(family)
    }

    assert backwards == set()


#: The modules every family shares, which find the families instead of naming them (README
#: "Development"). access.py and cascades.py are the two shared homes that name them by design.
FAMILY_BLIND = [
    "cleanrooms_mock.domain.backend",
    "cleanrooms_mock.domain.quotas",
    "cleanrooms_mock.domain.tags",
    "cleanrooms_mock.seeding.state",
    "cleanrooms_mock.seeding",
]


@pytest.mark.parametrize("module", FAMILY_BLIND)
def test_the_shared_modules_import_no_family(module: str) -> None:
    # Type-only imports (under TYPE_CHECKING) wire nothing and are not in GRAPH.
    assert {imported for imported in GRAPH[module] if family_of(imported)} == set()


def test_the_families_found_are_the_folders_of_domain_in_data_order() -> None:
    folders = {path.parent.name for path in (PACKAGE / "domain").glob("*/__init__.py")}

    found = [family.name for family in families()]

    assert found == [name for name in DATA_ORDER if name in folders]
    assert len({family.order for family in families()}) == len(found)


def test_a_new_family_folder_is_found_with_its_operations_and_quotas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A throwaway family beside the real ones (a second folder of the domain package).
    folder = tmp_path / "widgets"
    folder.mkdir()
    (folder / "__init__.py").write_text('"""Widgets."""\n')
    (folder / "ops.py").write_text(
        "from cleanrooms_mock.domain.store import Scope\n\n\n"
        "class WidgetOps(Scope):\n"
        "    def get_widget(self) -> None: ...\n"
    )
    (folder / "family.py").write_text(
        "from cleanrooms_mock.domain.family import Family, Quota\n"
        "from .ops import WidgetOps\n\n"
        'FAMILY = Family(order=99, ops=WidgetOps, quotas=(Quota("widgets_per_account", 7, "W"),))\n'
    )
    domain = importlib.import_module("cleanrooms_mock.domain")
    monkeypatch.setattr(domain, "__path__", [*domain.__path__, str(tmp_path)])
    families.cache_clear()
    try:
        found = families()
    finally:
        monkeypatch.undo()
        families.cache_clear()
        for name in [m for m in sys.modules if m.startswith("cleanrooms_mock.domain.widgets")]:
            del sys.modules[name]

    assert [family.name for family in found][-1] == "widgets"
    widgets: Family = found[-1]
    assert widgets.quotas[0].name == "widgets_per_account"
    assert backend_operation_methods((widgets.ops,)) == {"get_widget"}
    assert [family.name for family in families()] == [f.name for f in found[:-1]]


def test_the_package_imports_no_domain_when_imported() -> None:
    # What `import cleanrooms_mock` runs at import time: its own module-level imports, followed.
    reached: set[str] = set()
    todo = ["cleanrooms_mock"]
    while todo:
        module = todo.pop()
        if module in reached:
            continue
        reached.add(module)
        # Module level only: functions import on first use.
        visitor = _Imports(module, MODULES[module].name == "__init__.py", functions=False)
        visitor.visit(ast.parse(MODULES[module].read_text()))
        todo.extend(name for name in visitor.found if name in MODULES)

    heavy = {m for m in reached if within(m, "cleanrooms_mock.domain")}
    heavy |= {m for m in reached if within(m, "cleanrooms_mock.protocol")}
    assert heavy == set()


def test_the_query_engine_knows_no_http_no_store_and_no_domain() -> None:
    # Pure inputs and outputs: a protected-queries family calls it, it calls nothing back. Its
    # one neighbour is the Glue type parser of the table fixture (imports nothing itself).
    neutral = {"cleanrooms_mock.glue_tables.formats"}

    assert imports_leaving("cleanrooms_mock.query_engine", lambda _, n: n in neutral) == set()
    assert GRAPH["cleanrooms_mock.glue_tables.formats"] == set()


def test_importing_the_query_engine_imports_no_sql_engine() -> None:
    # sqlglot and DuckDB load when a query first runs, not when the package is imported.
    code = (
        "import sys, cleanrooms_mock, cleanrooms_mock.query_engine\n"
        "print(sorted(m for m in ('sqlglot', 'duckdb') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


# ---- entities --------------------------------------------------------------------------------


def view(account: str, store: RegionStore) -> StoreView:
    return StoreView(account, "us-east-1", store)


def entities() -> dict[str, Any]:
    """One of each entity, made through the operations on a store of their own."""
    store = RegionStore("us-east-1")
    creator, member = view("111111111111", store), view("222222222222", store)
    collaboration = creator.create_collaboration(
        members=[{"accountId": "222222222222", "displayName": "M", "memberAbilities": []}],
        creator_member_abilities=["CAN_QUERY"],
        creator_display_name="C",
        name="ads",
        queryLogStatus="ENABLED",
    )
    membership = member.create_membership(
        collaboration_identifier=collaboration.id, queryLogStatus="ENABLED"
    )
    return {
        "Collaboration": collaboration,
        "MemberSummary": collaboration.members["222222222222"],
        "Membership": membership,
    }


@pytest.mark.parametrize("shape", ["Collaboration", "MemberSummary", "Membership"])
def test_an_entity_describes_itself_in_its_output_shape_words(shape: str) -> None:
    allowed = set(MODEL.shape_for(shape).members)

    described = entities()[shape].describe("222222222222")

    assert set(described) - allowed == set()


def test_every_package_folder_has_an_init_module() -> None:
    # setuptools' find_packages leaves a folder without one out of a (non-editable) install.
    folders = {path.parent for path in PACKAGE.rglob("*.py")}

    assert {f for f in folders if not (f / "__init__.py").exists()} == set()


def test_every_ops_mixin_is_a_scope() -> None:
    assert all(issubclass(mixin, Scope) for mixin in OPS_MIXINS)
    assert all(re.fullmatch(r"[A-Z]\w*Ops", mixin.__name__) for mixin in OPS_MIXINS)
