"""Benchmarks: cleanrooms-mock against the reference mocks, measured side by side in one run.

    python benchmarks/run.py [--quick | --smoke] [--json FILE] [--profile]

Prints the median and p90 of each measurement and the ratios the project's targets are stated
in, and writes everything as JSON (default ``benchmarks/results.json``) so runs can be compared.
Every reference is measured in the same process and the same run, interleaved in rounds, so
the ratios hold on a noisy machine even when the absolute numbers do not. Timings here are
never assertions: nothing fails because a machine is slow.

References:

* **floor** - a bare botocore ``before-send`` hook returning a canned HTTP response: what any
  HTTP-level in-process mock costs at least (serialise, sign, parse; no mock logic at all);
* **stubber** - botocore's ``Stubber`` with a canned response (no HTTP, fakes nothing);
* **moto** - moto's own ``cleanrooms`` under ``mock_aws`` (moto >= 5.2.3 ships one);
* **mock_aws** - moto's activation, for the activation and whole-test costs;
* **moto server** - ``python -m moto.server`` (``pip install -e '.[bench]'``: moto's server
  extra) against ``cleanrooms-mock serve``, each in its own process, driven by the same boto3
  loop (``get_collaboration``; ``sts get_caller_identity`` where moto has no ``cleanrooms``).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import inspect
import io
import json
import os
import platform
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "benchmark")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "benchmark")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3
import botocore
import moto
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.stub import Stubber
from moto import mock_aws  # type: ignore[attr-defined,unused-ignore]  # moto 5.0 types
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber

import cleanrooms_mock
from cleanrooms_mock import cleanrooms_backends, mock_cleanrooms

REGION = "us-east-1"
CREATOR = "111111111111"
MEMBER = "222222222222"
UNLIMITED = {
    "collaborations_per_account": 10**7,
    "members_per_collaboration": 10,
    "memberships_per_account": 10**7,
}
COLLABORATION = {
    "name": "bench",
    "description": "benchmark",
    "creatorDisplayName": "Publisher",
    "creatorMemberAbilities": ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
    "members": [{"accountId": MEMBER, "displayName": "Advertiser", "memberAbilities": []}],
    "queryLogStatus": "ENABLED",
}


# ---- measuring ------------------------------------------------------------------------------


def summary(samples_ns: list[int]) -> dict[str, float]:
    """Median and p90 in microseconds."""
    ordered = sorted(samples_ns)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return {
        "median_us": statistics.median(ordered) / 1000,
        "p90_us": p90 / 1000,
        "samples": len(ordered),
    }


def acting_as(service: str, account: str) -> Any:
    """A boto3 client of ``service`` acting as ``account`` (a 12-digit access key is that
    account)."""
    return boto3.client(
        service, region_name=REGION, aws_access_key_id=account, aws_secret_access_key="secret"
    )


def client(account: str = CREATOR) -> Any:
    """A Clean Rooms client of ``account``."""
    return acting_as("cleanrooms", account)


def timed_calls(call: Callable[[int], Any], count: int) -> list[int]:
    samples = []
    clock = time.perf_counter_ns
    for index in range(count):
        start = clock()
        call(index)
        samples.append(clock() - start)
    return samples


@contextlib.contextmanager
def moto_own_cleanrooms() -> Iterator[None]:
    """moto's own Clean Rooms: our wrappers around moto's stubber (the Clean Rooms routing and
    the Tagging API's) stepped aside."""
    ours = botocore_stubber.process_request
    original = inspect.unwrap(ours)
    botocore_stubber.process_request = original  # type: ignore[method-assign]
    try:
        with mock_aws():
            yield
    finally:
        botocore_stubber.process_request = ours  # type: ignore[method-assign]


def has_moto_cleanrooms() -> bool:
    try:
        import moto.cleanrooms  # noqa: F401
    except ImportError:
        return False
    return True


# ---- 1. per call: create_membership ---------------------------------------------------------


class CreateMembership:
    """``create_membership`` per call, by each mock; every call joins a fresh collaboration."""

    def __init__(self, calls: int) -> None:
        self.calls = calls
        self.samples: dict[str, list[int]] = {}
        self.canned: dict[str, Any] = {}
        self.canned_body = b""

    def ours(self) -> list[int]:
        with mock_cleanrooms(quotas=UNLIMITED):
            ids = [
                client().create_collaboration(**COLLABORATION)["collaboration"]["id"]
                for _ in range(self.calls + 1)
            ]
            member = client(MEMBER)
            member.create_membership(collaborationIdentifier=ids[-1], queryLogStatus="ENABLED")
            samples = timed_calls(
                lambda i: member.create_membership(
                    collaborationIdentifier=ids[i], queryLogStatus="ENABLED"
                ),
                self.calls,
            )
            if not self.canned:
                self.canned = member.get_membership(
                    membershipIdentifier=member.list_memberships()["membershipSummaries"][0]["id"]
                )
                self.canned.pop("ResponseMetadata")
                self.canned_body = json.dumps(self.canned, default=lambda t: t.timestamp()).encode()
        return samples

    def floor(self) -> list[int]:
        member = client(MEMBER)
        body = self.canned_body

        def answer(request: Any, **_: Any) -> AWSResponse:
            headers = {"Content-Type": "application/json", "x-amzn-RequestId": "floor"}
            return AWSResponse(request.url, 200, headers, MockRawResponse(body))

        member.meta.events.register("before-send.cleanrooms.CreateMembership", answer)
        collaboration_id = self.canned["membership"]["collaborationId"]
        return timed_calls(
            lambda i: member.create_membership(
                collaborationIdentifier=collaboration_id, queryLogStatus="ENABLED"
            ),
            self.calls,
        )

    def stubber(self) -> list[int]:
        member = client(MEMBER)
        collaboration_id = self.canned["membership"]["collaborationId"]
        with Stubber(member) as stub:
            for _ in range(self.calls):
                stub.add_response("create_membership", self.canned)
            return timed_calls(
                lambda i: member.create_membership(
                    collaborationIdentifier=collaboration_id, queryLogStatus="ENABLED"
                ),
                self.calls,
            )

    def moto(self) -> list[int]:
        with moto_own_cleanrooms():
            ids = [
                client().create_collaboration(**COLLABORATION)["collaboration"]["id"]
                for _ in range(self.calls)
            ]
            member = client(MEMBER)
            return timed_calls(
                lambda i: member.create_membership(
                    collaborationIdentifier=ids[i], queryLogStatus="ENABLED"
                ),
                self.calls,
            )

    def run(self, rounds: int) -> dict[str, Any]:
        modes: dict[str, Callable[[], list[int]]] = {
            "cleanrooms-mock": self.ours,
            "floor": self.floor,
            "stubber": self.stubber,
        }
        if has_moto_cleanrooms():
            modes["moto"] = self.moto
        self.ours()  # warm up every cache, and take the canned answer the others return
        for _ in range(rounds):
            for name, mode in modes.items():
                self.samples.setdefault(name, []).extend(mode())
        results = {name: summary(samples) for name, samples in self.samples.items()}
        floor = results["floor"]["median_us"]
        for result in results.values():
            result["x_floor"] = result["median_us"] / floor
        return results


# ---- 2. activation, a whole small test, client creation -------------------------------------


def versus_mock_aws(body: Callable[[], None], count: int, rounds: int) -> dict[str, Any]:
    """``body`` inside ``mock_cleanrooms`` and inside ``mock_aws``, activation included."""

    def inside(factory: Callable[[], Any]) -> Callable[[int], None]:
        def run(_: int) -> None:
            with factory():
                body()

        return run

    samples: dict[str, list[int]] = {"mock_cleanrooms": [], "mock_aws": []}
    for _ in range(rounds):
        samples["mock_cleanrooms"] += timed_calls(inside(mock_cleanrooms), count)
        samples["mock_aws"] += timed_calls(inside(mock_aws), count)
    results: dict[str, Any] = {name: summary(s) for name, s in samples.items()}
    results["ratio_mock_aws_over_ours"] = (
        results["mock_aws"]["median_us"] / results["mock_cleanrooms"]["median_us"]
    )
    return results


def activation(count: int, rounds: int) -> dict[str, Any]:
    """Enter and leave, nothing in between."""
    return versus_mock_aws(lambda: None, count, rounds)


def small_test(count: int, rounds: int) -> dict[str, Any]:
    """Activate, create a client, create a collaboration and join it, deactivate."""

    def test() -> None:
        creator = boto3.client("cleanrooms", region_name=REGION)
        collaboration = creator.create_collaboration(**COLLABORATION)["collaboration"]
        creator.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
        )

    return versus_mock_aws(test, count, rounds)


