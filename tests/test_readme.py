"""The README's "Testing with pytest" examples, run as the test files they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = re.compile(r"<!-- readme-example: (?P<name>\S+) -->\n```python\n(?P<code>.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    found = [(m["name"], m["code"]) for m in EXAMPLE.finditer(README.read_text())]
    assert found, "the README lost its examples"
    return found


@pytest.mark.parametrize(("name", "code"), examples(), ids=[name for name, _ in examples()])
def test_readme_example_passes(pytester: pytest.Pytester, name: str, code: str) -> None:
    pytester.makepyfile(**{name.removesuffix(".py"): code})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    tests = len(re.findall(r"^\s*def test_", code, re.M))
    result.assert_outcomes(passed=tests)
