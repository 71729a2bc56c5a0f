"""A booking's stays and transit legs as an iCalendar file (RFC 5545, the ``icalendar``
library): all-day events a phone calendar can import. Only the reference and what is
booked; no names or phone numbers."""

from datetime import date, datetime
from typing import Any

from icalendar import Calendar, Event

from service.i18n import Lang, pick

PRODID = "-//Jilin Sojourn//Traveller pages//EN"
UID_DOMAIN = "jilin-sojourn.example"


def booking_calendar(b: dict[str, Any], lang: Lang, now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", pick(lang, f"吉林旅居 {b['reference']}", f"Jilin {b['reference']}"))
    ref = b["reference"]
    for item in b["items"]:
        event = Event()
        event.add("uid", f"{ref}-stay-{item['index']}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("dtstart", date.fromisoformat(item["check_in"]))
        event.add("dtend", date.fromisoformat(item["check_out"]))
        event.add("summary", item["product_name"])
        event.add(
            "description",
            pick(
                lang,
                f"预订号 {ref}，{item['nights']}晚，{item['units']}间，{item['guests']}人",
                f"Booking {ref}: {item['nights']} nights, {item['units']} unit(s), "
                f"{item['guests']} guest(s)",
            ),
        )
        event.add("status", "CANCELLED" if b["status"] == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    for leg in b["legs"]:
        event = Event()
        travel = date.fromisoformat(leg["travel_date"])
        event.add("uid", f"{ref}-leg-{leg['index']}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("dtstart", travel)
        event.add("dtend", date.fromordinal(travel.toordinal() + 1))
        event.add("summary", leg["line_name"])
        event.add(
            "description",
            pick(
                lang, f"预订号 {ref}，{leg['riders']}人", f"Booking {ref}: {leg['riders']} rider(s)"
            ),
        )
        cal.add_component(event)
    return cal.to_ical()
