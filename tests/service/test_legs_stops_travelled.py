"""A leg's stops in the order it rides them (``bookings.schemas.stops_travelled``): the
one rule of the calendar file's transfer LOCATION, by the leg's direction, as the pages
say "A → B"."""

from service.bookings.schemas import stops_travelled

LINE = [(8, "Yanji"), (5, "Antu County"), (1, "Changbai Mountain North")]


def _stop(stop_id: int) -> dict:
    return {"id": stop_id, "name": dict(LINE)[stop_id]}


def test_a_leg_riding_its_line_backwards_lists_its_stops_backwards():
    assert stops_travelled(LINE, _stop(1), _stop(8)) == [
        "Changbai Mountain North",
        "Antu County",
        "Yanji",
    ]


def test_a_leg_riding_part_of_its_line_lists_only_the_stops_it_rides():
    assert stops_travelled(LINE, _stop(8), _stop(5)) == ["Yanji", "Antu County"]
    assert stops_travelled(LINE, _stop(5), _stop(8)) == ["Antu County", "Yanji"]


def test_a_leg_that_does_not_say_where_it_boards_lists_the_line_in_order():
    names = [name for _, name in LINE]
    assert stops_travelled(LINE, None, None) == names
    # a stop its line no longer has: the line's order, never a guess
    assert stops_travelled(LINE, {"id": 99, "name": "Gone"}, _stop(8)) == names
