"""A bounded, thread-safe LRU mapping, and one of them per database engine.

What the service caches across requests (catalogue terms for quotes, rendered catalogue
responses) is keyed by the catalogue version, so entries are never invalidated: entries
of past versions are no longer looked up and age out of the LRU.
"""

import threading
import weakref
from collections import OrderedDict
from typing import Any

import sqlalchemy as sa

MISSING: Any = object()


class LRU:
    """A thread-safe LRU mapping of bounded size; counts hits and misses."""

    def __init__(self, max_entries: int) -> None:
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
        """The value stored under ``key``, or ``MISSING``."""
        with self._lock:
            value = self._entries.get(key, MISSING)
            if value is MISSING:
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

    def pop(self, key: tuple) -> None:
        """Forget ``key`` (nothing if it is not kept)."""
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class PerEngine:
    """One ``LRU`` per engine (the engine stands for the database), made on first use.
    Keyed weakly: an engine that is disposed of and dropped takes its cache with it."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._caches: weakref.WeakKeyDictionary[sa.Engine, LRU] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, engine: sa.Engine) -> LRU:
        cache = self._caches.get(engine)
        if cache is None:
            with self._lock:
                cache = self._caches.get(engine)
                if cache is None:
                    cache = self._caches[engine] = LRU(self.max_entries)
        return cache
