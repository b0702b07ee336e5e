"""The wire: AWS Clean Rooms' rest-json protocol, driven by the installed botocore model.

``model`` (the service model, its operations and paginators), ``routing`` (method + path ->
operation; headers -> caller), ``parsing`` (reading a request), ``shapes`` (validators and
serialisers compiled from shapes), ``errors`` (the errors a request can earn) and ``dispatch``
(the one dispatcher: an operation served by the backend method of its name). Nothing here
imports the domain.
"""
