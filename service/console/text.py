"""The console's page text, zh-CN and English, by key (merged into ``messages.TEXT``;
a key may not be defined twice)."""

CONSOLE_TEXT: dict[str, tuple[str, str]] = {
    # chrome
    "console_name": ("吉林旅居康养 · 运营后台", "Jilin Sojourn · Operator console"),
    "console_nav_label": ("后台菜单", "Console menu"),
    "console_signed_in_as": ("已登录：{login}（{role}）", "Signed in as {login} ({role})"),
    "console_logout": ("退出登录", "Log out"),
    "console_footer": (
        "运营后台：每一项修改都记入操作日志（谁、何时、改前、改后）。",
        "Operator console: every change is kept in the audit log (who, when, before, after).",
    ),
    "cnav_dashboard": ("概览", "Today"),
    "cnav_calendar": ("房态房价", "Calendar"),
    "cnav_products": ("产品", "Products"),
    "cnav_rules": ("优惠规则", "Discount rules"),
    "cnav_stubs": ("票根", "Ticket stubs"),
    "cnav_bookings": ("预订", "Bookings"),
    "cnav_audit": ("操作日志", "Audit log"),
    "role_province_admin": ("省文旅厅", "province"),
    "role_operator_admin": ("运营方管理员", "operator admin"),
    "role_operator_staff": ("运营方员工", "operator staff"),
    # login
    "login_title": ("运营方登录", "Operator login"),
    "login_intro": (
        "景区、度假区与民宿的运营人员在此管理房态、房价、优惠和预订。",
        "Operators of resorts, scenic areas and guesthouses manage inventory, rates, "
        "discounts and bookings here.",
    ),
    "login_login": ("账号", "Login"),
    "login_password": ("密码", "Password"),
    "login_submit": ("登录", "Log in"),
    "login_failed": ("账号或密码错误。", "Wrong login or password."),
    "login_too_many": (
        "尝试次数过多，请一分钟后再试。",
        "Too many attempts; please try again in a minute.",
    ),
    "login_demo": (
        "演示账号：demo-changbaishan-north 等，密码 demo-operator-2026（仅演示环境）。",
        "Demo logins: demo-changbaishan-north and others, password demo-operator-2026 (demo only).",
    ),
    # dashboard
    "dash_title": ("今日概览", "Today"),
    "dash_today": ("今天是 {day}。", "Today is {day}."),
    "dash_arrivals": ("今日入住", "Arriving today"),
    "dash_departures": ("今日离店", "Leaving today"),
    "dash_none_arriving": ("今天没有入住。", "Nobody arrives today."),
    "dash_none_leaving": ("今天没有离店。", "Nobody leaves today."),
    "dash_occupancy": ("未来 60 晚入住率", "Occupancy, next 60 nights"),
    "dash_occupancy_alt": (
        "柱状图：未来 60 晚每晚已售房间占可售房间的百分比；具体数字见下方表格。",
        "Bar chart: the share of units sold for each of the next 60 nights; the figures "
        "are in the table below.",
    ),
    "dash_occupancy_table": ("查看每晚数字", "Show each night's figures"),
    "dash_occupancy_none": ("未来 60 晚没有可售房间。", "No units on sale in the next 60 nights."),
    "dash_occupancy_axis": ("入住率", "Occupancy"),
    "col_reference": ("预订号", "Reference"),
    "col_product": ("产品", "Product"),
    "col_stay": ("入住—离店", "Stay"),
    "col_guests": ("人数", "Guests"),
    "col_units": ("间数", "Units"),
    "col_stay_status": ("入住状态", "Stay status"),
    "col_night": ("日期", "Night"),
    "col_sold": ("已售", "Sold"),
    "col_on_sale": ("可售", "On sale"),
    "col_occupancy": ("入住率", "Occupancy"),
    "stay_none": ("待入住", "Expected"),
    "stay_checked_in": ("已入住", "Checked in"),
    "stay_completed": ("已离店", "Completed"),
    "stay_no_show": ("未到店", "No-show"),
}
