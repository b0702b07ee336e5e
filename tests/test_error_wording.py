"""How rejected values read in error messages: as AWS (Java) writes them, never as Python does.

AWS's validation messages ("1 validation error detected: Value '...' at 'field' failed to
satisfy constraint: ...") show the value with Java's ``toString``: a list ``[user_id, dt]``, a
map or structure ``{glue={databaseName=db, tableName=t}}``, a string bare, ``true``/``false``,
a double ``1.0E20``; ``Value null`` only for a member the request left out. Every kind is driven
through boto3 (or raw HTTP where boto3 cannot send the value) with several inputs, and a sweep
over every implemented operation checks that no message leaks a Python repr.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from configured_tables.ct_support import snowflake_reference
from helpers import CREATOR, MEMBER_A, REGION, client, create_collaboration, raw_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws
from strategies import SEED_STATE, request_params

from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.integration.service import implemented_operations
from cleanrooms_mock.seeding import load_state

OWNER = "123456789012"  # moto's default account: the data owner of the Glue table
PROVIDER = "444455556666"
ORDERS = {"glue": {"databaseName": "sales", "tableName": "orders"}}
#: What a Python repr leaves in a message: list or dict reprs, None/True/False, a tuple.
PYTHON_REPR = re.compile(r"\['|\{'|\bNone\b|\bTrue\b|\bFalse\b|\(\)")
#: How the model names members (camelCase): the keys of a structure, never user data.
MEMBER_NAME = re.compile(r"[a-z][A-Za-z0-9]*")


def message_of(call: Callable[[], Any]) -> str:
    """The error message a user sees when ``call`` fails."""
    with pytest.raises(ClientError) as caught:
        call()
    message: str = caught.value.response["Error"]["Message"]
    assert not PYTHON_REPR.search(message), message
    return message


@pytest.fixture
def owner() -> Iterator[Any]:
    """The data owner's Clean Rooms client; its Glue Data Catalog has ``sales.orders`` (and
    ``sales.visits`` and ``sales.events``, whose ``user_id`` is a number)."""
    with mock_aws(), mock_cleanrooms():
        glue = boto3.client("glue", region_name=REGION)
        glue.create_database(DatabaseInput={"Name": "sales"})
        for table, columns in (
            (
                "orders",
                {"user_id": "string", "email": "string", "amount": "string", "dt": "string"},
            ),
            ("visits", {"user_id": "int", "email": "string", "amount": "string"}),
            ("events", {"user_id": "bigint", "email": "string", "amount": "double"}),
        ):
            glue.create_table(
                DatabaseName="sales",
                TableInput={
                    "Name": table,
                    "StorageDescriptor": {
                        "Columns": [{"Name": c, "Type": t} for c, t in columns.items()],
                        "Location": f"s3://data/{table}/",
                        "SerdeInfo": {
                            "SerializationLibrary": (
                                "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
                            )
                        },
                    },
                    "Parameters": {"classification": "csv"},
                },
            )
        yield client(OWNER)


def configure(owner: Any, rule: tuple[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A configured table on ``sales.orders`` (with ``rule``: type and policy, if given)."""
    table: dict[str, Any] = owner.create_configured_table(
        name="orders",
        tableReference=ORDERS,
        allowedColumns=["user_id", "email", "amount"],
        analysisMethod="DIRECT_QUERY",
    )["configuredTable"]
    if rule is not None:
        owner.create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType=rule[0],
            analysisRulePolicy=rule[1],
        )
    return table


LIST_RULE = ("LIST", {"v1": {"list": {"joinColumns": ["user_id"], "listColumns": ["email"]}}})
AGGREGATION_RULE = (
    "AGGREGATION",
    {
        "v1": {
            "aggregation": {
                "aggregateColumns": [{"columnNames": ["amount"], "function": "SUM"}],
                "joinColumns": ["user_id"],
                "dimensionColumns": ["email"],
                "scalarFunctions": ["TRUNC"],
                "outputConstraints": [
                    {"columnName": "user_id", "minimum": 100, "type": "COUNT_DISTINCT"}
                ],
            }
        }
    },
)


