"""reports: survey answers, closed years and their frozen facts, report indexes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 22:20:00

* ``survey_response``: one traveller's answer about one stay (unique per stay item).
* ``report_closure`` and ``closed_stay`` / ``closed_supply`` / ``closed_pilot``: a
  closed year's frozen facts (``service.reports.closing``).
* ``ix_booking_item_check_in`` and ``ix_inventory_night_night``: the reports select
  stays by check-in and the nights on sale by date.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel types)
from alembic import op
from sqlalchemy.dialects import postgresql
import catalog.base  # noqa: F401

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "closed_pilot",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("destination_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("pilot_kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("pilot_status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("prefecture", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column(
            "certifications",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("year", "destination_id", name=op.f("pk_closed_pilot")),
    )
    op.create_table(
        "closed_stay",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("item_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("item_index", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("no_show", sa.Boolean(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("pilot_kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("prefecture", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("beds_per_unit", sa.Integer(), nullable=False),
        sa.Column("check_in", sa.Date(), nullable=False),
        sa.Column("check_out", sa.Date(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("guests", sa.Integer(), nullable=False),
        sa.Column("net_fen", sa.BigInteger(), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=True),
        sa.Column("accommodation", sa.Integer(), nullable=True),
        sa.Column("medical_access", sa.Integer(), nullable=True),
        sa.Column("food", sa.Integer(), nullable=True),
        sa.Column("activities", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("elder_friendliness", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("year", "item_id", name=op.f("pk_closed_stay")),
    )
    op.create_table(
        "closed_supply",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("product_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("total_units", sa.Integer(), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("pilot_kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("prefecture", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("beds_per_unit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "product_id", "night", name=op.f("pk_closed_supply")),
    )
    op.create_table(
        "report_closure",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("closed_at", catalog.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_report_closure")),
    )
    op.create_table(
        "survey_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_item_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=False),
        sa.Column("accommodation", sa.Integer(), nullable=True),
        sa.Column("medical_access", sa.Integer(), nullable=True),
        sa.Column("food", sa.Integer(), nullable=True),
        sa.Column("activities", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("elder_friendliness", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("submitted_at", catalog.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "overall BETWEEN 1 AND 5 AND (accommodation IS NULL OR accommodation BETWEEN 1 AND 5) AND (medical_access IS NULL OR medical_access BETWEEN 1 AND 5) AND (food IS NULL OR food BETWEEN 1 AND 5) AND (activities IS NULL OR activities BETWEEN 1 AND 5) AND (value IS NULL OR value BETWEEN 1 AND 5) AND (elder_friendliness IS NULL OR elder_friendliness BETWEEN 1 AND 5)",
            name=op.f("ck_survey_response_scores"),
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_survey_response_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["booking_item_id"],
            ["booking_item.id"],
            name=op.f("fk_survey_response_booking_item_id_booking_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
        sa.UniqueConstraint("booking_item_id", name=op.f("uq_survey_response_booking_item_id")),
    )
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_response_booking_id"), ["booking_id"], unique=False
        )

    op.create_index("ix_booking_item_check_in", "booking_item", ["check_in"])
    op.create_index("ix_inventory_night_night", "inventory_night", ["night"])


def downgrade() -> None:
    op.drop_index("ix_inventory_night_night", table_name="inventory_night")
    op.drop_index("ix_booking_item_check_in", table_name="booking_item")
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_response_booking_id"))

    op.drop_table("survey_response")
    op.drop_table("report_closure")
    op.drop_table("closed_supply")
    op.drop_table("closed_stay")
    op.drop_table("closed_pilot")
