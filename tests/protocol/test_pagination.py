"""Paging through list operations with maxResults and nextToken, by hand and with paginators."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from botocore import xform_name
from botocore.config import Config
from helpers import CREATOR, MEMBER_A, MEMBER_B, STRANGER, client, create_collaboration, error_of

from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.integration.service import implemented_operations
from cleanrooms_mock.protocol.model import service_model

#: The operations the mock implements.
HANDLERS = implemented_operations()

pytestmark = pytest.mark.usefixtures("mock")

COUNT = 7
PAGE_SIZES = [1, 2, 3, COUNT, 100]
INVITE_A = [{"accountId": MEMBER_A, "displayName": "Advertiser", "memberAbilities": []}]
#: Five invited accounts, the most a collaboration may have: six members with its creator.
INVITED = [MEMBER_A, MEMBER_B, STRANGER, "555555555555", "666666666666"]


def walk(
    list_call: Callable[..., Any], key: str, token: str | None = None, **params: Any
) -> list[list[Any]]:
    """Every page of a list operation from ``token`` on, until the service omits nextToken."""
    pages = []
    while True:
        response = list_call(**params, **({"nextToken": token} if token else {}))
        pages.append(response[key])
        token = response.get("nextToken")
        if token is None:
            return pages


def ids(items: list[dict[str, Any]], key: str = "id") -> list[str]:
    return [item[key] for item in items]


def flat(pages: list[list[Any]]) -> list[Any]:
    return [item for page in pages for item in page]


def collaborations_joined_by_a(creator: Any, member: Any, count: int) -> list[dict[str, Any]]:
    """``count`` collaborations of CREATOR inviting MEMBER_A, joined by A; A's memberships."""
    memberships = []
    for index in range(count):
        collaboration = create_collaboration(creator, name=f"c{index}", members=INVITE_A)
        memberships.append(
            member.create_membership(
                collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
            )["membership"]
        )
    return memberships


@pytest.fixture
def creator(mock: None) -> Any:
    return client(CREATOR)


@pytest.fixture
def member(mock: None) -> Any:
    return client(MEMBER_A)


@pytest.fixture
def memberships(creator: Any, member: Any) -> list[dict[str, Any]]:
    """MEMBER_A's memberships of COUNT collaborations of CREATOR, oldest first."""
    return collaborations_joined_by_a(creator, member, COUNT)


@pytest.fixture
def crowded(creator: Any) -> dict[str, Any]:
    """A collaboration of CREATOR with as many members as allowed."""
    return create_collaboration(
        creator,
        members=[
            {"accountId": account, "displayName": f"Member {index}", "memberAbilities": []}
            for index, account in enumerate(INVITED)
        ],
    )


def assert_pages(pages: list[list[Any]], page_size: int, total: int) -> None:
    """No page over the size, and no empty trailing page: a token only when more items exist."""
    assert all(len(page) <= page_size for page in pages)
    assert len(pages) == max(1, math.ceil(total / page_size))


# ---- maxResults and nextToken ----------------------------------------------------------------


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_list_memberships_pages_return_each_membership_once_in_order(
    member: Any, memberships: list[dict[str, Any]], page_size: int
) -> None:
    pages = walk(member.list_memberships, "membershipSummaries", maxResults=page_size)

    assert_pages(pages, page_size, COUNT)
    assert ids(flat(pages)) == ids(memberships)


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_list_collaborations_pages_return_each_collaboration_once_in_order(
    member: Any, memberships: list[dict[str, Any]], page_size: int
) -> None:
    pages = walk(member.list_collaborations, "collaborationList", maxResults=page_size)

    assert_pages(pages, page_size, COUNT)
    assert ids(flat(pages)) == ids(memberships, "collaborationId")


@pytest.mark.parametrize("page_size", [1, 2, 4, 6, 100])
def test_list_members_pages_return_each_member_once_in_order(
    crowded: dict[str, Any], page_size: int
) -> None:
    pages = walk(
        client(MEMBER_B).list_members,
        "memberSummaries",
        collaborationIdentifier=crowded["id"],
        maxResults=page_size,
    )

    assert_pages(pages, page_size, 1 + len(INVITED))
    assert ids(flat(pages), "accountId") == [CREATOR, *INVITED]


def test_default_page_size_is_50() -> None:
    creator, member = client(CREATOR), client(MEMBER_A)
    with mock_cleanrooms(quotas={"collaborations_per_account": 60}):  # nested: state is kept
        memberships = collaborations_joined_by_a(creator, member, 60)

    first = member.list_memberships()
    assert ids(first["membershipSummaries"]) == ids(memberships[:50])
    second = member.list_memberships(nextToken=first["nextToken"])
    assert ids(second["membershipSummaries"]) == ids(memberships[50:])
    assert "nextToken" not in second

    collaboration_ids = ids(memberships, "collaborationId")
    first = member.list_collaborations()
    assert ids(first["collaborationList"]) == collaboration_ids[:50]
    second = member.list_collaborations(nextToken=first["nextToken"])
    assert ids(second["collaborationList"]) == collaboration_ids[50:]
    assert "nextToken" not in second


