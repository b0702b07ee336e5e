"""Inside moto's ``mock_aws``: our part in moto, patched in once per process.

* moto's stubber sends Clean Rooms to us (by the service a request is signed for, or the host
  of an unsigned one), even where moto ships its own ``cleanrooms`` (moto >= 5.2.3), and every
  other request to moto, acting as our caller (:mod:`.forwarding`);
* moto's ``get_current_account`` answers that caller first;
* moto's resets reset our stores, quotas, options and faults too;
* a ``mock_aws()`` started or stopped inside an active ``mock_cleanrooms`` resets nothing.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

from moto.core.base_backend import BackendDict, backend_lock
from moto.core.models import MockAWS, botocore_stubber
from moto.core.responses import BaseResponse

from .. import _activation
from . import forwarding
from .hooks import ANSWERED, SERVICE, serve, service_of

__all__ = ["install_into_moto"]

_PACKAGE = __package__.rpartition(".")[0]
#: True while moto resets inside an active ``mock_cleanrooms``, which keeps the state (guarded
#: by moto's ``backend_lock``).
_keeping_state = False


def install_into_moto() -> None:
    """Take our part in moto (once per process; idempotent): route Clean Rooms to us, make
    moto act as our caller, and keep the state of an outer ``mock_cleanrooms``."""
    original = botocore_stubber.process_request
    if getattr(original, "_cleanrooms_mock", False):
        return
    forwarding.moto_process_request = original

    @functools.wraps(original)
    def process_request(request: Any) -> Any:
        if getattr(request, ANSWERED, False):
            return None  # our before-send hook answered it already
        service = service_of(request)
        if service == SERVICE:
            response = serve(request)
            return response.status, response.headers, response.body
        return forwarding.forward_to_moto(request, service)

    process_request._cleanrooms_mock = True  # type: ignore[attr-defined]
    botocore_stubber.process_request = process_request  # type: ignore[method-assign]
    _act_as_our_caller()
    _reset_settings_with_moto()
    _keep_state_under_mock_cleanrooms()


def _act_as_our_caller() -> None:
    """moto's ``get_current_account`` answers the account of :func:`.forwarding.moto_acts_as`
    first."""
    original = BaseResponse.get_current_account

    @functools.wraps(original)
    def get_current_account(self: Any) -> str:
        account = forwarding.moto_account()
        return account if account is not None else str(original(self))

    BaseResponse.get_current_account = get_current_account  # type: ignore[method-assign]


def _reset_settings_with_moto() -> None:
    """When moto resets its backends (each ``mock_aws()`` start), reset our state, quotas,
    options and faults too.

    The state lives in region stores, not in moto's backends, so moto's reset would miss the
    stores of regions no backend object was made for (a seeded region nobody called yet).
    Quotas, options and faults are process-wide settings, not backend state, so moto's reset
    would miss them and a quota, option or fault set inside one ``mock_aws()`` would leak into
    the next. An active
    ``mock_cleanrooms`` owns them instead, and they are left to it.
    """
    original = BackendDict.__dict__["reset"].__func__

    def reset(cls: type) -> None:
        original(cls)
        if _keeping_state:
            return  # see _keep_state_under_mock_cleanrooms
        # Only what was ever loaded can have been changed.
        store_module = sys.modules.get(f"{_PACKAGE}.domain.store")
        if store_module is not None:
            store_module.state.clear()
        if _activation.active():
            return
        faults_module = sys.modules.get(f"{_PACKAGE}.faults")
        if faults_module is not None:
            faults_module.faults.clear()
        for name in ("quotas", "options"):
            settings_module = sys.modules.get(f"{_PACKAGE}.domain.{name}")
            if settings_module is not None:
                getattr(settings_module, name).reset()

    BackendDict.reset = classmethod(reset)  # type: ignore[assignment,method-assign]


def _keep_state_under_mock_cleanrooms() -> None:
    """A ``mock_aws()`` started or stopped inside an active ``mock_cleanrooms`` resets nothing.

    The outermost activation owns the state (Clean Rooms', and moto's: STS credentials it
    issued, resources made inside): ``mock_cleanrooms`` discards it when it ends.
    """
    original = MockAWS.reset

    @functools.wraps(original)
    def reset(self: Any) -> None:
        global _keeping_state
        if not _activation.active():
            original(self)
            return
        in_use: list[Any] = BackendDict._instances  # type: ignore[misc]
        with backend_lock:  # moto's reset then finds no backend to reset, and we no store
            kept = list(in_use)
            in_use.clear()
            _keeping_state = True
            try:
                original(self)
            finally:
                _keeping_state = False
                in_use[:] = kept

    MockAWS.reset = reset  # type: ignore[method-assign]
