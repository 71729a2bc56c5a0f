"""The dashboard's occupancy chart (pygal, see ``service.charts``)."""

from datetime import date

import pygal

from service.charts import OCCUPANCY_HEIGHT, PERCENT_TICKS, STYLE, WIDTH, inert_svg


def occupancy_svg(
    rows: list[tuple[date, int, int]], *, title: str, axis: str, no_data: str
) -> bytes:
    """A bar per night: units taken as a percentage of units on sale (0% is a figure:
    the page draws the chart whenever a night is on sale; with none, ``no_data``). The
    axis is labelled every 25% and the nights once a week, so each label has room."""
    chart = pygal.Bar(
        style=STYLE,
        js=[],
        width=WIDTH,
        height=OCCUPANCY_HEIGHT,
        title=title,
        y_title=axis,
        range=(0, 100),
        y_labels=PERCENT_TICKS,
        show_legend=False,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=7,
        truncate_label=-1,
        no_data_text=no_data,
    )
    chart.x_labels = [f"{night.month}/{night.day}" for night, _, _ in rows]
    chart.add(axis, [percent_of(taken, units) for _, units, taken in rows])
    return inert_svg(chart)


def percent_of(taken: int, units: int) -> int:
    """Whole percent, rounded half up, in integers."""
    return (taken * 200 + units) // (units * 2) if units else 0
