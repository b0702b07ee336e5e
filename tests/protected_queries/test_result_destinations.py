"""Where a result may be written: a bucket of the receiving account, and, with the Spark
analytics engine, not the bucket of any data source of the collaboration ("the Results
destination in Amazon S3 can't be within the same S3 bucket as any data source", user guide:
receive-results). A refused destination fails the query before anything is written."""

from __future__ import annotations

from typing import Any

import pytest
from pq_support import ADVERTISER, MEASURER, MEASURER_BUCKET, PUBLISHER, RESULTS_BUCKET, Room

from cleanrooms_mock.glue_tables import DEFAULT_DATABASE

COUNT_CUSTOMERS = "SELECT COUNT(*) AS n FROM customers"


def data_bucket(room: Room, account: str) -> str:
    """Where the ``cleanrooms_table`` fixture put ``account``'s tables (pq_support.make_room):
    each under ``<database>/<table>/``."""
    return f"cleanrooms-data-{account}-{room.mock.region}"


def s3_output(bucket: str, prefix: str | None = None) -> dict[str, Any]:
    s3: dict[str, Any] = {"resultFormat": "CSV", "bucket": bucket}
    if prefix is not None:
        s3["keyPrefix"] = prefix
    return {"outputConfiguration": {"s3": s3}}


def set_default_output(room: Room, account: str, bucket: str) -> None:
    """``account``'s membership now receives results in ``bucket`` by default."""
    room[account].update_membership(
        membershipIdentifier=room.memberships[account],
        defaultResultConfiguration=s3_output(bucket, "received"),
    )


def keys(room: Room, account: str, bucket: str) -> list[str]:
    listed = room.s3(account).list_objects_v2(Bucket=bucket)
    return [entry["Key"] for entry in listed.get("Contents", [])]


def output_to_own_data(room: Room) -> dict[str, Any]:
    """The runner's own data bucket, under the customers table's folder."""
    return s3_output(data_bucket(room, ADVERTISER), f"{DEFAULT_DATABASE}/customers")


def member_with_data_bucket(room: Room) -> dict[str, Any]:
    set_default_output(room, ADVERTISER, data_bucket(room, ADVERTISER))
    return {"outputConfiguration": {"member": {"accountId": ADVERTISER}}}


def distribute_with_data_bucket(room: Room) -> dict[str, Any]:
    """The measurer's default bucket is fine, the runner's S3 location is not."""
    locations = [
        {"member": {"accountId": MEASURER}},
        output_to_own_data(room)["outputConfiguration"],
    ]
    return {"outputConfiguration": {"distribute": {"locations": locations}}}


@pytest.mark.parametrize(
    ("sql", "destination"),
    [
        (COUNT_CUSTOMERS, output_to_own_data),
        ("SELECT campaign FROM impressions", output_to_own_data),
        (COUNT_CUSTOMERS, member_with_data_bucket),
        (COUNT_CUSTOMERS, distribute_with_data_bucket),
    ],
    ids=["s3-in-a-read-tables-bucket", "s3-in-an-unread-tables-bucket", "member", "distribute"],
)
def test_spark_results_cannot_go_to_the_bucket_of_a_data_source(
    room: Room, sql: str, destination: Any
) -> None:
    buckets = [
        (ADVERTISER, data_bucket(room, ADVERTISER)),
        (ADVERTISER, RESULTS_BUCKET),
        (MEASURER, MEASURER_BUCKET),
    ]
    before = [keys(room, account, bucket) for account, bucket in buckets]

    failed = room.query(sql, resultConfiguration=destination(room))

    assert failed["status"] == "FAILED"
    assert failed["error"]["code"] == "INVALID_RESOURCE"
    assert failed["error"]["message"] == (
        f"The result bucket {data_bucket(room, ADVERTISER)} holds the data of table customers: "
        "with the Spark analytics engine, results cannot be written to the S3 bucket of a data "
        "source. Choose another bucket."
    )
    assert "result" not in failed
    # nothing was written, not even to the destinations that were allowed
    assert [keys(room, account, bucket) for account, bucket in buckets] == before
    # and the table reads the same rows as before
    assert room.mock.query_result(room.query(COUNT_CUSTOMERS)["id"]) == [{"n": 6}]


