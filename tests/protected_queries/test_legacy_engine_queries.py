"""A legacy collaboration on the Clean Rooms SQL engine, loaded from a state document, queried
through boto3: AGGREGATION and LIST rules at work on Glue tables with rows in moto's S3.

AWS no longer creates ``CLEAN_ROOMS_SQL`` collaborations, so a test that keeps one (to check code
written for AGGREGATION and LIST rules) loads it with ``cleanrooms_mock.load``: the collaboration,
both memberships, both members' configured tables with their analysis rules, and their
associations with their collaboration analysis rules. The data is real: Glue tables made by the
``cleanrooms_table`` fixture, read when the query runs. A query the rules refuse ends FAILED with
``MALFORMED_QUERY`` and the console's words; a query that runs writes its result to the
runner's bucket, read back with S3 as the runner.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cleanrooms_mock import CleanRoomsMock
from cleanrooms_mock.mock import client_acting_as

#: The member who can query and receive results (the collaboration's creator).
RUNNER = "111111111111"
#: The member who brings customers and cannot query.
OWNER = "222222222222"
RESULTS = "runner-results"
ROLE = "arn:aws:iam::{}:role/cleanrooms-read"
#: Ids the document gives (a document may name its own; they are UUIDs, as AWS's are).
MEMBERSHIPS = {
    RUNNER: "00000000-0000-4000-8000-00000000a001",
    OWNER: "00000000-0000-4000-8000-00000000a002",
}
TABLE_IDS = {
    name: f"00000000-0000-4000-8000-00000000b00{n}"
    for n, name in enumerate(["customers", "purchases", "customer_list", "purchase_list"])
}

#: The owner's customers: 3 people in Paris, 1 in Lyon, 2 in Nice.
CUSTOMERS = [
    ("a@x", "Paris", 31, "111"),
    ("b@x", "Paris", 40, "222"),
    ("c@x", "Paris", 31, "333"),
    ("d@x", "Lyon", 25, "444"),
    ("e@x", "Nice", 50, "555"),
    ("f@x", "Nice", 51, "666"),
]
#: The runner's purchases, joined to the customers on email (z@x is no customer).
PURCHASES = [("a@x", 10.0), ("b@x", 20.0), ("c@x", 30.0), ("d@x", 40.0), ("z@x", 70.0)]

#: The owner's AGGREGATION rule: count people and sum ages by city, joined on email, only
#: together with the runner's table, no city with fewer than 2 people.
CUSTOMERS_AGGREGATION = {
    "aggregation": {
        "aggregateColumns": [
            {"columnNames": ["email"], "function": "COUNT_DISTINCT"},
            {"columnNames": ["age"], "function": "SUM"},
        ],
        "joinColumns": ["email"],
        "joinRequired": "QUERY_RUNNER",
        "dimensionColumns": ["city"],
        "scalarFunctions": ["UPPER"],
        "outputConstraints": [{"columnName": "email", "minimum": 2, "type": "COUNT_DISTINCT"}],
    }
}
PURCHASES_AGGREGATION = {
    "aggregation": {
        "aggregateColumns": [{"columnNames": ["amount"], "function": "SUM"}],
        "joinColumns": ["email"],
        "dimensionColumns": [],
        "scalarFunctions": [],
        "outputConstraints": [{"columnName": "email", "minimum": 2, "type": "COUNT_DISTINCT"}],
    }
}
#: The LIST rules: the runner lists the cities and ages of the customers it shares.
CUSTOMERS_LIST = {"list": {"joinColumns": ["email"], "listColumns": ["city", "age"]}}
PURCHASES_LIST = {"list": {"joinColumns": ["email"], "listColumns": ["amount"]}}


def _table(
    account: str, name: str, glue: Any, policy: dict[str, Any], columns: list[str]
) -> dict[str, Any]:
    """A configuredTables[] entry: ``glue``'s table, configured with ``policy``'s rule."""
    kind = next(iter(policy)).upper()
    return {
        "id": TABLE_IDS[name],
        "accountId": account,
        "name": name,
        "tableReference": glue.table_reference,
        "allowedColumns": columns,
        "analysisMethod": "DIRECT_QUERY",
        "analysisRule": {"analysisRuleType": kind, "analysisRulePolicy": {"v1": policy}},
    }


def _association(account: str, name: str, kind: str) -> dict[str, Any]:
    """A configuredTableAssociations[] entry: table ``name`` as ``name``, results to the runner."""
    receivers = {kind.lower(): {"allowedResultReceivers": [RUNNER]}}
    return {
        "accountId": account,
        "membershipIdentifier": MEMBERSHIPS[account],
        "configuredTableIdentifier": TABLE_IDS[name],
        "name": name,
        "roleArn": ROLE.format(account),
        "analysisRule": {"analysisRuleType": kind, "analysisRulePolicy": {"v1": receivers}},
    }


def legacy_state(customers: Any, purchases: Any) -> dict[str, Any]:
    """The state document: the legacy collaboration, its two memberships, each member's table
    configured twice (AGGREGATION and LIST) and associated under four names."""
    return {
        "version": 1,
        "regions": {
            "us-east-1": {
                "collaborations": [
                    {
                        "creatorAccountId": RUNNER,
                        "name": "legacy overlap",
                        "description": "a Clean Rooms SQL collaboration",
                        "creatorDisplayName": "Runner",
                        "creatorMemberAbilities": ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
                        "members": [
                            {"accountId": OWNER, "displayName": "Owner", "memberAbilities": []}
                        ],
                        "queryLogStatus": "DISABLED",
                        "analyticsEngine": "CLEAN_ROOMS_SQL",
                        "memberships": [
                            {
                                "id": MEMBERSHIPS[RUNNER],
                                "accountId": RUNNER,
                                "queryLogStatus": "DISABLED",
                            },
                            {
                                "id": MEMBERSHIPS[OWNER],
                                "accountId": OWNER,
                                "queryLogStatus": "DISABLED",
                            },
                        ],
                    }
                ],
                "configuredTables": [
                    _table(
                        OWNER,
                        "customers",
                        customers,
                        CUSTOMERS_AGGREGATION,
                        ["email", "city", "age"],
                    ),
                    _table(
                        RUNNER, "purchases", purchases, PURCHASES_AGGREGATION, ["email", "amount"]
                    ),
                    _table(
                        OWNER, "customer_list", customers, CUSTOMERS_LIST, ["email", "city", "age"]
                    ),
                    _table(RUNNER, "purchase_list", purchases, PURCHASES_LIST, ["email", "amount"]),
                ],
                "configuredTableAssociations": [
                    _association(OWNER, "customers", "AGGREGATION"),
                    _association(RUNNER, "purchases", "AGGREGATION"),
                    _association(OWNER, "customer_list", "LIST"),
                    _association(RUNNER, "purchase_list", "LIST"),
                ],
            }
        },
    }


@dataclass
class LegacyRoom:
    """The loaded collaboration, as the runner queries it."""

    client: Any
    membership: str
    s3: Any

    def run(self, sql: str) -> dict[str, Any]:
        """Starts ``sql`` as the runner (results to its bucket) and reads it once: finished."""
        started = self.client.start_protected_query(
            type="SQL",
            membershipIdentifier=self.membership,
            sqlParameters={"queryString": sql},
            resultConfiguration={
                "outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": RESULTS}}
            },
        )["protectedQuery"]
        assert started["status"] == "SUBMITTED"
        query: dict[str, Any] = self.client.get_protected_query(
            membershipIdentifier=self.membership, protectedQueryIdentifier=started["id"]
        )["protectedQuery"]
        return query

    def result(self, query: dict[str, Any]) -> list[dict[str, str]]:
        """The CSV rows at the query's ``result.output.s3.location``, read as the runner."""
        location = query["result"]["output"]["s3"]["location"]
        bucket, key = location.removeprefix("s3://").split("/", 1)
        body = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
        return list(csv.DictReader(io.StringIO(body)))

    def refusal(self, sql: str) -> str:
        """The message of ``sql``'s FAILED query (its code MALFORMED_QUERY, not retryable)."""
        query = self.run(sql)
        assert query["status"] == "FAILED", query
        assert "result" not in query
        error = query["error"]
        assert error["code"] == "MALFORMED_QUERY"
        assert error["retry"] == {"retryable": False}
        message: str = error["message"]
        return message


