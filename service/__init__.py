"""The FastAPI service: HTTP, auth, quotes, bookings, payments, webhooks, pages."""