def client_creation(count: int, rounds: int) -> dict[str, Any]:
    """``boto3.client("cleanrooms")`` outside any mock and inside ``mock_cleanrooms``."""

    def make(_: int) -> None:
        boto3.client("cleanrooms", region_name=REGION)

    samples: dict[str, list[int]] = {"outside": [], "inside mock_cleanrooms": []}
    for _ in range(rounds):
        samples["outside"] += timed_calls(make, count)
        with mock_cleanrooms():
            samples["inside mock_cleanrooms"] += timed_calls(make, count)
    results: dict[str, Any] = {name: summary(s) for name, s in samples.items()}
    results["ratio_inside_over_outside"] = (
        results["inside mock_cleanrooms"]["median_us"] / results["outside"]["median_us"]
    )
    return results


# ---- 3. import cost -------------------------------------------------------------------------

_IMPORT = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def import_cost(runs: int) -> dict[str, Any]:
    """Each import in a fresh interpreter, alternating, so both see the same disk cache."""
    samples: dict[str, list[int]] = {"cleanrooms_mock": [], "moto": []}
    for _ in range(runs):
        for module in samples:
            out = subprocess.run(
                [sys.executable, "-c", _IMPORT.format(module)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            samples[module].append(int(float(out) * 1e9))
    results: dict[str, Any] = {name: summary(s) for name, s in samples.items()}
    results["ratio_ours_over_moto"] = (
        results["cleanrooms_mock"]["median_us"] / results["moto"]["median_us"]
    )
    return results


# ---- 4. scaling and memory ------------------------------------------------------------------


def _populate(count: int) -> None:
    """``count`` collaborations of CREATOR, each joined by MEMBER, through the backend's methods.

    The backend directly, not boto3, only so that 100k items take seconds to build; listing
    them, the thing measured, goes through boto3 like every other call here.
    """
    creator = cleanrooms_backends[CREATOR][REGION]
    member = cleanrooms_backends[MEMBER][REGION]
    for _ in range(count):
        collaboration = _create_collaboration(creator)
        member.create_membership(
            collaboration_identifier=collaboration.id, queryLogStatus="ENABLED"
        )


def _create_collaboration(creator: Any) -> Any:
    """CreateCollaboration on the backend itself: the keywords the dispatcher would bind."""
    spec = json.loads(json.dumps(COLLABORATION))
    return creator.create_collaboration(
        members=spec.pop("members"),
        creator_member_abilities=spec.pop("creatorMemberAbilities"),
        creator_display_name=spec.pop("creatorDisplayName"),
        **spec,
    )


def scaling(sizes: tuple[int, ...], page_size: int = 100) -> dict[str, Any]:
    """Per-page cost of paginating everything, as the store grows."""
    results: dict[str, Any] = {}
    for size in sizes:
        with mock_cleanrooms(quotas=UNLIMITED):
            _populate(size)
            entry: dict[str, Any] = {}
            for operation, key, account in (
                ("list_memberships", "membershipSummaries", MEMBER),
                ("list_collaborations", "collaborationList", CREATOR),
            ):
                paginator = client(account).get_paginator(operation)
                pages = iter(paginator.paginate(PaginationConfig={"PageSize": page_size}))
                samples, seen = [], 0
                while True:
                    start = time.perf_counter_ns()
                    page = next(pages, None)
                    if page is None:
                        break
                    samples.append(time.perf_counter_ns() - start)
                    seen += len(page[key])
                assert seen == size, (operation, seen, size)
                entry[operation] = summary(samples)
            results[str(size)] = entry
    smallest = str(sizes[0])
    for entry_size, entry in results.items():
        for operation, result in entry.items():
            base = results[smallest][operation]["median_us"]
            result["x_smallest"] = result["median_us"] / base
        del entry_size
    return results


def memory(count: int) -> dict[str, Any]:
    """Bytes per membership, and what is left once the mock stops."""
    with mock_cleanrooms():  # warm: model and shape caches are built once per process
        _populate(5)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        mock = mock_cleanrooms(quotas=UNLIMITED)
        mock.start()
        creator = cleanrooms_backends[CREATOR][REGION]
        member = cleanrooms_backends[MEMBER][REGION]
        ids = [_create_collaboration(creator).id for _ in range(count)]
        gc.collect()
        with_collaborations = tracemalloc.get_traced_memory()[0]
        for collaboration_id in ids:
            member.create_membership(
                collaboration_identifier=collaboration_id, queryLogStatus="ENABLED"
            )
        gc.collect()
        with_memberships = tracemalloc.get_traced_memory()[0]
        del ids, creator, member
        mock.stop()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return {
        "memberships": count,
        "bytes_per_collaboration": (with_collaborations - before) / count,
        "bytes_per_membership": (with_memberships - with_collaborations) / count,
        "bytes_left_after_stop": after - before,
    }


# ---- 5. server mode: calls per second, against moto's server --------------------------------

SERVER_STARTUP_SECONDS = 120


def has_moto_server() -> bool:
    """Whether ``python -m moto.server`` can run here (it needs moto's ``server`` extra)."""
    try:
        import flask  # noqa: F401
        import flask_cors  # noqa: F401
    except ImportError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextlib.contextmanager
def serving(command: list[str]) -> Iterator[str]:
    """A server process started with ``command`` + a free port; yields its endpoint."""
    port = _free_port()
    # stderr to a file, not a pipe: moto logs every request, and a full pipe would stall it.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([*command, str(port)], stdout=subprocess.DEVNULL, stderr=errors)
        try:
            deadline = time.monotonic() + SERVER_STARTUP_SECONDS
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    errors.seek(0)
                    said = errors.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"{' '.join(command)} did not start: {said}")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=30)


