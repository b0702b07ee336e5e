"""CreateAnalysisTemplate, GetAnalysisTemplate and ListAnalysisTemplates: a member's SQL (and
PySpark) analyses, checked as the model and the user guide describe them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from assoc_support import ADVERTISER, CREATOR, MEASURER, PUBLISHER, STRANGER, Collaboration
from helpers import raises_aws
from template_support import JOINED, PARAMETERS, create, own

from cleanrooms_mock import mock_cleanrooms

ARN = re.compile(
    r"arn:aws:cleanrooms:us-east-1:111111111111:membership/[0-9a-f-]{36}/analysistemplate/"
    r"[0-9a-f-]{36}"
)


def test_the_creator_makes_a_template_its_tables_derived_from_the_sql(
    with_tables: Collaboration,
) -> None:
    template = create(
        with_tables,
        CREATOR,
        JOINED,
        analysisParameters=PARAMETERS,
        description="buyers",
    )

    assert ARN.fullmatch(template["arn"])
    assert template["name"] == "segment_buyers"
    assert template["description"] == "buyers"
    assert template["format"] == "SQL"
    assert template["source"] == {"text": JOINED}
    assert template["analysisParameters"] == PARAMETERS
    assert template["schema"] == {"referencedTables": ["customers", "orders"]}
    assert template["collaborationId"] == with_tables.id
    assert template["membershipId"] == with_tables.memberships[CREATOR]
    assert template["createTime"] == template["updateTime"]

    got = with_tables[CREATOR].get_analysis_template(
        membershipIdentifier=with_tables.memberships[CREATOR],
        analysisTemplateIdentifier=template["id"],
    )["analysisTemplate"]
    assert got == template
    [summary] = own(with_tables, CREATOR)
    assert (summary["id"], summary["arn"], summary["name"]) == (
        template["id"],
        template["arn"],
        "segment_buyers",
    )


def test_any_active_member_creates_templates_and_lists_only_its_own(
    with_tables: Collaboration,
) -> None:
    # The measurer can only receive results: creating templates needs no ability.
    for account in (MEASURER, PUBLISHER, PUBLISHER):
        create(with_tables, account, "SELECT COUNT(*) FROM customers", name=f"count_{account}")

    assert [s["name"] for s in own(with_tables, PUBLISHER)] == [f"count_{PUBLISHER}"] * 2
    assert [s["name"] for s in own(with_tables, MEASURER)] == [f"count_{MEASURER}"]
    assert own(with_tables, CREATOR) == []


def test_given_referenced_tables_are_kept_in_their_case(with_tables: Collaboration) -> None:
    template = create(
        with_tables,
        CREATOR,
        "SELECT COUNT(*) FROM Customers",
        schema={"referencedTables": ["Customers", "orders"]},
    )

    assert template["schema"] == {"referencedTables": ["Customers", "orders"]}


def test_a_with_clause_names_no_table(with_tables: Collaboration) -> None:
    text = "WITH big AS (SELECT * FROM orders WHERE spend > 100) SELECT COUNT(*) FROM big"

    assert create(with_tables, CREATOR, text)["schema"]["referencedTables"] == ["orders"]


@pytest.mark.parametrize(
    "text",
    [
        "SELEC segment FROM customers",
        "SELECT segment FROM customers; SELECT 1",
        "DELETE FROM customers",
        "SELECT segment FROM customers WHERE (spend > 1",
        "SELECT TOP 5 segment FROM customers",  # Redshift's TOP is no Spark SQL
    ],
)
def test_sql_that_is_no_single_query_is_refused(with_tables: Collaboration, text: str) -> None:
    with raises_aws(
        "ValidationException",
        status=400,
        reason="INVALID_QUERY",
        field="source.text",
        message=re.compile("SQL is not valid"),
    ):
        create(with_tables, CREATOR, text)

    assert own(with_tables, CREATOR) == []


@pytest.mark.parametrize(
    ("text", "schema", "table", "field"),
    [
        ("SELECT * FROM suppliers", None, "suppliers", "source.text"),
        ("SELECT * FROM customers JOIN crm.leads l ON true", None, "crm.leads", "source.text"),
        ("SELECT * FROM customers", ["customers", "ghosts"], "ghosts", "schema.referencedTables"),
    ],
)
def test_every_table_must_be_a_schema_of_the_collaboration(
    with_tables: Collaboration, text: str, schema: list[str] | None, table: str, field: str
) -> None:
    extra: dict[str, Any] = {} if schema is None else {"schema": {"referencedTables": schema}}

    with raises_aws(
        "ValidationException",
        reason="INVALID_QUERY",
        field=field,
        message=re.compile(f"Table {re.escape(table)} is not a schema of collaboration"),
    ):
        create(with_tables, CREATOR, text, **extra)

    assert own(with_tables, CREATOR) == []


def test_before_any_association_no_table_can_be_read(collab: Collaboration) -> None:
    with raises_aws(
        "ValidationException", reason="INVALID_QUERY", message=re.compile(r"schemas: none\)")
    ):
        create(collab, PUBLISHER, "SELECT * FROM customers")


def test_given_tables_must_list_every_table_the_sql_reads(with_tables: Collaboration) -> None:
    with raises_aws(
        "ValidationException",
        reason="INVALID_QUERY",
        field="schema.referencedTables",
        message=re.compile(r"\['orders'\]"),
    ):
        create(
            with_tables,
            CREATOR,
            JOINED,
            analysisParameters=PARAMETERS,
            schema={"referencedTables": ["customers"]},
        )


@pytest.mark.parametrize(
    ("parameters", "wanted"),
    [
        ([], r"\['excluded', 'min_spend'\] are used in the SQL"),
        ([PARAMETERS[0]], r"\['excluded'\] are used in the SQL"),
        ([*PARAMETERS, {"name": "region", "type": "STRING"}], r"\['region'\] are declared but"),
    ],
)
def test_parameters_in_the_text_and_declared_ones_match(
    with_tables: Collaboration, parameters: list[dict[str, str]], wanted: str
) -> None:
    with raises_aws(
        "ValidationException",
        reason="INVALID_QUERY",
        field="analysisParameters",
        message=re.compile(wanted),
    ):
        create(with_tables, CREATOR, JOINED, analysisParameters=parameters)

    assert own(with_tables, CREATOR) == []


def _with_p(collab: Collaboration, parameters: list[dict[str, str]]) -> dict[str, Any]:
    """The creator's template reading ``orders`` with the parameter ``:p``."""
    return create(
        collab, CREATOR, "SELECT * FROM orders WHERE spend > :p", analysisParameters=parameters
    )


