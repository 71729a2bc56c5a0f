"""Imports every table module so ``SQLModel.metadata`` is complete (Alembic, tests)."""

import catalog.models  # noqa: F401

try:  # tables added by later capabilities
    import service.quotes.models  # noqa: F401
except ImportError:  # pragma: no cover
    pass

import service.bookings.models  # noqa: E402,F401
import service.clients.models  # noqa: E402,F401
import service.idempotency  # noqa: E402,F401
import service.outbox  # noqa: E402,F401
import service.payments.models
import service.ratelimit  # noqa: E402,F401
