"""The Resource Groups Tagging API sees Clean Rooms, as AWS's does (and as Cloud Custodian uses it).

Inside moto's ``mock_aws`` (and in server mode, where moto answers every service but Clean Rooms)
collaborations and memberships are listed, filtered, paged, tagged and untagged through the
``resourcegroupstaggingapi`` client, with the tags Clean Rooms' own ListTagsForResource shows.
An account sees and changes only what Clean Rooms lets it tag: the collaborations it created and
its own memberships.
"""

from __future__ import annotations

import importlib.util
import inspect
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from helpers import (
    CREATOR,
    MEMBER_A,
    MEMBER_B,
    REGION,
    client,
    collaboration_params,
    create_collaboration,
    join,
    tags_of,
)
from moto import mock_aws

from cleanrooms_mock import CleanRoomsMock

OTHER_REGION = "us-west-2"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(autouse=True)
def aws(request: pytest.FixtureRequest) -> Iterator[None]:
    """moto's mock_aws around each test: the Tagging API is one of moto's services.

    Not around a test of a server (``server`` fixture): inside mock_aws no request leaves the
    process, so the server would never be asked.
    """
    if "server" in request.fixturenames:
        yield
        return
    with mock_aws():
        yield


@pytest.fixture
def server() -> Iterator[Any]:
    """A fresh ``cleanrooms-mock serve`` process: moto's tagging backend not yet loaded there."""
    from tests.test_server import Server

    running = Server()
    try:
        yield running
    finally:
        running.stop()


def tagging(account: str = CREATOR, region: str = REGION) -> Any:
    return client(account, region, service="resourcegroupstaggingapi")


def listed(account_tagging: Any, **filters: Any) -> dict[str, dict[str, str]]:
    """Every page of GetResources: ARN -> tags."""
    found: dict[str, dict[str, str]] = {}
    for page in account_tagging.get_paginator("get_resources").paginate(**filters):
        for mapping in page["ResourceTagMappingList"]:
            assert mapping["ResourceARN"] not in found, "listed twice"
            found[mapping["ResourceARN"]] = {tag["Key"]: tag["Value"] for tag in mapping["Tags"]}
    return found


