"""Helpers for the configured-table rule tests: Glue tables as users create them, and faults."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import boto3
import pytest

from cleanrooms_mock.domain.errors import ValidationError

REGION = "us-east-1"
OWNER = "123456789012"  # moto's default account: the data owner who configures tables
OTHER = "222222222222"
PROVIDER = "444455556666"

#: The columns of the Glue table most tests configure (names as a user types them in Glue).
ORDER_COLUMNS = (
    ("user_id", "string"),
    ("email", "varchar(256)"),
    ("segment", "char(8)"),
    ("amount", "double"),
    ("order_count", "int"),
    ("campaign_id", "string"),
)


#: A ``databricks`` TableReference (Delta Sharing): it carries no schema the mock could read.
DATABRICKS = {
    "databricks": {
        "workspaceUrl": "https://dbc-1234.cloud.databricks.com",
        "schemaName": "default",
        "tableName": "visits",
        "connectionType": {
            "deltaSharing": {
                "deltaShareEndpoint": "https://dbc-1234.cloud.databricks.com/api/2.0/delta-sharing"
                "/metastores/11111111-2222-3333-4444-555555555555/recipients/"
                "66666666-7777-8888-9999-000000000000",
                "shareName": "visits_share",
            }
        },
    }
}


def snowflake_reference(*columns: tuple[str, str]) -> dict[str, Any]:
    """A ``snowflake`` TableReference whose ``tableSchema`` has ``columns`` (name, type)."""
    return {
        "snowflake": {
            "secretArn": f"arn:aws:secretsmanager:us-east-1:{OWNER}:secret:snowflake-abc",
            "accountIdentifier": "xy12345.us-east-1",
            "databaseName": "CRM",
            "schemaName": "PUBLIC",
            "tableName": "CUSTOMERS",
            "tableSchema": {"v1": [{"columnName": n, "columnType": t} for n, t in columns]},
        }
    }


def glue_client(account: str = OWNER, region: str = REGION) -> Any:
    """A Glue client acting as ``account`` (through STS assume_role, as real code switches)."""
    if account == OWNER:
        return boto3.client("glue", region_name=region)
    credentials = boto3.client("sts", region_name=region).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/data-owner", RoleSessionName="owner"
    )["Credentials"]
    return boto3.client(
        "glue",
        region_name=region,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def create_glue_table(
    glue: Any,
    database: str = "sales",
    table: str = "orders",
    columns: Iterable[tuple[str, str]] = ORDER_COLUMNS,
    partition_keys: Iterable[tuple[str, str]] = (("order_date", "date"),),
    parameters: Mapping[str, str] | None = None,
    serde_parameters: Mapping[str, str] | None = None,
) -> None:
    """A CSV table over ``s3://data/<table>/``, created the way a data owner does with boto3."""
    with contextlib.suppress(glue.exceptions.AlreadyExistsException):
        glue.create_database(DatabaseInput={"Name": database})
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": table,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": dict(
                parameters or {"classification": "csv", "skip.header.line.count": "1"}
            ),
            "PartitionKeys": [{"Name": n, "Type": t} for n, t in partition_keys],
            "StorageDescriptor": {
                "Columns": [{"Name": n, "Type": t} for n, t in columns],
                "Location": f"s3://data/{table}/",
                "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "SerdeInfo": {
                    "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                    "Parameters": dict(serde_parameters or {"field.delim": ","}),
                },
            },
        },
    )


def faults(call: Callable[[], Any]) -> list[tuple[str, str]]:
    """(path, message) of each field error of the ValidationException ``call`` raises."""
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    assert error.code == "ValidationException"
    assert error.members["reason"] == "FIELD_VALIDATION_FAILED"
    assert error.members["fieldList"] == [
        {"name": f.path, "message": f.message} for f in error.field_errors
    ]
    return [(f.path, f.message) for f in error.field_errors]


def paths(call: Callable[[], Any]) -> list[str]:
    """The field paths the ValidationException ``call`` raises names, in order."""
    return [path for path, _ in faults(call)]


# ---- through the API: the data owner's calls, and what AWS answers ---------------------------

#: The reference of the owner's ``sales.orders`` Glue table (``create_glue_table``'s default).
GLUE_ORDERS = {"glue": {"databaseName": "sales", "tableName": "orders"}}
#: A CUSTOM policy that lets nobody query yet (the user guide's "empty custom analysis rule").
EMPTY_CUSTOM = {"v1": {"custom": {"allowedAnalyses": []}}}


