"""The destinations map's markers: where they are drawn (pure, no database)."""

import math

from service.pages.svgmap import (
    JILIN,
    LABEL_ROOM,
    MARKER_R,
    MIN_SPAN_DEG,
    PAD,
    TEXT_PX,
    WIDTH,
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
    assert max(xs) - min(xs) > (drawn.width - 2 * PAD) / 2  # spread over the map, not a corner
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
            at = sorted((g.x1 if axis == "°E" else g.y1) for g in drawn.grid if axis in g.label)
            assert at, axis
            room = LABEL_ROOM if axis == "°E" else 2 * TEXT_PX
            assert all(b - a >= room for a, b in zip(at, at[1:], strict=False)), (axis, at)


def test_a_marker_on_a_graticule_label_moves_the_label_clear_of_it():
    spread = [(121.8, 41.0), (131.0, 46.0), (126.5, 43.5)]
    before = draw(_collection(spread))
    # a parallel's label well inside the frame (one at its edge would move the frame)
    first = min(
        (g for g in before.grid if g.label.endswith("°N")),
        key=lambda g: abs(g.y1 - before.height / 2),
    )
    x0, y0, x1, y1 = first.box()
    # A destination right on that label: the label goes elsewhere, never under it.
    lon0, lat0, lon1, lat1 = frame(spread)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (before.width - 2 * PAD) / ((lon1 - lon0) * k)
    lon = lon0 + ((x0 + x1) / 2 - PAD) / (k * scale)
    lat = lat1 - ((y0 + y1) / 2 - PAD) / scale
    drawn = draw(_collection([*spread, (lon, lat)]))
    _assert_clear(drawn)
    moved = next(g for g in drawn.grid if (g.x1, g.y1) == (first.x1, first.y1))
    assert moved.label in ("", first.label) and moved.box() != first.box()


def _assert_clear(drawn):
    from service.pages.svgmap import _crosses, covers

    boxes = [g.box() for g in drawn.grid if g.label]
    for box in boxes:
        assert 0 <= box[0] and box[2] <= drawn.width and 0 <= box[1] and box[3] <= drawn.height
        for m in drawn.markers:
            assert not covers(box, m.x, m.y, MARKER_R + 1), (box, m)
    for g in drawn.grid:  # no other line runs through a label ("124°E" struck through)
        if g.label:
            for o in drawn.grid:
                if o is not g:
                    assert not _crosses(g.box(), o.x1, o.y1, o.x2, o.y2), (g.label, o)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def _svg_shapes(html: str):
    """The map as the page draws it: grid labels (text, x, y, anchor) and marker circles."""
    import re

    svg = html[html.index("<svg") : html.index("</svg>")]
    labels = [
        (text, float(x), float(y), "end" if 'text-anchor="end"' in attrs else "start")
        for x, y, attrs, text in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)"([^>]*)fill="#3d4a42">([^<]+)</text>', svg
        )
    ]
    circles = [
        (float(x), float(y), float(r))
        for x, y, r in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    ]
    return labels, circles


def test_on_the_destinations_page_no_marker_covers_an_axis_label(demo_client):
    """The page as drawn (English, the whole province and each theme): every axis label's
    box is clear of every marker circle, its white ring included (marker 23 covered
    "45°N" on the unfiltered list)."""
    from service.pages.svgmap import covers, label_box

    themes = ["", "forest_healing", "hot_spring", "summer_retreat", "ice_snow"]
    for theme in themes:
        path = "/destinations" + (f"?theme={theme}" if theme else "")
        html = demo_client.get(path, headers={"Accept-Language": "en"}).text
        labels, circles = _svg_shapes(html)
        assert circles and labels, path
        for text, x, y, anchor in labels:
            box = label_box(text, x, y, anchor)
            for cx, cy, r in circles:
                assert not covers(box, cx, cy, r + 1), (path, text, (cx, cy))
        if not theme:
            assert any(t == "45°N" for t, *_ in labels)  # moved clear, still said


def test_the_map_is_a_phones_width_and_every_destination_found_is_on_it():
    """The review: "找到 3 个目的地" over a map showing two dots, the third off to the
    right of a 360px phone until the map was slid (it was 640px wide). The map is as
    wide as a 360px phone's column (site.css never draws it narrower: its text stays
    18px), and every marker lies inside it."""
    from pathlib import Path

    assert WIDTH <= 360 - 2 * 18  # the page's 1rem margins
    css = (Path(__file__).parents[2] / "service/static/site.css").read_text()
    assert f"min-width: {WIDTH}px" in css
    hot_springs = [(128.11, 42.4), (127.5, 42.1), (129.5, 42.9)]
    for points in (hot_springs, [(121.8, 41.0), (131.0, 46.0), (126.5, 43.5)]):
        drawn = draw(_collection(points))
        assert drawn.width == WIDTH
        for m in drawn.markers:
            assert (
                MARKER_R <= m.x <= WIDTH - MARKER_R and MARKER_R <= m.y <= drawn.height - MARKER_R
            )
        _assert_clear(drawn)


def test_each_destination_card_says_how_far_the_nearest_hospital_is(demo_client):
    """The list offers the hospital's distance as a filter; each card says it, in words
    ("最近的医院：3.2 公里"), from the list's own answer (``nearest_hospital_km``), as
    every distance is written (``formats.km``)."""
    import re

    from service.pages.formats import km

    api = demo_client.get("/v1/destinations?theme=hot_spring&limit=100").json()["items"]
    for lang, words in (
        ("zh-CN", "最近的医院：{km}"),
        ("en", "Nearest hospital: {km}"),
    ):
        html = demo_client.get(
            "/destinations?theme=hot_spring", headers={"Accept-Language": lang}
        ).text
        cards = re.findall(r'<li class="card">(.*?)</li>\s*(?=<li class="card">|</ol>)', html, re.S)
        assert len(cards) == len(api) > 0
        for d in api:
            card = next(c for c in cards if f'href="/destinations/{d["slug"]}"' in c)
            assert words.format(km=km(d["nearest_hospital_km"], lang)) in card, card