def run_python(code: str) -> str:
    """What ``code`` prints, run in a fresh Python process."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout


def failures(response: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """FailedResourcesMap as ARN -> (StatusCode, ErrorCode); every failure says why."""
    failed = response["FailedResourcesMap"]
    assert all(info["ErrorMessage"] for info in failed.values())
    return {arn: (info["StatusCode"], info["ErrorCode"]) for arn, info in failed.items()}


# ---- listing what Clean Rooms tagged ---------------------------------------------------------


def test_resources_tagged_in_clean_rooms_are_listed_with_their_tags() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"ASV": "PolicyTestASV"})
    membership = join(creator, collaboration, tags={"team": "ads", "env": "test"})
    create_collaboration(creator, name="never tagged")  # AWS lists only what has had tags

    assert listed(tagging(CREATOR)) == {
        collaboration["arn"]: tags_of(creator, collaboration["arn"]),
        membership["arn"]: tags_of(creator, membership["arn"]),
    }
    assert tags_of(creator, membership["arn"]) == {"team": "ads", "env": "test"}


def test_tags_set_through_the_tagging_api_are_clean_rooms_tags() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator)
    membership = join(creator, collaboration, tags={"team": "ads"})
    arns = [collaboration["arn"], membership["arn"]]

    response = tagging(CREATOR).tag_resources(ResourceARNList=arns, Tags={"Env": "Test"})

    assert failures(response) == {}
    assert tags_of(creator, collaboration["arn"]) == {"Env": "Test"}
    assert tags_of(creator, membership["arn"]) == {"team": "ads", "Env": "Test"}
    assert listed(tagging(CREATOR)) == {
        collaboration["arn"]: {"Env": "Test"},
        membership["arn"]: {"team": "ads", "Env": "Test"},
    }


def test_untagged_resources_stay_listed_with_no_tags() -> None:
    # GetResources lists "all the tagged or previously tagged resources", with "Tags": [].
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"ASV": "x", "Env": "Test"})
    membership = join(creator, collaboration, tags={"team": "ads"})

    response = tagging(CREATOR).untag_resources(
        ResourceARNList=[collaboration["arn"]], TagKeys=["Env", "never-there"]
    )
    assert failures(response) == {}
    assert tags_of(creator, collaboration["arn"]) == {"ASV": "x"}

    tagging(CREATOR).untag_resources(ResourceARNList=[collaboration["arn"]], TagKeys=["ASV"])
    creator.untag_resource(resourceArn=membership["arn"], tagKeys=["team"])  # Clean Rooms' own

    assert tags_of(creator, collaboration["arn"]) == {}
    assert listed(tagging(CREATOR)) == {collaboration["arn"]: {}, membership["arn"]: {}}


def test_each_account_sees_only_what_clean_rooms_lets_it_tag() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"on": "collaboration"})
    own = join(creator, collaboration, tags={"on": "creator membership"})
    theirs = join(client(MEMBER_A), collaboration, tags={"on": "member membership"})

    assert listed(tagging(CREATOR)) == {
        collaboration["arn"]: {"on": "collaboration"},
        own["arn"]: {"on": "creator membership"},
    }
    assert listed(tagging(MEMBER_A)) == {theirs["arn"]: {"on": "member membership"}}
    assert listed(tagging(MEMBER_B)) == {}  # invited, not joined: nothing of its own
    assert listed(tagging(CREATOR, OTHER_REGION)) == {}


def test_a_deleted_collaboration_is_no_longer_listed() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"Env": "Test"})
    kept = create_collaboration(creator, name="kept", tags={"Env": "Test"})
    membership = join(client(MEMBER_A), collaboration, tags={"team": "ads"})

    creator.delete_collaboration(collaborationIdentifier=collaboration["id"])

    assert listed(tagging(CREATOR)) == {kept["arn"]: {"Env": "Test"}}
    response = tagging(CREATOR).tag_resources(
        ResourceARNList=[collaboration["arn"]], Tags={"x": "y"}
    )
    assert failures(response) == {collaboration["arn"]: (404, "ResourceNotFoundException")}
    # The member's membership lives on (COLLABORATION_DELETED), still its own to tag.
    assert listed(tagging(MEMBER_A)) == {membership["arn"]: {"team": "ads"}}


def test_tag_keys_and_values_include_clean_rooms_tags() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"Env": "Test", "ASV": "a"})
    join(creator, collaboration, tags={"Env": "Prod"})
    join(client(MEMBER_A), collaboration, tags={"Env": "Member", "secret": "b"})

    keys = tagging(CREATOR).get_tag_keys()["TagKeys"]
    values = tagging(CREATOR).get_tag_values(Key="Env")["TagValues"]

    assert sorted(keys) == ["ASV", "Env"]
    assert sorted(values) == ["Prod", "Test"]
    assert tagging(MEMBER_A).get_tag_values(Key="Env")["TagValues"] == ["Member"]


# ---- filters and pages ------------------------------------------------------------------------


ALL = ["collaboration", "membership", "other"]


@pytest.fixture
def tagged() -> dict[str, str]:
    """A collaboration and a membership of CREATOR, tagged; name -> ARN."""
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"Env": "Test", "team": "ads"})
    membership = join(creator, collaboration, tags={"Env": "Prod"})
    other = create_collaboration(creator, name="other", tags={"team": "measurement"})
    return {
        "collaboration": collaboration["arn"],
        "membership": membership["arn"],
        "other": other["arn"],
    }


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (["cleanrooms"], ALL),
        (["cleanrooms:collaboration"], ["collaboration", "other"]),
        (["cleanrooms:membership"], ["membership"]),
        (
            ["cleanrooms:membership", "cleanrooms:collaboration"],
            ["collaboration", "membership", "other"],
        ),
        (["cleanrooms:configuredtable"], []),
        (["rds", "logs:log-group"], []),
        (["cleanroom"], []),
    ],
)
def test_resource_type_filters(
    tagged: dict[str, str], types: list[str], expected: list[str]
) -> None:
    found = listed(tagging(CREATOR), ResourceTypeFilters=types)

    assert sorted(found) == sorted(tagged[name] for name in expected)


@pytest.mark.parametrize(
    ("tag_filters", "expected"),
    [
        ([{"Key": "Env"}], ["collaboration", "membership"]),
        ([{"Key": "Env", "Values": []}], ["collaboration", "membership"]),
        ([{"Key": "Env", "Values": ["Test"]}], ["collaboration"]),
        ([{"Key": "Env", "Values": ["Test", "Prod"]}], ["collaboration", "membership"]),
        ([{"Key": "Env"}, {"Key": "team"}], ["collaboration"]),
        ([{"Key": "Env", "Values": ["Prod"]}, {"Key": "team"}], []),
        ([{"Key": "team", "Values": ["measurement"]}], ["other"]),
        ([{"Key": "env"}], []),  # keys are case-sensitive
        ([{"Key": "Env", "Values": ["test"]}], []),
    ],
)
def test_tag_filters(
    tagged: dict[str, str], tag_filters: list[dict[str, Any]], expected: list[str]
) -> None:
    found = listed(tagging(CREATOR), TagFilters=tag_filters)

    assert sorted(found) == sorted(tagged[name] for name in expected)


def _moto_filters_by_arn() -> bool:
    from moto.resourcegroupstaggingapi.models import ResourceGroupsTaggingAPIBackend

    return (
        "resource_arn_list"
        in inspect.signature(ResourceGroupsTaggingAPIBackend.get_resources).parameters
    )


@pytest.mark.skipif(not _moto_filters_by_arn(), reason="this moto ignores ResourceARNList")
def test_resource_arn_list(tagged: dict[str, str]) -> None:
    wanted = [tagged["membership"], tagged["other"], tagged["other"].replace("-", "0")]

    assert sorted(listed(tagging(CREATOR), ResourceARNList=wanted)) == sorted(wanted[:2])


def test_pages_of_resources_per_page_list_each_resource_once() -> None:
    creator = client(CREATOR)
    arns = []
    for number in range(5):
        collaboration = create_collaboration(creator, name=f"c{number}", tags={"n": str(number)})
        arns.append(collaboration["arn"])
    arns.append(join(creator, collaboration, tags={"n": "membership"})["arn"])

    pages = list(
        tagging(CREATOR)
        .get_paginator("get_resources")
        .paginate(ResourcesPerPage=4, ResourceTypeFilters=["cleanrooms"])
    )

    assert [len(page["ResourceTagMappingList"]) for page in pages] == [4, 2]
    assert pages[0]["PaginationToken"]
    assert [m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]] == arns


# ---- what an account may not tag --------------------------------------------------------------


def _not_allowed(collaboration: dict[str, Any], membership: dict[str, Any]) -> dict[str, Any]:
    """ARNs MEMBER_A may not tag, and what Clean Rooms' TagResource answers it for each."""
    collaboration_arn = collaboration["arn"]
    return {
        collaboration_arn: (404, "ResourceNotFoundException"),  # the creator's, not the member's
        membership["arn"]: (404, "ResourceNotFoundException"),  # the creator's membership
        collaboration_arn.replace(collaboration["id"], UNKNOWN_ID): (
            404,
            "ResourceNotFoundException",
        ),
        collaboration_arn.replace(f"{REGION}:{CREATOR}", f"{REGION}:{MEMBER_A}"): (
            404,
            "ResourceNotFoundException",
        ),
        f"arn:aws:cleanrooms:{REGION}:{MEMBER_A}:configuredtable/{UNKNOWN_ID}": (
            404,
            "ResourceNotFoundException",
        ),
        f"arn:aws:cleanrooms:{REGION}:{MEMBER_A}:notaresource/{UNKNOWN_ID}": (
            400,
            "ValidationException",
        ),
        f"arn:aws:cleanrooms:{REGION}:{MEMBER_A}:{'x' * 120}": (400, "ValidationException"),
    }


