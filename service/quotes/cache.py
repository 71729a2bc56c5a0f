"""Catalogue terms cached across requests, keyed by the catalogue version.

Every write to a table a quote reads as terms (products, seasons, packs, offered packs,
transit lines, discount rules and their versions) bumps ``catalogue_version.version``
in the writer's own transaction, by database triggers (migration 0005): no writer can
forget to, whether it is our code, the demo loader or plain SQL. A quote reads that
version first (one tiny SELECT) and looks its terms up under it:

* product terms (with seasons, offered packs, whether it is on sale and its refund
  policy) by
  ``(version, product_id)``; transit lines by ``(version, line_id)``; the rules in
  force by ``(version, booking_date)`` (and, for the planner, those not yet ended on it:
  in force or opening later). Unknown ids are cached as absent too.
* Misses are read from the database in the same transaction, after the version, and
  stored under it. On SQLite that transaction is one snapshot. On PostgreSQL (read
  committed) a writer may commit between the two reads: the rows read are then newer
  than the version they are stored under, which is harmless (that version is already
  superseded; terms older than their key can never be stored).
* Several stateless workers each keep their own cache and all read the version from
  the database, so a change is seen by the very next quote on any worker.
* Bounded: one LRU of ``MAX_ENTRIES`` entries per engine; entries of past versions are
  never looked up again and age out.
* Ticket stubs are not cached (bookings mark them used): they are read per request, in
  the same SELECT as the version.
* If the version row is missing, nothing is cached (every quote reads its terms).

Cached values are the engine's frozen dataclasses, shared by the threads that price.
"""

from collections.abc import Iterable, Sequence
from datetime import date

import sqlalchemy as sa

import pricing
from catalog import terms as catalog_terms
from service.lru import LRU, MISSING, PerEngine

MAX_ENTRIES = 4096

_MISSING = MISSING
TermsCache = LRU  # the terms of one engine's quotes

# One cache per engine (the engine stands for the database).
cache_for = PerEngine(MAX_ENTRIES)


class CachedCatalogue:
    """What one quote reads, through the cache, under ``version``: the catalogue version
    read on ``conn`` BEFORE any terms (``catalog_terms.version_and_stubs``; ``None``: the
    row is missing, nothing is cached)."""

    def __init__(
        self, conn: sa.Connection, version: int | None, cache: TermsCache | None = None
    ) -> None:
        self.conn = conn
        self.cache = cache if cache is not None else cache_for(conn.engine)
        self.version = version

    def terms(
        self, product_ids: Iterable[int], line_ids: Iterable[int]
    ) -> catalog_terms.CatalogueTerms:
        """Products and lines by id, as ``catalog_terms.load_terms`` returns them (in id
        order); only the ids not cached under this version are read (at most 4 queries,
        none when all are cached)."""
        product_ids = sorted(set(product_ids))
        line_ids = sorted(set(line_ids))
        if self.version is None:
            return catalog_terms.load_terms(self.conn, product_ids, line_ids)
        products = {p: self.cache.get((self.version, "p", p)) for p in product_ids}
        lines = {g: self.cache.get((self.version, "l", g)) for g in line_ids}
        missing_products = [p for p, e in products.items() if e is _MISSING]
        missing_lines = [g for g, e in lines.items() if e is _MISSING]
        if missing_products or missing_lines:
            loaded = catalog_terms.load_terms(self.conn, missing_products, missing_lines)
            for p in missing_products:
                products[p] = (
                    loaded.products.get(p),
                    p in loaded.inactive_products,
                    loaded.refund_policies.get(p),
                )
                self.cache.put((self.version, "p", p), products[p])
            for g in missing_lines:
                lines[g] = (loaded.transit_lines.get(g), g in loaded.inactive_lines)
                self.cache.put((self.version, "l", g), lines[g])
        out = catalog_terms.CatalogueTerms()
        for p, (terms, inactive, refund_policy) in products.items():
            if terms is not None:
                out.products[p] = terms
                out.refund_policies[p] = refund_policy
                if inactive:
                    out.inactive_products.add(p)
        for g, (terms, inactive) in lines.items():
            if terms is not None:
                out.transit_lines[g] = terms
                if inactive:
                    out.inactive_lines.add(g)
        return out

    def rules_in_force(self, booking_date: date) -> Sequence[pricing.DiscountRule]:
        return self._rules("r", catalog_terms.rules_in_force, booking_date)

    def rules_not_ended(self, booking_date: date) -> Sequence[pricing.DiscountRule]:
        """The rules in force on ``booking_date`` and those whose booking window opens
        later (``catalog_terms.rules_not_ended``)."""
        return self._rules("rn", catalog_terms.rules_not_ended, booking_date)

    def _rules(self, tag: str, load, booking_date: date) -> Sequence[pricing.DiscountRule]:
        if self.version is None:
            return load(self.conn, booking_date)
        key = (self.version, tag, booking_date)
        rules = self.cache.get(key)
        if rules is _MISSING:
            rules = tuple(load(self.conn, booking_date))
            self.cache.put(key, rules)
        return rules
