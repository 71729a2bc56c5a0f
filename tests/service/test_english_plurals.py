"""English counts say their word in the singular for one and the plural otherwise ("1
unit", "2 units"): the refusals of a sold-out night and of the hold caps, the pages'
words for them and the command line, each through the project's one way of counting
(``pricing.labels.counted`` in code, ``{n:unit|units}`` in the pages' texts)."""

from datetime import date

import pytest

from catalog.inventory import SoldOut
from service.bookings import errors
from service.cli import main as cli
from service.pages.refusals import problem_text
from tests.service.booking_support import add_partner

NIGHT = date(2027, 7, 4)


def test_the_sold_out_refusal_counts_the_units_left():
    assert "has 1 unit left on 2027-07-04" in str(SoldOut(0, 7, NIGHT, 1))
    assert "has 2 units left" in str(SoldOut(0, 7, NIGHT, 2))
    assert "only 1 unit left" in errors.sold_out(SoldOut(0, 7, NIGHT, 1)).detail
    assert "only 3 units left" in errors.sold_out(SoldOut(0, 7, NIGHT, 3)).detail


def test_the_address_cap_says_one_room_and_several_rooms():
    alone = errors.anonymous_address_hold_limit(limit=1, held=0, rooms=2).detail
    assert "needs 2 rooms at once" in alone and "at most 1 room unpaid" in alone
    held = errors.anonymous_address_hold_limit(limit=1, held=1, rooms=1).detail
    assert "already count 1 room (" in held and "at most 1 room may" in held
    many = errors.anonymous_address_hold_limit(limit=6, held=5, rooms=2).detail
    assert "at most 6 rooms may" in many


@pytest.mark.parametrize(
    "values, said",
    [
        ({"limit": 1, "held_units": 0, "asked_units": 2, "product_id": 3}, "At most 1 room can"),
        ({"limit": 4, "held_units": 0, "asked_units": 5, "product_id": 3}, "At most 4 rooms can"),
        ({"limit": 1, "held_units": 0, "asked_units": 2}, "may count at most 1 room in all"),
        ({"limit": 6, "held_units": 0, "asked_units": 7}, "may count at most 6 rooms in all"),
    ],
)
def test_the_pages_say_a_hold_cap_of_one_in_the_singular(values, said):
    assert said in problem_text("hold_limit_reached", "en", "", values)


def test_revoke_key_says_how_many_keys_it_revoked(db, monkeypatch, capsys):
    partner = add_partner(db, "ota-plural")
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    assert cli(["revoke-key", partner.key.rsplit("_", 1)[0][:11]]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "revoked 1 key"
