"""Imports every table module so ``SQLModel.metadata`` is complete (Alembic, tests)."""

import catalog.models  # noqa: F401

try:  # tables added by later capabilities
    import service.quotes.models
except ImportError:  # pragma: no cover
    pass

import service.bookings.models
import service.clients.models
import service.idempotency
import service.outbox
import service.payments.models
import service.ratelimit  # noqa: F401