@pytest.mark.parametrize(
    ("kind", "default"),
    [
        ("INTEGER", "ten"),
        ("SMALLINT", "40000"),
        ("DOUBLE", "1e999"),
        ("BOOLEAN", "yes"),
        ("DATE", "2026-13-01"),
        ("TIMESTAMP", "yesterday"),
    ],
)
def test_a_default_must_fit_its_type(with_tables: Collaboration, kind: str, default: str) -> None:
    parameters = [{"name": "p", "type": kind, "defaultValue": default}]

    with raises_aws(
        "ValidationException",
        reason="FIELD_VALIDATION_FAILED",
        field="analysisParameters[0].defaultValue",
        message=re.compile(f"Parameter p of type {kind} cannot take the value"),
    ):
        _with_p(with_tables, parameters)


@pytest.mark.parametrize(
    ("kind", "default"),
    [
        ("INTEGER", "-7"),
        ("DECIMAL", "12.50"),
        ("BOOLEAN", "TRUE"),
        ("DATE", "2026-01-31"),
        ("TIMESTAMP", "2026-01-31T10:00:00"),
        ("VARCHAR", "anything at all"),
    ],
)
def test_a_default_of_its_type_is_kept_as_given(
    with_tables: Collaboration, kind: str, default: str
) -> None:
    parameters = [{"name": "p", "type": kind, "defaultValue": default}]

    template = _with_p(with_tables, parameters)

    assert template["analysisParameters"] == parameters


def test_a_parameter_is_declared_once(with_tables: Collaboration) -> None:
    parameters = [{"name": "p", "type": "INT"}, {"name": "p", "type": "STRING"}]

    with raises_aws("ValidationException", field="analysisParameters[1].name"):
        _with_p(with_tables, parameters)


def test_the_model_constraints_are_checked(with_tables: Collaboration) -> None:
    membership = with_tables.memberships[CREATOR]
    creator = with_tables[CREATOR]
    # botocore checks what it can before sending; the rest the service refuses.
    for inputs in (
        {"name": "bad/name"},
        {"analysisParameters": [{"name": "has-dash", "type": "INT"}]},
    ):
        params = {
            "membershipIdentifier": membership,
            "name": "t",
            "format": "SQL",
            "source": {"text": "SELECT 1 FROM orders"},
            **inputs,
        }
        with raises_aws("ValidationException", status=400):
            creator.create_analysis_template(**params)
    assert own(with_tables, CREATOR) == []


def test_the_source_fits_the_format(with_tables: Collaboration) -> None:
    creator, membership = with_tables[CREATOR], with_tables.memberships[CREATOR]
    artifacts = {
        "entryPoint": {"location": {"bucket": "scripts", "key": "analysis.py"}},
        "roleArn": "arn:aws:iam::111111111111:role/cleanrooms-pyspark",
    }

    with raises_aws("ValidationException", field="source", message=re.compile("source.text")):
        creator.create_analysis_template(
            membershipIdentifier=membership,
            name="t",
            format="SQL",
            source={"artifacts": artifacts},
        )
    with raises_aws("ValidationException", field="source", message=re.compile("source.artifacts")):
        creator.create_analysis_template(
            membershipIdentifier=membership,
            name="t",
            format="PYSPARK_1_0",
            source={"text": "SELECT 1"},
        )