def custom(**members: Any) -> dict[str, Any]:
    """A CUSTOM policy: PROVIDER may run any query, with ``members`` added."""
    return {
        "v1": {
            "custom": {
                "allowedAnalyses": ["ANY_QUERY"],
                "allowedAnalysisProviders": [PROVIDER],
                **members,
            }
        }
    }


THRESHOLD = {
    "identityColumns": ["user_id"],
    "minimumIdentityCount": 100,
    "type": "COUNT_DISTINCT",
    "allowedAggregateExpressionType": "COLUMNS_ONLY",
}


# ---- lists: [a, b], strings bare inside -----------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "shown"),
    [
        (["user_id", "amount"], "[user_id, amount]"),
        (["user_id"], "[user_id]"),
        (["amount", "user_id", "dt"], "[amount, user_id, dt]"),
    ],
)
def test_a_list_reads_as_java_writes_it(owner: Any, columns: list[str], shown: str) -> None:
    table = configure(owner, LIST_RULE)

    message = message_of(
        lambda: owner.update_configured_table(
            configuredTableIdentifier=table["id"], allowedColumns=columns
        )
    )

    assert message.startswith(f"1 validation error detected: Value '{shown}' at 'allowedColumns'")


@pytest.mark.parametrize(
    "providers", [["111111111111"], ["111111111111", "222222222222"], [PROVIDER]]
)
def test_a_list_of_accounts_reads_without_quotes(owner: Any, providers: list[str]) -> None:
    table = configure(owner)
    template = f"arn:aws:cleanrooms:us-east-1:{OWNER}:membership/m/analysistemplate/t"

    message = message_of(
        lambda: owner.create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy={
                "v1": {
                    "custom": {
                        "allowedAnalyses": [template],
                        "allowedAnalysisProviders": providers,
                    }
                }
            },
        )
    )

    shown = "[" + ", ".join(providers) + "]"
    assert f"Value '{shown}' at 'analysisRulePolicy.v1.custom.allowedAnalysisProviders'" in message


def test_an_empty_list_reads_as_brackets(owner: Any) -> None:
    sends_anything = client(OWNER, config=Config(parameter_validation=False))

    message = message_of(
        lambda: sends_anything.create_configured_table(
            name="orders", tableReference=ORDERS, allowedColumns=[], analysisMethod="DIRECT_QUERY"
        )
    )

    assert "Value '[]' at 'allowedColumns' failed to satisfy constraint: Member must have" in (
        message
    )


# ---- maps and structures: {key=value} -------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "shown"),
    [
        (
            {"glue": {"databaseName": "sales", "tableName": "visits"}},
            "{glue={databaseName=sales, tableName=visits}}",
        ),
        (
            {"glue": {"databaseName": "sales", "tableName": "events"}},
            "{glue={databaseName=sales, tableName=events}}",
        ),
    ],
)
def test_a_structure_reads_as_a_java_map(owner: Any, reference: Any, shown: str) -> None:
    # The rule's aggregation threshold counts user_id, which must stay a string column.
    table = configure(owner, ("CUSTOM", custom(aggregationThresholds=[THRESHOLD])))

    message = message_of(
        lambda: owner.update_configured_table(
            configuredTableIdentifier=table["id"], tableReference=reference
        )
    )

    assert f"Value '{shown}' at 'tableReference'" in message


@pytest.mark.parametrize("count", [201, 250])
def test_a_map_reads_as_key_equals_value(count: int) -> None:
    with mock_cleanrooms():
        creator = client(CREATOR)
        collaboration = create_collaboration(creator)

        message = message_of(
            lambda: creator.tag_resource(
                resourceArn=collaboration["arn"], tags={f"team{i}": "ads" for i in range(count)}
            )
        )

    assert message.startswith("1 validation error detected: Value '{team0=ads, team1=ads, ")
    assert "...' at 'tags' failed to satisfy constraint" in message


