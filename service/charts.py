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
"""

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
    label_font_size=14,
    major_label_font_size=14,
    title_font_size=18,
    legend_font_size=14,
    value_font_size=12,
)


def inert_svg(chart) -> bytes:
    """``chart`` (a pygal chart) as an SVG document without any ``<script>``."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")