def test_nothing_to_list_is_one_empty_page(creator: Any) -> None:
    response = creator.list_memberships(maxResults=1)
    assert response["membershipSummaries"] == []
    assert "nextToken" not in response


# ---- botocore paginators ---------------------------------------------------------------------


def test_paginators_walk_every_item_once(
    creator: Any, member: Any, memberships: list[dict[str, Any]], crowded: dict[str, Any]
) -> None:
    pages = list(
        member.get_paginator("list_memberships").paginate(PaginationConfig={"PageSize": 2})
    )
    assert [len(page["membershipSummaries"]) for page in pages] == [2, 2, 2, 1]
    assert ids(flat([page["membershipSummaries"] for page in pages])) == ids(memberships)

    collaborations = (
        member.get_paginator("list_collaborations")
        .paginate(PaginationConfig={"PageSize": 2})
        .build_full_result()["collaborationList"]
    )
    assert ids(collaborations) == [*ids(memberships, "collaborationId"), crowded["id"]]

    members = (
        creator.get_paginator("list_members")
        .paginate(collaborationIdentifier=crowded["id"], PaginationConfig={"PageSize": 2})
        .build_full_result()["memberSummaries"]
    )
    assert ids(members, "accountId") == [CREATOR, *INVITED]


def test_paginator_stops_at_max_items_and_resumes_from_its_token(
    member: Any, memberships: list[dict[str, Any]]
) -> None:
    paginator = member.get_paginator("list_memberships")

    first = paginator.paginate(PaginationConfig={"MaxItems": 3, "PageSize": 2})
    first_part = first.build_full_result()
    rest = paginator.paginate(
        PaginationConfig={"PageSize": 2, "StartingToken": first_part["NextToken"]}
    ).build_full_result()

    assert ids(first_part["membershipSummaries"]) == ids(memberships[:3])
    assert ids(rest["membershipSummaries"]) == ids(memberships[3:])
    assert "NextToken" not in rest


def paginated_operations() -> list[str]:
    """The operations the mock implements that take a nextToken."""
    model = service_model()
    return sorted(
        name for name in HANDLERS if "nextToken" in model.operation_model(name).input_shape.members
    )


def test_every_paginated_operation_of_the_mock_has_a_botocore_paginator(creator: Any) -> None:
    names = paginated_operations()

    assert {"ListCollaborations", "ListMembers", "ListMemberships"} <= set(names)
    assert [name for name in names if not creator.can_paginate(xform_name(name))] == []


# ---- bad maxResults and nextToken --------------------------------------------------------------

LIST_CALLS: dict[str, Callable[[Any, dict[str, Any], dict[str, Any]], Any]] = {
    "list_memberships": lambda c, _, params: c.list_memberships(**params),
    "list_collaborations": lambda c, _, params: c.list_collaborations(**params),
    "list_members": lambda c, collaboration, params: c.list_members(
        collaborationIdentifier=collaboration["id"], **params
    ),
}


@pytest.mark.parametrize("operation", sorted(LIST_CALLS))
@pytest.mark.parametrize("max_results", [0, 101])
def test_max_results_outside_1_to_100_is_refused(operation: str, max_results: int) -> None:
    # botocore refuses 0 itself; turn its checks off to see what the service says.
    unchecked = client(CREATOR, config=Config(parameter_validation=False))
    collaboration = create_collaboration(unchecked)

    error = error_of(
        lambda: LIST_CALLS[operation](unchecked, collaboration, {"maxResults": max_results})
    )

    assert error["Error"]["Code"] == "ValidationException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert [field["name"] for field in error["fieldList"]] == ["maxResults"]


def forged_tokens(token: str) -> dict[str, str]:
    """Tokens no call returned: made up, or a real one with one character changed."""
    return {
        "made up": "garbage",
        "last character changed": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "first character changed": ("A" if token[0] != "A" else "B") + token[1:],
    }


@pytest.mark.parametrize(
    "forgery", ["made up", "last character changed", "first character changed"]
)
def test_forged_next_token_is_refused(
    member: Any, memberships: list[dict[str, Any]], crowded: dict[str, Any], forgery: str
) -> None:
    for operation, call in LIST_CALLS.items():
        token = call(member, crowded, {"maxResults": 1})["nextToken"]
        forged = forged_tokens(token)[forgery]

        error = error_of(
            lambda call=call, forged=forged: call(
                member, crowded, {"maxResults": 1, "nextToken": forged}
            )
        )

        assert error["Error"]["Code"] == "ValidationException", operation
        assert [field["name"] for field in error["fieldList"]] == ["nextToken"], operation


