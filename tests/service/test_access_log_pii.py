"""The access line of a request whose path carries an ID number shows it masked, glued
to letters or not (service.logs.ID_NUMBER); a path segment with any character outside
ASCII (a name, full-width digits) is masked whole (``service.logs.path_for_log``): no
address of ours has one."""

import json
import logging

from service.logs import JsonFormatter

ID = "220102199003071234"


def _access_paths(caplog) -> list[str]:
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "jilin.access"]
    return [json.loads(line)["path"] for line in lines]


def test_an_id_number_in_a_path_is_masked_in_the_access_line(client, caplog):
    caplog.set_level(logging.INFO, logger="jilin.access")
    paths = [
        f"/v1/products/ID{ID}",
        "/v1/products/ＩＤ２２０１０２１９９００３０７１２３４",
        f"/v1/products/身份证{ID}",
        f"/v1/products/{ID}",
        "/v1/products/tel13912345678",
        "/v1/products/JL-JJU6D7",
        "/v1/quotes/q_3f9a1c2b7d8e4f5a6b7c8d9e",
    ]
    for path in paths:
        assert client.get(path).status_code == 404
    assert _access_paths(caplog) == [
        "/v1/products/ID220***********4",
        "/v1/products/~",
        "/v1/products/~",
        "/v1/products/220***********4",
        "/v1/products/tel139****5678",
        "/v1/products/JL-JJU6D7",
        "/v1/quotes/q_3f9a1c2b7d8e4f5a6b7c8d9e",
    ]


def test_a_mobile_with_0086_or_a_15_digit_id_number_in_a_path_is_masked(client, caplog):
    caplog.set_level(logging.INFO, logger="jilin.access")
    for path in ("/v1/bookings/008613912345678", "/v1/bookings/身份证220102540506123"):
        assert client.get(path).status_code == 422  # no booking reference
    assert _access_paths(caplog) == [
        "/v1/bookings/0086139****5678",
        "/v1/bookings/~",
    ]


def test_a_name_in_a_path_is_masked_in_the_access_line(client, caplog):
    """Newcomer finding, 2026-12-07: ``GET /v1/admin/bookings/王秀兰`` was logged with the
    name in clear (phones and ID numbers in the same place were masked)."""
    caplog.set_level(logging.INFO, logger="jilin.access")
    for path in ("/v1/admin/bookings/王秀兰", "/destinations/王秀兰/x", "/v1/bookings/Zoë"):
        client.get(path)
    assert _access_paths(caplog) == ["/v1/admin/bookings/~", "/destinations/~/x", "/v1/bookings/~"]
    assert not any(
        "王秀兰" in r.getMessage() or "王秀兰" in str(r.__dict__) for r in caplog.records
    )


def test_weasyprint_warnings_are_kept_out_of_the_log():
    """WeasyPrint warns about every screen-only CSS rule of a printed page (~40 lines a
    report PDF; newcomer finding, 2026-12-07): its logger is kept at ERROR."""
    from service.logs import configure_logging

    configure_logging()
    assert logging.getLogger("weasyprint").getEffectiveLevel() == logging.ERROR
    assert not logging.getLogger("weasyprint").isEnabledFor(logging.WARNING)
