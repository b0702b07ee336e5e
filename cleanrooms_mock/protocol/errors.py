"""The errors a request can earn, each named by its error shape in the Clean Rooms model.

:class:`CleanRoomsError` is the root of every error the mock answers with: it carries only the
error's code (its shape's name) and members; the HTTP status and body are written once, from
the model's error shapes, by :func:`.model.serialize_error`. The errors here are the protocol's
own (the request cannot be read, routed or served); the service's live in ``domain/errors.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from .shapes import FieldError

__all__ = [
    "MAX_FIELD_ERRORS",
    "CleanRoomsError",
    "FieldError",
    "InternalServerError",
    "NotImplementedOperation",
    "RequestTooLarge",
    "SerializationError",
    "UnknownOperation",
    "UnsupportedMediaType",
    "UnsupportedRegion",
    "ValidationError",
    "a_or_an",
]


def a_or_an(word: str) -> str:
    """``word`` with its indefinite article: "an AGGREGATION", "a LIST", "a csv"."""
    return f"{'an' if word[:1].lower() in ('a', 'e', 'i', 'o', 'u') else 'a'} {word}"


class CleanRoomsError(Exception):
    """An error the real service would answer with; ``code`` names its shape in the model."""

    code: ClassVar[str] = "InternalServerException"

    def __init__(self, message: str, **members: Any) -> None:
        super().__init__(message)
        self.message = message
        self.members = {k: v for k, v in members.items() if v is not None}

    def body(self) -> dict[str, Any]:
        """The error's members, named as in its error shape."""
        return {"message": self.message, **self.members}


#: The most ``fieldList`` entries (and details in the message) one ValidationException carries;
#: the count in the message stays the whole count (README "Assumptions").
MAX_FIELD_ERRORS = 100


class ValidationError(CleanRoomsError):
    """Input breaks a constraint of the model or a business rule of the service; at most
    :data:`MAX_FIELD_ERRORS` of ``fields`` are listed."""

    code = "ValidationException"

    def __init__(
        self,
        message: str | None = None,
        fields: Iterable[FieldError] = (),
        reason: str = "FIELD_VALIDATION_FAILED",
    ) -> None:
        field_errors = list(fields)
        shown = field_errors[:MAX_FIELD_ERRORS]  # a huge input must not echo back whole
        if message is None:
            count = len(field_errors)
            noun = "error" if count == 1 else "errors"
            details = "; ".join(error.describe() for error in shown)
            more = count - len(shown)
            message = f"{count} validation {noun} detected: {details}" + (
                f"; and {more} more" if more else ""
            )
        field_list = [{"name": e.path, "message": e.message} for e in shown] or None
        super().__init__(message, reason=reason, fieldList=field_list)
        self.field_errors = field_errors

    @classmethod
    def for_field(cls, path: str, message: str, value: Any = None) -> ValidationError:
        """A business rule broken by one field: names the field as a constraint failure would."""
        return cls(fields=[FieldError(path, message, value)])


class InternalServerError(CleanRoomsError):
    """An unexpected failure, reported the way the service reports its own."""

    code = "InternalServerException"


class SerializationError(CleanRoomsError):
    """The request body is not JSON of the expected kind (what AWS answers for malformed JSON)."""

    code = "SerializationException"
    status = 400


class UnsupportedMediaType(CleanRoomsError):
    """A body that is not declared as JSON, for an operation whose input has body members.

    What restJson1 servers answer (Smithy's malformed-request protocol tests
    ``RestJsonWithBodyExpectsApplicationJsonContentType`` and ``...NoHeaders``: 415).
    """

    code = "UnsupportedMediaTypeException"
    status = 415


class RequestTooLarge(CleanRoomsError):
    """A request body above :data:`.parsing.MAX_REQUEST_BYTES`."""

    code = "RequestEntityTooLargeException"
    status = 413


class UnknownOperation(CleanRoomsError):
    """No operation of the model has this method and path."""

    code = "UnknownOperationException"
    status = 404


class NotImplementedOperation(CleanRoomsError):
    """The model has the operation, cleanrooms-mock does not implement it yet."""

    code = "NotImplemented"
    # 501 is not retried by botocore (unlike 500), so an unimplemented call fails at once.
    status = 501

    def __init__(self, operation_name: str) -> None:
        super().__init__(
            f"cleanrooms-mock does not implement the Clean Rooms operation {operation_name} yet. "
            "See the README for the list of implemented operations."
        )


class UnsupportedRegion(CleanRoomsError):
    """A region where AWS Clean Rooms has no endpoint (per botocore's endpoint data)."""

    code = "UnsupportedRegion"
    # Not retried by botocore: the call fails at once with a message that says why.
    status = 400

    def __init__(self, region: str) -> None:
        super().__init__(
            f"AWS Clean Rooms is not available in region '{region}'; use a region where it runs "
            "(botocore's endpoint data lists them)."
        )
