"""gzip negotiated as RFC 9110 says: q-values, case, ``*``, ``identity;q=0``; a
compressed answer has its own ETag and If-None-Match works for both."""

import pytest

from service.compression import gzip_etag, negotiate
from tests.factories import make_destination, make_product


@pytest.mark.parametrize(
    ("header", "gzip_ok", "identity_ok"),
    [
        (None, False, True),
        ("", False, True),
        ("gzip", True, True),
        ("GZIP", True, True),
        ("Gzip;Q=0.5", True, True),
        ("gzip;q=0", False, True),
        ("gzip; q=0.000", False, True),
        ("deflate, gzip;q=0", False, True),
        ("gzip;q=0, *", False, True),
        ("*", True, True),
        ("*;q=0", False, False),
        ("*;q=0, identity", False, True),
        ("identity;q=0, gzip", True, False),
        ("br, deflate", False, True),
        ("x-gzip", True, True),
        ("gzip;q=nonsense", False, True),
        ("identity", False, True),
    ],
)
def test_accept_encoding_is_parsed_with_weights_and_case(header, gzip_ok, identity_ok):
    assert negotiate(header) == (gzip_ok, identity_ok)


def test_the_compressed_etag_is_another_tag():
    assert gzip_etag('"7.en.ab"') == '"7.en.ab-gzip"'
    assert gzip_etag('W/"7.en.ab"') == 'W/"7.en.ab-gzip"'
    assert gzip_etag('"7.en.ab-gzip"') == '"7.en.ab-gzip"'


@pytest.fixture
def big_product(session):
    forest = make_destination(session, slug="forest", name_en="Forest", name_zh="森林")
    for i in range(12):
        make_product(session, forest, slug=f"cabin-{i}", name_en=f"Cabin {i}", name_zh="小屋")
    session.commit()
    return "/v1/products?limit=12"


def _get(client, url, encoding, **headers):
    return client.get(url, headers={"Accept-Encoding": encoding, **headers})


def test_gzip_is_sent_only_when_acceptable_and_has_its_own_etag(client, big_product):
    url = big_product
    plain = _get(client, url, "identity")
    assert "content-encoding" not in plain.headers
    assert len(plain.content) > 1000, "large enough to be compressed"
    for refused in ("gzip;q=0", "gzip;q=0, *", "br"):
        r = _get(client, url, refused)
        assert "content-encoding" not in r.headers, refused
        assert r.headers["etag"] == plain.headers["etag"]
    for accepted in ("gzip", "GZIP", "gzip;q=0.5", "*", "br, GZip;q=1.0"):
        r = client.get(url, headers={"Accept-Encoding": accepted})
        assert r.headers["content-encoding"] == "gzip", accepted
        assert r.json() == plain.json()
        assert r.headers["etag"] == gzip_etag(plain.headers["etag"]) != plain.headers["etag"]
        assert "Accept-Encoding" in r.headers["vary"]


def test_if_none_match_works_for_both_representations(client, big_product):
    url = big_product
    plain = _get(client, url, "identity")
    zipped = _get(client, url, "gzip")
    for encoding, tag in (("identity", plain.headers["etag"]), ("gzip", zipped.headers["etag"])):
        r = _get(client, url, encoding, **{"If-None-Match": tag})
        assert r.status_code == 304, (encoding, tag)
        assert r.headers["etag"] == tag
        assert "Accept-Encoding" in r.headers["vary"]
    # a tag of the other representation: still the same content, still not modified
    r = _get(client, url, "gzip", **{"If-None-Match": plain.headers["etag"]})
    assert r.status_code == 304 and r.headers["etag"] == plain.headers["etag"]
    stale = _get(client, url, "gzip", **{"If-None-Match": '"stale-gzip"'})
    assert stale.status_code == 200 and stale.headers["etag"] == zipped.headers["etag"]


def test_identity_refused_compresses_even_a_small_answer(client):
    r = client.get("/v1/health", headers={"Accept-Encoding": "identity;q=0, gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    raw = client.get("/v1/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in raw.headers  # small, identity acceptable
