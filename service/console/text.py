"""The console's page text, zh-CN and English, by key (merged into ``messages.TEXT``;
a key may not be defined twice)."""

from pricing.types import RULE_KIND_NAMES
from service.operators.arrivals_sheet import PAGE_WORDS
from service.operators.bookings import NO_STAY_NAMES, STAY_STATUS_NAMES
from service.operators.errors import ROLE_WORDS

CONSOLE_TEXT: dict[str, tuple[str, str]] = {
    # chrome
    "console_name": ("吉林旅居康养 · 运营后台", "Jilin Sojourn · Operator console"),
    "console_nav_label": ("后台菜单", "Console menu"),
    "console_signed_in_as": ("已登录：{login}（{role}）", "Signed in as {login} ({role})"),
    "console_logout": ("退出登录", "Log out"),
    "console_password": ("修改密码", "Change password"),
    "password_title": ("修改密码", "Change your password"),
    "password_intro": (
        "新密码至少 12 个字符（两端的空格不计），可以是一句话，中英文都可以；不能只有空格，"
        "不能是演示密码、常见密码、重复或连续的字符，也不能与账号相同。修改后，您在其他"
        "地方的登录会退出，这个页面保持登录。",
        "Your new password needs at least 12 characters (spaces at either end not "
        "counted); a sentence in Chinese or English is welcome. Not only spaces, not the "
        "demo password, a common one, repeated or sequential characters, nor your login. "
        "After the change your other sign-ins end; this one stays.",
    ),
    "password_current": ("当前密码", "Current password"),
    "password_new": ("新密码", "New password"),
    "password_submit": ("修改密码", "Change password"),
    "password_wrong": ("当前密码不正确。", "The current password is wrong."),
    "password_done": ("密码已修改。", "Your password has been changed."),
    "console_back": ("返回运营后台", "Back to the console"),
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
    **{f"role_{role}": words for role, words in ROLE_WORDS.items()},
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
        "此网络地址本分钟尝试登录的次数过多，请一分钟后再试。",
        "Too many login attempts from your network address this minute; please try again"
        " in a minute.",
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
        "Bar chart: the share of rooms sold for each of the next 60 nights; the figures "
        "are in the table below.",
    ),
    "dash_occupancy_table": ("查看每晚数字", "Show each night's figures"),
    # every chart of the console (dashboard, reports, evaluation)
    "chart_no_data": ("暂无数据", "No data yet"),
    "chart_none": ("{title}：暂无数据。", "{title}: no data yet."),
    "chart_scroll": (
        "图表按原尺寸显示：左右滑动查看整张图。",
        "The chart is shown at its full size: swipe it sideways to see all of it.",
    ),
    "dash_occupancy_none": ("未来 60 晚没有可售房间。", "No rooms on sale in the next 60 nights."),
    "dash_occupancy_axis": ("入住率", "Occupancy"),
    **PAGE_WORDS,  # the columns, as the arrivals' readable Excel sheet names them too
    "col_stay": ("入住—离店", "Stay"),
    "col_night": ("日期", "Night"),
    "col_sold": ("已售", "Sold"),
    "col_on_sale": ("可售", "On sale"),
    "col_occupancy": ("入住率", "Occupancy"),
    **{f"stay_{status or 'none'}": names for status, names in STAY_STATUS_NAMES.items()},
    **{f"stay_{status}": names for status, names in NO_STAY_NAMES.items()},
    # forms
    "error_money": (
        "请按元填写金额，例如 420 或 420.50。",
        "Enter an amount in yuan, e.g. 420 or 420.50.",
    ),
    "error_number": ("请填写整数。", "Please enter a whole number."),
    "error_money_grouping": (
        "金额中的逗号只能作千位分隔，每三位一组，例如 1,234.50；小数请用点号。",
        "A comma in an amount only separates thousands, three digits at a time, e.g. "
        "1,234.50; write decimals with a point.",
    ),
    "error_not_negative": ("须为 0 或以上。", "Must be 0 or more."),
    "error_at_most": ("数值太大：最多为 {limit}。", "Too large: at most {limit}."),
    "error_at_least": ("数值太小：至少为 {limit}。", "Too small: at least {limit}."),
    # a paged list's links (``console/_form.html`` pager)
    "page_previous": ("上一页", "Previous page"),
    "page_next": ("下一页", "Next page"),
    "error_cursor": (
        "这一页的地址不是本列表的翻页位置（可能来自另一个列表、另一组筛选条件或另一个账户）："
        "请从第一页重新开始。",
        "This page's address is not a place in this list (it may come from another list, "
        "other filters or another account): start again from the first page.",
    ),
    "error_range": (
        "结束日期不能早于开始日期。",
        "The end date must not be before the start date.",
    ),
    # A service's problem whose words would not do in the console (forms.problem_text):
    # its dates as the console writes them (formats.long_date), amounts in yuan.
    "error_filed_below": (
        "备案价 {limit} 低于房价 {value}（明码标价）。",
        "The filed price of {limit} is below the rate of {value} (明码标价).",
    ),
    "error_above_filed": (
        "{value} 高于备案价 {limit}（明码标价）。",
        "{value} is above the filed price of {limit} (明码标价).",
    ),
    "error_override_above": (
        "{night} 已发布的日历房价 {value} 高于新的上限 {limit}（明码标价）；"
        "请先在房态房价中调低或清除该晚的房价。",
        "The calendar rate of {value} published for {night} is above the new ceiling of "
        "{limit} (明码标价); lower or clear that night's rate on the calendar first.",
    ),
    "error_cells_refused": (
        "未做任何修改：有 {n} 个日期格不能这样修改，见下表。",
        "Nothing was changed: {n:cell|cells} cannot be changed so; see the table below.",
    ),
    "error_season_overlap": (
        "这些日期与季节「{name}」重叠：该季节第一晚是 {first}，最后一晚是 {last}。"
        "季节之间不能重叠。",
        "These nights overlap the season {name}: its first night is {first} and its last "
        "night {last}. Seasons may not overlap.",
    ),
    "error_past_first_night": (
        "第一晚 {first} 早于今天（{today}）：过去的日期不能修改，请从今天或以后开始。",
        "The first night, {first}, is before today ({today}): past nights are not changed. "
        "Start from today or later.",
    ),
    "error_past_day": (
        "{day} 早于今天（{today}）：过去的日期不能修改，请填今天或以后。",
        "{day} is before today ({today}): past dates are not changed. Give today or later.",
    ),
    "error_past_last_day": (
        "{what}将是 {last}，早于今天（{today}），永远不会用到。请填更晚的日期。",
        "{what} would be {last}, before today ({today}), so it could never be used. "
        "Give a later date.",
    ),
    # what a range's last day is, by the field it is in (error_past_last_day)
    "last_day_booking_to": ("该规则的最后预订日", "The rule's last booking day"),
    "last_day_check_in_to": ("该规则的最后入住日", "The rule's last check-in day"),
    "saved": ("已保存。", "Saved."),
    "save": ("保存", "Save"),
    "keep": ("不改", "No change"),
    "on": ("是", "Yes"),
    "off": ("否", "No"),
    # calendar
    "cal_title": ("房态房价日历", "Inventory and rate calendar"),
    "cal_range_legend": ("显示的日期", "Nights shown"),
    "cal_from": ("开始日期", "From"),
    "cal_to": ("结束日期（含）", "To (inclusive)"),
    "cal_show": ("显示", "Show"),
    "cal_range_error": (
        "结束日期须不早于开始日期，一次最多显示 {n} 晚。",
        "The end must not be before the start; at most {n:night|nights} at once.",
    ),
    "cal_grid_caption": (
        "每格：剩余/总间数、当晚房价、限制。",
        "Each cell: rooms left of total, the night's rate, restrictions.",
    ),
    "cal_grid_scroll": (
        "表格较宽：在表格上左右滑动（或拖动下方滚动条），查看其他日期。",
        "The table is wide: swipe it left and right (or use its scroll bar) to see the "
        "other nights.",
    ),
    "cal_product": ("产品", "Product"),
    "cal_unpublished": ("未开售", "Not on sale"),
    "cal_left_of": ("剩 {left}/{units}", "{left} of {units} left"),
    "cal_stop_sell": ("停售", "Stop-sell"),
    "cal_cta": ("不可入住", "No arrivals"),
    "cal_ctd": ("不可离店", "No departures"),
    "cal_min_arrival": ("入住至少{n}晚", "Arrive: min {n}"),
    "cal_min_through": ("含此晚至少{n}晚", "Through: min {n}"),
    "cal_max": ("最多{n}晚", "Max {n}"),
    "cal_override": ("（调价）", "(override)"),
    "cal_no_products": ("没有在售产品。", "No products on sale."),
    "cal_done": ("已修改 {n} 个日期格。", "{n:cell|cells} changed."),
    "cal_edit_title": ("批量修改", "Bulk edit"),
    "cal_edit_intro": (
        "选择产品、日期和星期，再填写要修改的项目；留空的项目不变。先预览，确认后再应用。",
        "Choose products, dates and weekdays, then the fields to change; empty fields stay as "
        "they are. Preview first, then apply.",
    ),
    "cal_products_legend": ("产品", "Products"),
    "cal_weekdays_legend": ("星期", "Weekdays"),
    "cal_set_legend": ("要修改的项目", "What to change"),
    "wd_1": ("周一", "Mon"),
    "wd_2": ("周二", "Tue"),
    "wd_3": ("周三", "Wed"),
    "wd_4": ("周四", "Thu"),
    "wd_5": ("周五", "Fri"),
    "wd_6": ("周六", "Sat"),
    "wd_7": ("周日", "Sun"),
    "cal_units": ("总间数", "Total rooms"),
    "cal_units_hint": ("不能少于已售间数。", "Never below the rooms already sold."),
    "cal_rate": ("当晚房价（元）", "Nightly rate (yuan)"),
    "cal_rate_hint": ("不能高于备案价。", "Never above the filed price (备案价)."),
    "cal_rate_clear": ("取消调价，恢复季节价", "Remove the override (back to the season's rate)"),
    "cal_min_stay_arrival": ("入住当晚起至少住几晚", "Minimum stay when arriving"),
    "cal_min_stay_through": ("含这一晚的住宿至少几晚", "Minimum stay through the night"),
    "cal_max_stay": ("入住当晚起最多住几晚", "Maximum stay when arriving"),
    "cal_stay_hint": ("留空不改；填 0 取消限制。", "Empty: no change; 0 removes the restriction."),
    "cal_stop_sell_label": ("停售", "Stop-sell"),
    "cal_cta_label": ("不可在这一天入住", "Closed to arrival"),
    "cal_ctd_label": ("不可在这一天离店", "Closed to departure"),
    "cal_preview_button": ("预览修改", "Preview the change"),
    "cal_preview_title": ("预览：批量修改", "Preview: bulk edit"),
    "cal_preview_summary": (
        "共 {cells} 个日期格：{changed} 格将修改，{unchanged} 格已是这些值。",
        "{cells:cell|cells}: {changed} will change, {unchanged} already have these values.",
    ),
    "cal_refused_title": ("不能修改的日期格", "Cells that cannot change"),
    "cal_changes_title": ("将要修改的内容", "What will change"),
    "cal_changes_intro": (
        "每一项：这些日期现在的值（按日期段） → 应用后的值。操作日志会照此记录。",
        "Each line: what the nights hold now, by runs of nights → what they will hold. "
        "The audit log will record it so.",
    ),
    "cal_cells_changing": ("{n} 个日期格将修改", "{n:cell|cells} will change"),
    "col_changes": ("修改内容", "Changes"),
    "cal_refused_intro": (
        "有 {n} 个日期格不能这样修改；全部可以修改前，不会写入任何内容。",
        "{n:cell|cells} cannot change this way; nothing is written until every cell can.",
    ),
    "cal_apply_button": ("确认应用", "Apply the change"),
    "cal_back_edit": ("返回修改", "Back to the edit"),
    "cal_nothing": ("没有需要修改的日期格。", "No cell needs to change."),
    "col_field": ("项目", "Field"),
    "col_reason": ("原因", "Reason"),
    "refused_units_below_taken": ("少于已售的 {limit} 间", "below the {limit:room|rooms} sold"),
    "refused_above_filed_price": ("高于备案价 {limit}", "above the filed price {limit}"),
    "refused_no_inventory": (
        "这一晚尚未开售：请同时填写总间数",
        "the night is not on sale yet: set its rooms too",
    ),
    "refused_min_stay_above_max_stay": (
        "与这一晚的另一项住宿晚数限制（{limit} 晚）矛盾：最少晚数不能多于最多晚数",
        "contradicts the night's other stay limit ({limit:night|nights}): the minimum "
        "stay cannot exceed the maximum",
    ),
    "field_units": ("总间数", "Total rooms"),
    "field_rate_override_fen": ("房价", "Rate"),
    "field_stop_sell": ("停售", "Stop-sell"),
    "field_min_stay_arrival": ("入住最少晚数", "Min stay (arrival)"),
    "field_min_stay_through": ("最少晚数（含此晚）", "Min stay (through)"),
    "field_max_stay": ("最多晚数", "Max stay"),
    "field_closed_to_arrival": ("不可入住", "Closed to arrival"),
    "field_closed_to_departure": ("不可离店", "Closed to departure"),
    "error_percent": ("请填写百分比，例如 8 或 8.5。", "Enter a percentage, e.g. 8 or 8.5."),
    # a list field left with nothing chosen (pydantic's ``too_short``), by the request
    # model's field (``forms.CHOOSE_AT_LEAST_ONE``); any other list says it generally
    "error_choose_product": ("请至少选择一个产品。", "Choose at least one product."),
    "error_choose_weekday": ("请至少选择一个星期几。", "Choose at least one weekday."),
    "error_choose_destination": ("请至少选择一个目的地。", "Choose at least one destination."),
    "error_rate_and_clear": (
        "填了新房价，又勾选了“取消调价，恢复季节价”：请只选一种，删去房价或取消勾选。",
        'A rate is typed and "Remove the override" is ticked too: choose one, clear the '
        "rate or untick the box.",
    ),
    # a ticked box whose value is none of the listed choices (a crafted form)
    "error_choose_listed": ("请从列出的选项中选择。", "Choose from the options listed."),
    "error_number_list": (
        "请用逗号分隔整数，例如 7, 14。",
        "Enter whole numbers separated by commas, e.g. 7, 14.",
    ),
    "error_refund_row": (
        "请同时填写天数（整数）和退款比例（百分比）。",
        "Fill in both the days (a whole number) and the refund (a percentage).",
    ),
    # rules
    "rule_title": ("优惠规则", "Discount rules"),
    "rule_pages": ("优惠规则翻页", "Pages of the discount rules"),
    "rule_intro": (
        "修改规则会新增一个版本：之后的报价用新版本，已保存的报价和预订仍按原版本计价。",
        "A change adds a new version: new quotes use it; stored quotes and bookings keep the "
        "version they were priced with.",
    ),
    "rule_none": (
        "您的目的地没有自己的优惠规则。",
        "Your destinations have no discount rules of their own.",
    ),
    "rule_none_province": ("还没有优惠规则。", "There are no discount rules yet."),
    "rule_new_by_api": (
        "在控制台中可以修改和停用规则；控制台不能新建规则，需要新规则时请联系本系统的技术人员。",
        "The console changes and retires rules; it cannot create one: to add a new rule, ask "
        "the people who run this system.",
    ),
    "rule_province_mark": ("全省通用的优惠规则（只能查看）", "Province-wide rule (read only)"),
    "rule_province_intro": (
        "标有“全省通用的优惠规则”的规则由省文化和旅游厅管理，同样适用于您目的地的产品，只能查看。",
        "Rules marked “Province-wide rule” are managed by the province's culture and "
        "tourism department; they also price your destinations' products. Read only.",
    ),
    "rule_kind": ("类型", "Kind"),
    **{f"rule_kind_{kind}": names for kind, names in RULE_KIND_NAMES.items()},
    "rule_key": ("标识", "Key"),
    "rule_in_force": ("生效版本", "In force"),
    "rule_version_n": ("第 {n} 版", "version {n}"),
    "rule_active": ("生效中", "active"),
    "rule_retired": ("已停用", "retired"),
    "rule_versions": ("版本记录", "Versions"),
    "rule_version": ("版本", "Version"),
    "rule_terms": ("条款", "Terms"),
    "rule_made": ("修改时间、修改人", "Made when, by whom"),
    "rule_by_loader": ("初始数据", "initial data"),
    "rule_versions_note": (
        "每个版本都保留；报价和预订记录它们所用的版本。",
        "Every version is kept; quotes and bookings record the version they used.",
    ),
    "rule_tier_long_stay": ("住满 {n} 晚 {pct}", "{n}+ nights: {pct}"),
    "rule_tier_advance_booking": ("提前 {n} 天 {pct}", "{n}+ days ahead: {pct}"),
    "rule_off": ("优惠 {pct}", "{pct} off"),
    "rule_check_in_window": ("入住 {start} 至 {end}", "check-in {start} to {end}"),
    "rule_booking_window": ("预订 {start} 至 {end}", "booked {start} to {end}"),
    "rule_back": ("返回优惠规则", "Back to the discount rules"),
    "rule_detail_title": ("优惠规则：{name}", "Discount rule: {name}"),
    "rule_new_version": ("修改规则（新增版本）", "Change the rule (add a version)"),
    "rule_name_zh": ("中文名称", "Name in Chinese"),
    "rule_name_en": ("英文名称", "Name in English"),
    "rule_tiers_long_stay": ("按入住晚数的优惠档", "Tiers by nights stayed"),
    "rule_tiers_advance_booking": ("按提前天数的优惠档", "Tiers by days booked ahead"),
    "rule_tiers_hint": (
        "空行不计；折扣按百分比填写，例如 8 表示 8%。",
        "Empty rows are left out; discounts are percentages, e.g. 8 means 8%.",
    ),
    "rule_threshold_long_stay": ("第 {n} 档：至少住几晚", "Tier {n}: at least how many nights"),
    "rule_threshold_advance_booking": (
        "第 {n} 档：至少提前几天",
        "Tier {n}: at least how many days ahead",
    ),
    "rule_pct": ("第 {n} 档：优惠（%）", "Tier {n}: discount (%)"),
    "rule_pct_single": ("优惠（%）", "Discount (%)"),
    "rule_check_in_from": ("入住日期从（可选）", "Check-in from (optional)"),
    "rule_check_in_to": ("入住日期到（可选）", "Check-in until (optional)"),
    "rule_booking_from": ("预订日期从（可选）", "Booked from (optional)"),
    "rule_booking_to": ("预订日期到（可选）", "Booked until (optional)"),
    "rule_save_version": ("保存为新版本", "Save as a new version"),
    "rule_retire": ("停用此规则", "Retire this rule"),
    "rule_done_version": (
        "已保存新版本；之后的报价使用它。",
        "New version saved; new quotes use it.",
    ),
    "rule_done_retired": ("规则已停用。", "The rule is retired."),
    # stubs
    "stub_title": ("票根", "Ticket stubs"),
    "stub_pages": ("票根发放单位翻页", "Pages of the stub issuers"),
    "stub_intro": (
        "为您目的地的景区或度假区发放票根码（可打印）；游客凭票根享受相应优惠。",
        "Issue ticket stub codes for the scenic areas and resorts at your destinations (to "
        "print); travellers use them for the matching discount.",
    ),
    "stub_csv": ("下载票根登记表（CSV）", "Download the stub register (CSV)"),
    "stub_csv_day": ("下载这一天的票根（CSV）", "Download this day's stubs (CSV)"),
    "stub_issued": ("已发放 {n} 个票根码", "{n:stub code|stub codes} issued"),
    "stub_new": ("发放一批票根", "Issue a batch"),
    "stub_issuer": ("发放单位", "Issued by"),
    "stub_count": ("数量", "How many"),
    "stub_count_hint": ("一次最多 1000 个。", "At most 1,000 at once."),
    "stub_visit_date": ("游览日期", "Visit date"),
    "stub_persons": ("每张人数", "Persons per stub"),
    "stub_issue": ("发放", "Issue"),
    "stub_no_issuers": ("您的目的地没有票根发放单位。", "Your destinations have no stub issuers."),
    # audit
    "audit_title": ("操作日志", "Audit log"),
    "audit_intro": (
        "每一项修改：谁、何时、改前、改后（最新的在前）。",
        "Every change: who, when, before and after (newest first).",
    ),
    "audit_any": ("全部", "All"),
    "audit_entity": ("对象", "What changed"),
    "audit_changed_from": ("修改日期从", "Changed from"),
    "audit_changed_to": ("修改日期到", "Changed until"),
    "audit_changed_hint": (
        "按北京时间的日期，含首尾两天；只填一个也可以。",
        "Days in Beijing time, both days included; either may be left empty.",
    ),
    "audit_before": ("改前", "Before"),
    "audit_after": ("改后", "After"),
    "audit_record": ("其他记录内容（原始格式）", "Rest of the record (as stored)"),
    "audit_more": ("更早的记录", "Older entries"),
    "audit_newer": ("较新的记录", "Newer entries"),
    "audit_pages": ("操作日志翻页", "Pages of the audit log"),
    "audit_unknown_parameter": (
        "这个地址带有本页不接受的筛选条件“{name}”，所以没有列出记录：本页按目的地、对象和"
        "修改日期筛选。请用下面的表单重新筛选。",
        "This address has a filter this page does not take, “{name}”, so no entry is "
        "listed: the log filters by destination, by what changed and by the days it "
        "changed. Filter again with the form below.",
    ),
    "audit_none": ("没有记录。", "No entries."),
    # what an audit entry did (``action``), by the operator services' codes
    "action_create": ("新建", "created"),
    "action_update": ("修改", "changed"),
    "action_delete": ("删除", "removed"),
    "action_retire": ("停用/下架", "retired"),
    "action_reinstate": ("重新上架", "back on sale"),
    "action_set_packs": ("设置增值包", "packs set"),
    "action_new_version": ("保存为新版本", "new version"),
    "action_deactivate": ("停用账号", "deactivated"),
    "action_cancel": ("取消", "cancelled"),
    "action_retry_refund": ("重新退款", "refund retried"),
    "action_issue_stubs": ("发放票根", "stubs issued"),
    "action_bulk_edit": ("批量修改", "bulk edit"),
    "action_stay_checked_in": ("登记入住", "checked in"),
    "action_stay_completed": ("登记离店", "checked out"),
    "action_stay_no_show": ("登记未到店", "no-show recorded"),
    "action_stay_expected": ("撤销未到店", "no-show undone"),
    "action_stay_check_in_undone": ("撤销入住", "check-in undone"),
    "action_stay_check_out_undone": ("撤销离店", "check-out undone"),
    "entity_calendar": ("房态房价", "Calendar"),
    "entity_product": ("产品", "Product"),
    "entity_season": ("季节", "Season"),
    "entity_pack": ("增值包", "Add-on pack"),
    "entity_destination": ("目的地", "Destination"),
    "entity_rule": ("优惠规则", "Discount rule"),
    "entity_booking": ("预订", "Booking"),
    "entity_issuer": ("票根", "Ticket stubs"),
    "entity_account": ("账户", "Account"),
    # what an audit entry is about, by its name (after the kind: 产品「…」 / Product "…")
    "audit_named": ("「{name}」", "“{name}”"),
    # products
    "prod_title": ("产品", "Products"),
    "prod_pages": ("产品列表翻页", "Pages of the products list"),
    "prod_unknown_parameter": (
        "这个地址带有本页不接受的筛选条件“{name}”，所以没有列出产品：本页按目的地筛选。"
        "请用上面的表单重新筛选。",
        "This address has a filter this page does not take, “{name}”, so no product is "
        "listed: the list filters by destination. Filter again with the form above.",
    ),
    "prod_destination": ("目的地", "Destination"),
    "prod_base_rate": ("基础房价（元/晚）", "Base rate (yuan a night)"),
    "prod_base_rate_hint": (
        "季节以外的夜晚；不能高于备案价。",
        "Nights outside every season; never above the filed price.",
    ),
    "prod_filed_rate": ("备案价（元/晚）", "Filed price 备案价 (yuan a night)"),
    "prod_filed_rate_hint": ("留空：以房价为上限。", "Empty: the rate itself is the ceiling."),
    "prod_on_sale": ("在售", "On sale"),
    "prod_retired": ("已下架", "Retired"),
    "prod_back": ("返回产品列表", "Back to the products"),
    "prod_terms": ("产品条款", "Terms"),
    "prod_extra_guest": ("加人费（元/人/晚）", "Extra guest fee (yuan a guest a night)"),
    "prod_base_occupancy": ("标准入住人数", "Base occupancy"),
    "prod_max_occupancy": ("最多入住人数", "Maximum occupancy"),
    "prod_min_nights": ("最少晚数（可选）", "Minimum nights (optional)"),
    "prod_max_nights": ("最多晚数（可选）", "Maximum nights (optional)"),
    "prod_modules": ("固定晚数（可选）", "Fixed stay lengths (optional)"),
    "prod_modules_hint": (
        "例如 7, 14, 28；填写后只售这些晚数。",
        "E.g. 7, 14, 28: only these lengths are sold.",
    ),
    "prod_refund": ("退款规则", "Refund policy"),
    "prod_refund_hint": (
        "入住前至少几天取消，退还多少（%）；空行不计，填写最后的空行可加一档（保存后会再多一个空行）。",
        "Cancelled at least so many days before check-in, refund so much (%); empty rows "
        "are left out. Fill in the empty last row to add a tier (saving adds another).",
    ),
    "prod_refund_days": ("第 {n} 档：入住前至少几天", "Row {n}: days before check-in"),
    "prod_refund_pct": ("第 {n} 档：退款（%）", "Row {n}: refund (%)"),
    "prod_seasons": ("季节与备案价", "Seasons and filed prices"),
    "prod_seasons_hint": (
        "季节不能重叠；结束日期是季节后的第一晚。",
        "Seasons may not overlap; the end is the first night after the season.",
    ),
    "prod_season": ("季节", "Season"),
    "prod_season_start": ("第一晚", "First night"),
    "prod_season_end": ("结束日期", "End"),
    "prod_season_end_hint": (
        "季节后的第一晚（不含）。",
        "The first night after the season (not included).",
    ),
    "prod_season_rate": ("季节房价（元/晚）", "Season rate (yuan a night)"),
    "prod_season_remove": ("删除这个季节", "Remove this season"),
    "prod_season_state": ("状态", "Status"),
    "prod_season_upcoming": ("未开始", "Not begun"),
    "prod_season_running": ("进行中", "Running"),
    "prod_season_ended": ("已结束", "Ended"),
    "prod_season_ended_note": (
        "这个季节已结束（最后一晚 {last}）：它的晚上已按其房价售出和公示，是历史，不能修改或删除。"
        "今天起的晚上请新增季节。",
        "This season has ended (its last night was {last}): its nights were sold and published "
        "at its rate and are history, so it cannot be changed or removed. For nights from "
        "today on, add a season.",
    ),
    "prod_season_started_hint": (
        "已于 {start} 开始：今天以前的晚上保持原价，第一晚不能再改。",
        "Began on {start}: nights before today keep their rate, so the first night stays.",
    ),
    "prod_season_end_running_hint": (
        "季节后的第一晚（不含）。可改为今天（今天起恢复基础房价）或以后。",
        "The first night after the season (not included): today (back to the base rate from "
        "today) or later.",
    ),
    "prod_season_rate_from_today": (
        "新价格从今天起生效：今天以前的晚上保持原价，系统会让这个季节到昨晚为止，从今天起另建一个同名季节。",
        "A new price applies from today: nights before today keep theirs, so the season will "
        "end last night and a new season of the same name will start today.",
    ),
    "prod_no_seasons": ("没有季节：全年按基础房价。", "No seasons: the base rate all year."),
    "prod_add_season": ("新增季节", "Add a season"),
    "prod_edit_season": ("修改季节：{name}", "Change the season: {name}"),
    "prod_not_filed": ("未备案", "None filed"),
    "prod_packs": ("增值包", "Add-on packs"),
    "prod_packs_legend": ("此产品提供的增值包", "Packs this product offers"),
    "prod_no_packs": ("此目的地还没有增值包。", "This destination has no packs yet."),
    "prod_retire": ("下架此产品", "Retire this product"),
    "prod_reinstate": ("重新上架", "Put it back on sale"),
    "prod_done_product": ("产品已保存。", "Product saved."),
    "prod_done_season": ("季节已保存。", "Season saved."),
    "prod_done_season_split": (
        "新价格从今天起生效：今天以前的晚上保持原价，原季节到昨晚为止，从今天起是一个新的同名季节。",
        "The new price applies from today: nights before today keep their rate, so the season "
        "now ends last night and a new season of the same name starts today.",
    ),
    "prod_see_new_season": ("查看新季节", "See the new season"),
    "prod_done_packs": ("增值包已保存。", "Packs saved."),
    "prod_done_retired": ("产品已下架。", "Product retired."),
    "prod_done_reinstated": ("产品已重新上架。", "Product back on sale."),
    # packs
    "pack_title": ("增值包", "Add-on packs"),
    "pack_pages": ("增值包翻页", "Pages of the add-on packs"),
    "pack_done": ("增值包已创建。", "Pack created."),
    "pack_none": ("还没有增值包。", "No packs yet."),
    "pack_offered_by": ("提供的产品：", "Offered by: "),
    "pack_offered_by_none": ("暂无", "none yet"),
    "pack_new": ("新建增值包", "New pack"),
    "pack_code": ("代码", "Code"),
    "prod_slug_hint": (
        "小写字母、数字和连字符，不能全是数字（全数字是产品编号），例如 cbs-lakeside-cabin。",
        "Lower-case letters, digits and hyphens, not all digits (digits alone are a"
        " product's id), e.g. cbs-lakeside-cabin.",
    ),
    "pack_code_hint": (
        "小写字母、数字和连字符，例如 cbs-forest-walks。",
        "Lower-case letters, digits and hyphens, e.g. cbs-forest-walks.",
    ),
    "pack_kind": ("类别", "Kind"),
    "pack_kind_therapy": ("康养理疗", "therapy"),
    "pack_kind_dining": ("餐饮", "dining"),
    "pack_kind_culture": ("文化体验", "culture"),
    "pack_price": ("价格（元）", "Price (yuan)"),
    "pack_basis": ("计价方式", "Priced"),
    "pack_basis_per_stay": ("每次入住", "per stay"),
    "pack_basis_per_guest": ("每人", "per guest"),
    "pack_basis_per_night": ("每晚", "per night"),
    "pack_basis_per_guest_night": ("每人每晚", "per guest per night"),
    "pack_basis_per_week": ("每周", "per week"),
    "pack_create": ("创建增值包", "Create the pack"),
    "pack_back": ("返回增值包列表", "Back to the add-on packs"),
    "pack_description": ("介绍", "Description"),
    "pack_description_hint": (
        "写成一段，不要换行；可以不填。",
        "One paragraph, without line breaks; may be left empty.",
    ),
    "pack_offered_by_heading": ("提供此增值包的产品", "Products that offer it"),
    "pack_offered_by_no_product": ("还没有产品提供此增值包。", "No product offers it yet."),
    "pack_offer_hint": (
        "在产品页面勾选或取消勾选，即可让该产品提供或不再提供此增值包。",
        "A product offers it, or stops offering it, by the boxes on the product's page.",
    ),
    "pack_change": ("修改增值包", "Change the pack"),
    "pack_change_hint": (
        "代码和目的地不能修改。已有的报价和预订保持原价；新的报价按新价格计算。",
        "The code and the destination stay. Quotes and bookings already made keep their"
        " price; new quotes use the new one.",
    ),
    "pack_done_saved": ("增值包已保存。", "Pack saved."),
    "cnav_destinations": ("目的地", "Destinations"),
    "dest_facts_title": ("目的地信息", "Destination facts"),
    "dest_facts_intro": (
        "游客按这些信息挑选目的地：介绍、医疗与便利设施、认证。",
        "Travellers choose by these facts: the description, medical care and facilities, "
        "certifications.",
    ),
    "dest_facts_back": ("返回目的地列表", "Back to the destinations"),
    "dest_description_zh": ("中文介绍", "Description in Chinese"),
    "dest_description_en": ("英文介绍", "Description in English"),
    "dest_hospital_km": ("最近医院距离（公里）", "Nearest hospital (km)"),
    "dest_facilities": ("设施与服务", "Facilities and services"),
    "dest_medical_insurance_station": ("设有医保服务站", "Medical insurance service point"),
    "dest_cross_province_settlement": ("医保可跨省直接结算", "Cross-province medical settlement"),
    "dest_elder_friendly_rooms": ("有适老化客房", "Elder-friendly rooms"),
    "dest_has_5g": ("5G 网络覆盖", "5G coverage"),
    "dest_certifications": ("认证", "Certifications"),
    "error_km": ("请填写公里数，例如 12 或 12.5。", "Enter kilometres, e.g. 12 or 12.5."),
    "prod_new": ("新建产品", "New product"),
    "prod_new_intro": (
        "先填写基本信息；创建后在产品页补充季节、增值包和退款规则。新产品需在房态日历中设置间数后开售。",
        "Start with the basics; add seasons, packs and the refund policy on its page. A new "
        "product goes on sale once the calendar gives its nights rooms.",
    ),
    "prod_slug": ("产品标识", "Slug"),
    "prod_theme": ("主题", "Theme"),
    "prod_unit_type": ("房型", "Room type"),
    "prod_create": ("创建产品", "Create the product"),
    "prod_done_created": ("产品已创建。", "Product created."),
    "unit_cabin": ("木屋", "Cabin"),
    "unit_hotel_room": ("酒店客房", "Hotel room"),
    "unit_homestay": ("民宿", "Homestay"),
    "unit_serviced_apartment": ("服务式公寓", "Serviced apartment"),
    "unit_villa": ("别墅", "Villa"),
    "unit_eldercare_room": ("康养护理房", "Elder-care room"),
}
