"""At once: the most rooms (or guests) a trip's stays take on any one night.

A trip's stays follow one another (a party moving on from one place to the next needs
its rooms once, not once per stay) or overlap (two room types at one hotel on the same
nights add up). What a trip needs at once is the most, over its nights, of the units
(or guests) of the stays that hold that night.

One rule, on both sides: a count only rises at a check-in, so it is highest on some
stay's check-in night, and the most at once is the most, over the stays, of the sum over
the stays ``s`` with ``s.check_in <= this.check_in < s.check_out``. ``most_at_once``
says it in Python (a new booking's items, a quote's guests; it lives in the pure
``pricing.at_once``, whose quote validation counts the party a leg's riders may not pass
by it); the bookings' SQL (``service.bookings.repository._rooms_at_once``) says the same
of stored bookings, and a test checks both against a night-by-night count.
"""

from pricing.at_once import most_at_once

__all__ = ["most_at_once"]
