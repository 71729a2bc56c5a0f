"""planner: accessibility facts of products, curated routes

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 19:30:00

* ``product`` gains five room facts (step-free access, lift, grab bars, twin beds, a
  wheelchair-accessible bathroom), false unless published. ``op.add_column`` is an
  ``ALTER TABLE ... ADD COLUMN`` on SQLite too, so the table is not rebuilt and its
  catalogue-version triggers stay.
* ``route`` / ``route_stop``: curated multi-destination routes (精品线路), each an
  ordered list of destinations with suggested nights.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROOM_FACTS = ("step_free", "lift", "grab_bars", "twin_beds", "accessible_bathroom")


def upgrade() -> None:
    for name in ROOM_FACTS:
        op.add_column(
            "product",
            sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()),
        )
    op.create_table(
        "route",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name_zh", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=160), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False, server_default=""),
        sa.Column("description_en", sa.Text(), nullable=False, server_default=""),
        sa.Column("corridor", sa.String(length=40), nullable=True),
    )
    op.create_index("ix_route_slug", "route", ["slug"], unique=True)
    op.create_table(
        "route_stop",
        sa.Column(
            "route_id",
            sa.Integer(),
            sa.ForeignKey("route.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column(
            "destination_id", sa.Integer(), sa.ForeignKey("destination.id"), nullable=False
        ),
        sa.Column("suggested_nights", sa.Integer(), nullable=False),
        sa.CheckConstraint("suggested_nights >= 1", name="suggested_nights"),
    )
    op.create_index("ix_route_stop_destination_id", "route_stop", ["destination_id"])


def downgrade() -> None:
    op.drop_index("ix_route_stop_destination_id", table_name="route_stop")
    op.drop_table("route_stop")
    op.drop_index("ix_route_slug", table_name="route")
    op.drop_table("route")
    # A plain ALTER TABLE on both databases (SQLite >= 3.35): no table rebuild, so the
    # catalogue-version triggers of ``product`` stay.
    for name in ROOM_FACTS:
        op.execute(f"ALTER TABLE product DROP COLUMN {name}")
