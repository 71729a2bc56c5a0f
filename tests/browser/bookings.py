"""Quotes and bookings the browser tests make over the server's API before their pages
show them."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx


def today() -> date:
    """Today in Asia/Shanghai, the day the server's stays are counted in."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def post_quote(server, product_id: int, check_in: date, nights: int) -> httpx.Response:
    """Quote one unit of ``product_id`` for one guest, ``nights`` nights from ``check_in``,
    over the server's API; the response, whatever it is."""
    return httpx.post(
        server.base + "/v1/quotes",
        json={
            "items": [
                {
                    "product_id": product_id,
                    "check_in": check_in.isoformat(),
                    "check_out": (check_in + timedelta(days=nights)).isoformat(),
                    "guests": 1,
                    "units": 1,
                }
            ]
        },
    )


def book(server, product_id: int, check_in: date, nights: int) -> dict:
    """An anonymous booking of what ``post_quote`` quotes, led by 李桂英, over the
    server's API; the booking (201)."""
    q = post_quote(server, product_id, check_in, nights)
    assert q.status_code == 201, q.text
    b = httpx.post(
        server.base + "/v1/bookings",
        json={
            "quote_id": q.json()["id"],
            "lead_traveller": {"name": "李桂英", "phone": "13700001111"},
            "guests": [],
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert b.status_code == 201, b.text
    return b.json()
