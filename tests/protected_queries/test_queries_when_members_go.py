"""What becomes of unfinished protected queries when members go: the member who can query leaves
(DeleteMembership) or is removed (DeleteMember), the member who pays for queries goes, or the
collaboration is deleted.

Queries are kept unfinished with ``step_protected_queries`` (SUBMITTED at Start, STARTED after a
read, CANCELLING after a cancel), so each test has one of each when the member goes. AWS: "The
removed member ... can't interact with the collaboration" (DeleteMember), "If the member pays for
query compute costs, this action stops all query execution in the collaboration" (user guide,
remove-member; leave-collab: "no more queries are allowed to run"), "When you delete a
collaboration, you and all members can't run queries, receive results, or contribute data"
(delete-collaboration). Nothing documents a refusal to leave while queries run, and no operation
deletes a query: leaving is allowed, and the queries end CANCELLED.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pq_support import ADVERTISER, MEASURER, PUBLISHER, Room

from cleanrooms_mock import CleanRoomsMock

pytestmark = pytest.mark.cleanrooms(step_protected_queries=True)

UNFINISHED = ["SUBMITTED", "STARTED", "CANCELLING"]
#: A query of tables nobody brought: it stays unfinished until read, and fails if it runs.
SQL = "SELECT COUNT(*) AS n FROM customers"
OUTPUT = {"outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": "runner-results"}}}


class Collaboration:
    """The publisher's collaboration: the advertiser can query and receive results (and, unless
    another member is named, pays); the measurer joins too, paying for queries when asked to."""

    def __init__(
        self, mock: CleanRoomsMock, *, measurer_pays: bool = False, measurer_receives: bool = False
    ) -> None:
        self.clients = {a: mock.client(a) for a in (ADVERTISER, PUBLISHER, MEASURER)}
        pays = {"queryCompute": {"isResponsible": measurer_pays}}
        members: list[dict[str, Any]] = [
            {
                "accountId": ADVERTISER,
                "displayName": "Advertiser",
                "memberAbilities": ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
                "paymentConfiguration": {"queryCompute": {"isResponsible": not measurer_pays}},
            },
            {
                "accountId": MEASURER,
                "displayName": "Measurer",
                "memberAbilities": ["CAN_RECEIVE_RESULTS"] if measurer_receives else [],
                "paymentConfiguration": pays,
            },
        ]
        self.id = self.clients[PUBLISHER].create_collaboration(
            name="overlap",
            description="publisher x advertiser",
            creatorDisplayName="Publisher",
            creatorMemberAbilities=[],
            members=members,
            queryLogStatus="DISABLED",
        )["collaboration"]["id"]
        self.memberships: dict[str, str] = {}
        for account in (PUBLISHER, ADVERTISER, MEASURER):
            extra: dict[str, Any] = {}
            if account == MEASURER and measurer_pays:
                extra["paymentConfiguration"] = pays
            if account == MEASURER and measurer_receives:
                s3 = {"resultFormat": "CSV", "bucket": "measurer-results"}
                extra["defaultResultConfiguration"] = {"outputConfiguration": {"s3": s3}}
            self.memberships[account] = self.clients[account].create_membership(
                collaborationIdentifier=self.id, queryLogStatus="DISABLED", **extra
            )["membership"]["id"]
        #: Where the advertiser's queries deliver: its own bucket, or the measurer's default.
        self.output = (
            {"outputConfiguration": {"member": {"accountId": MEASURER}}}
            if measurer_receives
            else OUTPUT
        )

    def start(self) -> dict[str, Any]:
        """The advertiser starts a query: SUBMITTED."""
        query: dict[str, Any] = self.clients[ADVERTISER].start_protected_query(
            type="SQL",
            membershipIdentifier=self.memberships[ADVERTISER],
            sqlParameters={"queryString": SQL},
            resultConfiguration=self.output,
        )["protectedQuery"]
        return query

    def unfinished_queries(self) -> list[str]:
        """The advertiser's queries, one SUBMITTED, one STARTED and one CANCELLING (every read
        moves an unfinished query on, so each is read as little as that takes)."""
        submitted, started, cancelling = (self.start() for _ in UNFINISHED)
        assert self.get(started["id"])["status"] == "STARTED"
        cancel = self.clients[ADVERTISER].update_protected_query(
            membershipIdentifier=self.memberships[ADVERTISER],
            protectedQueryIdentifier=cancelling["id"],
            targetStatus="CANCELLED",
        )["protectedQuery"]
        assert cancel["status"] == "CANCELLING"
        assert submitted["status"] == "SUBMITTED"
        return [submitted["id"], started["id"], cancelling["id"]]

    def measurer_goes(self, how: str) -> None:
        """The measurer ``"leaves"`` (DeleteMembership) or ``"is removed"`` (the publisher's
        DeleteMember)."""
        if how == "leaves":
            self.clients[MEASURER].delete_membership(
                membershipIdentifier=self.memberships[MEASURER]
            )
        else:
            self.clients[PUBLISHER].delete_member(
                collaborationIdentifier=self.id, accountId=MEASURER
            )

    def get(self, query_id: str) -> dict[str, Any]:
        query: dict[str, Any] = self.clients[ADVERTISER].get_protected_query(
            membershipIdentifier=self.memberships[ADVERTISER], protectedQueryIdentifier=query_id
        )["protectedQuery"]
        return query

    def statuses(self) -> list[str]:
        """The advertiser's queries' statuses, oldest first, as ListProtectedQueries shows them
        (moving each unfinished one on, as a read does)."""
        listed = self.clients[ADVERTISER].list_protected_queries(
            membershipIdentifier=self.memberships[ADVERTISER]
        )["protectedQueries"]
        return [query["status"] for query in reversed(listed)]


@pytest.fixture
def collaboration(cleanrooms_mock: CleanRoomsMock) -> Collaboration:
    return Collaboration(cleanrooms_mock)


#: What the first listing shows when nobody went: each unfinished query moved on one status
#: (SUBMITTED -> STARTED; STARTED -> ran, FAILED: nobody brought "customers"; CANCELLING ->
#: CANCELLED).
MOVED_ON = ["STARTED", "FAILED", "CANCELLED"]


def test_while_nobody_goes_each_read_moves_the_queries_on(collaboration: Collaboration) -> None:
    collaboration.unfinished_queries()

    assert collaboration.statuses() == MOVED_ON


def test_the_member_who_queries_can_leave_and_its_queries_are_gone_with_it(
    collaboration: Collaboration,
) -> None:
    ids = collaboration.unfinished_queries()
    client, membership = collaboration.clients[ADVERTISER], collaboration.memberships[ADVERTISER]

    client.delete_membership(membershipIdentifier=membership)

    for query_id in ids:
        with pytest.raises(ClientError) as caught:
            collaboration.get(query_id)
        assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_protected_queries(membershipIdentifier=membership)
    [member] = [
        m
        for m in collaboration.clients[PUBLISHER].list_members(
            collaborationIdentifier=collaboration.id
        )["memberSummaries"]
        if m["accountId"] == ADVERTISER
    ]
    assert member["status"] == "LEFT"


def test_a_removed_member_sees_its_unfinished_queries_cancelled(
    collaboration: Collaboration,
) -> None:
    ids = collaboration.unfinished_queries()

    collaboration.clients[PUBLISHER].delete_member(
        collaborationIdentifier=collaboration.id, accountId=ADVERTISER
    )

    assert collaboration.statuses() == ["CANCELLED", "CANCELLED", "CANCELLED"]
    for query_id in ids:
        query = collaboration.get(query_id)
        assert query["status"] == "CANCELLED"
        assert "result" not in query
        assert "error" not in query
    with pytest.raises(ClientError) as caught:
        collaboration.clients[ADVERTISER].update_protected_query(
            membershipIdentifier=collaboration.memberships[ADVERTISER],
            protectedQueryIdentifier=ids[0],
            targetStatus="CANCELLED",
        )
    assert caught.value.response["Error"]["Code"] == "ConflictException"


def test_deleting_the_collaboration_cancels_every_unfinished_query(
    collaboration: Collaboration,
) -> None:
    ids = collaboration.unfinished_queries()

    collaboration.clients[PUBLISHER].delete_collaboration(collaborationIdentifier=collaboration.id)

    membership = collaboration.clients[ADVERTISER].get_membership(
        membershipIdentifier=collaboration.memberships[ADVERTISER]
    )["membership"]
    assert membership["status"] == "COLLABORATION_DELETED"
    assert collaboration.statuses() == ["CANCELLED", "CANCELLED", "CANCELLED"]
    assert {collaboration.get(query_id)["status"] for query_id in ids} == {"CANCELLED"}


def test_finished_queries_stay_as_they_ended(collaboration: Collaboration) -> None:
    ids = collaboration.unfinished_queries()
    for query_id in ids:  # each read moves one on
        collaboration.get(query_id)
    before = collaboration.statuses()  # and this one moves the first on again

    collaboration.clients[PUBLISHER].delete_member(
        collaborationIdentifier=collaboration.id, accountId=ADVERTISER
    )

    assert before == ["FAILED", "FAILED", "CANCELLED"]
    assert collaboration.statuses() == before
    assert collaboration.get(ids[0])["error"]["message"].startswith(
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view `customers` cannot be found."
    )


def test_another_members_leaving_or_removal_leaves_the_queries_running(
    collaboration: Collaboration,
) -> None:
    collaboration.unfinished_queries()

    collaboration.clients[MEASURER].delete_membership(
        membershipIdentifier=collaboration.memberships[MEASURER]
    )

    assert collaboration.statuses() == MOVED_ON


@pytest.mark.parametrize("how", ["leaves", "is removed"])
def test_when_the_paying_member_goes_the_queries_it_pays_for_stop(
    cleanrooms_mock: CleanRoomsMock, how: str
) -> None:
    paid = Collaboration(cleanrooms_mock, measurer_pays=True)
    paid.unfinished_queries()

    paid.measurer_goes(how)

    assert paid.statuses() == ["CANCELLED", "CANCELLED", "CANCELLED"]


@pytest.mark.parametrize("how", ["leaves", "is removed"])
def test_when_a_receiving_member_goes_the_queries_it_would_receive_stop(
    cleanrooms_mock: CleanRoomsMock, how: str
) -> None:
    received = Collaboration(cleanrooms_mock, measurer_receives=True)
    received.unfinished_queries()
    member = received.start()["resultConfiguration"]["outputConfiguration"]["member"]
    assert member == {"accountId": MEASURER}

    received.measurer_goes(how)

    # a member that is gone "can't ... receive results": the queries for it never run
    assert received.statuses() == ["CANCELLED"] * 4


@pytest.mark.parametrize("how", ["leaves", "is removed"])
def test_once_the_paying_member_goes_no_query_can_start(
    cleanrooms_mock: CleanRoomsMock, how: str
) -> None:
    paid = Collaboration(cleanrooms_mock, measurer_pays=True)
    client = paid.clients[ADVERTISER]
    assert paid.start()["queryComputePayerAccountId"] == MEASURER

    paid.measurer_goes(how)

    # "this action stops all query execution in the collaboration": nobody pays any more, not
    # even the member who can query, whether or not it names a payer
    for payer in ({}, {"queryComputePayerAccountId": ADVERTISER}):
        with pytest.raises(client.exceptions.AccessDeniedException) as refused:
            client.start_protected_query(
                type="SQL",
                membershipIdentifier=paid.memberships[ADVERTISER],
                sqlParameters={"queryString": SQL},
                resultConfiguration=OUTPUT,
                **payer,
            )
        assert MEASURER in refused.value.response["Error"]["Message"]
    assert paid.statuses() == ["CANCELLED"]  # the one it paid for, and nothing new


def test_a_query_of_a_removed_members_table_fails_when_it_runs(room: Room) -> None:
    query_id = room.start("SELECT campaign, COUNT(*) AS n FROM impressions GROUP BY campaign")
    assert room.get(query_id)["status"] == "STARTED"

    room[ADVERTISER].delete_member(collaborationIdentifier=room.id, accountId=PUBLISHER)

    query = room.get(query_id)  # the runner stays: its query runs, without the table
    assert query["status"] == "FAILED"
    assert query["error"]["message"].startswith(
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view `impressions` cannot be found."
    )
