"""Charts drawn on the server with pygal, shared by the operators' dashboard and the
province's reports: one palette, and one way to turn a chart into an inert SVG.

pygal is kept (not hand-written SVG) because it lays out the axes, ticks, labels and
bars of a chart that has to stay legible at any number of points, and draws plain SVG:
with ``js=[]`` the document references nothing outside itself. It still writes its
tooltip configuration as a ``<script>``; an image runs none and a chart needs none, so
``inert_svg`` drops it and the SVG is inert wherever it is opened. The SVG carries an
inline ``<style>``, which the pages' Content-Security-Policy refuses inside an HTML
page, so charts are served as their own ``image/svg+xml`` resources (``<img>``, with
the figures in a table beside them for screen readers).

A chart is drawn at ``WIDTH`` and its text sized for that width (16 px labels, as the
pages' hints), and the pages show it at that size, scrolling sideways in its own box
on a phone rather than shrunk until its axes cannot be read. A chart with nothing to
show (every value missing or 0) is not drawn as an empty 0-1 axis: ``has_data`` tells
the page to say "no data yet" instead, and ``render`` draws those words in the SVG.
"""

from collections.abc import Sequence

from pygal.etree import etree
from pygal.style import Style

# The pages' palette: brand green (and grey for a second series) on white, ink for the
# text, every colour at AA contrast.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#6b6b6b",
    colors=("#0b5d3b", "#9a9a9a"),
    font_family='system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
    label_font_size=16,
    major_label_font_size=16,
    title_font_size=20,
    legend_font_size=16,
    value_font_size=14,
    no_data_font_size=24,
)
# The size every chart is drawn at, in px (its <img> says so, and the pages show it at
# it): WIDTH for every chart; HEIGHT for a report's (the measures, an evaluation's: a
# legend or slanted labels under the bars), OCCUPANCY_HEIGHT for the dashboard's.
WIDTH = 900
HEIGHT = 380
OCCUPANCY_HEIGHT = 360
PERCENT_TICKS = [0, 25, 50, 75, 100]  # a 0-100 axis labelled every quarter: room for each


Series = Sequence[tuple[str, Sequence[float | int | None]]]  # (label, values) of a chart


def has_data(series: Series) -> bool:
    """Whether a chart of ``series`` shows anything: some value is there and not 0 (the
    page says "no data yet" if not)."""
    return any(v for _, values in series for v in values)


def render(chart, series: Series, no_data: str) -> bytes:
    """``chart`` (a pygal chart, its axes set) with ``series`` (label, values) as an
    inert SVG; when no series has data, the chart says ``no_data`` instead of drawing
    an empty axis."""
    chart.no_data_text = no_data
    if has_data(series):
        for label, values in series:
            chart.add(label, list(values))
    else:
        chart.y_labels = None  # pygal cannot lay out fixed ticks with no series
    return inert_svg(chart)


def inert_svg(chart) -> bytes:
    """``chart`` (a pygal chart) as an SVG document without any ``<script>``."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")
