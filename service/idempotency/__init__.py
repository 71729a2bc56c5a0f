"""Idempotency for every POST that creates or changes a booking.

A client sends ``Idempotency-Key``; the key is scoped per API client, and for anonymous
callers per secret they present (the quote they book, the token of the booking they
cancel: ``runner.scope_of``), so a replay never reaches another traveller. For 24 hours:

* same key + same request (method, path, canonical JSON body) -> the first response's
  status and body are replayed (header ``Idempotent-Replayed: true``);
* same key + a different request -> 422 ``idempotency_key_reused``, nothing written
  (requests are told apart by ``runner.fingerprint``, an HMAC under ``JL_SECRET_KEY``:
  the body holds personal data; a row fingerprinted otherwise, before the HMAC or under
  another secret, counts as a different request until it expires);
* same key while the first request still runs -> the duplicate waits (up to
  ``WAIT_SECONDS``) and replays the first response, else 409 ``idempotency_in_progress``.

How it stays right with several workers: the *claim* is an
``INSERT ... ON CONFLICT DO NOTHING`` committed in a short transaction of its own (the
same one as the caller's key lookup and rate-limit count), so the
unique constraint on (scope, key) picks exactly one winner and every other request sees
the row before the work starts. The winner's response is written to the row in the
*same* transaction as the booking change (``runner.execute``), so "booking exists" and
"response recorded" commit together. Each claim carries a random ``claim_token``; finishing
updates the row only while the token is still ours, so even a takeover of a stale claim
(a crashed worker) can never apply one request twice.

Deterministic failures (4xx such as ``sold_out``, ``quote_expired``) are recorded and
replayed like successes; transient ones (``inventory_busy``, rate limits, 5xx) remove
the claim so that a retry runs again.

The recorded response is stored sealed (``sealed``: AES-GCM under a key derived from
``JL_SECRET_KEY``): a booking's holds its token and the traveller's personal data.

The package is split by job: ``table`` (the ``idempotency_key`` table), ``sql`` (its
statements, run in the caller's transaction; it seals and opens the recorded response),
``sealed`` and ``runner`` (the request's way through:
key, claim, work, recorded response). One way in, ``runner.run_idempotent``: the
endpoint is ``async`` and hands over one function; key resolution, rate limit, claim,
the work and the recorded response all run in one trip to the thread pool (create and
cancel a booking). A claim never crosses an ``await``, so a request cancelled while it
runs (client gone, shutdown) cannot strand its key: the thread finishes and commits or
releases it. Its route is a ``KeyBeforeBodyRoute`` (the API key is checked before a
refused body's 422)."""
