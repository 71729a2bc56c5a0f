"""The calendar file says where each event is, on both databases: a stay's LOCATION (its
destination, prefecture and province) and GEO (the destination's coordinates), a
transfer's stops in the order it rides them (from where it boards to where it alights),
and a DESCRIPTION with the booking reference; UIDs as before, so the file that removes
the events (METHOD:CANCEL) still names them."""

import re

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from catalog.models import Destination, Product, TransitLine
from service.quotes.examples import REQUEST_EXAMPLES
from tests.service.test_pages_trip import _book, _cancel, pages, pages_db  # noqa: F401


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_each_event_says_where_it_is(pages, pages_db, lang):  # noqa: F811
    tour = REQUEST_EXAMPLES["demo_tour"]["value"]  # a stay and a shuttle leg
    quote = pages.post("/v1/quotes", json=tour)
    assert quote.status_code == 201, quote.text
    assert _book(pages, f"/quotes/{quote.json()['id']}")[0].status_code == 303
    reference = re.search(
        r'id="booking-reference"><strong>([^<]+)', pages.get("/manage").text
    ).group(1)
    pages.cookies.set("lang", lang)
    with pages_db.write_session() as s:
        item, leg = tour["items"][0], tour["legs"][0]
        d = s.execute(
            sa.select(Destination)
            .join(Product, Product.destination_id == Destination.id)
            .where(Product.id == item["product_id"])
        ).scalar_one()
        stops = s.execute(
            sa.text(
                "SELECT d.id, d.name_zh, d.name_en FROM transit_stop t JOIN destination d"
                " ON d.id = t.destination_id WHERE t.line_id = :l ORDER BY t.seq"
            ),
            {"l": leg["line_id"]},
        ).all()
        assert s.get(TransitLine, leg["line_id"]) is not None
    cal = Calendar.from_ical(pages.get("/manage/calendar.ics").content)
    events = {str(e["uid"]).split("@")[0].rsplit("-", 2)[-2]: e for e in cal.walk("VEVENT")}
    stay, ride = events["stay"], events["leg"]
    name = d.name_zh if lang == "zh-CN" else d.name_en
    assert str(stay["location"]).startswith(name)
    assert ("吉林省" if lang == "zh-CN" else "Jilin, China") in str(stay["location"])
    geo = stay["geo"]
    assert (round(geo.latitude, 4), round(geo.longitude, 4)) == (round(d.lat, 4), round(d.lon, 4))
    assert reference in str(stay["description"]) and name in str(stay["description"])
    # The leg rides its line backwards (from the line's last stop to its first): its
    # stops are said in the order it rides them, from where it boards, as "A → B".
    ids = [stop_id for stop_id, _, _ in stops]
    boards, alights = ids.index(leg["from_destination_id"]), ids.index(leg["to_destination_id"])
    assert boards > alights
    ridden = stops[alights : boards + 1][::-1]
    names = [zh if lang == "zh-CN" else en for _, zh, en in ridden]
    assert len(names) >= 2
    assert str(ride["location"]) == ("—" if lang == "zh-CN" else " – ").join(names)
    assert str(ride["summary"]).endswith(f"{names[0]} → {names[-1]}")
    assert reference in str(ride["description"])
    assert all(n in str(ride["description"]) for n in names)
    uids = sorted(str(e["uid"]) for e in cal.walk("VEVENT"))
    assert uids == sorted(f"{reference}-{k}-0@jilin-sojourn.example" for k in ("stay", "leg"))
    # The file that removes them names the same events.
    from tests.service.test_pages_trip import _cancel  # noqa: F811

    assert _cancel(pages, pages.get("/manage/cancel").text).status_code == 303
    gone = Calendar.from_ical(pages.get("/manage/calendar.ics").content)
    assert gone.get("method") == "CANCEL"
    assert sorted(str(e["uid"]) for e in gone.walk("VEVENT")) == uids
