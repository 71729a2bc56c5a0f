"""Where a quote's transit legs board and alight (``from_destination_id``,
``to_destination_id``): checked against the catalogue and named, to be said on the
quote, the booking and their pages.

The fare is the line's whatever the stops (docs/pricing.md), so the stops never reach
the pricing engine: they are checked here, after the engine has priced the request (an
unknown line is its ``unknown_transit_line``), and kept in the stored request and the
priced legs (``payload.priced_json``)."""

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from catalog import terms as catalog_terms
from service.quotes import errors
from service.quotes.schemas import TransitLegIn

# A leg's (from, to) stops as stored (``stop_json``), by leg index.
LegStops = Mapping[int, tuple[dict[str, Any], dict[str, Any]]]


def stop_json(destination: Any) -> dict[str, Any]:
    """A stop as a quote stores it: any object with a destination's ``id``, ``slug``,
    ``name_zh`` and ``name_en`` (a ``catalog.terms.LegStop``, a destination row)."""
    return {
        "id": destination.id,
        "slug": destination.slug,
        "name_zh": destination.name_zh,
        "name_en": destination.name_en,
    }


def _pairs(legs: Sequence[TransitLegIn]) -> dict[int, tuple[int, int]]:
    """The legs that give their stops, by index: both or neither, two distinct ones."""
    out = {}
    for k, leg in enumerate(legs):
        a, b = leg.from_destination_id, leg.to_destination_id
        if a is None and b is None:
            continue
        if a is None or b is None:
            given, missing = ("from", "to") if b is None else ("to", "from")
            raise errors.leg_stop_missing(k, given, missing)
        if a == b:
            raise errors.leg_stops_same(k, a)
        out[k] = (a, b)
    return out


def checked(conn: sa.Connection, legs: Sequence[TransitLegIn]) -> LegStops:
    """Every leg's stops, if it gives them, stored as ``stop_json``: one query when some
    leg gives them, none otherwise. A destination that does not exist is 422
    ``unknown_destination``, one its line does not stop at ``stop_not_on_line``, both
    naming ``legs[k].from_destination_id`` or ``legs[k].to_destination_id``."""
    pairs = _pairs(legs)
    if not pairs:
        return {}
    found = catalog_terms.leg_stops(
        conn, (d for pair in pairs.values() for d in pair), (legs[k].line_id for k in pairs)
    )
    out = {}
    for k, pair in pairs.items():
        line_id = legs[k].line_id
        for side, destination_id in zip(("from", "to"), pair, strict=True):
            stop = found.get(destination_id)
            if stop is None:
                raise errors.unknown_leg_destination(k, side, destination_id)
            if line_id not in stop.line_ids:
                raise errors.stop_not_on_line(
                    k, side, line_id, destination_id, stop.name_en, stop.name_zh
                )
        out[k] = (stop_json(found[pair[0]]), stop_json(found[pair[1]]))
    return out
