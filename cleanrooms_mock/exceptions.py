"""The errors the domain raises, one class per error shape of the Clean Rooms model.

They carry only domain facts (which field, which resource, which quota); turning them into an
HTTP status and a body is done once, from the model's error shapes, in :mod:`.service`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from .shapes import FieldError

__all__ = [
    "AccessDenied",
    "CleanRoomsError",
    "Conflict",
    "InternalServerError",
    "NotFound",
    "QuotaExceeded",
    "Throttled",
    "ValidationError",
]


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


class ValidationError(CleanRoomsError):
    """Input breaks a constraint of the model or a business rule of the service."""

    code = "ValidationException"

    def __init__(
        self,
        message: str | None = None,
        fields: Iterable[FieldError] = (),
        reason: str = "FIELD_VALIDATION_FAILED",
    ) -> None:
        field_errors = list(fields)
        if message is None:
            count = len(field_errors)
            noun = "error" if count == 1 else "errors"
            details = "; ".join(error.describe() for error in field_errors)
            message = f"{count} validation {noun} detected: {details}"
        field_list = [{"name": e.path, "message": e.message} for e in field_errors] or None
        super().__init__(message, reason=reason, fieldList=field_list)
        self.field_errors = field_errors

    @classmethod
    def for_field(cls, path: str, message: str, value: Any = None) -> ValidationError:
        """A business rule broken by one field: names the field as a constraint failure would."""
        return cls(fields=[FieldError(path, message, value)])


class AccessDenied(CleanRoomsError):
    """The caller may not act on the resource (also how cross-account not-found looks)."""

    code = "AccessDeniedException"

    def __init__(self, message: str, reason: str = "INSUFFICIENT_PERMISSIONS") -> None:
        super().__init__(message, reason=reason)


class NotFound(CleanRoomsError):
    """A resource the caller names does not exist (in the caller's own account)."""

    code = "ResourceNotFoundException"

    def __init__(self, resource_type: str, resource_id: str, message: str | None = None) -> None:
        label = resource_type.replace("_", " ").capitalize()
        super().__init__(
            message or f"{label} {resource_id} not found.",
            resourceId=resource_id,
            resourceType=resource_type,
        )


class Conflict(CleanRoomsError):
    """The request contradicts the resource's current state."""

    code = "ConflictException"

    def __init__(
        self,
        message: str,
        reason: str,
        resource_type: str | None = None,
        resource_id: str | None = None,
    ) -> None:
        super().__init__(message, reason=reason, resourceType=resource_type, resourceId=resource_id)


class QuotaExceeded(CleanRoomsError):
    """A service quota would be exceeded."""

    code = "ServiceQuotaExceededException"

    def __init__(self, quota_name: str, quota_value: float, message: str | None = None) -> None:
        super().__init__(
            message or f"Request would exceed the quota '{quota_name}' of {quota_value:g}.",
            quotaName=quota_name,
            quotaValue=float(quota_value),
        )


class Throttled(CleanRoomsError):
    """Request rate too high (raised by fault injection)."""

    code = "ThrottlingException"


class InternalServerError(CleanRoomsError):
    """An unexpected failure, reported the way the service reports its own."""

    code = "InternalServerException"