def endpoint_client(service: str, url: str) -> Any:
    """A client of ``url`` as CREATOR, failing at once rather than retrying (nothing should)."""
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=CREATOR,
        aws_secret_access_key="secret",
        config=Config(retries={"total_max_attempts": 1}),
    )


def server_calls(calls: int, rounds: int) -> dict[str, Any]:
    """The same boto3 loop against ``cleanrooms-mock serve`` and against moto's server."""
    ours_command = [sys.executable, "-m", "cleanrooms_mock", "serve", "--port"]
    moto_command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p"]
    results: dict[str, Any] = {}
    with contextlib.ExitStack() as servers:
        ours = endpoint_client("cleanrooms", servers.enter_context(serving(ours_command)))
        ours_id = ours.create_collaboration(**COLLABORATION)["collaboration"]["id"]
        loops: dict[str, Callable[[int], Any]] = {
            "cleanrooms-mock serve": lambda _: ours.get_collaboration(
                collaborationIdentifier=ours_id
            )
        }
        if not has_moto_server():
            results["skipped"] = (
                "moto server: not measured, moto's server needs flask "
                "(pip install 'moto[server]', or pip install -e '.[bench]')"
            )
        else:
            moto_url = servers.enter_context(serving(moto_command))
            if has_moto_cleanrooms():
                theirs = endpoint_client("cleanrooms", moto_url)
                moto_id = theirs.create_collaboration(**COLLABORATION)["collaboration"]["id"]
                results["moto_call"] = "cleanrooms get_collaboration"
                loops["moto server"] = lambda _: theirs.get_collaboration(
                    collaborationIdentifier=moto_id
                )
            else:  # moto < 5.2.3 has no cleanrooms: its cheapest comparable call
                sts = endpoint_client("sts", moto_url)
                results["moto_call"] = "sts get_caller_identity (this moto has no cleanrooms)"
                loops["moto server"] = lambda _: sts.get_caller_identity()
        samples: dict[str, list[int]] = {name: [] for name in loops}
        for loop in loops.values():
            timed_calls(loop, min(calls, 20))  # warm: connections, caches, first-call costs
        for _ in range(rounds):
            for name, loop in loops.items():
                samples[name] += timed_calls(loop, calls)
    for name, taken in samples.items():
        results[name] = summary(taken)
        results[name]["calls_per_second"] = 1e6 / results[name]["median_us"]
    if "moto server" in results:
        results["ratio_ours_over_moto"] = (
            results["cleanrooms-mock serve"]["calls_per_second"]
            / results["moto server"]["calls_per_second"]
        )
    return results


