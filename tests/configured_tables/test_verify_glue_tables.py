"""The ``verify_glue_tables`` option: on by default; off, configured tables take Glue and Athena
references without reading the Glue Data Catalog (as moto's own Clean Rooms does), and every
other rule still applies. Set per activation (nested ones restore it), by the pytest marker or
ini option, and in server mode at start or through ``/_cleanrooms_mock/options``."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import (
    EMPTY_CUSTOM,
    GLUE_ORDERS,
    OWNER,
    configure,
    refused_fields,
    threshold_policy,
)
from helpers import client
from moto import mock_aws

from cleanrooms_mock import mock_cleanrooms
from tests.test_server import Server

#: A Glue table no catalog has: what moto's own tests configure.
NOWHERE = {"glue": {"databaseName": "test-db", "tableName": "test-table"}}


def configured_nowhere() -> dict[str, Any]:
    return configure(client(OWNER), tableReference=NOWHERE, allowedColumns=["column1"])


def test_the_glue_check_is_on_by_default() -> None:
    with mock_cleanrooms():
        assert refused_fields(configured_nowhere) == ["tableReference.glue.databaseName"]
    with mock_aws():
        assert refused_fields(configured_nowhere) == ["tableReference.glue.databaseName"]


def test_off_a_reference_is_taken_as_given_and_the_other_rules_still_apply() -> None:
    with mock_cleanrooms(verify_glue_tables=False):
        table = configured_nowhere()
        owner = client(OWNER)

        assert (table["tableReference"], table["tableType"]) == (NOWHERE, "GLUE")
        assert refused_fields(
            lambda: configure(owner, tableReference=NOWHERE, allowedColumns=["a", "a"])
        ) == ["allowedColumns[1]"]
        widened = owner.update_configured_table(
            configuredTableIdentifier=table["id"], allowedColumns=["column1", "column2"]
        )["configuredTable"]
        assert widened["allowedColumns"] == ["column1", "column2"]
        assert refused_fields(
            lambda: owner.create_configured_table_analysis_rule(
                configuredTableIdentifier=table["id"],
                analysisRuleType="CUSTOM",
                analysisRulePolicy={
                    "v1": {
                        "custom": {"allowedAnalyses": [], "disallowedOutputColumns": ["column9"]}
                    }
                },
            )
        ) == ["analysisRulePolicy.v1.custom.disallowedOutputColumns[0]"]


def test_off_identity_column_types_are_not_known() -> None:
    # A double identity column is refused against a real Glue table (test_create_configured_
    # table_analysis_rule); without reading the catalog its type is unknown, so not checked.
    with mock_cleanrooms(verify_glue_tables=False):
        table = configure(client(OWNER), tableReference=GLUE_ORDERS)
        policy = threshold_policy("amount")

        rule = client(OWNER).create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy=policy,
        )["analysisRule"]

        assert rule["policy"] == policy


def test_inside_mock_aws_a_nested_activation_turns_it_off_until_it_ends() -> None:
    with mock_aws():
        with mock_cleanrooms(verify_glue_tables=False):
            kept = configured_nowhere()
            with mock_cleanrooms(verify_glue_tables=True):
                assert refused_fields(configured_nowhere) == ["tableReference.glue.databaseName"]
            assert configured_nowhere()["name"] == "orders"  # off again: the inner one ended

        assert refused_fields(configured_nowhere) == ["tableReference.glue.databaseName"]
        owner = client(OWNER)
        assert owner.get_configured_table(configuredTableIdentifier=kept["id"])["configuredTable"]
        assert (
            owner.create_configured_table_analysis_rule(
                configuredTableIdentifier=kept["id"],
                analysisRuleType="CUSTOM",
                analysisRulePolicy=EMPTY_CUSTOM,
            )["analysisRule"]["type"]
            == "CUSTOM"
        )  # a rule reads no catalog it cannot find

    with mock_aws():  # the next mock_aws starts from the default
        assert refused_fields(configured_nowhere) == ["tableReference.glue.databaseName"]


@pytest.mark.parametrize("value", ["false", 0, 1, "no"])
def test_a_value_other_than_true_or_false_is_refused_when_given(value: Any) -> None:
    with pytest.raises(TypeError, match=r"verify_glue_tables=\.\.\.\) must be True or False"):
        mock_cleanrooms(verify_glue_tables=value)


# ---- pytest ---------------------------------------------------------------------------------


TEST_FILE = """
import boto3, pytest

NOWHERE = {"glue": {"databaseName": "test-db", "tableName": "test-table"}}

