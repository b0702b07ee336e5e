"""Seeding: load the mock's state from a JSON or YAML document, and dump it back to one.

A test starts from a known state (collaborations, invitations, memberships, configured tables)
without a page of boto3 calls, and a state a test reached can be saved and reloaded. Loading
replays the document through the domain: every entry is validated against the installed
botocore model, then created with the backend's own methods, so a seeded state is one the
service could have reached (same rules, same quotas, same indexes and list order).

Format (version 1), as :func:`dump_state` returns it, for example::

    {"version": 1,
     "regions": {
       "us-east-1": {
         "collaborations": [
           {"id": "0f5d...",                        # optional: kept, else a new one
            "creatorAccountId": "123456789012",
            "name": "ads", "creatorDisplayName": "Publisher",
            "creatorMemberAbilities": ["CAN_QUERY"], "queryLogStatus": "ENABLED",
            "members": [{"accountId": "222222222222", "displayName": "Advertiser",
                         "memberAbilities": [], "status": "ACTIVE",
                         "updateTime": "2025-01-02T00:00:00+00:00"}],
            "tags": {"team": "ads"},
            "createTime": "2025-01-01T00:00:00+00:00",   # optional, ISO 8601
            "updateTime": "2025-01-01T00:00:00+00:00",   # optional
            "deleted": false,                            # optional
            "memberships": [
              {"id": "9a1c...", "accountId": "222222222222", "queryLogStatus": "DISABLED",
               "status": "ACTIVE", "deleted": false,
               "createTime": "2025-01-02T00:00:00+00:00",
               "updateTime": "2025-01-02T00:00:00+00:00"}]}],
         "configuredTables": [
           {"id": "5e2b...",                           # optional: kept, else a new one
            "accountId": "222222222222",               # the owner
            "name": "orders",
            "tableReference": {"glue": {"databaseName": "sales", "tableName": "orders"}},
            "allowedColumns": ["user_id", "amount"], "analysisMethod": "DIRECT_QUERY",
            "tags": {"team": "data"},
            "analysisRule": {"analysisRuleType": "CUSTOM",           # optional
                             "analysisRulePolicy": {"v1": {"custom": {"allowedAnalyses": []}}},
                             "createTime": "2025-01-03T00:00:00+00:00",
                             "updateTime": "2025-01-03T00:00:00+00:00"},
            "createTime": "2025-01-03T00:00:00+00:00",
            "updateTime": "2025-01-03T00:00:00+00:00"}]}}}

A region entry holds the families' sections, ``regions.<region>.<SECTION>[]``: each family
with one describes its entries in its ``domain/<family>/seed.py`` docstring (the collaborations
section, with its members and the memberships nested in it, is the memberships family's, as
they are replayed together). Across sections:

* Unknown keys are refused (a typo is never silently ignored); a ``null`` value counts as absent.
  Timestamps are ISO 8601 (YAML timestamps too); naive ones are UTC. ``updateTime`` defaults to
  ``createTime``.
* Loading (:func:`load_state`) adds to the current state; ids must be new. Sections are
  replayed region by region in data order (collaborations and their memberships, then
  configured tables, ...), each entry through the operations of the account it names, so that
  quotas and rules apply as at creation.

Loading is all-or-nothing: the whole document is checked first (structure, the model, references,
ids, statuses), reporting every problem at once; the domain rules then apply entry by entry to a
staged copy of the state, under the store's lock, and the copy replaces the state only when every
entry succeeded: a failure leaves the state as it was.

The package: :mod:`.core` is the format (version, problems, files, shared checks), each family's
section is ``domain/<family>/seed.py``, and :mod:`.state` puts them together. The loading
functions are imported on first use, so that a family's section can import :mod:`.core` without
importing every section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core import FORMAT_VERSION, SeedError, SeedProblem

if TYPE_CHECKING:
    from .state import dump_state, load_state, replace_state, save_state

__all__ = [
    "FORMAT_VERSION",
    "SeedError",
    "SeedProblem",
    "dump_state",
    "load_state",
    "replace_state",
    "save_state",
]

_FROM_STATE = frozenset({"dump_state", "load_state", "replace_state", "save_state"})


def __getattr__(name: str) -> Any:
    """The loading functions of :mod:`.state`, imported on first use."""
    if name in _FROM_STATE:
        from . import state

        return getattr(state, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
