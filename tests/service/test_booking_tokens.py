"""Booking tokens a traveller can read and type back: Crockford base32 in groups of four,
read forgivingly (case, spaces, dashes, O for 0, I/L for 1) by the API header, the
/manage sign-in and the kept booking cookie; tokens issued before (base64url, mixed
case) still open their booking exactly as issued. Both databases."""

import re

import pytest
import sqlalchemy as sa

from service.bookings import tokens
from service.bookings.models import Booking
from service.clients.keys import hash_token
from tests.service.booking_support import add_product, item, post_booking, quote_http
from tests.service.test_pages_trip import pages, pages_db  # noqa: F401

OLD = "X4yChpWeIE2GjRS6XPvxc0eT"  # a token as issued before 2026-12-06
NEW = "10AB-CD0E-FGH1-JK0M-NP1Q"  # one of the new form, with the confusable digits


def test_a_new_token_is_crockford_base32_in_groups_of_four_with_100_bits():
    made = {tokens.new_token() for _ in range(200)}
    assert len(made) == 200
    for token in made:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}", token)
    assert tokens.LENGTH * 5 >= 100 and len(set(tokens.ALPHABET)) == 32


@pytest.mark.parametrize(
    "typed",
    [
        NEW,
        NEW.lower(),
        NEW.replace("-", " "),
        NEW.replace("-", ""),
        "1OAB CDOE FGHl JKOM NPIQ",
        " 10ab-cd0e-fgh1-jk0m-np1q ",
        "１０ＡＢ－ＣＤ０Ｅ－ＦＧＨ１－ＪＫ０Ｍ－ＮＰ１Ｑ",
    ],
)
def test_a_new_token_is_read_as_typed(typed):
    assert tokens.normalised(typed) == "10ABCD0EFGH1JK0MNP1Q"
    assert tokens.matches(tokens.stored_hash(NEW, "pepper"), typed, "pepper")


@pytest.mark.parametrize("typed", ["10AB-CD0E-FGH1-JK0M-NP1R", "10AB-CD0E-FGH1-JK0M", "", None])
def test_another_token_is_refused(typed):
    assert not tokens.matches(tokens.stored_hash(NEW, "pepper"), typed, "pepper")
    assert not tokens.matches(tokens.stored_hash(NEW, "other"), NEW, "pepper")


def test_an_old_token_opens_exactly_as_issued():
    stored = hash_token(OLD, "pepper")
    assert tokens.matches(stored, OLD, "pepper")
    for typed in (OLD.lower(), OLD.upper(), OLD.replace("0", "O"), OLD[:-1]):
        assert not tokens.matches(stored, typed, "pepper")


def test_both_forms_are_compared_in_constant_time_whichever_matches(monkeypatch):
    calls = []
    real = tokens.hmac.compare_digest

    def compare(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", compare)
    for stored, typed in ((hash_token(OLD, "p"), OLD), (tokens.stored_hash(NEW, "p"), NEW)):
        calls.clear()
        assert tokens.matches(stored, typed, "p")
        assert len(calls) == 2  # no early exit on the first that matches
    calls.clear()
    assert not tokens.matches(hash_token(OLD, "p"), "x" * 101, "p")  # too long: nothing hashed


def _set_token(db, reference: str, token_hash: str) -> None:
    with db.write_session() as s:
        s.execute(
            sa.update(Booking).where(Booking.reference == reference).values(token_hash=token_hash)
        )
        s.commit()


def test_the_api_reads_a_new_token_as_typed_and_refuses_a_wrong_one(db, client):
    created = post_booking(client, quote_http(client, item(add_product(db)))["id"]).json()
    ref, token = created["reference"], created["token"]
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}", token)
    for typed in (token, token.lower(), token.replace("-", " "), token.replace("-", "")):
        r = client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": typed})
        assert r.status_code == 200, typed
    _set_token(db, ref, tokens.stored_hash(NEW, db.settings.secret_key))
    for typed in (NEW, "1oab cdoe fghl jkom npiq"):
        assert client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": typed}).is_success
    for wrong in (token, "10AB-CD0E-FGH1-JK0M-NP1R", "wrong"):
        r = client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": wrong})
        assert r.status_code == 404 and r.json()["code"] == "booking_not_found"


def test_the_api_still_opens_a_booking_by_a_token_issued_before(db, client):
    created = post_booking(client, quote_http(client, item(add_product(db)))["id"]).json()
    ref = created["reference"]
    _set_token(db, ref, hash_token(OLD, db.settings.secret_key))
    assert client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": OLD}).is_success
    for typed in (OLD.lower(), created["token"]):
        assert (
            client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": typed}).status_code == 404
        )
    r = client.post(
        f"/v1/bookings/{ref}/cancel", headers={"X-Booking-Token": OLD, "Idempotency-Key": "k1"}
    )
    assert r.status_code == 200 and r.json()["status"] == "cancelled"


def test_the_manage_sign_in_and_its_cookie_read_the_token_as_typed(pages):  # noqa: F811
    from tests.service.test_pages_trip import _book, _quote, csrf

    _book(pages, _quote(pages).headers["location"])
    html = pages.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', html).group(1)
    token = re.search(r'id="booking-token"><strong>([^<]+)', html).group(1)
    typed = " " + token.lower().replace("-", " ").replace("0", "o").replace("1", "l") + " "
    for attempt, status in ((token[:-1] + "Z" if token[-1] != "Z" else "Y", 422), (typed, 303)):
        pages.cookies.clear()
        form = pages.get("/manage").text
        r = pages.post(
            "/manage",
            data={"csrf_token": csrf(form), "reference": reference, "token": attempt},
            follow_redirects=False,
        )
        assert r.status_code == status
    assert reference in pages.get("/manage").text  # the cookie opens it, as typed
    assert pages.get("/manage/calendar.ics").status_code == 200


@pytest.mark.parametrize("around", [" {} ", "{} ", "\t{}", "{}\n"])
def test_a_token_with_white_space_around_it_is_read_without_it(around):
    for stored, token in ((hash_token(OLD, "p"), OLD), (tokens.stored_hash(NEW, "p"), NEW)):
        assert tokens.matches(stored, around.format(token), "p")


def test_the_api_reads_a_token_header_with_a_space_after_it(db, client):
    created = post_booking(client, quote_http(client, item(add_product(db)))["id"]).json()
    ref = created["reference"]
    r = client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": created["token"] + " "})
    assert r.status_code == 200, r.text
    _set_token(db, ref, hash_token(OLD, db.settings.secret_key))
    r = client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": f" {OLD} "})
    assert r.status_code == 200, r.text
