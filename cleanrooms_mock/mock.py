"""Activation: ``mock_cleanrooms``, a decorator, context manager and ``start()``/``stop()``.

How requests reach the mock (a botocore hook alone, moto's stubber inside ``mock_aws``) is in
:mod:`.integration`; an activation only starts and ends the state, the settings and the fake
credentials. Activations are counted in :mod:`._activation`, which the hooks read. Activations
of both styles nest, ``mock_cleanrooms`` and moto's ``mock_aws`` in any order
(:class:`CleanRoomsMock`).
"""

from __future__ import annotations

import functools
import inspect
import os
import unittest
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

import boto3
from moto.core.base_backend import BackendDict
from moto.core.models import botocore_stubber

from . import _activation
from .accounts import ACCOUNT_HEADER, ambient_account
from .defaults import DEFAULT_REGION
from .integration import NotMockedError, install

if TYPE_CHECKING:
    from .faults import Fault

# The service core (model, shapes, backend) is imported on first use, not with the package:
# `import cleanrooms_mock` then costs little more than importing moto (see benchmarks/).

__all__ = [
    "CleanRoomsMock",
    "NotMockedError",
    "client_acting_as",
    "install",
    "mock_cleanrooms",
]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "FOOBARKEY", "AWS_SECRET_ACCESS_KEY": "FOOBARSECRET"}


# ---- activation ------------------------------------------------------------------------------


@dataclass
class _Activation:
    """What one ``start()`` changed, for its ``stop()`` to give back."""

    #: The outermost activation of either style owns the state: it started it and discards it.
    owner: bool
    quotas: dict[str, int]
    options: dict[str, bool]
    faults: list[Fault]
    #: The environment variables it set, with their values before (None: unset).
    environment: dict[str, str | None]


