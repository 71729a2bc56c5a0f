"""The resource map drawn server-side as SVG from the map's GeoJSON (no tiles, no
script, nothing from another origin): each destination a numbered marker, the same
number as in the list beside it."""

import math
from dataclasses import dataclass

from service.catalog import schemas as out

WIDTH = 640
PAD = 36
# Jilin province, roughly: the frame when there are few points, so one marker is not
# a whole map.
JILIN = (121.6, 40.8, 131.3, 46.3)  # lon min, lat min, lon max, lat max


@dataclass(frozen=True, slots=True)
class Marker:
    number: int
    x: float
    y: float
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class SvgMap:
    width: int
    height: int
    markers: list[Marker]
    grid: list[tuple[str, float, float, float, float]]  # label, x1, y1, x2, y2


def draw(collection: out.FeatureCollection) -> SvgMap:
    """Project every point (equirectangular, longitudes shrunk by cos(mid-latitude)) into
    a frame that holds Jilin and every point, with a 1-degree graticule."""
    points = [(f.geometry.coordinates[0], f.geometry.coordinates[1]) for f in collection.features]
    lon0 = min([JILIN[0], *(p[0] for p in points)])
    lat0 = min([JILIN[1], *(p[1] for p in points)])
    lon1 = max([JILIN[2], *(p[0] for p in points)])
    lat1 = max([JILIN[3], *(p[1] for p in points)])
    k = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (WIDTH - 2 * PAD) / ((lon1 - lon0) * k)
    height = round((lat1 - lat0) * scale + 2 * PAD)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(PAD + (lon - lon0) * k * scale, 1),
            round(PAD + (lat1 - lat) * scale, 1),
        )

    markers = []
    for i, f in enumerate(collection.features, start=1):
        x, y = xy(*f.geometry.coordinates[:2])
        markers.append(Marker(i, x, y, f.properties.name, f.properties.slug))
    grid = []
    for lon in range(math.ceil(lon0), math.floor(lon1) + 1):
        (x, y_top), (_, y_bottom) = xy(lon, lat1), xy(lon, lat0)
        grid.append((f"{lon}°E", x, y_top, x, y_bottom))
    for lat in range(math.ceil(lat0), math.floor(lat1) + 1):
        (x_left, y), (x_right, _) = xy(lon0, lat), xy(lon1, lat)
        grid.append((f"{lat}°N", x_left, y, x_right, y))
    return SvgMap(WIDTH, height, markers, grid)