def test_a_bucket_of_the_same_account_without_data_receives_results(room: Room) -> None:
    room.s3(ADVERTISER).create_bucket(Bucket="advertiser-other")

    query = room.query(COUNT_CUSTOMERS, resultConfiguration=s3_output("advertiser-other"))

    assert query["status"] == "SUCCESS", query.get("error")
    assert query["result"]["output"]["s3"]["location"].startswith("s3://advertiser-other/")


@pytest.mark.parametrize(
    ("owner", "bucket", "via"),
    [
        (PUBLISHER, None, "s3"),  # None: the owner's data bucket
        (MEASURER, MEASURER_BUCKET, "s3"),
        (PUBLISHER, None, "member"),
    ],
    ids=["s3-another-members-data", "s3-another-members-results", "member-names-a-foreign-bucket"],
)
def test_a_bucket_another_account_owns_is_access_denied(
    room: Room, owner: str, bucket: str | None, via: str
) -> None:
    bucket = bucket or data_bucket(room, owner)
    receiver = ADVERTISER
    configuration = s3_output(bucket)
    if via == "member":  # the measurer's default result configuration names it
        receiver = MEASURER
        set_default_output(room, MEASURER, bucket)
        configuration = {"outputConfiguration": {"member": {"accountId": MEASURER}}}
    before = keys(room, owner, bucket)

    failed = room.query(COUNT_CUSTOMERS, resultConfiguration=configuration)

    assert failed["status"] == "FAILED"
    assert failed["error"] == {
        "code": "RESOURCE_ACCESS_DENIED",
        "message": f"Access denied to the result bucket {bucket}: it is not a bucket of "
        f"account {receiver}, which receives the results",
        "retry": {"retryable": False},
    }
    assert keys(room, owner, bucket) == before


@pytest.mark.parametrize("bucket", ["nobody-has-this-bucket", "advertiser-resultz"])
def test_a_bucket_no_account_has_is_not_found(room: Room, bucket: str) -> None:
    failed = room.query(COUNT_CUSTOMERS, resultConfiguration=s3_output(bucket))

    assert failed["status"] == "FAILED"
    assert failed["error"]["code"] == "RESOURCE_NOT_FOUND"
    assert failed["error"]["message"] == (
        f"The result bucket {bucket} does not exist in account {ADVERTISER}"
    )


def test_a_clean_rooms_sql_collaboration_may_write_beside_its_data(room: Room) -> None:
    # The rule is the Spark engine's; a legacy collaboration (brought back by a state
    # document: CreateCollaboration refuses CLEAN_ROOMS_SQL now) writes where it is told, and
    # its tables then read what lies under their location, as AWS reads them.
    from cleanrooms_mock.seeding import replace_state

    state = room.mock.dump()
    [collaboration] = state["regions"][room.mock.region]["collaborations"]
    collaboration["analyticsEngine"] = "CLEAN_ROOMS_SQL"
    replace_state(state)

    query = room.query(
        "SELECT tier, COUNT(*) AS n FROM customers GROUP BY tier ORDER BY tier",
        resultConfiguration=output_to_own_data(room),
    )
    again = room.query(COUNT_CUSTOMERS)

    assert query["status"] == "SUCCESS", query.get("error")
    assert query["result"]["output"]["s3"]["location"].startswith(
        f"s3://{data_bucket(room, ADVERTISER)}/{DEFAULT_DATABASE}/customers/collaboration="
    )
    # the result's two rows now lie under the table's location: the table reads them
    assert room.mock.query_result(again["id"]) == [{"n": 8}]
