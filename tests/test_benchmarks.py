"""The benchmark script runs and reports every measurement (timings are never asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_the_benchmark_prints_and_records_every_ratio(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}

    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke", "--json", str(results)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )

    assert run.returncode == 0, run.stderr
    for printed in (
        "x floor",
        "mock_aws / mock_cleanrooms",
        "inside / outside",
        "/ moto:",
        "serve / moto server:",
    ):
        assert printed in run.stdout
    recorded = json.loads(results.read_text())
    assert {"cleanrooms-mock", "floor", "stubber"} <= set(recorded["create_membership"])
    assert recorded["activation"]["ratio_mock_aws_over_ours"] > 0
    assert recorded["small_test"]["ratio_mock_aws_over_ours"] > 0
    assert "ours / duckdb at" in run.stdout
    for entry in recorded["protected_query"].values():
        assert {"ours", "duckdb", "overhead_ms"} <= set(entry)
        assert entry["ratio_ours_over_duckdb"] > 0
    assert recorded["client_creation"]["ratio_inside_over_outside"] > 0
    assert recorded["import"]["ratio_ours_over_moto"] > 0
    assert set(recorded["scaling"]) == {"100", "200"}
    assert recorded["memory"]["bytes_per_membership"] > 0
    server = recorded["server"]
    assert server["cleanrooms-mock serve"]["calls_per_second"] > 0
    assert server["moto server"]["calls_per_second"] > 0
    assert server["ratio_ours_over_moto"] > 0
    assert server["moto_call"] in (
        "cleanrooms get_collaboration",
        "sts get_caller_identity (this moto has no cleanrooms)",
    )


#: In a fresh process (importing the script sets AWS_* defaults): whose backend stores what the
#: benchmark's "moto" rows call, before and after moto's tagging modules are loaded.
WHOSE = """
import sys
sys.path.insert(0, {folder!r})
import boto3, run
from moto.cleanrooms.models import cleanrooms_backends
from cleanrooms_mock.seeding import dump_state

def whose():
    client = boto3.client("cleanrooms", region_name=run.REGION)
    made = client.create_collaboration(**run.COLLABORATION)["collaboration"]["id"]
    motos = made in cleanrooms_backends["123456789012"][run.REGION].collaborations
    ours = bool(dump_state()["regions"])
    return ("moto" if motos else "") + ("ours" if ours else "")

with run.moto_own_cleanrooms():
    print(whose())
with run.mock_aws():
    print(whose())
{then}
with run.moto_own_cleanrooms():
    print(whose())
"""


@pytest.mark.parametrize(
    "then",
    [
        "pass",
        "import moto.resourcegroupstaggingapi.models",
        "from moto.backends import get_backend; get_backend('resourcegroupstaggingapi')",
    ],
)
def test_the_moto_rows_measure_motos_own_clean_rooms(then: str) -> None:
    pytest.importorskip("moto.cleanrooms", reason="moto < 5.2.3 has no cleanrooms to measure")
    code = WHOSE.format(folder=str(SCRIPT.parent), then=then)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}

    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["moto", "ours", "moto"]


def test_only_runs_the_named_measurements_and_compare_shows_their_ratios(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    earlier, results = tmp_path / "earlier.json", tmp_path / "results.json"
    command = [sys.executable, str(SCRIPT), "--smoke", "--only", "protected_query"]

    first = subprocess.run(
        [*command, "--json", str(earlier)], capture_output=True, text=True, timeout=300, env=env
    )
    second = subprocess.run(
        [*command, "--json", str(results), "--compare", str(earlier)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    recorded = json.loads(results.read_text())
    assert set(recorded) == {"environment", "protected_query", "seconds"}
    [entry] = recorded["protected_query"].values()
    assert entry["cpu_ratio_ours_over_duckdb"] > 0
    assert entry["load_average"] >= 0
    assert "x floor" not in second.stdout
    assert "protected query / duckdb, 200 rows" in second.stdout


def test_only_refuses_a_measurement_the_script_does_not_have(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke", "--only", "protected_queries"],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 2
    assert "invalid choice: 'protected_queries'" in run.stderr
