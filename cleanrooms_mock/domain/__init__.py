"""The Clean Rooms service, as the domain sees it: no HTTP, no botocore wire format.

``store`` holds the state (one :class:`.store.RegionStore` per region; accounts are views),
``access`` decides what a caller may see, ``cascades`` what a status change does to other
families, and each family (``collaborations``, ``memberships``, ...) has its entities, rules,
operations and seed section. ``backend`` composes the families' operations into the
``CleanRoomsBackend`` moto keeps per account and region. Nothing is imported here, so that
``import cleanrooms_mock`` stays cheap.
"""
