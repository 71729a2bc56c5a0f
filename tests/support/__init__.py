"""Test helpers shared by the payments and webhooks tests (fake Stripe, a webhook receiver)."""
