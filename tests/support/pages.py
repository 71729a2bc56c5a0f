"""Reading a page (or a part of one) as its reader sees it, for TestClient tests; what
is wrong with a page's answer to odd input (``faults``)."""

import re
from html import unescape


def page_text(html: str) -> str:
    """``html``'s words: tags as spaces, entities read, white space folded to one space."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def faults(r, refused_wrote: bool = False) -> list[str]:
    """What is wrong with a page's answer ``r`` to odd input: a 5xx; a refusal (4xx) that
    is not an HTML page, or that wrote something (``refused_wrote``, as the caller saw
    it); a traceback anywhere. [] for an answer that is right."""
    found = []
    if r.status_code >= 500:
        found.append(f"{r.status_code}")
    elif 400 <= r.status_code < 500:
        if not r.headers.get("content-type", "").startswith("text/html"):
            found.append(f"{r.status_code} as {r.headers.get('content-type')}")
        if refused_wrote:
            found.append(f"{r.status_code} but wrote")
    if "Traceback" in r.text:
        found.append("a traceback")
    return found