class CleanRoomsMock:
    """A decorator, context manager and ``start()``/``stop()`` handle for the Clean Rooms mock.

    Activations nest, ``mock_cleanrooms`` and moto's ``mock_aws`` in any order: the outermost
    start begins from an empty state and the outermost stop discards it, so nothing leaks from
    one test into the next; an inner activation keeps that state, and what it set (quotas,
    options, faults, fake credentials) ends with it.
    """

    def __init__(
        self,
        quotas: Mapping[str, int] | None = None,
        account: str | None = None,
        region: str = DEFAULT_REGION,
        verify_glue_tables: bool | None = None,
        step_protected_queries: bool | None = None,
    ) -> None:
        from .settings import check_account, check_flag, check_quotas, check_region

        self.quotas = check_quotas({} if quotas is None else quotas, "mock_cleanrooms(quotas=...)")
        #: The options this activation sets (:mod:`.domain.options`); those left out keep the
        #: value they have when it starts (the defaults, for an outermost activation).
        self.options: dict[str, bool] = {}
        if verify_glue_tables is not None:
            self.options["verify_glue_tables"] = check_flag(
                verify_glue_tables, "mock_cleanrooms(verify_glue_tables=...)"
            )
        if step_protected_queries is not None:
            self.options["step_protected_queries"] = check_flag(
                step_protected_queries, "mock_cleanrooms(step_protected_queries=...)"
            )
        self._account = (
            None if account is None else check_account(account, "mock_cleanrooms(account=...)")
        )
        self.region = check_region(region, "mock_cleanrooms(region=...)")
        self._activations: list[_Activation] = []
        #: What a ``stop(remove_data=False)`` kept, for the next ``start(reset=False)`` to take
        #: over (a pytest class's ``setup_method``, then its test).
        self._kept: _Activation | None = None

    @property
    def account(self) -> str:
        """The account :meth:`client` acts as by default: the one given, else
        ``MOTO_ACCOUNT_ID``, else moto's default ``123456789012``."""
        return self._account or ambient_account()

    @account.setter
    def account(self, account: str | None) -> None:
        from .settings import check_account

        self._account = None if account is None else check_account(account, "account")

    def client(self, account: str | None = None, region: str | None = None, **kwargs: Any) -> Any:
        """A boto3 ``cleanrooms`` client acting as ``account`` (no STS plumbing needed).

        The account travels in moto's ``x-moto-account-id`` header, which the mock honours
        in-process, inside ``mock_aws`` and in server mode alike, before ``MOTO_ACCOUNT_ID``
        and the client's credentials (README "Accounts and regions"). An account that is not 12
        digits or a region without Clean Rooms raises ValueError (TypeError: not a string).
        """
        from .settings import check_account, check_region

        if account is not None:
            check_account(account, "client(account=...)")
        if region is not None:
            check_region(region, "client(region=...)")
        return client_acting_as(
            "cleanrooms", account or self.account, region or self.region, **kwargs
        )

    def inject(self, error: str, operation: str | None = None, **options: Any) -> Fault:
        """Make calls fail with a modeled error; see :meth:`FaultPlan.inject` for the options.

        ``mock.inject("ThrottlingException", "create_membership", times=2)`` fails the next two
        ``create_membership`` calls; ``rate=0.2, seed=1`` fails a fifth of them, reproducibly.
        """
        from .faults import faults

        return faults.inject(error, operation, **options)

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        from .faults import faults

        faults.clear()

    def query_result(self, query_id: str) -> list[dict[str, Any]]:
        """The result rows of protected query ``query_id``, wherever they were delivered (S3
        output, a member's default result configuration, distribute), as dicts keyed by column
        name with the values typed as the query engine returned them (int, float, str,
        datetime.date, Decimal, None...).

        An unfinished query is finished first, as the next GetProtectedQuery would; with
        ``step_protected_queries`` on, it must have finished already. Raises KeyError for an
        unknown id and ValueError for a query that did not succeed (its status and error in
        the message).
        """
        from .domain.protected_queries.ops import query_rows

        return query_rows(query_id)

    def load(self, source: str | os.PathLike[str] | Mapping[str, Any]) -> None:
        """Seed the state from a JSON/YAML file or a mapping (format: :mod:`.seeding`)."""
        from .seeding import load_state  # imported on first use: it costs ~15 ms at import

        load_state(source)

    def dump(self) -> dict[str, Any]:
        """The current state, in the format :meth:`load` reads."""
        from .seeding import dump_state

        return dump_state()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the current state to ``path`` (JSON, or YAML by extension), atomically."""
        from .seeding import save_state

        save_state(path)

    @classmethod
    def active(cls) -> bool:
        return _activation.active()

    def start(self, reset: bool = True) -> None:
        """Activate; with ``reset`` (the default) the outermost activation starts empty: no
        Clean Rooms resources, nothing in moto's backends (Glue tables, S3 objects, STS
        credentials) that an earlier activation stopped with ``remove_data=False`` kept, no
        faults and the default quotas (then this mock's ``quotas``).

        An activation inside another one, or inside moto's ``mock_aws()``, keeps that state.
        ``reset=False`` keeps the state, faults and quotas there are, and takes over what this
        mock's last ``stop(remove_data=False)`` kept: its stop then ends them both.
        """
        from .domain.options import options
        from .domain.quotas import quotas
        from .faults import faults

        with _activation.lock:
            if _activation.depth == 0:
                _forget_default_credentials()
            owner = _activation.depth == 0 and not botocore_stubber.enabled
            kept, self._kept = self._kept, None
            if kept is not None and not reset:  # what the kept activation's start found
                activation = _Activation(owner, kept.quotas, kept.options, kept.faults, {})
            else:
                activation = _Activation(
                    owner, quotas.snapshot(), options.snapshot(), faults.snapshot(), {}
                )
            if owner and reset:
                faults.clear()
                _discard_state()
                quotas.reset()
                options.reset()
            if not os.environ.get("AWS_ACCESS_KEY_ID"):
                for name, value in _FAKE_CREDENTIALS.items():
                    activation.environment[name] = os.environ.get(name)
                    os.environ[name] = value
            # boto3's default session is kept (unlike moto, which replaces it at every start):
            # a new session reloads botocore's data files, ~50 ms per activation. Every session
            # has our hook (see install()), so nothing it sends leaves the process. Only the
            # credentials it resolved are forgotten, at the outermost start and stop.
            if kept is None or reset:  # quotas and options set since the kept start stay
                quotas.update(self.quotas)  # even for a nested activation, until it stops
                options.update(self.options)
            self._activations.append(activation)
            _activation.depth += 1

    def stop(self, remove_data: bool = True) -> None:
        """Deactivate; the outermost stop discards the state, faults and quotas it set.

        The state is Clean Rooms' and moto's (STS credentials the mock issued, Glue tables and S3
        objects, whatever an inner ``mock_aws()`` made): an inner activation leaves both to the
        outermost one, and ends only the faults and quotas set during it. With
        ``remove_data=False`` the state, faults and quotas stay for this mock's next
        ``start(reset=False)``, whose stop ends them.
        """
        from .domain.options import options
        from .domain.quotas import quotas
        from .faults import faults

        with _activation.lock:
            if _activation.depth == 0 or not self._activations:
                raise RuntimeError("mock_cleanrooms: stop() called without a matching start()")
            activation = self._activations.pop()
            _activation.depth -= 1
            if not remove_data:
                self._kept = activation
            elif not activation.owner:
                faults.restore(activation.faults)
                quotas.update(activation.quotas)
                options.update(activation.options)
            else:
                faults.clear()
                # a mock_aws() started later owns moto's state: leave it to its own end
                _discard_state(moto=not botocore_stubber.enabled)
                quotas.update(activation.quotas)
                options.update(activation.options)
            for name, value in activation.environment.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            if _activation.depth == 0:
                _forget_default_credentials()

    def __enter__(self) -> CleanRoomsMock:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        """Decorate a function, a method or a class (each ``test*`` method, with ``setUp``)."""
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        if callable(target):
            return self._wrap(target, reset=True, remove_data=True)
        raise TypeError(f"mock_cleanrooms cannot decorate {target!r}")

    def _wrap(self, function: F, reset: bool, remove_data: bool) -> F:
        # pytest passes setup_method an argument when a wrapper's own code accepts one: give
        # the wrapped function only as many positional arguments as it takes.
        limit = _positional_limit(function)
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                self.start(reset=reset)
                try:
                    return await function(*args[:limit], **kwargs)
                finally:
                    self.stop(remove_data=remove_data)

            return run_async  # type: ignore[return-value]

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            self.start(reset=reset)
            try:
                return function(*args[:limit], **kwargs)
            finally:
                self.stop(remove_data=remove_data)

        return run  # type: ignore[return-value]

    def _decorate_class(self, klass: type) -> type:
        if issubclass(klass, unittest.TestCase):
            # One activation around setUp, the test and tearDown: they share one state.
            klass.run = self._wrap(klass.run, reset=True, remove_data=True)  # type: ignore[method-assign]
            return klass
        # pytest-style classes: a setup method seeds the state the test then sees.
        has_setup = any(
            name in vars(cls) for cls in klass.__mro__ for name in ("setup_method", "setup")
        )
        for name, value in list(vars(klass).items()):
            if isinstance(value, (staticmethod, classmethod)) or not callable(value):
                continue
            if name in ("setup_method", "setup"):
                setattr(klass, name, self._wrap(value, reset=True, remove_data=False))
            elif name.startswith(unittest.TestLoader.testMethodPrefix):
                setattr(klass, name, self._wrap(value, reset=not has_setup, remove_data=True))
        return klass


def client_acting_as(service: str, account: str, region: str, **kwargs: Any) -> Any:
    """A boto3 client of ``service`` in ``region`` whose every request acts as ``account``.

    The account travels in moto's ``x-moto-account-id`` header, which the mock and moto honour
    before the client's credentials and ``MOTO_ACCOUNT_ID`` (README "Accounts and regions").
    ``account`` and ``region`` are taken as given (callers check them); ``kwargs`` go to
    ``boto3.client``.
    """
    client = boto3.client(service, region_name=region, **kwargs)

    def add_account(request: Any, **_: Any) -> None:
        request.headers[ACCOUNT_HEADER] = account

    client.meta.events.register("before-sign", add_account)
    return client


def _discard_state(moto: bool = True) -> None:
    """Forget the Clean Rooms state and, with ``moto``, what moto's backends hold (STS
    credentials, Glue tables, S3 objects, whatever an inner ``mock_aws()`` made).

    moto's ``BackendDict.reset`` resets the backends used since the last reset (the ones moto
    lists in ``BackendDict._instances``); when none was used it is not called at all, so an
    activation that used nothing of moto's pays nothing for it.
    """
    from .domain.backend import reset_state

    reset_state()
    if moto and BackendDict._instances:  # type: ignore[misc]
        BackendDict.reset()


def _forget_default_credentials() -> None:
    """boto3's default session resolves its credentials again for its next client.

    botocore's Session caches what its credential chain resolved (``Session.get_credentials``
    fills ``_credentials`` once; botocore has no public way to drop it), so without this an
    ``AWS_ACCESS_KEY_ID`` set after an earlier activation, or the mock's fake one after it
    ended, would keep signing. Credentials given explicitly (``boto3.setup_default_session(
    aws_access_key_id=...)``, method ``explicit``) are kept. Costs nothing here: the chain runs
    when the next client is made.
    """
    session = boto3.DEFAULT_SESSION
    core = getattr(session, "_session", None)
    credentials = getattr(core, "_credentials", None)
    if credentials is not None and getattr(credentials, "method", None) != "explicit":
        core._credentials = None  # type: ignore[union-attr]


def _positional_limit(function: Callable[..., Any]) -> int | None:
    """How many positional arguments ``function`` accepts (None: any number)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in parameters if p.kind in positional)


