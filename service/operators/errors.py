"""Problems of the operator side, each with its text in zh-CN and English."""

from datetime import date

from pricing.labels import counted, stay_said
from service.errors import (
    Conflict,
    DomainError,
    NotFound,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
)

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class Forbidden(DomainError):
    status, code, title = 403, "forbidden_role", "Not allowed for this role"
    title_zh = "此角色无权操作"


def make(cls: type[DomainError], en: str, zh: str, **kwargs) -> DomainError:
    """A problem with its detail in both languages (the English ``detail``; ``zh`` kept
    for the caller's language)."""
    error = cls(en, **kwargs)
    error.detail_zh = zh
    return error


def missing_token() -> DomainError:
    return make(
        Unauthorized,
        "This endpoint needs an operator token: Authorization: Bearer jlop_….",
        "此接口需要运营方令牌：Authorization: Bearer jlop_…。",
        code="missing_token",
        field="Authorization",
        headers=_CHALLENGE,
    )


def invalid_token() -> DomainError:
    return make(
        Unauthorized,
        "The operator token is wrong or revoked, or its account is disabled.",
        "运营方令牌错误或已撤销，或账户已停用。",
        code="invalid_token",
        field="Authorization",
        headers=_CHALLENGE,
    )


def bad_login() -> DomainError:
    return make(
        Unauthorized,
        "Wrong login or password.",
        "账号或密码错误。",
        code="invalid_credentials",
        field="password",
    )


# What the 429 of ``accounts.count_login_attempt`` says, by the field it names (a login,
# or a password change's current password) and whether it counts one login's attempts
# or every login's from the address: English and Chinese, ``{limit}`` filled in.
_TOO_MANY = {
    ("login", True): (
        "More than {limit} login attempts this minute for this login from your network"
        " address; please try again in a minute.",
        "本分钟从您的网络地址登录此账号已超过 {limit} 次，请一分钟后再试。",
    ),
    ("login", False): (
        "More than {limit} login attempts this minute from your network address;"
        " please try again in a minute.",
        "本分钟从您的网络地址登录已超过 {limit} 次，请一分钟后再试。",
    ),
    ("current_password", True): (
        "More than {limit} attempts this minute at this account's password from your"
        " network address (logins and password changes together); please try again in"
        " a minute.",
        "本分钟从您的网络地址尝试此账号的密码（登录与修改密码合计）已超过 {limit} 次，"
        "请一分钟后再试。",
    ),
    ("current_password", False): (
        "More than {limit} password attempts this minute from your network address"
        " (logins and password changes together); please try again in a minute.",
        "本分钟从您的网络地址尝试密码（登录与修改密码合计）已超过 {limit} 次，请一分钟后再试。",
    ),
}


def _too_many(limit: int, field: str, one_login: bool) -> DomainError:
    en, zh = _TOO_MANY[field, one_login]
    return make(
        TooManyRequests,
        en.format(limit=limit),
        zh.format(limit=limit),
        code="rate_limited",
        field=field,
        limit=limit,
    )


def too_many_logins(limit: int, field: str = "login") -> DomainError:
    """Past the attempts one address may make at one login's password in a minute (a
    login, or a password change naming ``current_password``): the login is not locked
    for anyone else (``accounts.count_login_attempt``)."""
    return _too_many(limit, field, one_login=True)


def too_many_logins_from_address(limit: int, field: str = "login") -> DomainError:
    """Past the attempts one address may make at every login together in a minute."""
    return _too_many(limit, field, one_login=False)


def not_found(what: str, key: object, field: str) -> DomainError:
    """The one answer for anything outside the caller's destinations: exactly what an
    unknown id gets, so a scope cannot be probed."""
    return make(NotFound, f"No {what} {key}.", f"没有{_ZH.get(what, what)} {key}。", field=field)


def no_such_stay(reference: str, item_index: int) -> DomainError:
    """``not_found`` of a booking's stay (``item_index``, none of the booking's or not at
    the caller's destinations), said as people count stays, from 1."""
    zh, en = stay_said(item_index)
    return make(
        NotFound,
        f"Booking {reference} has no {en}.",
        f"预订 {reference} 没有{zh}。",
        field="item_index",
    )


