"""The README's examples: the "Testing with pytest" ones as the test files they are, and the
in-process example script it links to."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


def test_the_in_process_example_tells_the_two_account_story() -> None:
    example = README.parent / "examples" / "two_account_join.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}

    run = subprocess.run(
        [sys.executable, str(example)], capture_output=True, text=True, timeout=120, env=env
    )

    assert run.returncode == 0, run.stderr
    assert "created collaboration" in run.stdout
