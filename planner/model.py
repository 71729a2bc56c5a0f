"""What the trip planner takes and gives, and the rules of what a plan is.

Everything here is pure (no I/O, no clock): the service reads the catalogue once per
request into a ``Catalogue`` (the offers' sale calendars on demand, through a function it
hands the search) and passes a ``PlanRequest``. The functions at the end
(``eligible_offers``, ``choose_packs``, ``line_between``, ``quote_request``) are the
definitions both the search and the brute-force check in the tests use, so "a plan"
means one thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import pricing
from catalog.geo import haversine_km
from catalog.sellability import SaleCalendar

ROOM_FACTS = ("step_free", "lift", "grab_bars", "twin_beds", "accessible_bathroom")


@dataclass(frozen=True, slots=True)
class Place:
    """A destination's published facts (what needs are checked against)."""

    id: int
    name_zh: str
    name_en: str
    lat: float = 0.0
    lon: float = 0.0
    nearest_hospital_km: float = 0.0
    medical_insurance_station: bool = False
    cross_province_settlement: bool = False
    elder_friendly_rooms: bool = False
    certifications: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RoomFacts:
    """A product's accessibility facts."""

    step_free: bool = False
    lift: bool = False
    grab_bars: bool = False
    twin_beds: bool = False
    accessible_bathroom: bool = False


@dataclass(frozen=True, slots=True)
class Offer:
    """A product as the planner sees it: its pricing terms, its sale calendar over the
    request's window and its room facts."""

    terms: pricing.ProductTerms
    calendar: SaleCalendar
    room: RoomFacts = RoomFacts()

    @property
    def id(self) -> int:
        return self.terms.id

    @property
    def destination_id(self) -> int:
        return self.terms.destination_id


@dataclass(frozen=True, slots=True)
class Line:
    terms: pricing.TransitLineTerms
    stops: frozenset[int]


@dataclass(frozen=True, slots=True)
class Catalogue:
    places: Mapping[int, Place]
    offers: Sequence[Offer]
    lines: Sequence[Line]
    rules: Sequence[pricing.DiscountRule]


@dataclass(frozen=True, slots=True)
class Needs:
    """Hard constraints: destination facts (hospital distance, insurance station,
    cross-province settlement, elder-friendly rooms, certifications: all of) and room
    facts of the product (``step_free`` and the others of ``ROOM_FACTS``)."""

    hospital_within_km: float | None = None
    medical_insurance_station: bool = False
    cross_province_settlement: bool = False
    elder_friendly_rooms: bool = False
    certifications: frozenset[str] = frozenset()
    step_free: bool = False
    lift: bool = False
    grab_bars: bool = False
    twin_beds: bool = False
    accessible_bathroom: bool = False

    def named(self) -> list[str]:
        """The needs asked for, by name, in a fixed order."""
        out = []
        if self.hospital_within_km is not None:
            out.append("hospital_within_km")
        for name in (
            "medical_insurance_station",
            "cross_province_settlement",
            "elder_friendly_rooms",
        ):
            if getattr(self, name):
                out.append(name)
        if self.certifications:
            out.append("certifications")
        out.extend(name for name in ROOM_FACTS if getattr(self, name))
        return out


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """A validated planning request (the service checks the input and fills defaults).

    Days: stays lie in ``[earliest_check_in, latest_check_out]`` (first check-in on or
    after the first, last check-out on or before the second); the plan's nights lie in
    ``[nights_min, nights_max]``. With ``fill`` (the traveller gave no length: "fit the
    dates") every plan has the same nights, the most in that range that any plan has
    (the window's, when some plan fills it), and the plans are the cheapest of that
    length."""

    earliest_check_in: date
    latest_check_out: date
    nights_min: int
    nights_max: int
    booking_date: date
    max_stays: int = 3
    min_nights_per_stay: int = 7
    guests: int = 2
    units: int = 1
    themes: frozenset[str] = frozenset()
    include_destinations: tuple[int, ...] = ()
    avoid_destinations: frozenset[int] = frozenset()
    route: tuple[int, ...] = ()
    pack_kinds: tuple[str, ...] = ()
    needs: Needs = Needs()
    max_total_fen: int | None = None
    allow_self_travel: bool = False
    stubs: tuple[pricing.StubInfo, ...] = ()
    channel: pricing.Channel = pricing.Channel.direct
    limit: int = 5
    fill: bool = False

    @property
    def window_days(self) -> int:
        return (self.latest_check_out - self.earliest_check_in).days


@dataclass(frozen=True, slots=True)
class PlannedStay:
    product_id: int
    destination_id: int
    check_in: date
    check_out: date
    pack_ids: tuple[int, ...]

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