# ---- protected query end to end -------------------------------------------------------------

#: Rows per table of the protected-query measurement, and runs per size, by mode.
QUERY_SIZES = {
    "full": ((1000, 30), (100000, 15), (1000000, 5)),
    "quick": ((1000, 15), (100000, 5)),
}
QUERY_SIZES["smoke"] = ((200, 2),)
QUERY = (
    "SELECT u.segment, COUNT(DISTINCT u.email) AS people, SUM(p.amount) AS spent "
    "FROM users u JOIN purchases p ON u.email = p.email GROUP BY u.segment"
)
#: Who owns which table of :data:`QUERY`: the member owns the users, the runner the purchases.
QUERY_OWNERS = {"users": MEMBER, "purchases": CREATOR}
QUERY_COLUMNS = {
    "users": {"email": "string", "segment": "string", "age": "int"},
    "purchases": {"email": "string", "amount": "double"},
}
#: The users table's aggregation threshold: each output row counts 2 distinct emails or more.
QUERY_THRESHOLD = {
    "identityColumns": ["email"],
    "minimumIdentityCount": 2,
    "type": "COUNT_DISTINCT",
    "allowedAggregateExpressionType": "ANY_EXPRESSION",
}
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
#: A Glue table over Parquet files, as Glue's crawlers catalog one.
PARQUET_STORAGE = {
    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    "SerdeInfo": {"SerializationLibrary": PARQUET_SERDE},
}


def _query_tables(rows: int, folder: str) -> dict[str, str]:
    """Two Parquet files of ``rows`` rows each (a member's users, the runner's purchases),
    written by DuckDB; their paths by table name."""
    import duckdb

    paths = {name: os.path.join(folder, f"{name}-{rows}.parquet") for name in QUERY_OWNERS}
    selects = {
        "users": "SELECT md5(i::VARCHAR) AS email, 'segment-' || (i % 20) AS segment, "
        f"(i % 80)::INT AS age FROM range({rows}) t(i)",
        "purchases": f"SELECT md5((i * 7 % {rows})::VARCHAR) AS email, (i % 1000) / 10.0 AS amount "
        f"FROM range({rows}) t(i)",
    }
    connection = duckdb.connect()
    try:
        for name, select in selects.items():
            connection.execute(f"COPY ({select}) TO '{paths[name]}' (FORMAT parquet)")
    finally:
        connection.close()
    return paths