def test_a_list_of_structures_reads_as_java_writes_it(owner: Any) -> None:
    table = configure(owner)
    policy = custom(differentialPrivacy={"columns": [{"name": "user_id"}]})
    policy["v1"]["custom"]["aggregationThresholds"] = [THRESHOLD]

    message = message_of(
        lambda: owner.create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy=policy,
        )
    )

    assert (
        "Value '[{identityColumns=[user_id], minimumIdentityCount=100, type=COUNT_DISTINCT, "
        in message
    )


# ---- booleans and numbers: true/false, Java's doubles ---------------------------------------


@pytest.mark.parametrize(
    ("payment", "field", "shown"),
    [
        (None, "isMetricsEnabled", "true"),
        ({"queryCompute": {"isResponsible": True}}, "paymentConfiguration", "true"),
        ({"queryCompute": {"isResponsible": False}}, "isMetricsEnabled", "true"),
    ],
)
def test_a_boolean_reads_true_or_false(payment: Any, field: str, shown: str) -> None:
    with mock_cleanrooms():
        collaboration = create_collaboration(client(CREATOR))
        member = client(MEMBER_A)
        extra: dict[str, Any] = {"paymentConfiguration": payment} if payment else {}
        if field == "isMetricsEnabled":
            extra["isMetricsEnabled"] = True

        message = message_of(
            lambda: member.create_membership(
                collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED", **extra
            )
        )

    assert f"Value '{shown}' at '{field}" in message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1.5, "1.5"),
        (1e20, "1.0E20"),
        (2.5e-7, "2.5E-7"),
        (7, "7"),
        (True, "true"),
        (False, "false"),
        (["ads", None], "[ads, null]"),
        ({"team": "ads", "n": 1}, "{team=ads, n=1}"),
    ],
)
def test_a_wrongly_typed_value_reads_as_java_writes_it(value: Any, shown: str) -> None:
    with mock_cleanrooms():
        status, _, body = raw_request(
            "POST",
            "/collaborations",
            {
                "name": value,
                "description": "d",
                "creatorDisplayName": "c",
                "creatorMemberAbilities": [],
                "members": [],
                "queryLogStatus": "ENABLED",
            },
        )

    assert status == 400
    assert body["message"] == (
        f"1 validation error detected: Value '{shown}' at 'name' failed to satisfy constraint: "
        "Member must be a string"
    )


# ---- "null" only for what was left out ------------------------------------------------------


@pytest.mark.parametrize("token", ["forged", "eyJvcCI6ICJMaXN0In0.abc", "x" * 20])
def test_a_forged_next_token_is_shown(token: str) -> None:
    with mock_cleanrooms():
        message = message_of(lambda: client(CREATOR).list_collaborations(nextToken=token))

    assert message == (
        f"1 validation error detected: Value '{token}' at 'nextToken' failed to satisfy "
        "constraint: Member must be a valid pagination token."
    )


@pytest.mark.parametrize(
    ("members", "refused", "shown"),
    [
        (
            {
                "differentialPrivacy": {"columns": [{"name": "user_id"}]},
                "comparisonControls": {
                    "allowedLiteralComparisonColumns": ["email"],
                    "allowedColumnComparisonColumns": ["amount"],
                },
            },
            "comparisonControls",
            "{allowedLiteralComparisonColumns=[email], allowedColumnComparisonColumns=[amount]}",
        ),
        (
            {
                "differentialPrivacy": {"columns": [{"name": "user_id"}]},
                "aggregationThresholds": [THRESHOLD],
            },
            "aggregationThresholds",
            "[{identityColumns=[user_id], ",
        ),
        (
            {"aggregationThresholds": [THRESHOLD]},
            "aggregationThresholds",
            "[{identityColumns=[user_id], ",
        ),
    ],
)
def test_a_refused_policy_member_is_shown(
    owner: Any, members: dict[str, Any], refused: str, shown: str
) -> None:
    table = configure(owner)
    policy = custom(**members)
    if "differentialPrivacy" not in members:
        policy["v1"]["custom"]["allowedAnalyses"] = ["ANY_JOB"]

    message = message_of(
        lambda: owner.create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy=policy,
        )
    )

    assert f"Value '{shown}" in message
    assert f"' at 'analysisRulePolicy.v1.custom.{refused}'" in message
    assert "Value null" not in message


