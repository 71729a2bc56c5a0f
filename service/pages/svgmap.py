"""The resource map drawn server-side as SVG from the map's GeoJSON (no tiles, no
script, nothing from another origin): each destination a numbered marker, the same
number as in the list beside it. Drawn as wide as a 360px phone's column (``WIDTH``,
one unit a CSS pixel there: site.css never draws it narrower, so its numbers and labels
are at least the pages' 18px text and its markers 32px across; a wider screen draws it
larger, a narrower one slides it in its own region). It is framed on the destinations
shown, with a margin (a filtered list's few fill the map instead of a corner of the
province), so on a phone every destination found is on the first screen of the map:
it was 640px wide until December 2026, and the third of three hot-spring places was
off to the right until the map was slid."""

import math
from dataclasses import dataclass

from service.catalog import schemas as out

WIDTH = 320  # a 360px phone's column (site.css: .map svg min-width)
PAD = 28
TEXT_PX = 18  # the pages' smallest text
MARKER_R = 16
# Jilin province, roughly: the frame of a map with no points.
JILIN = (121.6, 40.8, 131.3, 46.3)  # lon min, lat min, lon max, lat max
# Around the points: this much margin (degrees), and at least this span, so one marker
# is not a whole map.
MARGIN_DEG = 0.4
MIN_SPAN_DEG = (2.4, 1.6)  # longitude, latitude
# A graticule line's label needs this much room (px) before the next one's.
LABEL_ROOM = 72
# A label's box around its baseline, for the 18px text: at most this wide a character
# (digits, N, E and ° are narrower), this far up and down, and this much clear around it.
CHAR_PX = 0.62 * TEXT_PX
ASCENT_PX, DESCENT_PX = 0.8 * TEXT_PX, 0.25 * TEXT_PX
LABEL_CLEAR = 2


def frame(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The map's frame (lon min, lat min, lon max, lat max): every point with a margin,
    at least ``MIN_SPAN_DEG`` across, and never taller than wide once drawn (a column
    of points does not make a map a phone must scroll down a metre of); Jilin when
    there are no points."""
    if not points:
        return JILIN
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    lon_span = max(lon1 - lon0 + 2 * MARGIN_DEG, MIN_SPAN_DEG[0])
    lat_span = max(lat1 - lat0 + 2 * MARGIN_DEG, MIN_SPAN_DEG[1])
    lon_span = max(lon_span, lat_span / k)  # drawn width >= drawn height
    lon_mid, lat_mid = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    return (
        lon_mid - lon_span / 2,
        lat_mid - lat_span / 2,
        lon_mid + lon_span / 2,
        lat_mid + lat_span / 2,
    )


@dataclass(frozen=True, slots=True)
class Marker:
    number: int
    x: float  # where the marker is drawn: moved off its neighbours when they overlap
    y: float
    name: str
    slug: str
    at_x: float  # where the destination is (a leader line joins them when moved)
    at_y: float

    @property
    def moved(self) -> bool:
        return abs(self.x - self.at_x) + abs(self.y - self.at_y) > 0.5


@dataclass(frozen=True, slots=True)
class GridLine:
    """A line of the graticule and its label, placed where no marker covers it
    (``label`` empty: nowhere along the line's ends was clear, so the line goes
    unlabelled rather than half hidden)."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    label_x: float = 0.0  # the label's anchor point (its baseline)
    label_y: float = 0.0
    anchor: str = "start"  # SVG text-anchor: start or end

    def box(self) -> tuple[float, float, float, float]:
        """The label's box (x0, y0, x1, y1), generously: every glyph inside it."""
        return label_box(self.label, self.label_x, self.label_y, self.anchor)


def label_box(label: str, x: float, y: float, anchor: str) -> tuple[float, float, float, float]:
    w = len(label) * CHAR_PX
    x0 = x - w if anchor == "end" else x
    return (x0, y - ASCENT_PX, x0 + w, y + DESCENT_PX)


def covers(box: tuple[float, float, float, float], cx: float, cy: float, r: float) -> bool:
    """Whether a circle (a marker, its white ring included) touches a box."""
    nx, ny = min(max(cx, box[0]), box[2]), min(max(cy, box[1]), box[3])
    return math.hypot(cx - nx, cy - ny) < r


@dataclass(frozen=True, slots=True)
class SvgMap:
    width: int
    height: int
    markers: list[Marker]
    grid: list[GridLine]
    text_px: int = TEXT_PX
    marker_r: int = MARKER_R


def draw(collection: out.FeatureCollection) -> SvgMap:
    """Project every point (equirectangular, longitudes shrunk by cos(mid-latitude)) into
    its ``frame``, with a graticule of whole degrees (every other one, or every third...,
    where labels would run together)."""
    points = [(f.geometry.coordinates[0], f.geometry.coordinates[1]) for f in collection.features]
    lon0, lat0, lon1, lat1 = frame(points)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (WIDTH - 2 * PAD) / ((lon1 - lon0) * k)
    height = round((lat1 - lat0) * scale + 2 * PAD)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(PAD + (lon - lon0) * k * scale, 1),
            round(PAD + (lat1 - lat) * scale, 1),
        )

    at = [xy(*f.geometry.coordinates[:2]) for f in collection.features]
    shown = _apart(at, WIDTH, height)
    markers = [
        Marker(i, x, y, f.properties.name, f.properties.slug, ax, ay)
        for i, (f, (x, y), (ax, ay)) in enumerate(
            zip(collection.features, shown, at, strict=True), start=1
        )
    ]
    lines = []
    lon_step = _step(k * scale, LABEL_ROOM)
    for lon in range(math.ceil(lon0), math.floor(lon1) + 1):
        if lon % lon_step:
            continue
        (x, y_top), (_, y_bottom) = xy(lon, lat1), xy(lon, lat0)
        lines.append((f"{lon}°E", x, y_top, x, y_bottom))
    lat_step = _step(scale, TEXT_PX * 2)
    for lat in range(math.ceil(lat0), math.floor(lat1) + 1):
        if lat % lat_step:
            continue
        (x_left, y), (x_right, _) = xy(lon0, lat), xy(lon1, lat)
        lines.append((f"{lat}°N", x_left, y, x_right, y))
    return SvgMap(WIDTH, height, markers, _labelled(lines, markers, WIDTH, height))