def test_an_account_cannot_tag_or_untag_what_it_does_not_own() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"Env": "Test"})
    creator_membership = join(creator, collaboration, tags={"Env": "Test"})
    member_membership = join(client(MEMBER_A), collaboration)
    refused = _not_allowed(collaboration, creator_membership)
    as_member = tagging(MEMBER_A)

    tagged = as_member.tag_resources(
        ResourceARNList=[*refused, member_membership["arn"]], Tags={"Env": "Hijacked"}
    )
    untagged = as_member.untag_resources(ResourceARNList=list(refused), TagKeys=["Env"])

    assert failures(tagged) == refused
    assert failures(untagged) == refused
    assert tags_of(creator, collaboration["arn"]) == {"Env": "Test"}
    assert tags_of(creator, creator_membership["arn"]) == {"Env": "Test"}
    # The one ARN it owns was tagged all the same.
    assert tags_of(client(MEMBER_A), member_membership["arn"]) == {"Env": "Hijacked"}


@pytest.mark.parametrize(
    "tags",
    [{"aws:team": "ads"}, {"AWS:createdBy": "me", "fine": "x"}, {"Aws:x": ""}],
)
def test_reserved_keys_are_refused_per_resource(tags: dict[str, str]) -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"Env": "Test"})
    membership = join(creator, collaboration, tags={"Env": "Test"})
    arns = [collaboration["arn"], membership["arn"]]

    response = tagging(CREATOR).tag_resources(ResourceARNList=arns, Tags=tags)

    assert failures(response) == dict.fromkeys(arns, (400, "ValidationException"))
    assert "reserved" in response["FailedResourcesMap"][arns[0]]["ErrorMessage"]
    assert all(tags_of(creator, arn) == {"Env": "Test"} for arn in arns)