@dataclass(frozen=True)
class QueryRoom:
    """A collaboration set up through the API for :data:`QUERY`, and how to run it there."""

    membership: str
    results_bucket: str


def _query_room(rows: int, paths: dict[str, str]) -> QueryRoom:
    """Through boto3, as each account: a collaboration of CREATOR (can query, receives results)
    and MEMBER; each table's Parquet file put in its owner's bucket in moto's S3, a Glue table
    over it, configured, given a CUSTOM rule (the users an aggregation threshold), associated
    as ``users`` / ``purchases`` with a collaboration analysis rule letting CREATOR receive
    results; a bucket for the results. One room per table size."""
    creator = acting_as("cleanrooms", CREATOR)
    collaboration = creator.create_collaboration(**COLLABORATION)["collaboration"]["id"]
    memberships = {
        account: acting_as("cleanrooms", account).create_membership(
            collaborationIdentifier=collaboration, queryLogStatus="ENABLED"
        )["membership"]["id"]
        for account in (CREATOR, MEMBER)
    }
    database = f"bench_{rows}"
    for name, account in QUERY_OWNERS.items():
        s3, glue = acting_as("s3", account), acting_as("glue", account)
        cleanrooms = acting_as("cleanrooms", account)
        bucket, prefix = f"bench-data-{account}", f"{database}/{name}/"
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
            s3.create_bucket(Bucket=bucket)
        s3.put_object(
            Bucket=bucket, Key=f"{prefix}part-0.parquet", Body=Path(paths[name]).read_bytes()
        )
        with contextlib.suppress(glue.exceptions.AlreadyExistsException):
            glue.create_database(DatabaseInput={"Name": database})
        columns = [{"Name": c, "Type": t} for c, t in QUERY_COLUMNS[name].items()]
        glue.create_table(
            DatabaseName=database,
            TableInput={
                "Name": name,
                "TableType": "EXTERNAL_TABLE",
                "Parameters": {"classification": "parquet"},
                "StorageDescriptor": {
                    "Columns": columns,
                    "Location": f"s3://{bucket}/{prefix}",
                    **PARQUET_STORAGE,
                },
            },
        )
        table = cleanrooms.create_configured_table(
            name=f"{name}_{rows}",
            analysisMethod="DIRECT_QUERY",
            allowedColumns=list(QUERY_COLUMNS[name]),
            tableReference={"glue": {"databaseName": database, "tableName": name}},
        )["configuredTable"]["id"]
        cleanrooms.create_configured_table_analysis_rule(
            configuredTableIdentifier=table,
            analysisRuleType="CUSTOM",
            analysisRulePolicy={"v1": _custom_rule(name)},
        )
        association = cleanrooms.create_configured_table_association(
            name=name,
            membershipIdentifier=memberships[account],
            configuredTableIdentifier=table,
            roleArn=f"arn:aws:iam::{account}:role/cleanrooms-table-access",
        )["configuredTableAssociation"]["id"]
        cleanrooms.create_configured_table_association_analysis_rule(
            membershipIdentifier=memberships[account],
            configuredTableAssociationIdentifier=association,
            analysisRuleType="CUSTOM",
            analysisRulePolicy={"v1": {"custom": {"allowedResultReceivers": [CREATOR]}}},
        )
    s3 = acting_as("s3", CREATOR)
    results_bucket = f"bench-results-{CREATOR}"
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=results_bucket)
    return QueryRoom(memberships[CREATOR], results_bucket)


def _custom_rule(name: str) -> dict[str, Any]:
    """The CUSTOM analysis rule of table ``name``: any query by CREATOR; the users table has
    :data:`QUERY_THRESHOLD`."""
    custom: dict[str, Any] = {
        "allowedAnalyses": ["ANY_QUERY"],
        "allowedAnalysisProviders": [CREATOR],
    }
    if name == "users":
        custom["aggregationThresholds"] = [QUERY_THRESHOLD]
    return {"custom": custom}


def _transpiled() -> str:
    """:data:`QUERY` as the engine hands it to DuckDB (threshold included): the reference's
    SQL, asked of the engine once, on empty tables with the rules the room gives them."""
    from cleanrooms_mock.query_engine import Runner, TableSource, run, storage_format

    tables = [
        TableSource(
            name=name,
            columns=list(QUERY_COLUMNS[name].items()),
            allowed_columns=list(QUERY_COLUMNS[name]),
            analysis_rule=_custom_rule(name),
            owner_account_id=owner,
            storage=storage_format(PARQUET_SERDE),
            objects=list,
        )
        for name, owner in QUERY_OWNERS.items()
    ]
    outcome = run(QUERY, dialect="spark", tables=tables, runner=Runner(CREATOR))
    assert outcome.succeeded, outcome.error
    return outcome.sql


