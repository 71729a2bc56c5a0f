"""The pages' CSRF check, and the app's signed values.

Signed double submit: a random value lives in the HttpOnly, SameSite=Strict cookie
``jl_csrf`` (``__Host-jl_csrf`` where it is Secure: ``cookie_name``; a visitor with one
under the plain name from before 2026-12-08 is given a new value); every form carries
``csrf_token``, the same value signed with the app's secret and the time
(itsdangerous's ``TimestampSigner``). A POST passes only if the signature is ours,
fresh, and its value equals the cookie's; a cross-site ``Origin`` is refused as well.
``web.PageRoute`` runs ``verify_csrf`` before every page POST; ``web.render`` writes the
token into forms and sets the cookie.
"""

import hmac
import re
import secrets
from functools import cache
from urllib.parse import urlsplit

from fastapi import Request, Response
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer, want_bytes

CSRF_COOKIE = "jl_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE_SECONDS = 12 * 3600


class CsrfRefused(Exception):
    """A POST without a valid token (or from another origin): a 403 page."""


def secure_cookie(request: Request) -> bool:
    """Whether the pages' cookies (CSRF, the booking, the console session) are marked
    ``Secure``: over HTTPS, and always in production. Behind a proxy that ends TLS the app
    sees ``http`` unless uvicorn reads the proxy's headers (``--proxy-headers``), and
    the cookies went out without ``Secure`` until December 2026, so a browser would send
    them over plain HTTP too (a link to ``http://`` the site, a downgrade)."""
    # The scope's scheme, as ``request.url.scheme`` reads it (lower case), without
    # making the request's URL (~5 us; asked two or three times a page).
    scheme = str(request.scope.get("scheme", "http")).lower()
    return scheme == "https" or request.app.state.settings.env == "production"


def cookie_name(request: Request, name: str, path: str = "/") -> str:
    """The name the pages' cookie ``name`` goes by: with the prefix a browser holds it to
    when the cookie is ``Secure`` (``secure_cookie``; RFC 6265bis, "Cookie Name
    Prefixes"), so no page over plain HTTP can set one in its place. ``__Host-`` at path
    ``/`` (no Domain: a sibling subdomain cannot set it either), ``__Secure-`` under a
    narrower path (``__Host-`` requires ``/``). Without ``Secure`` (development over
    http) the plain name: a browser refuses a prefixed cookie that is not Secure."""
    if not secure_cookie(request):
        return name
    return ("__Host-" if path == "/" else "__Secure-") + name


def set_cookie(
    request: Request,
    response: Response,
    name: str,
    value: str,
    *,
    path: str = "/",
    max_age: int | None = None,
) -> None:
    """Set the pages' cookie ``name`` (under ``cookie_name``): HttpOnly, SameSite=Strict,
    ``Secure`` as ``secure_cookie`` says, ``path``; no Domain (this host only). The
    header line Starlette's ``set_cookie`` would write, byte for byte: a value it writes
    as it is (every value the pages set: URL-safe text) is put before the attributes'
    words made once (``_attributes``), not through ``http.cookies.SimpleCookie`` on
    every response (~10 us); any other value still goes through it."""
    secure = secure_cookie(request)
    key = cookie_name(request, name, path)
    if _AS_IT_IS(value) and _AS_IT_IS(key):
        line = f"{key}={value}{_attributes(max_age, path, secure)}"
        response.raw_headers.append((b"set-cookie", line.encode("latin-1")))
        return
    response.set_cookie(
        key, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path=path
    )