@pytest.mark.parametrize("added", [11, 50])
def test_more_than_200_tags_on_a_resource_are_refused(added: int) -> None:
    creator = client(CREATOR)
    present = {f"key{n}": "x" for n in range(190)}
    full = create_collaboration(creator, tags=present)
    roomy = create_collaboration(creator, name="roomy", tags={"Env": "Test"})
    more = {f"more{n}": "y" for n in range(added)}

    response = tagging(CREATOR).tag_resources(
        ResourceARNList=[full["arn"], roomy["arn"]], Tags=more
    )

    assert failures(response) == {full["arn"]: (400, "ValidationException")}
    assert tags_of(creator, full["arn"]) == present
    assert tags_of(creator, roomy["arn"]) == {"Env": "Test", **more}


def test_a_fault_injected_into_tag_resource_fails_the_tagging_api_too() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"Env": "Test"})
    CleanRoomsMock().inject(
        "ValidationException", "tag_resource", times=1, message="Injected: tags refused."
    )
    api = tagging(CREATOR)

    first = api.tag_resources(ResourceARNList=[collaboration["arn"]], Tags={"a": "b"})
    second = api.tag_resources(ResourceARNList=[collaboration["arn"]], Tags={"a": "b"})

    assert first["FailedResourcesMap"] == {
        collaboration["arn"]: {
            "StatusCode": 400,
            "ErrorCode": "ValidationException",
            "ErrorMessage": "Injected: tags refused.",
        }
    }
    assert failures(second) == {}
    assert tags_of(creator, collaboration["arn"]) == {"Env": "Test", "a": "b"}


def test_an_arn_of_another_region_is_not_found_here() -> None:
    elsewhere = create_collaboration(client(CREATOR, OTHER_REGION), tags={"Env": "Test"})

    response = tagging(CREATOR).tag_resources(ResourceARNList=[elsewhere["arn"]], Tags={"a": "b"})

    assert failures(response) == {elsewhere["arn"]: (404, "ResourceNotFoundException")}
    assert listed(tagging(CREATOR, OTHER_REGION)) == {elsewhere["arn"]: {"Env": "Test"}}


@pytest.mark.parametrize("account", ["abc", "12345", "1234567890123456", " 123456789012"])
def test_an_account_header_that_is_not_12_digits_changes_and_lists_nothing(account: str) -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"Env": "Test"})
    named = tagging(CREATOR)
    named.meta.events.register(
        "before-sign",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", account),
    )

    tagged = named.tag_resources(ResourceARNList=[collaboration["arn"]], Tags={"team": "ads"})
    untagged = named.untag_resources(ResourceARNList=[collaboration["arn"]], TagKeys=["Env"])

    for response in (tagged, untagged):
        assert failures(response) == {collaboration["arn"]: (403, "AccessDeniedException")}
    assert "12-digit" in tagged["FailedResourcesMap"][collaboration["arn"]]["ErrorMessage"]
    assert listed(named) == {}
    assert tags_of(creator, collaboration["arn"]) == {"Env": "Test"}


# ---- beside moto's own services ---------------------------------------------------------------


def test_moto_resources_are_listed_and_tagged_beside_clean_rooms() -> None:
    logs = boto3.client("logs", region_name=REGION)
    logs.create_log_group(logGroupName="audit", tags={"team": "ads"})
    collaboration = create_collaboration(client(CREATOR), tags={"team": "ads"})
    log_group = next(arn for arn in listed(tagging(CREATOR)) if ":logs:" in arn)

    response = tagging(CREATOR).tag_resources(
        ResourceARNList=[log_group, collaboration["arn"]], Tags={"Env": "Test"}
    )

    assert failures(response) == {}
    assert listed(tagging(CREATOR), TagFilters=[{"Key": "Env"}]) == {
        log_group: {"team": "ads", "Env": "Test"},
        collaboration["arn"]: {"team": "ads", "Env": "Test"},
    }
    assert list(listed(tagging(CREATOR), ResourceTypeFilters=["logs"])) == [log_group]


