"""A booking's stays and transit legs as an iCalendar file (RFC 5545, the ``icalendar``
library): all-day events a phone calendar can import. Only the reference and what is
booked; no names or phone numbers.

A booking that is cancelled (or a hold that lapsed) gives a file that **removes** its
events (RFC 5546): ``METHOD:CANCEL``, the same UIDs, a higher ``SEQUENCE`` (1 against
the 0 of the file that added them) and ``STATUS:CANCELLED``. A phone's calendar that
opens it deletes the events it imported; a file of ``STATUS:CANCELLED`` events without
the method would be imported as new (crossed-out) events instead."""

from datetime import date, datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress

from service.i18n import Lang, pick
from service.pages import messages

PRODID = "-//Jilin Sojourn//Traveller pages//EN"
UID_DOMAIN = "jilin-sojourn.example"
# RFC 5545 STATUS of every event by the booking's status: a cancelled or lapsed booking
# cancels them all, an unpaid hold is tentative.
_STATUS = {"cancelled": "CANCELLED", "expired": "CANCELLED", "pending_payment": "TENTATIVE"}
# Whose events they are (RFC 5546 requires an ORGANIZER in a CANCEL).
ORGANIZER = f"mailto:bookings@{UID_DOMAIN}"


def removes_events(status: str) -> bool:
    """Whether the booking's calendar file removes its events rather than adds them."""
    return _STATUS.get(status) == "CANCELLED"


def booking_calendar(b: dict[str, Any], lang: Lang, now: datetime) -> bytes:
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

    def add(uid: str, start: date, end: date, summary: str, description: str) -> None:
        """One all-day event; every event carries the booking's status, so a cancelled
        booking's stays and transfers all leave the traveller's calendar."""
        event = Event()
        event.add("uid", f"{ref}-{uid}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        event.add("description", description)
        event.add("status", status)
        event.add("sequence", 1 if cancel else 0)
        if cancel:
            organizer = vCalAddress(ORGANIZER)
            organizer.params["cn"] = pick(lang, "吉林旅居", "Jilin Sojourn")
            event.add("organizer", organizer)
        cal.add_component(event)

    for item in b["items"]:
        add(
            f"stay-{item['index']}",
            date.fromisoformat(item["check_in"]),
            date.fromisoformat(item["check_out"]),
            item["product_name"],
            t(
                "ics_stay",
                ref=ref,
                nights=item["nights"],
                units=item["units"],
                guests=item["guests"],
            ),
        )
    for leg in b["legs"]:
        travel = date.fromisoformat(leg["travel_date"])
        add(
            f"leg-{leg['index']}",
            travel,
            date.fromordinal(travel.toordinal() + 1),
            leg["line_name"],
            t("ics_leg", ref=ref, riders=leg["riders"]),
        )
    return cal.to_ical()
