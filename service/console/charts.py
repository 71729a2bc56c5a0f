"""The dashboard's occupancy chart: an SVG drawn on the server with pygal.

pygal is kept (not hand-written SVG) because it lays out the axes, ticks, labels and
bars of a chart that has to stay legible at any number of nights, and draws plain SVG
with no browser code: with ``js=[]`` the document references nothing outside itself.
Its SVG carries an inline ``<style>``, which the pages' Content-Security-Policy refuses
inside an HTML page, so the chart is served as its own ``image/svg+xml`` resource
(``<img>``, with the figures in a table beside it for screen readers).
"""

from datetime import date

import pygal
from pygal.etree import etree
from pygal.style import Style

# The pages' palette: brand green on white, ink for the text (AA contrast).
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#8a8a8a",
    colors=("#0b5d3b",),
    font_family='system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
    label_font_size=14,
    major_label_font_size=14,
    title_font_size=18,
    value_font_size=12,
)


def occupancy_svg(rows: list[tuple[date, int, int]], *, title: str, axis: str) -> bytes:
    """A bar per night: units taken as a percentage of units on sale."""
    chart = pygal.Bar(
        style=_STYLE,
        js=[],
        width=900,
        height=360,
        title=title,
        y_title=axis,
        range=(0, 100),
        show_legend=False,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=7,
        truncate_label=-1,
    )
    chart.x_labels = [f"{night.month}/{night.day}" for night, _, _ in rows]
    chart.add(axis, [percent_of(taken, units) for _, units, taken in rows])
    tree = chart.render_tree()
    # pygal always writes its tooltip configuration as a <script>; an image runs none,
    # and the chart needs none: drop it, so the SVG is inert wherever it is opened.
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def percent_of(taken: int, units: int) -> int:
    """Whole percent, rounded half up, in integers."""
    return (taken * 200 + units) // (units * 2) if units else 0