@pytest.fixture
def legacy(cleanrooms_mock: CleanRoomsMock, cleanrooms_table: Callable[..., Any]) -> LegacyRoom:
    """Each member's Glue table with rows, then the state document loaded on top."""
    customers = cleanrooms_table(
        {"email": "string", "city": "string", "age": "int", "ssn": "string"},
        CUSTOMERS,
        name="customers",
        account=OWNER,
    )
    purchases = cleanrooms_table(
        {"email": "string", "amount": "double"}, PURCHASES, name="purchases", account=RUNNER
    )
    cleanrooms_mock.load(legacy_state(customers, purchases))
    s3 = client_acting_as("s3", RUNNER, "us-east-1")
    s3.create_bucket(Bucket=RESULTS)
    return LegacyRoom(cleanrooms_mock.client(RUNNER), MEMBERSHIPS[RUNNER], s3)


def test_the_loaded_collaboration_runs_the_legacy_engine(legacy: LegacyRoom) -> None:
    membership = legacy.client.get_membership(membershipIdentifier=legacy.membership)["membership"]
    collaboration = legacy.client.get_collaboration(
        collaborationIdentifier=membership["collaborationId"]
    )["collaboration"]

    assert collaboration["analyticsEngine"] == "CLEAN_ROOMS_SQL"
    schemas = legacy.client.list_schemas(collaborationIdentifier=collaboration["id"])
    assert sorted((s["name"], s["analysisRuleTypes"][0]) for s in schemas["schemaSummaries"]) == [
        ("customer_list", "LIST"),
        ("customers", "AGGREGATION"),
        ("purchase_list", "LIST"),
        ("purchases", "AGGREGATION"),
    ]