@dataclass(frozen=True, slots=True)
class Changeover:
    """Between stay ``index`` and the next: the transit line taken (``line_id``), or
    none (same destination, or travel on one's own when no line serves the pair and
    self-travel is allowed: ``self_travel`` with the distance)."""

    index: int
    travel_date: date
    from_destination: int
    to_destination: int
    line_id: int | None
    self_travel: bool
    distance_km: float


@dataclass(frozen=True, slots=True)
class Plan:
    stays: tuple[PlannedStay, ...]
    changeovers: tuple[Changeover, ...]
    request: pricing.QuoteRequest
    priced: pricing.PricedQuote

    @property
    def total_fen(self) -> int:
        return self.priced.total_fen

    @property
    def product_ids(self) -> tuple[int, ...]:
        return tuple(s.product_id for s in self.stays)

    def rank_key(self) -> tuple:
        """Across product sequences: total, fewer stays, earliest first check-in, then
        the product ids."""
        return (self.total_fen, len(self.stays), self.stays[0].check_in, self.product_ids)


@dataclass(slots=True)
class SearchStats:
    candidates: int = 0
    sequences_pushed: int = 0
    sequences_evaluated: int = 0
    engine_quotes: int = 0
    calendars_read: int = 0  # read while searching (the service reads them lazily)
    work: int = 0  # min-plus element operations, charged to ``budget.WORK_BUDGET``


@dataclass(slots=True)
class SearchResult:
    plans: list[Plan]
    stats: SearchStats = field(default_factory=SearchStats)
    # When no plan: the stage that left nothing ("needs", "availability", "connection",
    # "budget", "shape", "party_too_large") and counts that explain it.
    empty_stage: str | None = None
    # With "party_too_large": the most guests one unit of the offers that meet the rest
    # of the request holds (with ``rooms_short``: of those the party keeps out).
    largest_occupancy: int | None = None
    # "party_too_large" although some offers take the party: none of those makes a
    # plan, and more units make one of the others (``explain.rooms_missing``).
    rooms_short: bool = False


# --- the shared definitions -------------------------------------------------------------


def meets_needs(needs: Needs, place: Place, room: RoomFacts) -> bool:
    if (
        needs.hospital_within_km is not None
        and place.nearest_hospital_km > needs.hospital_within_km
    ):
        return False
    if needs.medical_insurance_station and not place.medical_insurance_station:
        return False
    if needs.cross_province_settlement and not place.cross_province_settlement:
        return False
    if needs.elder_friendly_rooms and not place.elder_friendly_rooms:
        return False
    if needs.certifications and not needs.certifications <= place.certifications:
        return False
    return all(getattr(room, name) for name in ROOM_FACTS if getattr(needs, name))


MAX_UNITS = 10  # the most rooms or beds a plan may book of one product (PlanIn.units)


def eligible_offers(request: PlanRequest, catalogue: Catalogue) -> list[Offer]:
    """Offers a stay of the plan may use, before dates: themes (any of), destinations
    not avoided (and on the route when one is followed), needs met, the party fits
    (guests <= max_occupancy * units) and every wanted pack kind offered."""
    out = [
        offer
        for offer in _suitable(request, catalogue)
        if request.guests <= offer.terms.max_occupancy * request.units
    ]
    return sorted(out, key=lambda o: o.id)


def largest_occupancy(request: PlanRequest, catalogue: Catalogue) -> int | None:
    """When the party's size is what keeps out every offer that meets the rest of the
    request (themes, destinations, needs, packs): the most guests one unit of those
    offers holds. None when some offer takes the party, or none meets the rest."""
    suitable = _suitable(request, catalogue)
    if not suitable or any(
        request.guests <= o.terms.max_occupancy * request.units for o in suitable
    ):
        return None
    return max(o.terms.max_occupancy for o in suitable)


def blocked_occupancy(request: PlanRequest, catalogue: Catalogue) -> int | None:
    """When the party's size keeps out some offer that meets the rest of the request
    (every one: ``largest_occupancy``; or some, others taking the party): the most guests
    one unit of the offers it keeps out holds, the occupancy more units or fewer guests
    would let in. None when it keeps none out."""
    held = [
        o.terms.max_occupancy
        for o in _suitable(request, catalogue)
        if request.guests > o.terms.max_occupancy * request.units
    ]
    return max(held, default=None)


def unserved_destinations(request: PlanRequest, catalogue: Catalogue) -> set[int]:
    """The destinations every plan must visit (``include_destinations``, the route's)
    where no offer meets the request but for the party's size: no plan exists, and the
    reason is what is asked (``needs``), not the shape of the trip (a destination to
    visit whose rooms have no lift once searched in full and said "no sequence of stays
    ... a transit line")."""
    required = set(request.include_destinations) | set(request.route)
    if not required:
        return set()
    return required - {o.destination_id for o in _suitable(request, catalogue)}


