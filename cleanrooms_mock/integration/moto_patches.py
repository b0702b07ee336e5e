"""Inside moto's ``mock_aws``: Clean Rooms requests go to us, and moto's resets reset us too."""

from __future__ import annotations

import functools
import re
import sys
from typing import Any

from moto.core.base_backend import BackendDict
from moto.core.models import botocore_stubber

from .. import _activation
from .hooks import serve

__all__ = ["install_into_moto"]

_CLEANROOMS_URL = re.compile(
    r"^https?://cleanrooms(?:-fips)?\.[a-z0-9-]+\.(?:amazonaws\.com|api\.aws)"
)
_PACKAGE = __package__.rpartition(".")[0]


def install_into_moto() -> None:
    """Route moto's stubber to us for Clean Rooms (once per process; idempotent)."""
    original = botocore_stubber.process_request
    if getattr(original, "_cleanrooms_mock", False):
        return

    @functools.wraps(original)
    def process_request(request: Any) -> Any:
        if _CLEANROOMS_URL.match(request.url):
            response = serve(request)
            return response.status, response.headers, response.body
        return original(request)

    process_request._cleanrooms_mock = True  # type: ignore[attr-defined]
    botocore_stubber.process_request = process_request  # type: ignore[method-assign]
    _reset_settings_with_moto()


def _reset_settings_with_moto() -> None:
    """When moto resets its backends (each ``mock_aws()`` start), reset our state, quotas and
    faults too.

    The state lives in region stores, not in moto's backends, so moto's reset would miss the
    stores of regions no backend object was made for (a seeded region nobody called yet).
    Quotas and faults are process-wide settings, not backend state, so moto's reset would miss
    them and a quota or fault set inside one ``mock_aws()`` would leak into the next. An active
    ``mock_cleanrooms`` owns them instead, and they are left to it.
    """
    original = BackendDict.__dict__["reset"].__func__

    def reset(cls: type) -> None:
        original(cls)
        # Only what was ever loaded can have been changed.
        store_module = sys.modules.get(f"{_PACKAGE}.domain.store")
        if store_module is not None:
            store_module.state.clear()
        if _activation.active():
            return
        faults_module = sys.modules.get(f"{_PACKAGE}.faults")
        quotas_module = sys.modules.get(f"{_PACKAGE}.domain.quotas")
        if faults_module is not None:
            faults_module.faults.clear()
        if quotas_module is not None:
            quotas_module.quotas.reset()

    BackendDict.reset = classmethod(reset)  # type: ignore[assignment,method-assign]
