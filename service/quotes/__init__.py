"""Stored quotes: ``POST /v1/quotes`` prices and stores, ``GET`` reads back.

Choices, for whoever builds on this (bookings, operators' rule editing):

* **Expiry is ``expires_at`` only**; there is no ``expired`` flag. A stored quote's body
  never changes, so ``GET`` with the same ``Accept-Language`` returns exactly the bytes
  ``POST`` returned; whoever books compares ``expires_at`` with its own clock. Lifetime:
  ``Settings.quote_ttl_minutes`` (default 30).
* **Language**: the row keeps ``label_zh`` and ``label_en`` (and ``*_name_zh/_en``);
  ``label`` / ``product_name`` / ``line_name`` / ``name`` follow ``Accept-Language`` when
  the quote is read.
* **Channel and client** come from the caller (``CallerDep``; anonymous = ``direct``)
  and are stored. A quote made with an API key is visible to that key's client only
  (others get 404); an anonymous quote to whoever has its unguessable id (``q_`` + 24
  hex digits).
* **Rule versions**: ``quote.rule_versions`` lists every ``[rule_id, version]`` in force
  (active, booking window holding the booking date) when the quote was made: what the
  engine considered. ``rules_used`` in the body lists those that produced a line.
* **Re-pricing** (``service.reprice``) runs the engine again on the stored request and
  on the catalogue terms stored with the quote (products with seasons and packs, lines,
  stubs), with exactly the stored rule versions read back from
  ``discount_rule_version``. It reproduces the quote whatever rates, rules or stubs did
  since; a deleted rule version is a 409 ``rule_version_missing``.
* **Stubs** are looked up upper-cased (the register stores codes upper-case): unknown
  -> 422 ``unknown_stub``, used by a booking -> 422 ``stub_already_used`` (field
  ``stubs[i]``, ``stub`` the code). A withdrawn product or line (``is_active`` false) -> 422
  ``not_on_sale`` (a retired product's with ``reason`` ``product_retired``). Engine
  errors keep the engine's code and field (``errors.from_pricing``); catalogue data the
  engine refuses (an invalid rule, a bad product) is a 500 ``catalogue_error`` and is
  logged, since the caller cannot fix it.
* **Cost**: catalogue terms (products with seasons and packs, lines, rules in force by
  booking date) are cached across requests under the catalogue version, which database
  triggers bump on every write to those tables (``service.quotes.cache``, migration
  0005). A quote reads the version (1 SELECT), the presented stubs (1 SELECT, none
  without stubs) and only the terms not cached (at most 5 SELECTs), and makes one
  INSERT. ``POST`` does all of it in one threadpool call: reads and pricing on a read
  connection, then the INSERT in a write session that begins at it, so SQLite's write
  lock is held only for that INSERT and its commit.
"""
