"""The operator's reason for cancelling on the traveller's page: the console's cancel
form says the traveller sees it, and ``GET /v1/bookings/{reference}`` gives it
(``cancellation.reason``, personal data replaced by ***), so "My booking" shows it too,
the same words, under who cancelled; an operator's cancellation with no reason says
none (operator's finding)."""

import html
import re

from service.clock import Clock
from service.operators.bookings import COMMAND_LINE, booking_of, cancel_audited
from tests.service.test_pages_trip import _book, _quote, pages, pages_db  # noqa: F401

WORDS = {"zh-CN": "运营方说明的取消原因：", "en": "The operator&#39;s reason for cancelling: "}


def _booked(pages) -> tuple[str, str]:  # noqa: F811
    """A booking made on the pages (its cookie set, its first view seen): reference and
    token."""
    assert _book(pages, _quote(pages).headers["location"])[0].status_code == 303
    page = pages.get("/manage").text
    reference = re.search(r'id="booking-reference"><strong>([^<]+)', page).group(1)
    return reference, re.search(r'id="booking-token"><strong>([^<]+)', page).group(1)


def _cancel_as_operator(pages, reference: str, reason: str | None) -> None:  # noqa: F811
    """The operator service's audited cancel (the console's, the admin API's and
    ``jilin cancel-booking``'s), as ``jilin cancel-booking`` calls it."""
    settings = pages.app.state.settings
    with pages.app.state.db.write_session() as s:
        cancel_audited(
            s,
            COMMAND_LINE,
            booking_of(s, COMMAND_LINE, reference),
            now=Clock().now(),
            reason=reason,
            lock_timeout_ms=settings.lock_timeout_ms,
            on_behalf_of_traveller=False,
            payments=None,
        )
        s.commit()


def _said(page: str) -> str | None:
    found = re.search(r'<p class="keeps-lines" id="cancel-reason">([^<]*)</p>', page)
    return found.group(1) if found else None


def test_the_operators_reason_is_shown_as_the_api_gives_it_and_none_when_none(pages):  # noqa: F811
    reference, token = _booked(pages)
    _cancel_as_operator(pages, reference, "王秀兰来电：3 号楼停水 & 维修，电话 13912345678")
    api = pages.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}).json()
    reason = api["cancellation"]["reason"]
    assert reason == "***来电：3 号楼停水 & 维修，电话 ***"  # as the API masks it
    for lang, words in WORDS.items():
        page = pages.get("/manage", headers={"Accept-Language": lang}).text
        assert _said(page) == words + html.escape(reason, quote=True)
        assert "王秀兰来电" not in page  # never in clear

    # Another booking, cancelled by the operator with no reason: no reason is said.
    pages.cookies.clear()
    reference, token = _booked(pages)
    _cancel_as_operator(pages, reference, None)
    api = pages.get(f"/v1/bookings/{reference}", headers={"X-Booking-Token": token}).json()
    assert api["status"] == "cancelled" and api["cancellation"]["reason"] is None
    for lang in WORDS:
        page = pages.get("/manage", headers={"Accept-Language": lang}).text
        assert 'id="cancel-reason"' not in page and 'id="booking-status"' in page


def test_a_reason_typed_on_several_lines_keeps_its_line_breaks(pages):  # noqa: F811
    """A reason given through the API on several lines was run together on one line: the
    page keeps its line breaks (CSS ``white-space: pre-line`` on the element, served
    from the site's own stylesheet) and escapes it as before."""
    reference, _ = _booked(pages)
    _cancel_as_operator(pages, reference, "3 号楼停水\n维修 <两天>\r\n请改订 5 号楼")
    for lang, words in WORDS.items():
        page = pages.get("/manage", headers={"Accept-Language": lang}).text
        # as stored (a browser reads CR LF in HTML as one line break)
        assert _said(page) == words + "3 号楼停水\n维修 &lt;两天&gt;\r\n请改订 5 号楼"
    css = pages.get("/static/site.css").text
    assert re.search(r"\.keeps-lines \{ white-space: pre-line; \}", css)
