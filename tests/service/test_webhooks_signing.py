"""The outgoing webhooks' signature, as a partner checks it (``verify_signature``)."""

from service.webhooks.signing import signature_header, verify_signature

SECRET = "whsec_test"
BODY = '{"type": "booking.confirmed"}'


def test_a_header_we_signed_verifies_within_the_tolerance_only():
    header = signature_header(SECRET, 1_700_000_000, BODY)
    assert verify_signature(SECRET, header, BODY, now=1_700_000_100)
    assert not verify_signature(SECRET, header, BODY, now=1_700_001_000)
    assert not verify_signature(SECRET, header, BODY + " ", now=1_700_000_100)
    assert not verify_signature("whsec_other", header, BODY, now=1_700_000_100)


def test_forged_headers_are_false_never_an_exception():
    for header in (None, "", "t=x,v1=ab", "v1=ab", "t=1700000000,v1=\u00e9\u00e9", "t=1700000000"):
        assert verify_signature(SECRET, header, BODY, now=1_700_000_000) is False


def test_after_a_rotation_either_secret_verifies():
    header = signature_header(["whsec_new", SECRET], 1_700_000_000, BODY)

    assert header.count("v1=") == 2
    assert verify_signature("whsec_new", header, BODY, now=1_700_000_000)
    assert verify_signature(SECRET, header, BODY, now=1_700_000_000)
    assert not verify_signature("whsec_other", header, BODY, now=1_700_000_000)
