"""A protected query: what a member who can query started, and what became of it.

It belongs to the membership that started it; only that membership's account sees it (the
model's operations all take a ``membershipIdentifier`` of the caller's). Its rows are kept for
:meth:`cleanrooms_mock.CleanRoomsMock.query_result`; the delivered result files live in moto's S3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..memberships.entities import Membership

__all__ = ["FINISHED", "ProtectedQuery"]

#: Statuses a query does not leave (model ``ProtectedQueryStatus``).
FINISHED = frozenset({"SUCCESS", "FAILED", "CANCELLED", "TIMED_OUT"})


@dataclass(slots=True, eq=False)
class ProtectedQuery:
    """A query of a membership (model structure ``ProtectedQuery``)."""

    id: str
    membership: Membership
    #: ``sqlParameters`` as given (the template's ARN, or the query text; ``parameters``).
    sql_parameters: dict[str, Any]
    #: The SQL to run: the query text, or the template's text with its parameters bound.
    sql: str
    #: ``resultConfiguration`` as it applies: as given, or the membership's default.
    result_configuration: dict[str, Any]
    #: The accounts that receive the result (``receiverConfigurations``).
    receivers: list[str]
    payer_account_id: str
    create_time: datetime
    compute_configuration: dict[str, Any] | None = None
    #: The creator of the template run (None: a direct query).
    template_creator: str | None = None
    status: str = "SUBMITTED"
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    statistics: dict[str, Any] | None = None
    #: The result rows, as the engine returns them (for ``query_result``).
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: Creation order within the region: what list pages resume from.
    seq: int = 0

    @property
    def account_id(self) -> str:
        return self.membership.account_id

    @property
    def finished(self) -> bool:
        """True once the query is SUCCESS, FAILED, CANCELLED or TIMED_OUT."""
        return self.status in FINISHED

    def describe(self, viewer: str) -> dict[str, Any]:
        """The ProtectedQuery shape, and the ProtectedQuerySummary one (the output shape
        trims what its shape does not have)."""
        membership = self.membership
        return {
            "id": self.id,
            "membershipId": membership.id,
            "membershipArn": membership.arn,
            "createTime": self.create_time,
            "sqlParameters": self.sql_parameters,
            "status": self.status,
            "resultConfiguration": self.result_configuration,
            "statistics": self.statistics,
            "result": self.result,
            "error": self.error,
            "computeConfiguration": self.compute_configuration,
            "queryComputePayerAccountId": self.payer_account_id,
            "receiverConfigurations": [
                {
                    "analysisType": "DIRECT_ANALYSIS",
                    "configurationDetails": {
                        "directAnalysisConfigurationDetails": {
                            "receiverAccountIds": list(self.receivers)
                        }
                    },
                }
            ],
        }