@pytest.mark.skipif(
    importlib.util.find_spec("moto.cleanrooms") is None,
    reason="this moto has no cleanrooms service of its own",
)
def test_moto_own_cleanrooms_backend_is_not_what_the_tagging_api_sees() -> None:
    from moto.cleanrooms.models import cleanrooms_backends as motos

    theirs = motos[CREATOR][REGION].create_collaboration(
        name="moto's",
        description="",
        creator_display_name="moto",
        creator_member_abilities=[],
        query_log_status="DISABLED",
        members=[],
        data_encryption_metadata=None,
        analytics_engine=None,
        tags={"Env": "Test"},
    )
    ours = create_collaboration(client(CREATOR), tags={"Env": "Test"})

    assert listed(tagging(CREATOR)) == {ours["arn"]: {"Env": "Test"}}
    response = tagging(CREATOR).tag_resources(ResourceARNList=[theirs.arn], Tags={"a": "b"})
    assert failures(response) == {theirs.arn: (404, "ResourceNotFoundException")}


# ---- where the Tagging API is not served ------------------------------------------------------


def test_mock_cleanrooms_alone_does_not_serve_the_tagging_api() -> None:
    # In a process of its own: here mock_aws is active, and moto would answer.
    code = (
        "import boto3, cleanrooms_mock\n"
        "with cleanrooms_mock.mock_cleanrooms():\n"
        "    api = boto3.client('resourcegroupstaggingapi', region_name='us-east-1')\n"
        "    try:\n"
        "        api.get_resources()\n"
        "    except cleanrooms_mock.NotMockedError as error:\n"
        "        print('refused:', error)\n"
    )
    assert run_python(code).startswith("refused: mock_cleanrooms serves Clean Rooms")


def test_importing_the_package_does_not_load_motos_tagging_backend() -> None:
    code = "import sys, cleanrooms_mock; print('moto.resourcegroupstaggingapi' in sys.modules)"
    assert run_python(code).strip() == "False"


def test_a_moto_it_cannot_extend_keeps_its_tagging_api_and_says_so() -> None:
    # A future moto without one of the methods we wrap: a warning, and moto's API unchanged.
    code = (
        "import boto3, moto, warnings\n"
        "from moto.resourcegroupstaggingapi.models import ResourceGroupsTaggingAPIBackend\n"
        "del ResourceGroupsTaggingAPIBackend._get_tag_keys_generator\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    import cleanrooms_mock\n"
        "print([str(w.message) for w in caught])\n"
        "with moto.mock_aws():\n"
        "    boto3.client('logs', region_name='us-east-1').create_log_group(\n"
        "        logGroupName='audit', tags={'team': 'ads'})\n"
        "    api = boto3.client('resourcegroupstaggingapi', region_name='us-east-1')\n"
        "    print([m['ResourceARN'] for m in api.get_resources()['ResourceTagMappingList']])\n"
    )
    warned, arns = run_python(code).splitlines()

    assert "cannot show Clean Rooms" in warned
    assert "_get_tag_keys_generator" in warned
    assert arns == "['arn:aws:logs:us-east-1:123456789012:log-group:audit']"


def test_server_mode_shows_clean_rooms_to_the_tagging_api(server: Any) -> None:
    creator = server.client(CREATOR)
    collaboration = creator.create_collaboration(**collaboration_params(tags={"Env": "Test"}))[
        "collaboration"
    ]
    member = server.assumed_client(MEMBER_A)
    membership = join(member, collaboration)
    creator_tagging = server.client(CREATOR, "resourcegroupstaggingapi")
    member_tagging = server.assumed_client(MEMBER_A, "resourcegroupstaggingapi")

    tagged = member_tagging.tag_resources(
        ResourceARNList=[membership["arn"], collaboration["arn"]], Tags={"team": "ads"}
    )

    assert failures(tagged) == {collaboration["arn"]: (404, "ResourceNotFoundException")}
    assert tags_of(member, membership["arn"]) == {"team": "ads"}
    assert listed(member_tagging) == {membership["arn"]: {"team": "ads"}}
    assert listed(creator_tagging) == {collaboration["arn"]: {"Env": "Test"}}
    creator_tagging.untag_resources(ResourceARNList=[collaboration["arn"]], TagKeys=["Env"])
    assert tags_of(creator, collaboration["arn"]) == {}


