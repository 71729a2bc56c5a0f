"""A booking reference is read as a person types it back (``service.reference_key``,
the pages' reading): any case, full-width or not, the hyphen left out. Every
``/v1/bookings/{reference}…`` route and the admin booking routes find the booking the
page finds."""

import uuid

from tests.service.booking_support import item, post_booking, quote_http
from tests.support.operators import FIRST, world

_FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "-0123456789abcdefghijklmnopqrstuvwxyz"}


def typings(ref: str) -> list[str]:
    """``JL-JJU6D7`` as people type it: ``JLJJU6D7``, ``jl-jju6d7``, ``ｊｌ－ｊｊｕ６ｄ７``."""
    return [ref.replace("-", ""), ref.lower(), ref.lower().translate(_FULL_WIDTH)]


def _anonymous_booking(db, client) -> tuple[str, str, object]:
    w = world(db)
    quote = quote_http(client, item(w.a.product_id, check_in=FIRST, nights=3))
    created = post_booking(client, quote["id"]).json()
    return created["reference"], created["token"], w


def test_a_traveller_reads_and_cancels_a_booking_by_the_reference_as_typed(db, client):
    ref, token, _ = _anonymous_booking(db, client)
    headers = {"X-Booking-Token": token}
    for typed in typings(ref):
        r = client.get(f"/v1/bookings/{typed}", headers=headers)
        assert (r.status_code, r.json()["reference"]) == (200, ref), (typed, r.text)
        survey = client.get(f"/v1/bookings/{typed}/survey", headers=headers)
        canonical = client.get(f"/v1/bookings/{ref}/survey", headers=headers)
        assert (survey.status_code, survey.json()) == (canonical.status_code, canonical.json())
    assert client.get("/v1/bookings/JL-ZZZZZZ", headers=headers).status_code == 404
    r = client.post(
        f"/v1/bookings/{typings(ref)[2]}/cancel",
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert (r.status_code, r.json()["reference"], r.json()["status"]) == (200, ref, "cancelled")


def test_an_operator_finds_and_cancels_a_booking_by_the_reference_as_typed(db, client):
    ref, _, w = _anonymous_booking(db, client)
    h = w.a.admin.headers
    for typed in typings(ref):
        r = client.get(f"/v1/admin/bookings/{typed}", headers=h)
        assert (r.status_code, r.json()["reference"]) == (200, ref), (typed, r.text)
    r = client.post(f"/v1/admin/bookings/{ref.replace('-', '').lower()}/cancel", headers=h)
    assert (r.status_code, r.json()["reference"], r.json()["status"]) == (200, ref, "cancelled")


def test_an_invisible_character_in_the_reference_is_said_by_name(db, client):
    """Copied from WeChat, ``JL-2NDT38`` often brings a zero-width space (U+200B) along:
    the path refuses it as every text of the API does (``service.text``), naming the
    character, and the manage page says the same words (tests/service/
    test_pages_trip_refusals.py)."""
    ref, token, _ = _anonymous_booking(db, client)
    r = client.get(
        f"/v1/bookings/{ref}%E2%80%8B",
        headers={"X-Booking-Token": token, "Accept-Language": "en"},
    )
    assert (r.status_code, r.json()["field"], r.json()["errors"][0]["code"]) == (
        422,
        "reference",
        "invisible_character",
    )
    assert "U+200B" in r.json()["errors"][0]["message"]
