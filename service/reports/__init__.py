"""The province's view: measures from bookings, the plan's targets, the pilot
directory, exports, the satisfaction survey and closed (snapshotted) years.

Definitions: docs/metrics.md. Scoping goes through ``service.operators.scope``.
"""