_ZH = {
    "product": "产品",
    "destination": "目的地",
    "account": "账户",
    "token": "令牌",
    "booking": "预订",
    "rule": "优惠规则",
    "issuer": "票根发行方",
    "season": "季节",
    "pack": "增值包",
}


# What each permission of ``scope.PERMISSIONS`` lets a role do, in words (zh-CN, English).
PERMISSION_WORDS = {
    "read": ("查看", "read"),
    "inventory": (
        "修改房态日历的房量、停售和入住限制",
        "change the calendar's units, stop-sell and stay restrictions",
    ),
    "rates": ("修改房价、优惠规则和票根", "change rates, discount rules and ticket stubs"),
    "bookings": (
        "登记入住状态或取消预订",
        "record a stay's front-desk status or cancel a booking",
    ),
    "catalogue": (
        "修改目的地信息、产品、季节和增值包",
        "change destination facts, products, seasons and packs",
    ),
    "accounts": ("管理运营方账户", "manage operator accounts"),
    "evaluate": ("关闭年度报表", "close a year of the reports"),
}
# The roles by name (as the console names them).
ROLE_WORDS = {
    "province_admin": ("省文旅厅", "province"),
    "operator_admin": ("运营方管理员", "operator admin"),
    "operator_staff": ("运营方员工", "operator staff"),
}


def forbidden(permission: str, role: str) -> DomainError:
    """``role`` lacks ``permission``: said by what the permission lets a role do."""
    what_zh, what_en = PERMISSION_WORDS.get(permission, (permission, permission))
    role_zh, role_en = ROLE_WORDS.get(role, (role, role))
    return make(
        Forbidden,
        f"Your role ({role_en}) may not {what_en}.",
        f"您的角色（{role_zh}）无权{what_zh}。",
        field="Authorization",
    )


def province_audience_only(role: str) -> DomainError:
    """An operator asks for a report in full (``audience=province``): only the province
    reads one so; every other reader gets it as it leaves the province."""
    role_zh, role_en = ROLE_WORDS.get(role, (role, role))
    return make(
        Forbidden,
        f"Only the province reads a report in full (audience=province). Your role "
        f"({role_en}) reads it as it leaves the province, with the cells of fewer than 5 "
        "people or stays blanked: leave audience out, or ask for audience=public.",
        f"只有省文旅厅可以查看完整报表（audience=province）。您的角色（{role_zh}）查看的是对外"
        "发布的报表，少于 5 人或 5 段住宿的单元格不显示：请不带 audience，或使用 audience=public。",
        field="audience",
    )


def province_role_only() -> DomainError:
    """An operator admin asks for a province account: only the province makes them."""
    return make(
        Forbidden,
        "Only the province can create a province account; an operator admin creates "
        "operator admin and operator staff accounts of its own destinations.",
        "只有省文旅厅可以创建省级账户；运营方管理员只能为自己的目的地创建运营方管理员或"
        "运营方员工账户。",
        field="role",
    )


def not_your_account() -> DomainError:
    """An operator admin disables an account that is not only of its destinations (the
    province's, or one that also serves another operator's destination)."""
    return make(
        Forbidden,
        "An operator admin may disable only accounts of its own destinations: this account "
        "belongs to the province or also serves another destination.",
        "运营方管理员只能停用自己目的地的账户：此账户属于省文旅厅，或还服务于其他目的地。",
        field="account_id",
    )


def login_taken(login: str) -> DomainError:
    return make(
        Conflict,
        f"An account with login {login!r} already exists (a login is the same whatever its case).",
        f"账号 {login!r} 已存在（账号不区分大小写）。",
        code="login_taken",
        field="login",
    )


def cannot_deactivate_self() -> DomainError:
    return make(
        Conflict,
        "You cannot disable your own account: ask another admin of your destination, "
        "or the province.",
        "不能停用自己的账户：请由本目的地的其他管理员或省级管理员操作。",
        code="cannot_deactivate_self",
        field="account_id",
    )