def _query_size(rows: int, runs: int, folder: str, reference: Any, sql: str) -> dict[str, Any]:
    """One table size of :func:`protected_query`: ``runs`` interleaved runs of each."""
    paths = _query_tables(rows, folder)
    room = _query_room(rows, paths)
    runner, s3 = acting_as("cleanrooms", CREATOR), acting_as("s3", CREATOR)
    output = {"s3": {"resultFormat": "CSV", "bucket": room.results_bucket, "keyPrefix": "bench"}}
    clock = time.perf_counter_ns

    def ours(_: int) -> str:
        """Start the query, read it until it has finished; the result's location."""
        query = runner.start_protected_query(
            type="SQL",
            membershipIdentifier=room.membership,
            sqlParameters={"queryString": QUERY},
            resultConfiguration={"outputConfiguration": output},
        )["protectedQuery"]
        while query["status"] not in ("SUCCESS", "FAILED", "CANCELLED", "TIMED_OUT"):
            query = runner.get_protected_query(
                membershipIdentifier=room.membership, protectedQueryIdentifier=query["id"]
            )["protectedQuery"]
        assert query["status"] == "SUCCESS", query.get("error")
        location: str = query["result"]["output"]["s3"]["location"]
        return location

    def delivered(location: str) -> None:
        bucket, key = location.removeprefix("s3://").split("/", 1)
        assert s3.head_object(Bucket=bucket, Key=key)["ContentLength"] > 0

    def duckdb_alone(index: int) -> None:
        """The transpiled SQL on the same files, the result written as CSV."""
        cursor = reference.cursor()
        try:
            for name, path in paths.items():
                cursor.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM read_parquet('{path}')")
            target = os.path.join(folder, f"duckdb-{index}.csv")
            cursor.execute(f"COPY ({sql}) TO '{target}' (FORMAT csv, HEADER true)")
        finally:
            cursor.close()

    delivered(ours(-1))  # warms the engine, sqlglot and DuckDB, and checks the room
    duckdb_alone(-1)
    wall: dict[str, list[int]] = {"ours": [], "duckdb": []}
    cpu: dict[str, list[int]] = {"ours": [], "duckdb": []}
    measured: dict[str, Callable[[int], str | None]] = {"ours": ours, "duckdb": duckdb_alone}
    for index in range(runs):
        for name, work in measured.items():
            started, cpu_started = clock(), time.process_time_ns()
            done = work(index)
            wall[name].append(clock() - started)
            cpu[name].append(time.process_time_ns() - cpu_started)
            if done is not None:
                delivered(done)
    entry: dict[str, Any] = {name: summary(values) for name, values in wall.items()}
    ours_us, duckdb_us = entry["ours"]["median_us"], entry["duckdb"]["median_us"]
    entry["ratio_ours_over_duckdb"] = ours_us / duckdb_us
    entry["overhead_ms"] = (ours_us - duckdb_us) / 1000
    # CPU time (this process, DuckDB's threads included) moves less than wall time when other
    # processes share the machine.
    cpu_us = {name: statistics.median(values) / 1000 for name, values in cpu.items()}
    entry["cpu_ratio_ours_over_duckdb"] = cpu_us["ours"] / cpu_us["duckdb"]
    entry["cpu_overhead_ms"] = (cpu_us["ours"] - cpu_us["duckdb"]) / 1000
    entry["load_average"] = os.getloadavg()[0]
    return entry


def protected_query(mode: str) -> dict[str, Any]:
    """A protected query end to end, through the API, against DuckDB alone, per table size.

    Ours, as a user runs one: inside ``mock_aws()``, per table size a collaboration set up
    through boto3 (:func:`_query_room`: Glue tables over Parquet objects in moto's S3, CUSTOM
    rules, an aggregation threshold on the users), then per run ``start_protected_query``
    (``queryString``, CSV result to the runner's bucket) and ``get_protected_query`` until
    ``SUCCESS``: the time from the start to the finished query, its result written (the
    result object is checked at ``result.output.s3.location`` after the clock stops). DuckDB:
    one open database, the same Parquet files as views, the SQL the engine runs (threshold
    included), the result written as CSV. Interleaved in the same run; the ratio is ours over
    DuckDB, the overhead ours minus DuckDB (medians); the 1-minute load average at the end.
    """
    import duckdb

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder, mock_aws():
        sql = _transpiled()
        reference = duckdb.connect()
        try:
            for rows, runs in QUERY_SIZES[mode]:
                results[str(rows)] = _query_size(rows, runs, folder, reference, sql)
        finally:
            reference.close()
    return results


