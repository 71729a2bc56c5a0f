"""What an inventory cell offers: the one rule of "units on sale" that the operator
dashboard's occupancy (``service.operators.calendar.occupancy``) and the province's
reports (``service.reports.facts.live_supply``, and so every measure, export and closed
year) both count by (docs/metrics.md, "units on sale").

A night is on sale when its product is active (not retired) and the night is not
stop-sold. A night on sale offers all its units. A night not on sale offers only the
units taken on it (sold before the product was retired or the night closed): those were
on sale when they were sold, and they still count as sold, so occupancy never reads
above 100% and a retired product's booked nights stay in the figures; its units left
are not capacity anyone could buy.
"""

import sqlalchemy as sa

from catalog.models import InventoryNight, Product

_N, _P = InventoryNight.__table__, Product.__table__


def night_on_sale(cell: sa.FromClause = _N, product: sa.FromClause = _P) -> sa.ColumnElement[bool]:
    """The cell's product is active and the cell is not stop-sold (both joined)."""
    return sa.and_(product.c.is_active, sa.not_(cell.c.stop_sell))


def units_on_sale(cell: sa.FromClause = _N, product: sa.FromClause = _P) -> sa.ColumnElement[int]:
    """The units the cell offers: all of them on a night on sale, else those taken."""
    return sa.case((night_on_sale(cell, product), cell.c.total_units), else_=cell.c.taken_units)


def offers_units(cell: sa.FromClause = _N, product: sa.FromClause = _P) -> sa.ColumnElement[bool]:
    """Whether the cell is a night of the reports' supply: a night on sale, or a night
    not on sale with units taken (a closed night with none offers nothing)."""
    return sa.or_(night_on_sale(cell, product), cell.c.taken_units > 0)


def of_a_product_shown(
    cell: sa.FromClause = _N, product: sa.FromClause = _P
) -> sa.ColumnElement[bool]:
    """Whether the dashboard lists the cell's night: every night of an active product
    (a closed night with nothing sold reads 0 of 0), and a retired product's nights with
    units taken; a retired product's empty nights are not the operator's business."""
    return sa.or_(product.c.is_active, cell.c.taken_units > 0)