def test_an_aggregation_query_drops_cities_below_the_minimum(legacy: LegacyRoom) -> None:
    query = legacy.run(
        "SELECT c.city, COUNT(DISTINCT c.email) AS people, SUM(p.amount) AS spent "
        "FROM customers c INNER JOIN purchases p ON c.email = p.email "
        "GROUP BY c.city ORDER BY c.city"
    )

    assert query["status"] == "SUCCESS", query.get("error")
    # Lyon has one customer who bought: below the minimum of 2, dropped without a word.
    assert legacy.result(query) == [{"city": "Paris", "people": "3", "spent": "60.0"}]
    assert query["result"]["output"]["s3"]["location"].endswith("/part-00000.csv")


def test_an_aggregation_query_may_use_the_allowed_scalar_functions(legacy: LegacyRoom) -> None:
    query = legacy.run(
        'SELECT UPPER(c.city) AS "city", SUM(c.age) AS ages FROM customers c '
        "JOIN purchases p ON c.email = p.email GROUP BY UPPER(c.city)"
    )

    assert query["status"] == "SUCCESS", query.get("error")
    assert legacy.result(query) == [{"city": "PARIS", "ages": "102"}]


#: What the AGGREGATION rules refuse, and the console's words for it.
AGGREGATION_REFUSALS = [
    (  # a column that is not a dimension, selected without aggregating it
        "SELECT c.age, COUNT(DISTINCT c.email) AS n FROM customers c "
        "JOIN purchases p ON c.email = p.email GROUP BY c.age",
        "Column(s) [age] is not allowed in select",
    ),
    (  # the join column is no dimension either
        "SELECT c.email, SUM(p.amount) AS n FROM customers c "
        "JOIN purchases p ON c.email = p.email GROUP BY c.email",
        "Column(s) [email] is not allowed in select",
    ),
    (  # joinRequired QUERY_RUNNER: the runner's table must be inner joined
        "SELECT city, COUNT(DISTINCT email) AS n FROM customers GROUP BY city",
        "Inner join to query runner table required for table customers",
    ),
    (  # a LEFT JOIN is no inner join
        "SELECT c.city, SUM(c.age) AS n FROM customers c "
        "LEFT JOIN purchases p ON c.email = p.email GROUP BY c.city",
        "Inner join to query runner table required for table customers",
    ),
    (  # joined, but on a column that is no join column
        "SELECT c.city, SUM(c.age) AS n FROM customers c "
        "JOIN purchases p ON c.city = p.email GROUP BY c.city",
        "Column(s) [city] is not allowed in join",
    ),
    (  # a function the rule's scalarFunctions do not list
        "SELECT LOWER(c.city) AS c, SUM(c.age) AS n FROM customers c "
        "JOIN purchases p ON c.email = p.email GROUP BY LOWER(c.city)",
        "Function LOWER is not allowed in the query",
    ),
    (  # an aggregate function the rule does not give the column
        "SELECT c.city, AVG(c.age) AS n FROM customers c "
        "JOIN purchases p ON c.email = p.email GROUP BY c.city",
        "Column(s) [age] is not allowed in AVG aggregation",
    ),
    (
        "SELECT c.city FROM customers c JOIN purchases p ON c.email = p.email GROUP BY c.city",
        "An aggregation function is required",
    ),
    (  # a column the configured table does not allow at all
        "SELECT c.ssn, SUM(c.age) AS n FROM customers c "
        "JOIN purchases p ON c.email = p.email GROUP BY c.ssn",
        "Column 'ssn' could not be resolved",
    ),
    (
        "SELECT c.city, SUM(c.age) AS n FROM customers c JOIN purchase_list p "
        "ON c.email = p.email GROUP BY c.city",
        "Queries can only reference configured tables with the same analysis rule type",
    ),
    (  # MIN is no function the rule can give a column: the message says so, as written
        "SELECT c.city, SUM(c.age) AS n FROM customers c JOIN purchases p "
        "ON c.email = p.email GROUP BY c.city HAVING MIN(c.email) > 'b'",
        "Column(s) [email] is not allowed in MIN aggregation",
    ),
    (
        "SELECT c.city, SUM(c.age) AS n FROM customers c JOIN purchases p "
        "ON c.email = p.email GROUP BY c.city ORDER BY MAX(c.age)",
        "Column(s) [age] is not allowed in MAX aggregation",
    ),
    (  # an aggregate of an expression: shown as written, without sqlglot's quotes
        "SELECT c.city, SUM(c.age) AS n FROM customers c JOIN purchases p "
        "ON c.email = p.email GROUP BY c.city HAVING SUM(c.age + 1) > 1",
        "Only aggregation functions on a column are allowed in having: SUM(c.age + 1)",
    ),
]


