"""Messages name API operations as AWS does (CreateMembership), never boto3 methods
(create_membership): a sweep of every message the library can raise (the fresh-user review of
issues 12/13, finding 4)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from helpers import MEMBER_A, client, create_collaboration, raises_aws

import cleanrooms_mock

SNAKE_OPERATION = re.compile(r"\b(create|get|list|update|delete|batch_get|start)_[a-z_]+\b")
PACKAGE = Path(cleanrooms_mock.__file__).parent
#: The library's own Python helpers, named as users call them (not API operations).
OWN_FUNCTIONS = ("create_table needs an active mock",)


def _messages(path: Path) -> list[tuple[int, str]]:
    """The string constants of ``path`` that read as text (have a space), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and " " in node.value
        and id(node) not in docstrings
    ]


def test_no_message_names_a_boto3_method() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in _messages(path)
        if SNAKE_OPERATION.search(text) and not text.startswith(OWN_FUNCTIONS)
    ]
    assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "join it (create_membership) to read its schemas.",
        "add it (create_configured_table_analysis_rule) before",
        "Create it (glue create_database) before",
        "see batch_get_schema",
        "start_protected_query first",
    ],
)
def test_the_sweep_finds_each_kind_of_snake_case_name(text: str) -> None:
    assert SNAKE_OPERATION.search(text)


@pytest.mark.parametrize("text", ["CreateMembership", "GetSchema", "Glue CreateTable", "list"])
def test_the_sweep_lets_operation_names_through(text: str) -> None:
    assert not SNAKE_OPERATION.search(text)


@pytest.mark.usefixtures("cleanrooms_mock")
@pytest.mark.parametrize("read", ["get_schema", "list_schemas", "batch_get_schema"])
def test_a_member_who_has_not_joined_is_told_the_operation_to_call(read: str) -> None:
    collaboration = create_collaboration(client())
    member = client(MEMBER_A)
    inputs: dict[str, object] = {"collaborationIdentifier": collaboration["id"]}
    if read == "get_schema":
        inputs["name"] = "customers"
    if read == "batch_get_schema":
        inputs["names"] = ["customers"]

    with raises_aws(
        "AccessDeniedException", status=403, message=re.compile(r"\(CreateMembership\)")
    ):
        getattr(member, read)(**inputs)
