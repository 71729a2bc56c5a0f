"""zh-CN or English by ``Accept-Language`` (zh-CN is the default audience)."""

from typing import Annotated, Literal

from fastapi import Depends, Header

Lang = Literal["zh-CN", "en"]


def negotiate(accept_language: str | None) -> Lang:
    """Pick the best of zh-CN / en by q-value; missing or unmatched -> zh-CN."""
    if not accept_language:
        return "zh-CN"
    best: tuple[float, int, Lang] | None = None
    for pos, part in enumerate(accept_language.split(",")):
        bits = part.strip().split(";")
        tag = bits[0].strip().lower()
        q = 1.0
        for b in bits[1:]:
            b = b.strip()
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        lang: Lang | None = (
            "zh-CN" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        )
        if lang and q > 0 and (best is None or (q, -pos) > (best[0], best[1])):
            best = (q, -pos, lang)
    return best[2] if best else "zh-CN"


async def get_lang(accept_language: Annotated[str | None, Header()] = None) -> Lang:
    return negotiate(accept_language)


LangDep = Annotated[Lang, Depends(get_lang)]


def pick(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh-CN" else en
