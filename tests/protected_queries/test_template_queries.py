"""Queries that run an analysis template: approved per table, parameters bound at Start.

Templates are put in the store by ``Room.template`` (a test helper) until CreateAnalysisTemplate
is served."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pq_support import ADVERTISER, PUBLISHER, Room, custom_rule

OVERLAP = (
    "SELECT i.campaign, COUNT(DISTINCT c.email_hash) AS reached FROM customers c "
    "JOIN impressions i ON c.email_hash = i.email_hash WHERE i.spend >= :min_spend "
    "GROUP BY i.campaign ORDER BY i.campaign"
)
PARAMETERS = [{"name": "min_spend", "type": "DOUBLE", "defaultValue": "0"}]


def approve(room: Room, arn: str) -> None:
    for account, table in ((ADVERTISER, "customers"), (PUBLISHER, "impressions")):
        room.rule(account, table, custom_rule(allowedAnalyses=[arn], allowedAnalysisProviders=[]))


def test_an_approved_template_runs_with_its_parameters(room: Room) -> None:
    arn = room.template(OVERLAP, PARAMETERS)
    approve(room, arn)

    default = room.query(sqlParameters={"analysisTemplateArn": arn})
    given = room.query(
        sqlParameters={"analysisTemplateArn": arn, "parameters": {"min_spend": "1.5"}}
    )

    assert default["status"] == given["status"] == "SUCCESS"
    assert room.mock.query_result(default["id"]) == [
        {"campaign": "spring", "reached": 3},
        {"campaign": "summer", "reached": 2},
    ]
    assert room.mock.query_result(given["id"]) == [
        {"campaign": "spring", "reached": 2},
        {"campaign": "summer", "reached": 1},
    ]


def test_an_unapproved_template_fails(room: Room) -> None:
    arn = room.template(OVERLAP, PARAMETERS)
    other = room.template("SELECT campaign FROM impressions")
    approve(room, arn)
    room.rule(
        PUBLISHER, "impressions", custom_rule(allowedAnalyses=[other], allowedAnalysisProviders=[])
    )

    failed = room.query(sqlParameters={"analysisTemplateArn": arn})

    assert failed["status"] == "FAILED"
    assert failed["error"]["code"] == "MALFORMED_QUERY"
    assert failed["error"]["message"] == (
        f"Analysis template {arn} is not allowed by the analysis rule of table impressions"
    )


@pytest.mark.parametrize(
    ("parameters", "says"),
    [
        ({"min_spend": "lots"}, "min_spend"),
        ({"max_spend": "1"}, "max_spend"),
    ],
)
def test_parameters_that_do_not_fit_are_refused_at_start(
    room: Room, parameters: dict[str, str], says: str
) -> None:
    arn = room.template(OVERLAP, PARAMETERS)
    approve(room, arn)

    with pytest.raises(ClientError) as raised:
        room.start(sqlParameters={"analysisTemplateArn": arn, "parameters": parameters})

    error: Any = raised.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert error["fieldList"][0]["name"] == "sqlParameters.parameters"
    assert says in error["fieldList"][0]["message"]


def test_a_missing_parameter_without_default_is_refused(room: Room) -> None:
    arn = room.template(OVERLAP, [{"name": "min_spend", "type": "DOUBLE"}])
    approve(room, arn)

    with pytest.raises(ClientError) as raised:
        room.start(sqlParameters={"analysisTemplateArn": arn})

    assert raised.value.response["fieldList"][0]["name"] == "sqlParameters.parameters"


def test_an_unknown_template_is_refused(room: Room) -> None:
    arn = room.template(OVERLAP, PARAMETERS).replace("analysistemplate/", "analysistemplate/x")

    with pytest.raises(ClientError) as raised:
        room.start(sqlParameters={"analysisTemplateArn": arn})

    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_a_template_id_is_what_the_model_says_it_is() -> None:
    # StartProtectedQuery tells a malformed template ARN from one naming no template by the id
    # it ends with; the domain keeps the model's pattern for it.
    import botocore.session

    from cleanrooms_mock.domain.protected_queries.ops import TEMPLATE_ID

    model = botocore.session.get_session().get_service_model("cleanrooms")
    assert TEMPLATE_ID.pattern == model.shape_for("AnalysisTemplateIdentifier").metadata["pattern"]


def _deleted(room: Room, arn: str) -> str:
    room[ADVERTISER].delete_analysis_template(
        membershipIdentifier=room.memberships[ADVERTISER],
        analysisTemplateIdentifier=arn.rsplit("/", 1)[1],
    )
    return arn


@pytest.mark.parametrize(
    "named",
    [
        _deleted,
        lambda room, arn: arn.replace(f":{ADVERTISER}:", f":{PUBLISHER}:"),
        lambda room, arn: arn.replace(f":{room.mock.region}:", ":eu-west-3:"),
        lambda room, arn: arn[:-12] + "000000000000",
    ],
    ids=["deleted", "another-account", "another-region", "never-made"],
)
def test_a_template_arn_naming_no_template_here_is_not_found_as_when_read(
    room: Room, named: Any
) -> None:
    arn = named(room, room.template(OVERLAP, PARAMETERS))

    with pytest.raises(ClientError) as started:
        room.start(sqlParameters={"analysisTemplateArn": arn})
    with pytest.raises(ClientError) as read:
        room[ADVERTISER].get_collaboration_analysis_template(
            collaborationIdentifier=room.id, analysisTemplateArn=arn
        )

    error: Any = started.value.response
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["resourceId"] == arn
    for member in ("Error", "resourceId", "resourceType"):
        assert error[member] == read.value.response[member]
    assert (
        room[ADVERTISER].list_protected_queries(membershipIdentifier=room.memberships[ADVERTISER])[
            "protectedQueries"
        ]
        == []
    )
