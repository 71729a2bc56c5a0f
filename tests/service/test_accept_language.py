"""``Accept-Language`` negotiated between zh-CN and English by q-value, ``*`` standing
for each language the header does not name (RFC 4647, as RFC 9110 reads the header):
``*;q=0.5, en;q=0.1`` asks for anything at 0.5 before English at 0.1, so zh-CN. It
was English, the one tag named (newcomer finding, December 2026)."""

import pytest

from service.i18n import negotiate

CASES = {
    None: "zh-CN",
    "": "zh-CN",
    "*": "zh-CN",
    "*;q=0.5, en;q=0.1": "zh-CN",
    "en, *;q=0.5": "en",
    "zh;q=0, *": "en",
    "en;q=0, *": "zh-CN",
    "fr, en;q=0.5": "en",
    "x-klingon": "zh-CN",
    "en-US;q=0": "zh-CN",
    "zh;q=0, en;q=0": "zh-CN",
    "en;q=0.1, zh;q=0.9": "zh-CN",
    "en-US,en;q=0.9,zh-CN;q=0.8": "en",
    "zh-CN,zh;q=0.9,en;q=0.8": "zh-CN",
    "en;q=0.5, zh;q=0.5": "en",  # a tie: the first named
    "EN-gb": "en",
    # A malformed weight makes its element invalid (RFC 9110 §12.4.2): never chosen.
    "en;q=abc": "zh-CN",
    "zh, en;q=2": "zh-CN",
    "en;q=inf": "zh-CN",
    "en;q=0.0001, zh;q=0": "zh-CN",
    "en;q=1.000, zh;q=0.999": "en",
    "en;q=.5": "zh-CN",
}


@pytest.mark.parametrize(("header", "lang"), CASES.items())
def test_the_language_by_q_value_with_the_wildcard(header, lang):
    assert negotiate(header) == lang


@pytest.mark.parametrize("header", ["*;q=0.5, en;q=0.1", "zh;q=0, *"])
def test_the_api_and_the_pages_answer_in_the_language_negotiated(demo_client, header):
    want = CASES[header]
    for path in ("/v1/destinations/yanji", "/destinations/yanji"):
        r = demo_client.get(path, headers={"Accept-Language": header})
        assert r.status_code == 200 and r.headers["content-language"] == want, path
    problem = demo_client.get("/v1/destinations/nowhere", headers={"Accept-Language": header})
    assert problem.headers["content-language"] == want
    assert ("没有" in problem.json()["detail"]) == (want == "zh-CN")
