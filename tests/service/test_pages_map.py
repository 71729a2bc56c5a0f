"""The destinations map's markers: where they are drawn (pure, no database)."""

import math

from service.pages.svgmap import (
    JILIN,
    LABEL_ROOM,
    MARKER_R,
    MIN_SPAN_DEG,
    TEXT_PX,
    _apart,
    draw,
    frame,
)


def test_markers_on_one_spot_or_close_are_drawn_apart_inside_the_frame():
    points = [(100.0, 100.0), (100.0, 100.0), (105.0, 98.0), (20.0, 20.0), (300.0, 200.0)]
    shown = _apart(points, 320, 240)
    for i, a in enumerate(shown):
        assert MARKER_R < a[0] < 320 - MARKER_R and MARKER_R < a[1] < 240 - MARKER_R
        for b in shown[i + 1 :]:
            assert math.dist(a, b) >= 2 * MARKER_R
    assert shown[4] == points[4]  # a marker with room stays where its place is
    assert _apart(points, 320, 240) == shown  # the same every time


def _collection(points):
    from types import SimpleNamespace as N

    return N(
        features=[
            N(geometry=N(coordinates=[lon, lat]), properties=N(name=f"d{i}", slug=f"d{i}"))
            for i, (lon, lat) in enumerate(points)
        ]
    )


def test_a_few_destinations_in_one_corner_fill_the_map():
    """The newcomer's phone: four results, all in the east, drawn in the province's
    frame sat in the right half of a map whose first screen (360 px) showed no marker."""
    east = [(128.1, 42.0), (129.5, 42.9), (128.9, 42.5), (129.3, 42.8)]
    drawn = draw(_collection(east))
    xs = [m.at_x for m in drawn.markers]
    assert min(xs) < 360 - 2 * MARKER_R  # a marker on a phone's first screen
    assert max(xs) - min(xs) > drawn.width / 2  # spread over the map, not a corner
    assert drawn.height <= drawn.width


def test_one_destination_is_not_a_whole_map_and_none_is_jilin():
    lon0, lat0, lon1, lat1 = frame([(127.0, 43.0)])
    assert lon1 - lon0 >= MIN_SPAN_DEG[0] - 1e-9 and lat1 - lat0 >= MIN_SPAN_DEG[1] - 1e-9
    assert lon0 < 127.0 < lon1 and lat0 < 43.0 < lat1
    assert frame([]) == JILIN


def test_graticule_labels_never_run_together():
    spread = [(121.8, 41.0), (131.0, 46.0), (126.5, 43.5)]  # the whole province
    for points in (spread, [(127.0, 43.0)], [(128.1, 42.0), (129.5, 42.9)]):
        drawn = draw(_collection(points))
        for axis in ("°E", "°N"):
            at = sorted(
                (x1 if axis == "°E" else y1) for label, x1, y1, _, _ in drawn.grid if axis in label
            )
            assert at, axis
            room = LABEL_ROOM if axis == "°E" else 2 * TEXT_PX
            assert all(b - a >= room for a, b in zip(at, at[1:], strict=False)), (axis, at)
