"""The operator side: accounts scoped to destinations, the admin API, the audit log."""