def _step(px_per_degree: float, room: float) -> int:
    """The fewest whole degrees between grid lines that leaves ``room`` px between."""
    return next(n for n in (1, 2, 3, 4, 5, 10, 20, 50) if n * px_per_degree >= room)


def _labelled(
    lines: list[tuple[str, float, float, float, float]],
    markers: list[Marker],
    width: int,
    height: int,
) -> list[GridLine]:
    """Each line with its label where no marker, no other line (a parallel struck
    through a meridian's label) nor a label placed before covers it, beside the line: a
    meridian's at its top, then its bottom, in the margin (no parallel runs there), then
    below its top, beside each parallel, above its bottom; a parallel's at its left end,
    then after each meridian, then at its right end, under it or over it. A label with
    no clear place is left out: the line still shows."""
    clear_r = MARKER_R + 1 + LABEL_CLEAR  # the marker's 2px white ring, then a gap
    meridians = [x1 for _, x1, _, x2, _ in lines if x1 == x2]
    parallels = [y1 for _, x1, y1, x2, y2 in lines if x1 != x2]
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for label, x1, y1, x2, y2 in lines:
        if x1 == x2:  # a meridian: first its ends in the margins
            ys = [y1 - 6, y2 + 20, y1 + 20]
            ys += [y for py in parallels for y in (py + 20, py - 6)] + [y2 - 6]
            spots = [(x1 + dx, y, a) for y in ys for dx, a in ((3, "start"), (-3, "end"))]
        else:  # a parallel: from the left, after each meridian, then at the right
            xs = [(x1 + 3, "start")] + [(mx + 3, "start") for mx in meridians]
            xs.append((x2 - 3, "end"))
            spots = [(x, y1 + dy, a) for x, a in xs for dy in (20, -6)]
        line = GridLine(x1, y1, x2, y2, "")
        for lx, ly, anchor in spots:
            box = label_box(label, lx, ly, anchor)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
            if not inside or any(covers(box, m.x, m.y, clear_r) for m in markers):
                continue
            others = (o for o in lines if o[1:] != (x1, y1, x2, y2))
            if any(_crosses(box, *o[1:]) for o in others):
                continue
            if any(_overlap(box, other) for other in placed):
                continue
            placed.append(box)
            line = GridLine(x1, y1, x2, y2, label, lx, ly, anchor)
            break
        out.append(line)
    return out


def _crosses(box: tuple[float, ...], x1: float, y1: float, x2: float, y2: float) -> bool:
    """Whether a grid line (level or upright) runs through a label's box."""
    if y1 == y2:
        return box[1] < y1 < box[3] and min(x1, x2) < box[2] and box[0] < max(x1, x2)
    return box[0] < x1 < box[2] and min(y1, y2) < box[3] and box[1] < max(y1, y2)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _apart(points: list[tuple[float, float]], width: int, height: int) -> list[tuple[float, float]]:
    """The markers' places: each point, pushed off any marker it would overlap (every
    overlapping pair moved apart along the line between them, half each, a few rounds;
    two on one spot split sideways), kept inside the frame. Deterministic."""
    gap = 2 * MARKER_R + 2
    pts = [[x, y] for x, y in points]
    for _ in range(60):
        moved = False
        for i in range(len(pts)):
            for j in range(i + 1, len(pts)):
                dx, dy = pts[j][0] - pts[i][0], pts[j][1] - pts[i][1]
                d = math.hypot(dx, dy)
                if d >= gap:
                    continue
                if d < 1e-6:
                    dx, dy, d = 1.0, 0.0, 1.0
                push = (gap - d) / 2 + 0.1
                pts[i][0] -= push * dx / d
                pts[i][1] -= push * dy / d
                pts[j][0] += push * dx / d
                pts[j][1] += push * dy / d
                moved = True
        for p in pts:
            p[0] = min(max(p[0], MARKER_R + 1), width - MARKER_R - 1)
            p[1] = min(max(p[1], MARKER_R + 1), height - MARKER_R - 1)
        if not moved:
            break
    return [(round(x, 1), round(y, 1)) for x, y in pts]
