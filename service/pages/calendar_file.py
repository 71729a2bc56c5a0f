"""A booking's stays and transit legs as an iCalendar file (RFC 5545, the ``icalendar``
library): all-day events a phone calendar can import. Only the reference and what is
booked; no names or phone numbers."""

from datetime import date, datetime
from typing import Any

from icalendar import Calendar, Event

from service.i18n import Lang, pick
from service.pages import messages

PRODID = "-//Jilin Sojourn//Traveller pages//EN"
UID_DOMAIN = "jilin-sojourn.example"
# RFC 5545 STATUS of every event by the booking's status: a cancelled or lapsed booking
# cancels them all, an unpaid hold is tentative.
_STATUS = {"cancelled": "CANCELLED", "expired": "CANCELLED", "pending_payment": "TENTATIVE"}


def booking_calendar(b: dict[str, Any], lang: Lang, now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", pick(lang, f"吉林旅居 {b['reference']}", f"Jilin {b['reference']}"))
    ref = b["reference"]
    t = messages.text_for(lang)
    status = _STATUS.get(b["status"], "CONFIRMED")

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
