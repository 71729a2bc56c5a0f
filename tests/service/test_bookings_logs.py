"""No full phone or ID number in any log line of a booking's whole life, at DEBUG
(every logger, ours, httpx's, uvicorn's; SQLAlchemy's echo stays off as configured)."""

import logging
import uuid

from tests.service.booking_support import (
    ID_NUMBER,
    LEAD,
    add_partner,
    add_product,
    booking_body,
    item,
    post_booking,
    quote_http,
)


def _all_log_text(records) -> str:
    handler = logging.Handler()
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    out = []
    for record in records:
        out.append(handler.format(record))
    return "\n".join(out)


def test_a_booking_flow_logs_no_full_phone_or_id_number(db, client, caplog):
    caplog.set_level(logging.DEBUG)
    partner = add_partner(db, "ota-a")
    product = add_product(db, units=1, nights=3)
    quote_id = quote_http(client, item(product, nights=3), headers=partner.headers)["id"]
    created = post_booking(client, quote_id, headers=partner.headers).json()
    ref = created["reference"]
    post_booking(client, quote_id, headers=partner.headers)  # sold out
    client.post(
        "/v1/bookings",
        json={
            **booking_body(quote_id),
            "lead_traveller": {"name": "x", "phone": LEAD["phone"] + "x"},
        },
        headers={**partner.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    client.get(f"/v1/bookings/{ref}", headers=partner.headers)
    client.get(f"/v1/bookings/{ref}", headers={"X-Booking-Token": created["token"]})
    client.get("/v1/bookings", headers=partner.headers)
    client.post(
        f"/v1/bookings/{ref}/cancel",
        headers={**partner.headers, "Idempotency-Key": str(uuid.uuid4())},
    )

    text = _all_log_text(caplog.records)
    assert "POST http://testserver/v1/bookings" in text
    assert LEAD["phone"] not in text
    assert ID_NUMBER not in text


def test_a_database_error_does_not_carry_the_statements_values(db):
    """A failed statement's exception (what ``log.exception`` would print) names the SQL
    but not its bound values, which can be phone and ID numbers: engines hide them."""
    import pytest
    import sqlalchemy as sa

    with pytest.raises(sa.exc.DBAPIError) as caught, db.engine.connect() as conn:
        conn.execute(
            sa.text("SELECT no_such_column FROM idempotency_key WHERE key = :phone"),
            {"phone": LEAD["phone"]},
        )
    assert "no_such_column" in str(caught.value)
    assert LEAD["phone"] not in str(caught.value)
    assert "parameters hidden" in str(caught.value)