def test_a_list_query_lists_the_shared_customers(legacy: LegacyRoom) -> None:
    query = legacy.run(
        "SELECT DISTINCT c.city, c.age FROM customer_list c "
        "JOIN purchase_list p ON c.email = p.email WHERE c.age > 30 LIMIT 10"
    )

    assert query["status"] == "SUCCESS", query.get("error")
    assert sorted(legacy.result(query), key=lambda row: row["age"]) == [
        {"city": "Paris", "age": "31"},
        {"city": "Paris", "age": "40"},
    ]


#: What the LIST rules refuse, and the console's words for it.
LIST_REFUSALS = [
    (
        "SELECT c.city FROM customer_list c JOIN purchase_list p ON c.email = p.email",
        "SELECT DISTINCT is required",
    ),
    (
        "SELECT DISTINCT c.email FROM customer_list c JOIN purchase_list p ON c.email = p.email",
        "Column(s) [email] is not allowed in select",
    ),
    (
        "SELECT DISTINCT city FROM customer_list",
        "Inner join to query runner table required for table customer_list",
    ),
    (
        "SELECT DISTINCT c.city FROM customer_list c JOIN purchase_list p "
        "ON c.email = p.email WHERE lower(c.city) = 'paris'",
        "Function LOWER is not allowed in a list query",
    ),
    (  # the LIST syntax has no ORDER BY, even on a listed column
        "SELECT DISTINCT c.city FROM customer_list c JOIN purchase_list p ON c.email = p.email "
        "ORDER BY c.age",
        "ORDER BY is not allowed by the LIST analysis rule",
    ),
    (
        "SELECT DISTINCT c.city FROM customer_list c JOIN purchase_list p ON c.email = p.email "
        "ORDER BY c.city DESC",
        "ORDER BY is not allowed by the LIST analysis rule",
    ),
    (
        "SELECT DISTINCT c.city, c.age FROM customer_list c JOIN purchase_list p "
        "ON c.email = p.email WHERE c.age > 1 ORDER BY 1 LIMIT 1",
        "ORDER BY is not allowed by the LIST analysis rule",
    ),
]


@pytest.mark.parametrize(("sql", "message"), AGGREGATION_REFUSALS + LIST_REFUSALS)
def test_the_rules_refuse_in_the_consoles_words(legacy: LegacyRoom, sql: str, message: str) -> None:
    assert legacy.refusal(sql).startswith(message)
