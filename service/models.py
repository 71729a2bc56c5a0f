"""Imports every table module so ``SQLModel.metadata`` is complete (Alembic, tests)."""

import catalog.models  # noqa: F401
import service.bookings.models
import service.bookings.outbox
import service.clients.models
import service.idempotency.table
import service.operators.models
import service.payments.models
import service.quotes.models
import service.ratelimit
import service.reports.models
import service.retention
import service.webhooks.models  # noqa: F401