# ---- profile --------------------------------------------------------------------------------


def profile(calls: int) -> str:
    """Where a create_membership call spends its time (cProfile, cumulative, top 25)."""
    with mock_cleanrooms(quotas=UNLIMITED):
        ids = [
            client().create_collaboration(**COLLABORATION)["collaboration"]["id"]
            for _ in range(calls)
        ]
        member = client(MEMBER)
        profiler = cProfile.Profile()
        profiler.enable()
        for collaboration_id in ids:
            member.create_membership(
                collaborationIdentifier=collaboration_id, queryLogStatus="ENABLED"
            )
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


# ---- report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How much of each measurement to take."""

    calls: int
    rounds: int
    activations: int
    tests: int
    clients: int
    imports: int
    sizes: tuple[int, ...]
    memory: int
    server_calls: int
    query_mode: str  # the key of QUERY_SIZES


FULL = Plan(300, 5, 100, 20, 50, 15, (1000, 10000, 100000), 10000, 300, "full")
QUICK = Plan(100, 2, 50, 10, 20, 5, (1000, 10000), 2000, 100, "quick")
SMOKE = Plan(5, 1, 3, 1, 2, 1, (100, 200), 50, 5, "smoke")


def _line(name: str, result: dict[str, Any], extra: str = "") -> str:
    median, p90 = result["median_us"], result["p90_us"]
    return f"  {name:<26} median {median:>10.1f} us   p90 {p90:>10.1f} us{extra}"


def _per_call(plan: Plan, results: dict[str, Any]) -> None:
    print("create_membership, per call (x floor: the bare before-send hook)")
    per_call = CreateMembership(calls=plan.calls).run(rounds=plan.rounds)
    results["create_membership"] = per_call
    for name, result in per_call.items():
        print(_line(name, result, f"   x floor {result['x_floor']:.2f}"))


def _activation(plan: Plan, results: dict[str, Any]) -> None:
    print("activation: enter and leave, empty body")
    results["activation"] = activation(count=plan.activations, rounds=plan.rounds)
    for name in ("mock_cleanrooms", "mock_aws"):
        print(_line(name, results["activation"][name]))
    print(f"  mock_aws / mock_cleanrooms: {results['activation']['ratio_mock_aws_over_ours']:.1f}x")

    print("a whole small test: activate, client, create_collaboration + create_membership, leave")
    results["small_test"] = small_test(count=plan.tests, rounds=plan.rounds)
    for name in ("mock_cleanrooms", "mock_aws"):
        print(_line(name, results["small_test"][name]))
    print(f"  mock_aws / mock_cleanrooms: {results['small_test']['ratio_mock_aws_over_ours']:.1f}x")

    print("creating a boto3 Clean Rooms client")
    results["client_creation"] = client_creation(count=plan.clients, rounds=plan.rounds)
    for name in ("outside", "inside mock_cleanrooms"):
        print(_line(name, results["client_creation"][name]))
    ratio = results["client_creation"]["ratio_inside_over_outside"]
    print(f"  inside / outside: {ratio:.2f}x")


def _import(plan: Plan, results: dict[str, Any]) -> None:
    print("import, in a fresh interpreter")
    results["import"] = import_cost(runs=plan.imports)
    for name in ("cleanrooms_mock", "moto"):
        print(_line(name, results["import"][name]))
    print(f"  cleanrooms_mock / moto: {results['import']['ratio_ours_over_moto']:.2f}x")


def _scaling(plan: Plan, results: dict[str, Any]) -> None:
    sizes = plan.sizes
    print(f"paginating everything, 100 per page, per page (x the {sizes[0]}-item store)")
    results["scaling"] = scaling(sizes)
    for size, entry in results["scaling"].items():
        for operation, result in entry.items():
            print(_line(f"{operation} {size}", result, f"   x {result['x_smallest']:.2f}"))

    print("memory")
    results["memory"] = memory(plan.memory)
    m = results["memory"]
    print(
        f"  {m['bytes_per_membership']:.0f} bytes per membership "
        f"({m['bytes_per_collaboration']:.0f} per collaboration); "
        f"{m['bytes_left_after_stop']} bytes left after the mock stopped"
    )


def _server(plan: Plan, results: dict[str, Any]) -> None:
    print("server mode: the same boto3 loop against `cleanrooms-mock serve` and moto's server")
    results["server"] = server = server_calls(plan.server_calls, plan.rounds)
    for name in ("cleanrooms-mock serve", "moto server"):
        if name in server:
            rate = f"   {server[name]['calls_per_second']:>7.0f} calls/s"
            print(_line(name, server[name], rate))
    if "ratio_ours_over_moto" in server:
        print(f"  (moto server: {server['moto_call']})")
        print(f"  serve / moto server: {server['ratio_ours_over_moto']:.1f}x the calls per second")
    else:
        print(f"  {server['skipped']}")


