"""The lifecycle users poll: SUBMITTED at Start, then (with ``step_protected_queries``) one status
per read; cancelling; listing newest first with a status filter; the running-queries quota."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from pq_support import ADVERTISER, Room

SQL = "SELECT tier, COUNT(*) AS n FROM customers GROUP BY tier"


def statuses(room: Room, query_id: str, reads: int) -> list[str]:
    return [room.get(query_id)["status"] for _ in range(reads)]


def test_by_default_the_first_read_finds_the_query_finished(room: Room) -> None:
    query_id = room.start(SQL)

    assert statuses(room, query_id, 2) == ["SUCCESS", "SUCCESS"]


@pytest.mark.cleanrooms(step_protected_queries=True)
def test_stepping_moves_one_status_per_read(room: Room) -> None:
    query_id = room.start(SQL)

    assert statuses(room, query_id, 3) == ["STARTED", "SUCCESS", "SUCCESS"]
    rows = room.mock.query_result(query_id)
    assert sorted(rows, key=lambda row: row["tier"]) == [
        {"tier": "gold", "n": 3},
        {"tier": "silver", "n": 3},
    ]


@pytest.mark.cleanrooms(step_protected_queries=True)
def test_stepping_cancel_goes_through_cancelling(room: Room) -> None:
    query_id = room.start(SQL)
    client, membership = room[ADVERTISER], room.memberships[ADVERTISER]

    cancelled = client.update_protected_query(
        membershipIdentifier=membership, protectedQueryIdentifier=query_id, targetStatus="CANCELLED"
    )["protectedQuery"]

    assert cancelled["status"] == "CANCELLING"
    assert statuses(room, query_id, 2) == ["CANCELLED", "CANCELLED"]
    assert "result" not in room.get(query_id)
    with pytest.raises(ValueError, match="CANCELLED"):
        room.mock.query_result(query_id)


@pytest.mark.cleanrooms(step_protected_queries=True)
def test_a_query_not_finished_has_no_result_yet(room: Room) -> None:
    query_id = room.start(SQL)

    with pytest.raises(ValueError, match="SUBMITTED"):
        room.mock.query_result(query_id)


def test_cancelling_a_finished_query_is_a_conflict(room: Room) -> None:
    query_id = room.start(SQL)
    assert room.get(query_id)["status"] == "SUCCESS"

    with pytest.raises(ClientError) as raised:
        room[ADVERTISER].update_protected_query(
            membershipIdentifier=room.memberships[ADVERTISER],
            protectedQueryIdentifier=query_id,
            targetStatus="CANCELLED",
        )

    assert raised.value.response["Error"]["Code"] == "ConflictException"
    assert raised.value.response["reason"] == "INVALID_STATE"
    assert room.get(query_id)["status"] == "SUCCESS"


def test_cancelling_before_the_first_read_cancels(room: Room) -> None:
    query_id = room.start(SQL)

    cancelled = room[ADVERTISER].update_protected_query(
        membershipIdentifier=room.memberships[ADVERTISER],
        protectedQueryIdentifier=query_id,
        targetStatus="CANCELLED",
    )["protectedQuery"]

    assert cancelled["status"] == "CANCELLED"
    assert room.get(query_id)["status"] == "CANCELLED"


def test_list_is_newest_first_and_filters_by_status(room: Room) -> None:
    good = room.start(SQL)
    bad = room.start("SELECT nothing FROM customers")
    client, membership = room[ADVERTISER], room.memberships[ADVERTISER]

    listed = client.list_protected_queries(membershipIdentifier=membership)["protectedQueries"]
    failed = client.list_protected_queries(membershipIdentifier=membership, status="FAILED")
    paged = client.get_paginator("list_protected_queries").paginate(
        membershipIdentifier=membership, PaginationConfig={"PageSize": 1}
    )

    assert [(q["id"], q["status"]) for q in listed] == [(bad, "FAILED"), (good, "SUCCESS")]
    assert [q["id"] for q in failed["protectedQueries"]] == [bad]
    assert [q["id"] for page in paged for q in page["protectedQueries"]] == [bad, good]


@pytest.mark.cleanrooms(step_protected_queries=True, quotas={"queries_per_membership": 2})
def test_running_queries_are_limited_per_membership(room: Room) -> None:
    first = room.start(SQL)
    room.start(SQL)

    with pytest.raises(ClientError) as raised:
        room.start(SQL)
    assert raised.value.response["Error"]["Code"] == "ServiceQuotaExceededException"
    assert raised.value.response["quotaName"] == "Concurrent ongoing queries per membership"

    assert statuses(room, first, 2)[-1] == "SUCCESS"
    room.start(SQL)  # one finished: room for another


def test_unknown_query_is_not_found(room: Room) -> None:
    with pytest.raises(ClientError) as raised:
        room.get("00000000-0000-4000-8000-000000000000")

    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
