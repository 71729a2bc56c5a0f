"""Imports every table module so ``SQLModel.metadata`` is complete (Alembic, tests)."""

import catalog.models  # noqa: F401

try:  # tables added by later capabilities
    import service.quotes.models  # noqa: F401
except ImportError:  # pragma: no cover
    pass
