"""The destinations map's markers: where they are drawn (pure, no database)."""

import math

from service.pages.svgmap import MARKER_R, _apart


def test_markers_on_one_spot_or_close_are_drawn_apart_inside_the_frame():
    points = [(100.0, 100.0), (100.0, 100.0), (105.0, 98.0), (20.0, 20.0), (300.0, 200.0)]
    shown = _apart(points, 320, 240)
    for i, a in enumerate(shown):
        assert MARKER_R < a[0] < 320 - MARKER_R and MARKER_R < a[1] < 240 - MARKER_R
        for b in shown[i + 1 :]:
            assert math.dist(a, b) >= 2 * MARKER_R
    assert shown[4] == points[4]  # a marker with room stays where its place is
    assert _apart(points, 320, 240) == shown  # the same every time
