"""Catalogue terms cached across requests, keyed by the catalogue version.

Every write to a table a quote reads as terms (products, seasons, packs, offered packs,
transit lines, discount rules and their versions) bumps ``catalogue_version.version``
in the writer's own transaction, by database triggers (migration 0005): no writer can
forget to, whether it is our code, the demo loader or plain SQL. A quote reads that
version first (one tiny SELECT) and looks its terms up under it:

* product terms (with seasons, offered packs and whether it is on sale) by
  ``(version, product_id)``; transit lines by ``(version, line_id)``; the rules in
  force by ``(version, booking_date)``. Unknown ids are cached as absent too.
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

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

import pricing
from catalog import terms as catalog_terms

MAX_ENTRIES = 4096

_MISSING: Any = object()


class TermsCache:
    """A thread-safe LRU mapping of bounded size."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Any:
        """The value stored under ``key``, or ``_MISSING``."""
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                self.misses += 1
            else:
                self.hits += 1
                self._entries.move_to_end(key)
            return value

    def put(self, key: tuple, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# One cache per engine (the engine stands for the database). Keyed weakly: an engine
# that is disposed of and dropped takes its cache with it.
_caches: "weakref.WeakKeyDictionary[sa.Engine, TermsCache]" = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(engine: sa.Engine) -> TermsCache:
    cache = _caches.get(engine)
    if cache is None:
        with _caches_lock:
            cache = _caches.get(engine)
            if cache is None:
                cache = _caches[engine] = TermsCache()
    return cache


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
                products[p] = (loaded.products.get(p), p in loaded.inactive_products)
                self.cache.put((self.version, "p", p), products[p])
            for g in missing_lines:
                lines[g] = (loaded.transit_lines.get(g), g in loaded.inactive_lines)
                self.cache.put((self.version, "l", g), lines[g])
        out = catalog_terms.CatalogueTerms()
        for p, (terms, inactive) in products.items():
            if terms is not None:
                out.products[p] = terms
                if inactive:
                    out.inactive_products.add(p)
        for g, (terms, inactive) in lines.items():
            if terms is not None:
                out.transit_lines[g] = terms
                if inactive:
                    out.inactive_lines.add(g)
        return out

    def rules_in_force(self, booking_date: date) -> Sequence[pricing.DiscountRule]:
        if self.version is None:
            return catalog_terms.rules_in_force(self.conn, booking_date)
        key = (self.version, "r", booking_date)
        rules = self.cache.get(key)
        if rules is _MISSING:
            rules = tuple(catalog_terms.rules_in_force(self.conn, booking_date))
            self.cache.put(key, rules)
        return rules