def test_a_pyspark_template_is_stored_as_given(with_tables: Collaboration) -> None:
    artifacts = {
        "entryPoint": {"location": {"bucket": "scripts", "key": "analysis.py"}},
        "additionalArtifacts": [{"location": {"bucket": "scripts", "key": "venv.tar.gz"}}],
        "roleArn": "arn:aws:iam::111111111111:role/cleanrooms-pyspark",
    }

    template = with_tables[CREATOR].create_analysis_template(
        membershipIdentifier=with_tables.memberships[CREATOR],
        name="spark_job",
        format="PYSPARK_1_0",
        source={"artifacts": artifacts},
        schema={"referencedTables": ["customers"]},
        errorMessageConfiguration={"type": "DETAILED"},
    )["analysisTemplate"]

    assert template["source"] == {"artifacts": artifacts}
    assert template["schema"] == {"referencedTables": ["customers"]}
    assert template["errorMessageConfiguration"] == {"type": "DETAILED"}
    with raises_aws("ValidationException", reason="INVALID_QUERY", field="schema.referencedTables"):
        with_tables[CREATOR].create_analysis_template(
            membershipIdentifier=with_tables.memberships[CREATOR],
            name="spark_job",
            format="PYSPARK_2_0",
            source={"artifacts": artifacts},
            schema={"referencedTables": ["nowhere"]},
        )


def test_only_through_ones_own_active_membership(with_tables: Collaboration) -> None:
    for account, membership in (
        (ADVERTISER, with_tables.memberships[PUBLISHER]),
        (STRANGER, with_tables.memberships[PUBLISHER]),
        (PUBLISHER, "11111111-2222-3333-4444-555555555555"),
    ):
        with raises_aws("ResourceNotFoundException", status=404) as caught:
            with_tables[account].create_analysis_template(
                membershipIdentifier=membership,
                name="t",
                format="SQL",
                source={"text": "SELECT 1 FROM customers"},
            )
        assert caught.response["resourceType"] == "MEMBERSHIP"

    with_tables[CREATOR].delete_member(collaborationIdentifier=with_tables.id, accountId=ADVERTISER)
    with raises_aws("ConflictException", status=409, reason="INVALID_STATE"):
        create(with_tables, ADVERTISER, "SELECT 1 FROM customers")


def test_other_memberships_templates_are_not_found(with_tables: Collaboration) -> None:
    template = create(with_tables, CREATOR, "SELECT COUNT(*) FROM orders")

    for account in (PUBLISHER, STRANGER):
        with raises_aws("ResourceNotFoundException", status=404) as caught:
            with_tables[account].get_analysis_template(
                membershipIdentifier=with_tables.memberships.get(account, template["membershipId"]),
                analysisTemplateIdentifier=template["id"],
            )
        assert caught.response["resourceType"] == "MEMBERSHIP"
    with raises_aws(
        "ResourceNotFoundException",
        message="Analysis template 00000000-0000-4000-8000-000000000000 not found.",
    ):
        with_tables[CREATOR].get_analysis_template(
            membershipIdentifier=with_tables.memberships[CREATOR],
            analysisTemplateIdentifier="00000000-0000-4000-8000-000000000000",
        )


def test_templates_per_membership_quota() -> None:
    from assoc_support import four_accounts

    with mock_cleanrooms(quotas={"analysis_templates_per_membership": 2}) as mock:
        collab = four_accounts(mock)
        for index in range(2):
            create(collab, CREATOR, "SELECT 1", name=f"t{index}")
        create(collab, PUBLISHER, "SELECT 1", name="publishers")  # counted per membership

        with raises_aws("ServiceQuotaExceededException", status=402) as caught:
            create(collab, CREATOR, "SELECT 1", name="third")
        assert caught.response["quotaName"] == "Analysis templates per membership"
        assert caught.response["quotaValue"] == 2

        first = own(collab, CREATOR)[0]
        collab[CREATOR].delete_analysis_template(
            membershipIdentifier=collab.memberships[CREATOR], analysisTemplateIdentifier=first["id"]
        )
        assert create(collab, CREATOR, "SELECT 1", name="third")["name"] == "third"


def test_a_legacy_sql_engine_collaboration_reads_redshift_sql_and_refuses_pyspark(
    cleanrooms_mock: Any, with_tables: Collaboration
) -> None:
    # Collaborations on the Clean Rooms SQL engine can no longer be created; a state document
    # brings one back, as it was made before.
    state = cleanrooms_mock.dump()
    [collaboration] = state["regions"]["us-east-1"]["collaborations"]
    collaboration["analyticsEngine"] = "CLEAN_ROOMS_SQL"
    cleanrooms_mock.stop()
    cleanrooms_mock.start()
    cleanrooms_mock.load(state)

    # Redshift's `TOP` is SQL there (Spark SQL has no TOP).
    template = create(with_tables, CREATOR, "SELECT TOP 5 user_id FROM customers")
    assert template["schema"] == {"referencedTables": ["customers"]}
    with raises_aws("ValidationException", field="format", message=re.compile("Spark")):
        with_tables[CREATOR].create_analysis_template(
            membershipIdentifier=with_tables.memberships[CREATOR],
            name="spark_job",
            format="PYSPARK_1_0",
            source={
                "artifacts": {
                    "entryPoint": {"location": {"bucket": "scripts", "key": "analysis.py"}},
                    "roleArn": "arn:aws:iam::111111111111:role/cleanrooms-pyspark",
                }
            },
        )
