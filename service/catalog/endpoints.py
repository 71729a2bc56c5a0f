"""Catalogue read API (filled in by the catalogue capability)."""

routers: list = []
