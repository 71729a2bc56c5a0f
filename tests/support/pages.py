"""Reading a page (or a part of one) as its reader sees it, for TestClient tests."""

import re
from html import unescape


def page_text(html: str) -> str:
    """``html``'s words: tags as spaces, entities read, white space folded to one space."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