# The characters ``http.cookies`` writes a cookie's value with unquoted (its
# ``_LegalChars``; one at least: an empty value is written ``""``).
_AS_IT_IS = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`|~:]+").fullmatch


@cache
def _attributes(max_age: int | None, path: str, secure: bool) -> str:
    """What Starlette's ``set_cookie`` writes after ``name=value`` for a pages' cookie
    with these attributes: asked of it once (the same words for every name and value
    written as they are)."""
    probe = Response()
    probe.set_cookie(
        "n", "v", max_age=max_age, httponly=True, samesite="strict", secure=secure, path=path
    )
    line = probe.raw_headers[-1][1].decode("latin-1")
    assert line.startswith("n=v")
    return line[3:]


def delete_cookie(request: Request, response: Response, name: str, *, path: str = "/") -> None:
    """Expire the pages' cookie ``name`` as ``set_cookie`` set it (a browser takes the
    expiry of a prefixed cookie only with ``Secure`` as well), and under the plain name
    it went by before it had a prefix (until 2026-12-08), so none is left behind."""
    secure = secure_cookie(request)
    for each in dict.fromkeys((cookie_name(request, name, path), name)):
        response.delete_cookie(each, path=path, secure=secure, httponly=True, samesite="strict")


def read_cookie(request: Request, name: str, path: str = "/") -> str | None:
    """The value of the pages' cookie ``name`` this request carries (``cookie_name``)."""
    return request.cookies.get(cookie_name(request, name, path))


def signer(request: Request, salt: str) -> URLSafeTimedSerializer:
    """The app's signed-value serializer for ``salt`` (CSRF tokens, the booking and the
    console cookies), made once per secret and salt: making one costs more than using
    it (~45 us against ~20 us per cookie read)."""
    return _signer(request.app.state.settings.secret_key, salt)


@cache
def _signer(secret: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=salt)


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return signer(request, "jl-pages-csrf")


def csrf_value(request: Request) -> str:
    """This visitor's CSRF value: the cookie's, or a new one (the response then sets
    the cookie: ``web._response``)."""
    state = request.state
    if getattr(state, "csrf_value", None) is None:
        value = read_cookie(request, CSRF_COOKIE)
        if not value or len(value) > 64:
            value = secrets.token_urlsafe(24)
            state.csrf_new = True
        state.csrf_value = value
    return state.csrf_value


def bare_signer(request: Request, salt: str) -> TimestampSigner:
    """The app's bare signer for ``salt``: text signed with the time (~4 us), for a value
    that is URL-safe text already (the CSRF value, the booking cookie's). A serializer
    (``signer``) spends ~40 us more on JSON, a compression attempt and base64."""
    return _bare_signer(request.app.state.settings.secret_key, salt)


class _KeyedSigner(TimestampSigner):
    """itsdangerous's ``TimestampSigner``, its key derived once per secret: its own
    ``derive_key`` hashes the salt and the secret again on every ``sign`` and ``unsign``
    (a CSRF token on every page with a form, the booking cookie on every manage page).
    The same key, so the same signatures."""

    def __init__(self, secret: str, salt: str) -> None:
        super().__init__(secret, salt=salt)
        self._derived: dict[bytes, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        key = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        derived = self._derived.get(key)
        if derived is None:
            derived = self._derived[key] = super().derive_key(key)
        return derived


@cache
def _bare_signer(secret: str, salt: str) -> TimestampSigner:
    return _KeyedSigner(secret, salt)


def _csrf_signer(request: Request) -> TimestampSigner:
    return bare_signer(request, "jl-pages-csrf-2")


def csrf_token(request: Request) -> str:
    """The token for this request's forms: its CSRF value (URL-safe text already),
    signed with the time (``bare_signer``: on every page with a form)."""
    return _csrf_signer(request).sign(csrf_value(request)).decode()


def _csrf_signed(request: Request, sent: str) -> str:
    """The value ``sent`` signs, if the signature is ours and fresh; else
    ``BadSignature``. A token signed before 2026-12-06 by the serializer (its own salt)
    holds for its max age too, so no form open across that release is refused."""
    try:
        return _csrf_signer(request).unsign(sent, max_age=CSRF_MAX_AGE_SECONDS).decode()
    except BadSignature:
        value = _serializer(request).loads(sent, max_age=CSRF_MAX_AGE_SECONDS)
        if not isinstance(value, str):
            raise BadSignature("not a CSRF value") from None
        return value


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", "") and parts.scheme == request.url.scheme


async def verify_csrf(request: Request) -> None:
    """FastAPI dependency of every page POST (``PageRoute`` adds it)."""
    if not _same_origin(request):
        raise CsrfRefused("cross-origin form post")
    # Read the body first: Starlette then parses the form from it, and the body stays
    # readable for handlers that fingerprint it (``run_idempotent``).
    await request.body()
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    cookie = read_cookie(request, CSRF_COOKIE)
    if not isinstance(sent, str) or not cookie:
        raise CsrfRefused("missing token")
    try:
        value = _csrf_signed(request, sent)
    except BadSignature:
        raise CsrfRefused("bad token") from None
    # As bytes: ``compare_digest`` refuses a str with non-ASCII characters (a forged
    # cookie's), which would be a 500.
    if not hmac.compare_digest(value.encode(), cookie.encode()):
        raise CsrfRefused("token does not match the cookie")
    request.state.posted = form  # what the page's language switch posts again (``render``)