def test_differential_privacy_refused_off_s3_is_shown(owner: Any) -> None:
    table = owner.create_configured_table(
        name="crm",
        tableReference=snowflake_reference(("user_id", "VARCHAR")),
        allowedColumns=["user_id"],
        analysisMethod="DIRECT_QUERY",
    )["configuredTable"]

    message = message_of(
        lambda: owner.create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy=custom(differentialPrivacy={"columns": [{"name": "user_id"}]}),
        )
    )

    assert (
        "Value '{columns=[{name=user_id}]}' at 'analysisRulePolicy.v1.custom.differentialPrivacy'"
        in message
    )


@pytest.mark.parametrize("missing", ["name", "queryLogStatus", "creatorDisplayName"])
def test_a_member_left_out_still_reads_null(missing: str) -> None:
    params: dict[str, Any] = {
        "name": "n",
        "description": "d",
        "creatorDisplayName": "c",
        "creatorMemberAbilities": [],
        "members": [],
        "queryLogStatus": "ENABLED",
    }
    del params[missing]
    with mock_cleanrooms():
        status, _, body = raw_request("POST", "/collaborations", params)

    assert status == 400
    assert body["message"] == (
        f"1 validation error detected: Value null at '{missing}' failed to satisfy constraint: "
        "Member must not be null"
    )


# ---- grammar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "second", "wording"),
    [
        (
            LIST_RULE,
            AGGREGATION_RULE,
            "already has a LIST analysis rule; .* creating an AGGREGATION",
        ),
        (
            AGGREGATION_RULE,
            LIST_RULE,
            "already has an AGGREGATION analysis rule; .* creating a LIST",
        ),
        (
            ("CUSTOM", custom()),
            AGGREGATION_RULE,
            "already has a CUSTOM analysis rule; .* creating an AGGREGATION",
        ),
    ],
)
def test_the_article_fits_the_rule_type(
    owner: Any, existing: Any, second: Any, wording: str
) -> None:
    table = configure(owner, existing)

    message = message_of(
        lambda: owner.create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType=second[0],
            analysisRulePolicy=second[1],
        )
    )

    assert re.search(wording, message), message


# ---- a sweep: no operation's message leaks a Python repr ------------------------------------


def _unchecked_client() -> Any:
    return boto3.client(
        "cleanrooms",
        region_name=REGION,
        aws_access_key_id="FOOBARKEY",
        aws_secret_access_key="FOOBARSECRET",
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )


def _sent_text(value: Any) -> Iterator[str]:
    """The text a request carries: its strings, the scalars botocore writes into a path or query
    as Python's ``str`` does ("False", and a whole dict or list sent where a string belongs:
    botocore writes ``str(value)`` into a path), and map keys other than model member names."""
    if isinstance(value, (dict, list)):
        yield str(value)
    if isinstance(value, dict):
        for key, item in value.items():
            if not MEMBER_NAME.fullmatch(str(key)):
                yield str(key)
            yield from _sent_text(item)
    elif isinstance(value, list):
        for item in value:
            yield from _sent_text(item)
    elif value is not None:
        yield str(value)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_message_leaks_a_python_repr(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(implemented_operations()))
    params = data.draw(request_params(name))
    with mock_cleanrooms():
        load_state(SEED_STATE)
        try:
            getattr(_unchecked_client(), xform_name(name))(**params)
        except ClientError as error:
            message = error.response["Error"].get("Message", "")
        except Exception:  # botocore could not send it (test_fuzz covers those as raw HTTP)
            return
        else:
            return
    # What the request itself said may hold anything; the rest is ours.
    for text in sorted(_sent_text(params), key=len, reverse=True):
        if text:
            message = message.replace(text, "")
    assert not PYTHON_REPR.search(message), (name, params, message)