def configure(client):
    return client.create_configured_table(
        name="t", tableReference=NOWHERE, allowedColumns=["c"], analysisMethod="DIRECT_QUERY")

@pytest.mark.cleanrooms(verify_glue_tables=False)
def test_marked_off(cleanrooms_client):
    assert configure(cleanrooms_client)["configuredTable"]["tableType"] == "GLUE"

@pytest.mark.cleanrooms(verify_glue_tables=True)
def test_marked_on(cleanrooms_client):
    with pytest.raises(cleanrooms_client.exceptions.ValidationException):
        configure(cleanrooms_client)

def test_unmarked(cleanrooms_client):
    {unmarked}
"""
REFUSED = (
    "with pytest.raises(cleanrooms_client.exceptions.ValidationException): "
    "configure(cleanrooms_client)"
)
ACCEPTED = "configure(cleanrooms_client)"


@pytest.mark.parametrize(
    ("ini", "unmarked"), [("", REFUSED), ("false", ACCEPTED)], ids=["no-ini-option", "ini-false"]
)
def test_the_marker_wins_over_the_ini_option(
    pytester: pytest.Pytester, ini: str, unmarked: str
) -> None:
    if ini:
        pytester.makeini(f"[pytest]\ncleanrooms_verify_glue_tables = {ini}\n")
    pytester.makepyfile(test_glue=TEST_FILE.replace("{unmarked}", unmarked))

    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=3)


def test_a_bad_ini_value_stops_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ncleanrooms_verify_glue_tables = sometimes\n")
    pytester.makepyfile(test_glue="def test_nothing():\n    pass\n")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*cleanrooms_verify_glue_tables ini option must be true or false, not 'sometimes'*"]
    )


def test_a_bad_marker_value_fails_the_tests_set_up(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_glue="""
        import pytest

        @pytest.mark.cleanrooms(verify_glue_tables="off")
        def test_marked(cleanrooms_mock):
            pass
        """
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.cleanrooms(verify_glue_tables=...) on *must be True or False, not 'off'*"]
    )


# ---- server mode ----------------------------------------------------------------------------

OPTIONS = "/_cleanrooms_mock/options"


def option(server: Server) -> Any:
    status, _, answer = server.request("GET", OPTIONS)
    assert status == 200
    return answer["options"]["verify_glue_tables"]


def test_serve_reads_real_glue_tables_made_through_the_server() -> None:
    server = Server()
    try:
        glue = server.client(OWNER, "glue")
        glue.create_database(DatabaseInput={"Name": "sales"})
        glue.create_table(
            DatabaseName="sales",
            TableInput={
                "Name": "orders",
                "StorageDescriptor": {"Columns": [{"Name": "user_id", "Type": "string"}]},
            },
        )
        cleanrooms = server.client(OWNER)

        table = configure(cleanrooms, allowedColumns=["user_id"])

        assert table["tableType"] == "GLUE"
        assert refused_fields(lambda: configure(cleanrooms, allowedColumns=["email"])) == [
            "allowedColumns[0]"
        ]
        assert option(server) == {"value": True, "default": True}
    finally:
        server.stop()


def test_serve_without_the_glue_check_and_the_options_endpoint() -> None:
    server = Server("--no-verify-glue-tables")
    try:
        cleanrooms = server.client(OWNER)
        assert option(server) == {"value": False, "default": True}
        assert configure(cleanrooms, tableReference=NOWHERE)["tableReference"] == NOWHERE

        status, _, answer = server.request("POST", OPTIONS, b'{"verify_glue_tables": true}')
        assert (status, answer["options"]["verify_glue_tables"]["value"]) == (200, True)
        assert refused_fields(lambda: configure(cleanrooms, tableReference=NOWHERE)) == [
            "tableReference.glue.databaseName"
        ]

        assert server.request("POST", "/_cleanrooms_mock/reset")[0] == 200
        assert option(server)["value"] is False  # what the server started with
    finally:
        server.stop()


BAD_OPTIONS = [
    (b'{"verify_glue_table": false}', "Unknown cleanrooms-mock option 'verify_glue_table'"),
    (b'{"verify_glue_tables": "false"}', "must be true or false, not 'false'"),
    (b"[false]", "The options must be a JSON object"),
]


def test_a_bad_option_answers_400_and_changes_nothing() -> None:
    server = Server()
    try:
        for body, says in BAD_OPTIONS:
            status, headers, answer = server.request("POST", OPTIONS, body)

            assert (status, answer["__type"], headers["x-amzn-ErrorType"]) == (
                400,
                "InvalidOption",
                "InvalidOption",
            )
            assert says in answer["message"]
            assert option(server)["value"] is True
    finally:
        server.stop()