@overload
def mock_cleanrooms(target: T) -> T: ...


@overload
def mock_cleanrooms(
    *,
    quotas: Mapping[str, int] | None = None,
    account: str | None = None,
    region: str = DEFAULT_REGION,
    verify_glue_tables: bool | None = None,
    step_protected_queries: bool | None = None,
) -> CleanRoomsMock: ...


def mock_cleanrooms(
    target: Any = None,
    *,
    quotas: Mapping[str, int] | None = None,
    account: str | None = None,
    region: str = DEFAULT_REGION,
    verify_glue_tables: bool | None = None,
    step_protected_queries: bool | None = None,
) -> Any:
    """Mock AWS Clean Rooms: ``@mock_cleanrooms``, ``with mock_cleanrooms():`` or ``start()``.

    ``quotas`` overrides service quotas for this activation, e.g.
    ``mock_cleanrooms(quotas={"memberships_per_account": 2})``; ``account`` and ``region`` are
    what :meth:`CleanRoomsMock.client` acts as by default (no ``account``: ``MOTO_ACCOUNT_ID``,
    else moto's default ``123456789012``). ``verify_glue_tables=False`` lets CreateConfiguredTable
    and UpdateConfiguredTable take Glue and Athena references without reading the Glue Data
    Catalog, as moto's own Clean Rooms does (default: they must name a Glue table of the caller's
    account and its columns; README "Configured tables"). Each is checked here (a 12-digit
    account string, a region where Clean Rooms runs, known quota names, True or False):
    TypeError or ValueError, with a message saying what to give instead.
    """
    mock = CleanRoomsMock(
        quotas=quotas,
        account=account,
        region=region,
        verify_glue_tables=verify_glue_tables,
        step_protected_queries=step_protected_queries,
    )
    return mock if target is None else mock(target)