def configure(cleanrooms: Any, **overrides: Any) -> dict[str, Any]:
    """CreateConfiguredTable on the owner's ``sales.orders`` Glue table; the ConfiguredTable."""
    params: dict[str, Any] = {
        "name": "orders",
        "tableReference": GLUE_ORDERS,
        "allowedColumns": ["user_id", "email", "amount"],
        "analysisMethod": "DIRECT_QUERY",
        **overrides,
    }
    table: dict[str, Any] = cleanrooms.create_configured_table(**params)["configuredTable"]
    return table


def configure_with_rule(
    cleanrooms: Any, rule_type: str = "AGGREGATION", policy: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``configure``, then CreateConfiguredTableAnalysisRule (default: ``aggregation_policy()``);
    the ConfiguredTable (before the rule) and the ConfiguredTableAnalysisRule."""
    table = configure(cleanrooms)
    rule: dict[str, Any] = cleanrooms.create_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"],
        analysisRuleType=rule_type,
        analysisRulePolicy=aggregation_policy() if policy is None else policy,
    )["analysisRule"]
    return table, rule


def aggregation_policy(**overrides: Any) -> dict[str, Any]:
    """An AGGREGATION policy on ``configure``'s columns: SUM(amount) by email, joined on user_id."""
    body: dict[str, Any] = {
        "aggregateColumns": [{"columnNames": ["amount"], "function": "SUM"}],
        "joinColumns": ["user_id"],
        "dimensionColumns": ["email"],
        "scalarFunctions": ["TRUNC"],
        "outputConstraints": [{"columnName": "user_id", "minimum": 100, "type": "COUNT_DISTINCT"}],
        **overrides,
    }
    return {"v1": {"aggregation": body}}


def threshold_policy(identity: str, minimum: int = 100) -> dict[str, Any]:
    """A CUSTOM policy: PROVIDER may run any query, outputs aggregated over ``minimum`` distinct
    values of the ``identity`` column."""
    threshold = {
        "identityColumns": [identity],
        "minimumIdentityCount": minimum,
        "type": "COUNT_DISTINCT",
        "allowedAggregateExpressionType": "COLUMNS_ONLY",
    }
    return {
        "v1": {
            "custom": {
                "allowedAnalyses": ["ANY_QUERY"],
                "allowedAnalysisProviders": [PROVIDER],
                "aggregationThresholds": [threshold],
            }
        }
    }


def get_rule(cleanrooms: Any, table: Mapping[str, Any], rule_type: str) -> dict[str, Any]:
    """GetConfiguredTableAnalysisRule: the table's ``rule_type`` rule."""
    rule: dict[str, Any] = cleanrooms.get_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"], analysisRuleType=rule_type
    )["analysisRule"]
    return rule


def aws_error(call: Callable[[], Any], code: str, status: int) -> dict[str, Any]:
    """The error response ``call`` earns, checked to be ``code`` with HTTP ``status``."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        call()
    error: dict[str, Any] = caught.value.response
    received = (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"])
    assert received == (code, status), f"expected {code} ({status}), received {received}"
    return error


def not_found(call: Callable[[], Any], resource_id: str, resource_type: str) -> dict[str, Any]:
    """The ResourceNotFoundException ``call`` earns, naming ``resource_type`` ``resource_id``."""
    error = aws_error(call, "ResourceNotFoundException", 404)
    assert (error["resourceType"], error["resourceId"]) == (resource_type, resource_id)
    return error


def refused_fields(call: Callable[[], Any]) -> list[str]:
    """The fields the ValidationException (FIELD_VALIDATION_FAILED) ``call`` earns names."""
    error = aws_error(call, "ValidationException", 400)
    assert error["reason"] == "FIELD_VALIDATION_FAILED"
    return [field["name"] for field in error["fieldList"]]


def over_quota(call: Callable[[], Any], quota_name: str, value: float) -> None:
    """``call`` earns ServiceQuotaExceededException for the AWS quota ``quota_name``."""
    error = aws_error(call, "ServiceQuotaExceededException", 402)
    assert (error["quotaName"], error["quotaValue"]) == (quota_name, value)
