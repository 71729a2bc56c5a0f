"""The page language: the address's ``?lang=``, else the ``lang`` cookie, else
``Accept-Language`` (``page_lang``, chosen once per request), the cookie that keeps a
visitor's choice and the address without ``?lang=`` (``web`` answers with them; its
names for them are these)."""

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import Request, Response

from service import query_params
from service.i18n import Lang, negotiate
from service.pages import csrf, messages

LANG_COOKIE = "lang"
LANG_PARAM = "lang"  # ?lang=en on any page's address: that view in that language
LANGS: tuple[Lang, ...] = ("zh-CN", "en")
LANG_TAGS: dict[str, Lang] = {lang.lower(): lang for lang in LANGS}  # tags: any case


def address_lang(request: Request) -> Lang | None:
    """The address's ``?lang=`` if it names one we speak (``zh-CN`` or ``en``, in any
    case), else None (absent, one we do not speak, or given twice: ``PageRoute.reads_query``
    refuses that address)."""
    if not request.scope.get("query_string"):
        return None
    asked = query_params.read(request).getlist(LANG_PARAM)  # PageRoute declares lang
    return LANG_TAGS.get(asked[0].strip().lower()) if len(asked) == 1 else None


def page_lang(request: Request) -> Lang:
    """The address's ``?lang=`` (a partner's link, the mini-program's, opens the page in
    its language, and ``_response`` keeps it in the cookie so the visitor goes on in it),
    else the ``lang`` cookie if it names one, else ``Accept-Language``. A ``lang`` we do
    not speak is ignored, as a parameter a page does not read is. Chosen once per
    request and kept on ``request.state`` (a page asks two to four times: its handler,
    its render, its response; ``Accept-Language`` negotiated each time cost ~5-10 us)."""
    state = request.state
    lang: Lang | None = getattr(state, "page_lang", None)
    if lang is None:
        lang = state.page_lang = _chosen_lang(request)
    return lang


def _chosen_lang(request: Request) -> Lang:
    if (lang := address_lang(request)) is not None:
        return lang
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGS:
        return chosen  # type: ignore[return-value]
    return negotiate(request.headers.get("accept-language"))


def text(request: Request) -> Callable[..., str]:
    """``t(key)`` in the page's language, for handlers."""
    return messages.text_for(page_lang(request))


def remember_lang(request: Request, response: Response, lang: Lang) -> None:
    """Keep ``lang`` as the visitor's page language (the ``lang`` cookie, a year):
    SameSite=Lax, so a link from another site opens the page in it; ``Secure`` where the
    pages' other cookies are (``csrf.secure_cookie``: it went over plain HTTP too until
    December 2026). Its plain name: a planted one changes the language, nothing else,
    and a new name would lose every visitor's choice."""
    response.set_cookie(
        LANG_COOKIE,
        lang,
        max_age=365 * 24 * 3600,
        samesite="lax",
        httponly=True,
        secure=csrf.secure_cookie(request),
    )


def without_lang(path: str) -> str:
    """A local address without its ``?lang=`` (``LANG_PARAM``): where the language switch
    leads back to, so the language chosen is not overridden by the address's."""
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != LANG_PARAM]
    return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))
