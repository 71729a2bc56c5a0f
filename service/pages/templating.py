"""The templates' environments: one per page language, its words read once.

A page's fixed words (``{{ t("nav_home") }}``, ``{{ punct("：") }}``: a key or mark
written in the template, nothing filled in) are the same on every render in one
language. Each language has its own ``Environment`` whose templates are compiled with
those words already in place (``FixedWords``): Jinja then writes them out as part of
the template's constant text, with no call, lookup or escaping per render. A key
missing from ``messages.TEXT`` is an error when the template is compiled, not only when
its branch is rendered. Words with values filled in (``t("q_total", n=3)``), or whose
key is built (``t("status_" ~ b.status)``), are looked up on each render as before.

The language's own functions are the environment's globals (``t``, ``punct``,
``date``, ``when``, ``km``, ``lang``, ``other_lang``, ``refund_words``,
``leg_refund_days``; ``csrf_field`` and ``csrf_token``, the latter a placeholder each
response replaces with its visitor's token), so a template imported without context
(macros) sees them: an import ``with context`` runs the imported template again on every
render; one without is run once per language.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterator, MutableMapping
from functools import cache
from pathlib import Path
from types import FunctionType
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context, Macro

from pricing.refunds import LEG_FULL_REFUND_MIN_DAYS
from service.i18n import Lang
from service.pages import messages
from service.pages.csrf import CSRF_FIELD
from service.pages.formats import km, local_time, long_date, night_before, percent, yuan
from service.pages.refund_text import policy_words

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"

# Stands for the CSRF token in every rendered body (random per process, so no text can
# contain it); each response gets its visitor's own token in its place, and its cookie,
# only where a form wrote it (``web.kept_response``).
CSRF_PLACEHOLDER = "jl-csrf-" + secrets.token_hex(16)

# The functions whose call with one literal is read when the template is compiled.
_FIXED: dict[str, Callable[[str, Lang], str]] = {
    "t": lambda key, lang: messages.text_for(lang)(key),
    "punct": messages.punct,
}


class FixedWords(Extension):
    """``t("key")`` and ``punct("mark")`` (the name, then one string literal and nothing
    else in the parentheses, not an attribute ``x.t(...)``) become that literal's words
    in the environment's ``page_lang``: a string constant in the compiled template."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        lang: Lang = self.environment.page_lang  # type: ignore[attr-defined]
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if (
                tok.type == "name"
                and tok.value in _FIXED
                and [x.type for x in tokens[i + 1 : i + 4]] == ["lparen", "string", "rparen"]
                and (i == 0 or tokens[i - 1].type != "dot")
            ):
                literal = tokens[i + 2].value
                try:
                    words = _FIXED[tok.value](literal, lang)
                except KeyError:
                    raise TemplateSyntaxError(
                        f"{tok.value}({literal!r}): no such page text",
                        tok.lineno,
                        stream.name,
                        stream.filename,
                    ) from None
                yield Token(tok.lineno, "string", words)
                i += 4
                continue
            yield tok
            i += 1


_DICT_ATTRIBUTES = frozenset(dir(dict))
_PLAIN_CALLS = (FunctionType, Macro)


class PageContext(Context):
    """Jinja's context, calling a template's functions (``t(...)``, ``date(...)``: the
    language's, plain Python functions) and its macros straight away. Jinja's own
    ``Context.call`` first asks every callable, and its ``__call__``, whether it wants the
    context, the evaluation context or the environment passed in (``pass_context`` and
    the like), ~1 us a call and ~15-50 calls a page; a plain function or a macro never
    does (a function marked so still goes Jinja's way), so it is called with the same
    arguments and the same answer."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) in _PLAIN_CALLS and not hasattr(__obj, "jinja_pass_arg"):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


class PageEnvironment(Environment):
    """Jinja's environment, with ``x.name`` on a plain ``dict`` (the pages show the API's
    JSON bodies: ``line.kind``, ``item.nights``) read as ``x["name"]`` first: the same
    answer as Jinja's own ``getattr`` (which tries the attribute, then the key), without
    the ``AttributeError`` raised and caught on every such read. A name of ``dict``'s
    own (``items``, ``get``) is still the method, as in Jinja. Its contexts are
    ``PageContext``s."""

    context_class = PageContext

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain ``dict`` (the environment's, then the
        template's own over them), not Jinja's ``ChainMap`` of the two: each render copies
        them into its context twice, and each import (``macros.html``, ``_price.html``,
        ``_refund.html``: two or three a page) compares their names with the
        importing context's, which on a ``ChainMap`` walks both maps for every name
        (~70 lookups a page). The environment's globals are all set when it is made
        (``environment``), before any template is loaded, and never changed after, as
        Jinja asks of them; a ``ChainMap`` would only add seeing later changes."""
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@cache
def static_version(name: str) -> str:
    """A content hash for cache-busting a static file's URL."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


@cache
def environment(lang: Lang) -> Environment:
    """The environment of ``lang``'s pages. ``auto_reload`` off: a template is read once
    per process (a release restarts it, as ``web.templates_digest`` assumes), never
    checked on disk per render."""
    env = PageEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=False,
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[FixedWords],
    )
    env.extend(page_lang=lang)
    env.filters["yuan"] = yuan
    env.filters["percent"] = percent
    env.filters["night_before"] = night_before
    words = messages.text_for(lang)
    env.globals.update(
        lang=lang,
        other_lang="en" if lang == "zh-CN" else "zh-CN",
        t=words,
        # Whether ``key`` is a page text: a text chosen by what an address says (the
        # console's ``done``) is said only when it is one, never a 500 for another.
        has_text=lambda key: key in messages.TEXT,
        refund_words=lambda tiers: policy_words(tiers, words),
        leg_refund_days=LEG_FULL_REFUND_MIN_DAYS,
        punct=lambda mark: messages.punct(mark, lang),
        date=lambda d: long_date(d, lang),
        when=lambda i: local_time(i, lang),
        km=lambda distance: km(distance, lang),
        csrf_field=CSRF_FIELD,
        csrf_token=CSRF_PLACEHOLDER,
        static_version=static_version,
    )
    return env