def test_a_12_digit_access_key_names_the_tagging_api_account_in_server_mode(server: Any) -> None:
    # As for Clean Rooms, STS and every other service the server hands to moto.
    creator = server.client(CREATOR)
    collaboration = creator.create_collaboration(**collaboration_params())["collaboration"]
    memberships = {
        account: join(server.client(account), collaboration, tags={"who": account})
        for account in (MEMBER_A, MEMBER_B)
    }

    for account, membership in memberships.items():
        account_tagging = server.client(account, "resourcegroupstaggingapi")
        assert server.client(account, "sts").get_caller_identity()["Account"] == account
        assert listed(account_tagging) == {membership["arn"]: {"who": account}}
        changed = account_tagging.tag_resources(
            ResourceARNList=[membership["arn"]], Tags={"seen": "yes"}
        )
        assert failures(changed) == {}
    assert listed(server.client(CREATOR, "resourcegroupstaggingapi")) == {}


@pytest.mark.parametrize("first", ["get_resources", "get_tag_keys", "get_tag_values"])
def test_the_servers_first_tagging_request_already_sees_clean_rooms(
    server: Any, first: str
) -> None:
    # Whichever Tagging API request loads moto's tagging backend in the server, it is extended.
    creator = server.client(CREATOR)
    creator.create_collaboration(**collaboration_params(tags={"Env": "Test"}))
    creator_tagging = server.client(CREATOR, "resourcegroupstaggingapi")
    arguments = {"Key": "Env"} if first == "get_tag_values" else {}

    answer = getattr(creator_tagging, first)(**arguments)

    seen = {
        "get_resources": lambda: [m["Tags"] for m in answer["ResourceTagMappingList"]],
        "get_tag_keys": lambda: answer["TagKeys"],
        "get_tag_values": lambda: answer["TagValues"],
    }[first]()
    expected = {
        "get_resources": [[{"Key": "Env", "Value": "Test"}]],
        "get_tag_keys": ["Env"],
        "get_tag_values": ["Test"],
    }[first]
    assert seen == expected


#: A fresh process: a tagged collaboration inside mock_aws, then the process's first Tagging API
#: request, after ``{before}``, through ``{client}``.
FIRST_USE = """
import boto3, cleanrooms_mock, moto
with moto.mock_aws():
    cleanrooms = boto3.client("cleanrooms", region_name="us-east-1")
    arn = cleanrooms.create_collaboration(
        name="ads", description="d", creatorDisplayName="Publisher",
        creatorMemberAbilities=["CAN_QUERY"], members=[], queryLogStatus="ENABLED",
        tags={{"Env": "Test"}})["collaboration"]["arn"]
    {before}
    api = {client}
    listed = api.get_resources()["ResourceTagMappingList"]
    failed = api.tag_resources(ResourceARNList=[arn], Tags={{"team": "ads"}})["FailedResourcesMap"]
    print([m["ResourceARN"] == arn for m in listed], failed, cleanrooms.list_tags_for_resource(
        resourceArn=arn)["tags"])
"""


@pytest.mark.parametrize(
    ("before", "tagging_client"),
    [
        ("pass", "boto3.client('resourcegroupstaggingapi', region_name='us-east-1')"),
        (
            "pass",
            "boto3.client('resourcegroupstaggingapi', region_name='us-east-1', "
            "endpoint_url='http://127.0.0.1:4566')",
        ),
        (
            "pass",
            "boto3.client('resourcegroupstaggingapi', region_name='us-east-1', "
            "endpoint_url='https://tagging.example.internal')",
        ),
        (
            "import moto.resourcegroupstaggingapi.models",
            "boto3.client('resourcegroupstaggingapi', region_name='us-east-1')",
        ),
        (
            "from moto.backends import get_backend; get_backend('resourcegroupstaggingapi')",
            "boto3.client('resourcegroupstaggingapi', region_name='us-east-1', "
            "endpoint_url='http://localhost:5000')",
        ),
    ],
    ids=["aws-endpoint", "local-endpoint", "custom-host", "imported-first", "backend-looked-up"],
)
def test_clean_rooms_is_seen_whatever_loads_motos_tagging_api_first(
    before: str, tagging_client: str
) -> None:
    printed = run_python(FIRST_USE.format(before=before, client=tagging_client))

    assert printed.strip() == "[True] {} {'Env': 'Test', 'team': 'ads'}"
