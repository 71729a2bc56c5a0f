"""A booking's stays and transit legs as an iCalendar file (RFC 5545, the ``icalendar``
library): all-day events a phone calendar can import. Only the reference and what is
booked; no names or phone numbers.

A booking that is cancelled (or a hold that lapsed) gives a file that **removes** its
events (RFC 5546): ``METHOD:CANCEL``, the same UIDs, a higher ``SEQUENCE`` (1 against
the 0 of the file that added them) and ``STATUS:CANCELLED``. A phone's calendar that
opens it deletes the events it imported; a file of ``STATUS:CANCELLED`` events without
the method would be imported as new (crossed-out) events instead.

Where each event is (``places_of``, from the catalogue): a stay's ``LOCATION`` is its
destination's name, prefecture and province (what a phone's map can find) with ``GEO``
from the destination's coordinates; a transfer's ``LOCATION`` is its stops in the order
it rides them, from where it boards to where it alights when the booking says
(``bookings.schemas.stops_travelled``, by the leg's direction), and its ``SUMMARY`` the
line with where it boards and alights ("A → B") when the booking says. The
``DESCRIPTION`` says the booking reference, the party, the place (and a transfer's
stops); the catalogue holds no street address, no telephone number and no timetable for
a line, so none is said. UIDs are the booking reference and the event's
index only, so a ``CANCEL`` file always names the events the first file added."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress
from sqlmodel import Session

from catalog import queries
from catalog.vocab import PREFECTURE_NAMES, name_in
from service.bookings.models import CANCELLED, EXPIRED, PENDING_PAYMENT
from service.bookings.schemas import stops_travelled
from service.i18n import Lang, pick
from service.pages import messages

PRODID = "-//Jilin Sojourn//Traveller pages//EN"
UID_DOMAIN = "jilin-sojourn.example"
# RFC 5545 STATUS of every event by the booking's status: a cancelled or lapsed booking
# cancels them all, an unpaid hold is tentative.
_STATUS = {CANCELLED: "CANCELLED", EXPIRED: "CANCELLED", PENDING_PAYMENT: "TENTATIVE"}
# Whose events they are (RFC 5546 requires an ORGANIZER in a CANCEL).
ORGANIZER = f"mailto:bookings@{UID_DOMAIN}"


def removes_events(status: str) -> bool:
    """Whether the booking's calendar file removes its events rather than adds them."""
    return _STATUS.get(status) == "CANCELLED"


@dataclass(frozen=True)
class Place:
    """Where a stay is: its destination's words for a map, and its coordinates."""

    name: str
    location: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Places:
    """A booking's places, by item index (stays) and by leg index (a line's stops)."""

    stays: dict[int, Place] = field(default_factory=dict)
    stops: dict[int, list[str]] = field(default_factory=dict)


def places_of(s: Session, b: dict[str, Any], lang: Lang) -> Places:
    """The places of a booking's stays and transfers, in ``lang``, from the catalogue
    (a product or line since removed has none: its event is said without)."""
    products = {i["product_id"]: queries.product_by_key(s, i["product_id"]) for i in b["items"]}
    found = [p for p in products.values() if p is not None]
    destinations = queries.destinations_by_ids(s, (p.destination_id for p in found))
    stays = {}
    for item in b["items"]:
        product = products[item["product_id"]]
        d = destinations.get(product.destination_id) if product is not None else None
        if d is not None:
            name = pick(lang, d.name_zh, d.name_en)
            region = name_in(PREFECTURE_NAMES, d.prefecture, lang)
            location = pick(lang, f"{name}，{region}，吉林省", f"{name}, {region}, Jilin, China")
            stays[item["index"]] = Place(name, location, d.lat, d.lon)
    lines = queries.stops_of(s, (leg["line_id"] for leg in b["legs"]))
    stops = {
        leg["index"]: stops_travelled(
            [(d.id, pick(lang, d.name_zh, d.name_en)) for _, d in lines[leg["line_id"]]],
            leg.get("from_destination"),
            leg.get("to_destination"),
        )
        for leg in b["legs"]
        if lines.get(leg["line_id"])
    }
    return Places(stays, stops)


def booking_calendar(
    b: dict[str, Any], lang: Lang, now: datetime, places: Places | None = None
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", pick(lang, f"吉林旅居 {b['reference']}", f"Jilin {b['reference']}"))
    ref = b["reference"]
    t = messages.text_for(lang)
    status = _STATUS.get(b["status"], "CONFIRMED")
    cancel = removes_events(b["status"])
    if cancel:
        cal.add("method", "CANCEL")

    places = places or Places()

    def add(
        uid: str,
        start: date,
        end: date,
        summary: str,
        description: list[str],
        location: str | None = None,
        geo: tuple[float, float] | None = None,
    ) -> None:
        """One all-day event; every event carries the booking's status, so a cancelled
        booking's stays and transfers all leave the traveller's calendar."""
        event = Event()
        event.add("uid", f"{ref}-{uid}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        event.add("description", "\n".join(description))
        if location:
            event.add("location", location)
        if geo is not None:
            event.add("geo", geo)
        event.add("status", status)
        event.add("sequence", 1 if cancel else 0)
        if cancel:
            organizer = vCalAddress(ORGANIZER)
            organizer.params["cn"] = pick(lang, "吉林旅居", "Jilin Sojourn")
            event.add("organizer", organizer)
        cal.add_component(event)

    for item in b["items"]:
        place = places.stays.get(item["index"])
        said = t(
            "ics_stay", ref=ref, nights=item["nights"], units=item["units"], guests=item["guests"]
        )
        add(
            f"stay-{item['index']}",
            date.fromisoformat(item["check_in"]),
            date.fromisoformat(item["check_out"]),
            item["product_name"],
            [said] + ([t("ics_place", place=place.location)] if place else []),
            place.location if place else None,
            (place.lat, place.lon) if place else None,
        )
    for leg in b["legs"]:
        travel = date.fromisoformat(leg["travel_date"])
        stops = pick(lang, "—", " – ").join(places.stops.get(leg["index"], []))
        start, end = leg.get("from_destination"), leg.get("to_destination")
        summary = leg["line_name"]
        if start and end:  # where it boards and alights, when the booking says
            summary = t("ics_leg_summary", line=summary, start=start["name"], end=end["name"])
        add(
            f"leg-{leg['index']}",
            travel,
            date.fromordinal(travel.toordinal() + 1),
            summary,
            [t("ics_leg", ref=ref, riders=leg["riders"])]
            + ([t("ics_stops", stops=stops)] if stops else []),
            stops or None,
        )
    return cal.to_ical()