def _protected_query(plan: Plan, results: dict[str, Any]) -> None:
    print("protected query end to end through the API (two tables joined, an aggregate)")
    print("  vs DuckDB alone on the same files, the same SQL")
    results["protected_query"] = protected_query(plan.query_mode)
    for rows, entry in results["protected_query"].items():
        print(_line(f"ours, {rows} rows", entry["ours"]))
        print(_line(f"duckdb, {rows} rows", entry["duckdb"]))
        ratio, overhead = entry["ratio_ours_over_duckdb"], entry["overhead_ms"]
        load = entry["load_average"]
        cpu_ratio, cpu_overhead = entry["cpu_ratio_ours_over_duckdb"], entry["cpu_overhead_ms"]
        print(
            f"  ours / duckdb at {rows} rows: {ratio:.2f}x, {overhead:+.1f} ms per query; "
            f"CPU time {cpu_ratio:.2f}x, {cpu_overhead:+.1f} ms (load average {load:.2f})"
        )


#: The measurements by name (``--only NAME`` takes one), in the order they run.
SECTIONS: dict[str, Callable[[Plan, dict[str, Any]], None]] = {
    "create_membership": _per_call,
    "activation": _activation,
    "import": _import,
    "scaling": _scaling,
    "server": _server,
    "protected_query": _protected_query,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smaller sizes (about 30 s)")
    size.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script runs")
    parser.add_argument("--json", default=str(Path(__file__).with_name("results.json")))
    parser.add_argument("--profile", action="store_true", help="print a profile of the hot path")
    parser.add_argument(
        "--only",
        choices=sorted(SECTIONS),
        action="append",
        help="run only this measurement (repeatable); all by default",
    )
    parser.add_argument(
        "--compare",
        metavar="OLD.json",
        help="also print each headline ratio of an earlier run beside this run's",
    )
    arguments = parser.parse_args()
    plan = SMOKE if arguments.smoke else QUICK if arguments.quick else FULL
    started = time.perf_counter()
    results: dict[str, Any] = {
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "botocore": botocore.__version__,
            "boto3": boto3.__version__,
            "moto": moto.__version__,
            "cleanrooms_mock": cleanrooms_mock.__version__,
            "moto_has_cleanrooms": has_moto_cleanrooms(),
            "moto_server": has_moto_server(),
            "date": time.strftime("%Y-%m-%d"),
            "load_average_at_start": os.getloadavg()[0],
        }
    }
    for name, section in SECTIONS.items():
        if not arguments.only or name in arguments.only:
            section(plan, results)

    if arguments.profile:
        print(profile(300))

    results["seconds"] = time.perf_counter() - started
    Path(arguments.json).write_text(json.dumps(results, indent=2) + "\n")
    if arguments.compare:
        print(f"headline ratios: {arguments.compare} -> this run")
        earlier = headlines(json.loads(Path(arguments.compare).read_text()))
        for name, value in headlines(results).items():
            before = earlier.get(name)
            shown = "-" if before is None else f"{before:.2f}"
            print(f"  {name:<58} {shown:>8} -> {value:.2f}")
    print(f"done in {results['seconds']:.0f} s; results in {arguments.json}")
    return 0


def headlines(results: dict[str, Any]) -> dict[str, float]:
    """The ratios the targets are stated in (README "Performance"), by name; those of the
    measurements ``results`` holds (``--only`` takes some)."""
    picks = {
        "create_membership / before-send floor": (
            "create_membership",
            "cleanrooms-mock",
            "x_floor",
        ),
        "moto's cleanrooms / before-send floor": ("create_membership", "moto", "x_floor"),
        "mock_aws / mock_cleanrooms, enter and leave": ("activation", "ratio_mock_aws_over_ours"),
        "mock_aws / mock_cleanrooms, whole small test": ("small_test", "ratio_mock_aws_over_ours"),
        "client creation, inside / outside": ("client_creation", "ratio_inside_over_outside"),
        "import cleanrooms_mock / import moto": ("import", "ratio_ours_over_moto"),
        "bytes per membership": ("memory", "bytes_per_membership"),
        "serve calls/s / moto server calls/s": ("server", "ratio_ours_over_moto"),
    }
    out: dict[str, float] = {}
    for name, path in picks.items():
        value: Any = results
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            out[name] = value
    for rows, entry in results.get("protected_query", {}).items():
        out[f"protected query / duckdb, {rows} rows"] = entry["ratio_ours_over_duckdb"]
    if "scaling" in results:
        largest = max(results["scaling"], key=int)
        for operation, result in results["scaling"][largest].items():
            out[f"{operation} per page, {largest} / smallest store"] = result["x_smallest"]
    return out


if __name__ == "__main__":
    sys.exit(main())
