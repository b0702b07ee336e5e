"""Where the installed model contradicts what AWS itself does: the few corrections, each sourced.

The model is the spec (DESIGN.md), so a correction here needs evidence that AWS's own service or
tooling behaves otherwise; each entry names it. Applied where validators are compiled
(:mod:`.shapes`), so requests and the test suite's check of answers agree.
"""

from __future__ import annotations

from botocore.model import Shape

__all__ = ["MAX_LENGTH", "max_length"]

#: Shape name -> the maximum length AWS accepts, where the model's ``max`` cannot hold the ARNs
#: the service itself makes. A configured table association's ARN is
#: ``arn:aws:cleanrooms:<region>:<account>:configuredtableassociation/<membershipId>/<id>``, two
#: 36-character ids, 142 characters for ``us-east-1``; an analysis template's ARN
#: (``membership/<id>/analysistemplate/<id>``) is as long. The model caps
#: ``ConfiguredTableAssociationArn`` and ``CleanroomsArn`` (TagResource's, UntagResource's and
#: ListTagsForResource's ``resourceArn``) at 100, yet AWS's own CloudFormation handler tags
#: associations by their ARN through TagResource/UntagResource
#: (aws-cloudformation-resource-providers-cleanrooms,
#: aws-cleanrooms-configuredtableassociation/.../UpdateHandler.kt, ``updateTags``). 200 is the
#: model's cap of the longest Clean Rooms ARN shape (``AnalysisTemplateArn``).
MAX_LENGTH: dict[str, int] = {
    "CleanroomsArn": 200,
    "ConfiguredTableAssociationArn": 200,
}


def max_length(shape: Shape) -> int | None:
    """The maximum length of a string (or list, map) ``shape``: the model's, unless corrected."""
    corrected = MAX_LENGTH.get(shape.name)
    return corrected if corrected is not None else shape.metadata.get("max")
