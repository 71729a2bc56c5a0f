"""operator_login_ascii: logins only of ASCII letters, digits and . @ _ -

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 03:30:00

Logins are compared without case (0026: ``lower(login)``), but the databases fold case
differently: SQLite's ``lower()`` folds only ASCII letters, PostgreSQL's every letter,
and the login limit counts by Python's ``casefold()``. ``Äsa-desk`` and ``äsa-desk``
were one account on PostgreSQL and two on SQLite. From now on a login holds only ASCII
letters and digits and ``. @ _ -`` (the admin API and ``jilin create-operator`` refuse
others: 422 naming ``login``), which all three fold alike.

Nothing changes in the schema. An existing login outside that rule could no longer log
in through the admin API: the upgrade stops and names them, so that someone renames
each (``UPDATE operator_account SET login = ...``) first; nothing is renamed behind
anyone's back. The rule is copied here, frozen: a migration does not follow later code.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LOGIN_CHARACTERS = re.compile(r"[A-Za-z0-9._@-]+")


def upgrade() -> None:
    logins = op.get_bind().execute(sa.text("SELECT login FROM operator_account")).scalars()
    outside = sorted(login for login in logins if not _LOGIN_CHARACTERS.fullmatch(login))
    if outside:
        raise RuntimeError(
            "operator logins with characters other than ASCII letters, digits and . @ _ -: "
            + ", ".join(repr(login) for login in outside)
            + ". Rename each (UPDATE operator_account SET login = ...) and run the upgrade"
            " again."
        )


def downgrade() -> None:
    pass