def last_active_admin(destination_id: int) -> DomainError:
    return make(
        Conflict,
        f"This is the last active admin of destination {destination_id}: create another "
        "admin for it first, or no one could manage it.",
        f"这是目的地 {destination_id} 最后一个在用的管理员账户：请先为该目的地另建管理员，"
        "否则将无人能够管理。",
        code="last_active_admin",
        field="account_id",
    )


def not_in_past(day: date, today: date, field: str) -> None:
    """422 ``nights_in_past`` naming ``field`` when ``day`` is before ``today`` (the
    Asia/Shanghai date of the injectable clock): the calendar's rule, for every date an
    operator sets what is sold on (a season's first night, a stub batch's visit date).
    The problem carries both dates: ``first_day`` (``day``) and ``today``."""
    if day < today:
        raise invalid(
            field,
            "nights_in_past",
            f"{day} is before today ({today}): past dates are not changed. Give today or later.",
            f"{day} 早于今天（{today}）：过去的日期不能修改，请填今天或以后。",
            first_day=day.isoformat(),
            today=today.isoformat(),
        )


def not_ended(last: date, today: date, field: str, what_en: str, what_zh: str) -> None:
    """422 ``nights_in_past`` naming ``field`` when ``last``, the last day of a range
    (``what``: a season's last night, a rule's last booking or check-in day), is before
    ``today``: a season or a rule wholly in the past would never be sold or applied.
    Only the end is looked at, so a range that began in the past and runs on (a running
    season, a rule in force) is changed without moving its start forward. The problem
    carries both dates: ``last_day`` (``last``) and ``today``."""
    if last < today:
        raise invalid(
            field,
            "nights_in_past",
            f"{what_en[:1].upper()}{what_en[1:]} would be {last}, before today ({today}), so it "
            "could never be used. Give a later date.",
            f"{what_zh}将是 {last}，早于今天（{today}），永远不会用到。请填更晚的日期。",
            last_day=last.isoformat(),
            today=today.isoformat(),
        )


def invalid(field: str, code: str, en: str, zh: str, **values: object) -> DomainError:
    """422 ``code`` naming ``field``; ``values``: the problem's own fields beside its
    words (dates as ISO text)."""
    return make(Unprocessable, en, zh, code=code, field=field, **values)


# An inclusive range's ends as ``check_days`` says them: (English, Chinese) of each.
RANGE_ENDS = (("the start date", "开始日期"), ("the end date", "结束日期"))
SALE_ENDS = (("the first night on sale", "开售日期"), ("the last night on sale", "停售日期"))
BOOKING_ENDS = (("the first booking date", "预订起始日"), ("the last booking date", "预订截止日"))
CHECK_IN_ENDS = (
    ("the first check-in date", "入住起始日"),
    ("the last check-in date", "入住截止日"),
)


def check_days(
    first: date,
    last: date,
    *,
    last_field: str,
    most: int | None = None,
    ends: tuple[tuple[str, str], tuple[str, str]] = RANGE_ENDS,
) -> None:
    """The one check of an inclusive range of days (``first``..``last``, both in: one day
    is ``first == last``), as the admin API and the reports take them (calendar,
    bookings arriving, a product's selling window, a rule's booking and check-in dates,
    the reports' ``from``/``to``): 422 ``invalid_range`` naming ``last_field`` (the end's
    field) when it is before the start, said with both dates (``ends``: what the two
    dates are, as the field's form names them), and ``range_too_long`` when it covers
    more than ``most`` days."""
    if last < first:
        (start_en, start_zh), (end_en, end_zh) = ends
        raise invalid(
            last_field,
            "invalid_range",
            f"{end_en[:1].upper()}{end_en[1:]} ({last}) cannot be before {start_en} ({first}).",
            f"{end_zh}（{last}）不能早于{start_zh}（{first}）。",
        )
    if most is not None and (last - first).days >= most:
        raise invalid(
            last_field,
            "range_too_long",
            f"At most {counted(most, 'day')} at once.",
            f"一次最多 {most} 天。",
        )
