"""The benchmark script runs and reports every measurement (timings are never asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
