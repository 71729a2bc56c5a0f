"""Every piece of page text, in zh-CN and English, keyed by name.

Templates call ``t("key")`` (``t("key", n=3)`` formats ``{n}``). A key missing here is an
error at render time (a test renders every page in both languages). Problems raised by
the services carry English ``detail``; ``problem_text`` says them in the page's language
by their stable ``code``.
"""

from collections.abc import Callable

from service.i18n import Lang

TEXT: dict[str, tuple[str, str]] = {
    # chrome
    "site_name": ("吉林旅居康养", "Jilin Sojourn"),
    "site_tagline": (
        "森林、温泉、民俗：在吉林住上几周",
        "Forests, hot springs, folk culture: weeks in Jilin",
    ),
    "skip_to_content": ("跳到正文", "Skip to content"),
    "nav_label": ("主菜单", "Main menu"),
    "nav_home": ("首页", "Home"),
    "nav_destinations": ("目的地", "Destinations"),
    "nav_plan": ("规划行程", "Plan a trip"),
    "nav_manage": ("我的预订", "My booking"),
    "switch_to": ("English", "中文"),
    "switch_to_label": ("Switch to English", "切换到中文"),
    "footer_prices": (
        "明码标价：每一项价格与优惠都写明规则，可自行核算。",
        "Transparent prices (明码标价): every line and discount names its rule.",
    ),
    "footer_demo": (
        "演示站点：目录为示例数据，入住时付款。",
        "Demo site: sample catalogue, pay at the property.",
    ),
    # home
    "home_title": ("在吉林，住上几周", "Weeks in Jilin, at your pace"),
    "home_intro": (
        "长白山的森林疗愈、延吉的朝鲜族民俗、一周温泉：按主题挑选目的地，价格逐项写明。",
        "Forest healing at Changbai Mountain, Korean folk culture in Yanji, a hot-spring week: "
        "choose by theme, every price itemised.",
    ),
    "home_themes": ("七大主题", "Seven themes"),
    # errors
    "error_title": ("出错了", "Something went wrong"),
    "error_not_found": ("没有找到这个页面或记录。", "We could not find that page or record."),
    "error_generic": (
        "请求没有完成，请返回重试。",
        "The request did not go through; please go back and try again.",
    ),
    "error_bad_input": (
        "链接中的信息有误，请返回重试。",
        "Something in the link is not right; please go back and try again.",
    ),
    "error_csrf": (
        "表单已过期或来源不明，为保护您的安全没有提交。请返回，刷新页面后再试。",
        "The form had expired or came from elsewhere, so nothing was sent. Go back, reload the page and try again.",
    ),
    "error_back_home": ("返回首页", "Back to the home page"),
    "form_has_errors": ("请按提示修改标出的内容：", "Please correct the marked fields:"),
    "error_prefix": ("错误：", "Error: "),
    "required": ("（必填）", "(required)"),
}

PROBLEMS: dict[str, tuple[str, str]] = {
    "validation_error": ("填写的内容不符合要求。", "This value is not accepted."),
    "not_found": ("没有找到。", "Not found."),
}

VALIDATION: dict[str, tuple[str, str]] = {
    "missing": ("请填写此项。", "Please fill this in."),
    "string_too_short": ("请填写此项。", "Please fill this in."),
    "string_too_long": ("内容太长。", "This is too long."),
    "string_pattern_mismatch": ("格式不对，请检查。", "The format is not right; please check."),
    "int_parsing": ("请填写数字。", "Please enter a number."),
    "date_from_datetime_parsing": (
        "请按 年-月-日 填写日期。",
        "Please enter a date as YYYY-MM-DD.",
    ),
    "date_parsing": ("请按 年-月-日 填写日期。", "Please enter a date as YYYY-MM-DD."),
    "value_error": ("格式不对，请检查。", "The format is not right; please check."),
    "greater_than_equal": ("数值太小。", "This number is too small."),
    "less_than_equal": ("数值太大。", "This number is too large."),
    "too_long": ("填写的项目太多。", "Too many entries."),
}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh-CN" else pair[1]


def text_for(lang: Lang) -> Callable[..., str]:
    def t(key: str, **values: object) -> str:
        s = _pick(TEXT[key], lang)
        return s.format(**values) if values else s

    return t


def problem_text(code: str, lang: Lang, detail: str) -> str:
    """A service problem in the page's language; an unknown code keeps the English
    ``detail`` (better than nothing, and a test lists the codes the pages meet)."""
    pair = PROBLEMS.get(code)
    return _pick(pair, lang) if pair else detail


def validation_text(kind: str, lang: Lang) -> str:
    return _pick(VALIDATION.get(kind, VALIDATION["value_error"]), lang)