def test_next_token_of_another_operation_is_refused(
    member: Any, memberships: list[dict[str, Any]], crowded: dict[str, Any]
) -> None:
    tokens = {
        operation: call(member, crowded, {"maxResults": 1})["nextToken"]
        for operation, call in LIST_CALLS.items()
    }
    for issuer, token in tokens.items():
        for operation, call in LIST_CALLS.items():
            if operation == issuer:
                continue
            error = error_of(
                lambda call=call, token=token: call(
                    member, crowded, {"maxResults": 1, "nextToken": token}
                )
            )
            assert error["Error"]["Code"] == "ValidationException", (issuer, operation)
            assert [f["name"] for f in error["fieldList"]] == ["nextToken"], (issuer, operation)


def test_next_token_is_bound_to_its_collaboration_account_and_filter(creator: Any) -> None:
    first = create_collaboration(creator)["id"]
    second = create_collaboration(creator, name="second")["id"]
    token = creator.list_members(collaborationIdentifier=first, maxResults=1)["nextToken"]
    elsewhere = error_of(
        lambda: creator.list_members(collaborationIdentifier=second, nextToken=token)
    )
    assert elsewhere["fieldList"] == [
        {"name": "nextToken", "message": "Member must be a valid pagination token."}
    ]
    listed = creator.list_collaborations(maxResults=1)["nextToken"]
    other_filter = error_of(
        lambda: creator.list_collaborations(memberStatus="INVITED", nextToken=listed)
    )
    assert other_filter["Error"]["Code"] == "ValidationException"
    other_account = error_of(lambda: client(MEMBER_A).list_collaborations(nextToken=listed))
    assert other_account["Error"]["Code"] == "ValidationException"


# ---- changes between pages ---------------------------------------------------------------------


def test_memberships_deleted_between_pages_are_skipped_and_nothing_repeats(
    creator: Any, member: Any, memberships: list[dict[str, Any]]
) -> None:
    first = member.list_memberships(maxResults=3)
    assert ids(first["membershipSummaries"]) == ids(memberships[:3])

    # A leaves one collaboration already listed and the one that would open the next page.
    for gone in (memberships[1], memberships[3]):
        member.delete_membership(membershipIdentifier=gone["id"])
    # And joins a new one, which comes last.
    newest = collaborations_joined_by_a(creator, member, 1)[0]

    rest = walk(
        member.list_memberships,
        "membershipSummaries",
        maxResults=3,
        token=first["nextToken"],
    )

    assert ids(flat(rest)) == ids([*memberships[4:], newest])


def test_collaborations_deleted_between_pages_are_skipped(
    creator: Any, member: Any, memberships: list[dict[str, Any]]
) -> None:
    first = member.list_collaborations(maxResults=2)
    collaboration_ids = ids(memberships, "collaborationId")
    assert ids(first["collaborationList"]) == collaboration_ids[:2]

    for deleted in (collaboration_ids[0], collaboration_ids[2], collaboration_ids[3]):
        creator.delete_collaboration(collaborationIdentifier=deleted)

    rest = walk(
        member.list_collaborations, "collaborationList", maxResults=2, token=first["nextToken"]
    )

    assert ids(flat(rest)) == collaboration_ids[4:]
    assert_pages(rest, 2, len(collaboration_ids[4:]))


# ---- filters ---------------------------------------------------------------------------------


def test_status_filter_pages_through_matching_memberships_only(
    creator: Any, member: Any, memberships: list[dict[str, Any]]
) -> None:
    removed = [memberships[i] for i in (1, 3, 4, 6)]
    for membership in removed:
        creator.delete_member(
            collaborationIdentifier=membership["collaborationId"], accountId=MEMBER_A
        )

    pages = walk(member.list_memberships, "membershipSummaries", status="REMOVED", maxResults=2)

    assert_pages(pages, 2, len(removed))
    assert ids(flat(pages)) == ids(removed)
    assert {summary["status"] for summary in flat(pages)} == {"REMOVED"}
    active = walk(member.list_memberships, "membershipSummaries", status="ACTIVE", maxResults=2)
    assert ids(flat(active)) == ids([memberships[i] for i in (0, 2, 5)])


def test_member_status_filter_pages_through_matching_collaborations_only(
    creator: Any, member: Any, memberships: list[dict[str, Any]]
) -> None:
    invited = [create_collaboration(creator, name=f"new-{i}", members=INVITE_A) for i in range(3)]

    pages = walk(
        member.list_collaborations, "collaborationList", memberStatus="INVITED", maxResults=2
    )

    assert_pages(pages, 2, len(invited))
    assert ids(flat(pages)) == ids(invited)
    active = walk(
        member.list_collaborations, "collaborationList", memberStatus="ACTIVE", maxResults=2
    )
    assert ids(flat(active)) == ids(memberships, "collaborationId")
