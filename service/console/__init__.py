"""The operators' console: server-rendered pages under ``/console`` over the same
services as the admin API (``docs/operators.md``, "The console")."""
