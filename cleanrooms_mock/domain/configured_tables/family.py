"""The configured tables family, as the shared modules see it (:mod:`..family`)."""

from __future__ import annotations

from ..family import Family, Quota
from . import seed
from .entities import ConfiguredTable
from .ops import ConfiguredTableOps

FAMILY = Family(
    order=3,
    ops=ConfiguredTableOps,
    quotas=(
        Quota("configured_tables_per_account", 250, "Configured tables per account"),
        Quota(
            "allowed_columns_per_configured_table", 100, "Columns per configured table allowlist"
        ),
        # Not adjustable on AWS ("Maximum size of JSON for an analysis rule"); quotaValue in KB.
        Quota("analysis_rule_kilobytes", 100, "Analysis rule size"),
    ),
    taggable=(ConfiguredTable,),
    seed=seed,
)