def _suitable(request: PlanRequest, catalogue: Catalogue) -> list[Offer]:
    """The offers that meet the request but for the size of the party."""
    route = set(request.route)
    out = []
    for offer in catalogue.offers:
        terms = offer.terms
        dest = terms.destination_id
        if request.themes and terms.theme not in request.themes:
            continue
        if dest in request.avoid_destinations or (route and dest not in route):
            continue
        place = catalogue.places.get(dest)
        if place is None or not meets_needs(request.needs, place, offer.room):
            continue
        kinds = {pack.kind for pack in terms.packs}
        if any(kind not in kinds for kind in request.pack_kinds):
            continue
        out.append(offer)
    return out


def choose_packs(
    terms: pricing.ProductTerms, kinds: Sequence[str], guests: int, nights: int
) -> tuple[tuple[int, ...], int]:
    """For each wanted kind (in order), the product's pack of that kind with the lowest
    gross price for this stay (ties: the lowest pack id); returns (pack ids, gross)."""
    ids = []
    gross = 0
    for kind in kinds:
        best = None
        for pack in terms.packs:
            if pack.kind != kind:
                continue
            price = pack.price_fen * pricing.pack_multiplier(pack.basis, guests, nights)
            if best is None or (price, pack.id) < best:
                best = (price, pack.id)
        if best is None:
            raise ValueError(f"product {terms.id} offers no {kind} pack")
        ids.append(best[1])
        gross += best[0]
    return tuple(ids), gross


def line_table(lines: Sequence[Line]) -> dict[tuple[int, int], pricing.TransitLineTerms]:
    """For every pair of distinct destinations a line serves (both orders): the
    cheapest such line (equal fares: the lowest line id)."""
    out: dict[tuple[int, int], pricing.TransitLineTerms] = {}
    for line in sorted(lines, key=lambda x: (x.terms.fare_fen, x.terms.id)):
        for a in line.stops:
            for b in line.stops:
                if a != b and (a, b) not in out:
                    out[(a, b)] = line.terms
    return out


def build_plan_request(
    request: PlanRequest,
    catalogue: Catalogue,
    offers: Mapping[int, Offer],
    lines: Mapping[tuple[int, int], pricing.TransitLineTerms],
    product_ids: Sequence[int],
    check_in: date,
    nights: Sequence[int],
) -> tuple[tuple[PlannedStay, ...], tuple[Changeover, ...], pricing.QuoteRequest]:
    """The stays, changeovers and quote request of a plan: products in order from
    ``check_in`` with ``nights`` each; packs by ``choose_packs``; at a change of
    destination the line of ``line_between`` on the changeover day with riders =
    guests (none when no line serves it: self-travel)."""
    stays = []
    day = check_in
    for pid, n in zip(product_ids, nights, strict=True):
        terms = offers[pid].terms
        pack_ids, _ = choose_packs(terms, request.pack_kinds, request.guests, n)
        out = day + timedelta(days=n)
        stays.append(PlannedStay(pid, terms.destination_id, day, out, pack_ids))
        day = out
    changeovers = []
    legs = []
    for i in range(len(stays) - 1):
        a, b = stays[i].destination_id, stays[i + 1].destination_id
        line = lines.get((a, b)) if a != b else None
        distance = 0.0
        if a != b:
            pa, pb = catalogue.places[a], catalogue.places[b]
            distance = round(haversine_km(pa.lat, pa.lon, pb.lat, pb.lon), 1)
        changeovers.append(
            Changeover(
                i,
                stays[i].check_out,
                a,
                b,
                line.id if line else None,
                a != b and line is None,
                distance,
            )
        )
        if line is not None:
            legs.append(pricing.TransitLegRequest(line.id, stays[i].check_out, request.guests))
    quote = pricing.QuoteRequest(
        items=tuple(
            pricing.StayItemRequest(
                s.product_id, s.check_in, s.check_out, request.guests, request.units, s.pack_ids
            )
            for s in stays
        ),
        booking_date=request.booking_date,
        legs=tuple(legs),
        stubs=request.stubs,
        channel=request.channel,
    )
    return tuple(stays), tuple(changeovers), quote


def rules_open(request: PlanRequest, rules: Sequence[pricing.DiscountRule]):
    """The rules open to the request's booking date and channel (as the engine filters)."""
    out = []
    for rule in rules:
        if rule.channels and request.channel not in rule.channels:
            continue
        if rule.booking_from is not None and request.booking_date < rule.booking_from:
            continue
        if rule.booking_to is not None and request.booking_date > rule.booking_to:
            continue
        out.append(rule)
    return out
