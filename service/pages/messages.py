"""Every piece of page text, in zh-CN and English, keyed by name.

Templates call ``t("key")`` (``t("key", n=3)`` formats ``{n}``). A key missing here is an
error at render time (a test renders every page in both languages). A service's
refusals are said in the page's language by ``service.pages.refusals``, with ``pick``
and ``fill`` from here.
"""

import string
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from service.bookings.models import STATUS_NAMES
from service.console.desk_text import DESK_TEXT
from service.console.reports_text import REPORTS_TEXT
from service.console.text import CONSOLE_TEXT
from service.i18n import Lang
from service.pages.book_text import BOOK_TEXT
from service.pages.manage_text import MANAGE_TEXT
from service.pages.payment_text import PAYMENT_TEXT
from service.pages.refund_text import REFUND_TEXT
from service.reports.words import ASPECT_WORDS
from service.validation_messages import NO_SUCH_DATE

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
    # by the payment mode of the pages' bookings (bookings.modes.payment_mode_for)
    "footer_pay_pay_at_property": (
        "演示站点：目录为示例数据，入住时付款。",
        "Demo site: sample catalogue, pay at the property.",
    ),
    "footer_pay_stripe": (
        "在线支付（Stripe）：付款后预订才成立；本网站暂时还不能付款。",
        "Pay online (Stripe): a booking is made only once it is paid; this website cannot "
        "take payments yet.",
    ),
    # home
    "home_title": ("在吉林，住上几周", "Weeks in Jilin, at your pace"),
    "home_intro": (
        "长白山的森林疗愈、延吉的朝鲜族民俗、一周温泉：按主题挑选目的地，价格逐项写明。",
        "Forest healing at Changbai Mountain, Korean folk culture in Yanji, a hot-spring week: "
        "choose by theme, every price itemised.",
    ),
    "home_themes": ("七大主题", "Seven themes"),
    "home_start": ("开始规划", "Start planning"),
    "home_routes": ("精品线路", "Curated routes"),
    # a no-break space: "7" and "晚" stay together on a phone's line
    "route_nights": ("（建议 {n}\u00a0晚）", " (about {n:night|nights})"),
    "route_plan": (
        "按这条线路规划（共 {nights} 晚）",
        "Plan this route ({nights:night|nights})",
    ),
    "home_find": ("按需要找目的地", "Find a place by your needs"),
    "home_why": ("为什么在这里订", "Why book here"),
    "home_why_prices": (
        "明码标价：每一项费用和优惠都写明规则和算法。",
        "Transparent prices: every charge and discount shows its rule and its sum.",
    ),
    "home_why_medical": (
        "看得见的医疗保障：离医院多远、能否异地就医直接结算。",
        "Medical access you can see: distance to a hospital, cross-province insurance settlement.",
    ),
    "home_why_long": (
        "住得越久越划算：长住折扣、预订优惠、组合优惠。",
        "The longer you stay, the less a night costs: long-stay, advance-booking and bundle discounts.",
    ),
    # shared words
    "any": ("不限", "Any"),
    "yes": ("有", "Yes"),
    "no": ("无", "No"),
    "none": ("无", "None"),
    "more": ("显示更多", "Show more"),
    "ics_stay": (
        "预订号 {ref}，{nights}晚，{units}间，{guests}人",
        "Booking {ref}: {nights:night|nights}, {units:room|rooms}, {guests:guest|guests}",
    ),
    "ics_leg": ("预订号 {ref}，{riders}人", "Booking {ref}: {riders:rider|riders}"),
    "ics_place": ("地点：{place}", "Place: {place}"),
    "ics_stops": ("经停：{stops}", "Stops: {stops}"),
    "leg_stops": ("{start} → {end}", "{start} → {end}"),
    "ics_leg_summary": ("{line}：{start} → {end}", "{line}: {start} → {end}"),
    "nights_unit": ("晚", "nights"),
    "lengths": ("可选住几晚：", "Lengths of stay: "),
    "per_night": ("{price} / 晚", "{price} a night"),
    "from_per_night": ("基础价 {price} / 晚", "Base rate {price} a night"),
    "within_km": ("{km} 公里以内", "Within {km} km"),
    "back_to": ("返回：{name}", "Back to {name}"),
    "back_to_destinations": ("返回目的地列表", "Back to all destinations"),
    "night": ("入住日期", "Night"),
    "units_left": ("剩余", "Left"),
    "left_n": ("剩 {n} 间/床", "{n} left"),
    "full": ("已满", "Full"),
    "not_on_sale": ("未开售", "Not on sale"),
    "dest_cursor_stale": (
        "这个列表链接已经过时，下面是列表的第一页。",
        "That link to the list is out of date; here is the first page.",
    ),
    "error_choice": ("请从列表中选择。", "Please choose from the list."),
    # money ``forms.fen`` could not read (the planner's budget): the ways it can be written
    "error_yuan": (
        "请按元填写金额，例如 5000、5,000、¥5000 或 1.5万。",
        "Please enter an amount in yuan, e.g. 5000, 5,000 or ¥5000.",
    ),
    "error_date": (
        "请按 年-月-日 填写日期，例如 2027-07-01。",
        "Please enter a date as YYYY-MM-DD, e.g. 2027-07-01.",
    ),
    # ``forms.day_error``: a date written as one that no calendar has, with why in the
    # API's words (no such month; that month has no such day)
    **{
        f"error_date_{why}": (f"没有这个日期：{zh}。", f"There is no such date: {en}.")
        for why, (zh, en) in NO_SUCH_DATE.items()
    },
    "error_date_calendar": (
        "请填写 2000-01-01 至 2100-12-31 之间的日期。",
        "Please enter a date between 2000-01-01 and 2100-12-31.",
    ),
    "error_required": ("请填写此项。", "Please fill this in."),
    # the quote form's check-in after the product's last date on sale (the quote's
    # ``not_on_sale``, with that date)
    "q_after_last_on_sale": (
        "所选日期不在销售期内：住 {nights} 晚最晚可在 {last} 入住。",
        "These dates are not on sale: the last check-in date on sale for "
        "{nights:night|nights} is {last}.",
    ),
    "error_consent": (
        "请阅读并同意个人信息说明后再预订。",
        "Please read and agree to the personal-data notice to book.",
    ),
    "error_reference_format": (
        "预订号是 JL 加 6 个字母或数字，例如 JL-7K3Q9M（大小写、短横线可不计）。",
        "A booking reference is JL and 6 letters or digits, e.g. JL-7K3Q9M (any case; "
        "the hyphen may be left out).",
    ),
    "error_booking_not_found": (
        "预订号或凭证不对，请核对后再试。",
        "The reference or the token is not right; please check and try again.",
    ),
    # destinations
    "dest_title": ("目的地", "Destinations"),
    "dest_intro": (
        "按您的需要筛选：离医院多远、能否异地就医直接结算、有没有适老化房间、获得哪些认证。",
        "Filter by what you need: distance to a hospital, cross-province medical-insurance settlement, elder-friendly rooms, certifications.",
    ),
    "dest_filters": ("按需要筛选", "Filter by your needs"),
    "dest_theme": ("主题", "Theme"),
    "dest_hospital": ("离最近医院", "Nearest hospital"),
    "dest_card_hospital": ("最近的医院：{km}", "Nearest hospital: {km}"),
    "dest_must_have": ("必须具备", "Must have"),
    "dest_cert": ("认证（勾选的须全部具备）", "Certifications (all those ticked)"),
    "dest_apply": ("筛选", "Show destinations"),
    "dest_clear": ("清除筛选", "Clear filters"),
    "dest_found": ("找到 {n} 个目的地", "{n:destination|destinations} found"),
    "dest_none": (
        "没有符合全部条件的目的地，请放宽一些条件。",
        "No destination meets every need; try fewer filters.",
    ),
    "dest_products": ("{n} 个旅居产品", "{n:stay|stays} on sale"),
    "dest_stays": ("可预订的旅居产品", "Stays you can book"),
    "dest_no_stays": ("这里暂时没有在售的产品。", "Nothing on sale here yet."),
    "map_title": ("目的地分布图", "Map of the destinations"),
    "map_desc": (
        "吉林省范围内目的地的位置，编号与下方列表一致。",
        "Where the destinations are in Jilin; the numbers match the list below.",
    ),
    "map_caption": (
        "地图上的编号与下方列表的编号一致（经纬度为近似值）；屏幕较窄时可左右滑动地图。",
        "The numbers on the map match the list below (positions approximate); on a narrow "
        "screen the map slides sideways.",
    ),
    # facilities
    "fac_title": ("设施与依据", "Facilities and what they rest on"),
    "fac_source": (
        "以下信息来自目的地在资源名录中的登记（名录状态：{status}）。",
        "As registered in the province's resource directory (status: {status}).",
    ),
    "directory_mature": ("成熟", "mature"),
    "directory_reserve": ("储备", "reserve"),
    "fac_hospital": ("最近的医院", "Nearest hospital"),
    "fac_insurance_station": ("医保服务站", "Medical-insurance station"),
    "fac_settlement": ("异地就医直接结算", "Cross-province medical-insurance settlement"),
    "fac_elder_rooms": ("适老化房间", "Elder-friendly rooms"),
    "fac_5g": ("5G 信号", "5G coverage"),
    "fac_certs": ("认证", "Certifications"),
    # product
    "p_base_rate": ("基础房价", "Base rate"),
    "p_occupancy": ("每间入住人数", "Guests per room"),
    "p_occupancy_words": (
        "含 {base} 人，最多 {max} 人；加人每人每晚 {fee}",
        "{base} included, at most {max}; each extra guest {fee} a night",
    ),
    "p_max_discount": ("住宿优惠上限", "Room-charge discount limit"),
    # the room's published facts (``Accessibility``), the planner's room needs
    "p_room_facts": ("房间设施", "The room"),
    "p_room_has": ("具备：{facts}。", "It has {facts}."),
    "p_room_not_published": ("未登记：{facts}。", "Not published: {facts}."),
    "p_seasons": ("季节价格", "Seasonal rates"),
    "season_words": (
        "{name}：{start} 至 {last} 晚，每晚 {price}",
        "{name}: from the night of {start} to the night of {last}, {price} a night",
    ),
    "season_words_unnamed": (
        "{start} 至 {last} 晚，每晚 {price}",
        "From the night of {start} to the night of {last}, {price} a night",
    ),
    "season_periods": (
        "{name}：{start} 至 {last} 晚，分段价格：",
        "{name}: from the night of {start} to the night of {last}, at these rates:",
    ),
    "p_no_seasons": ("全年每晚 {price}。", "{price} a night all year."),
    "p_no_seasons_ahead": (
        "之后没有季节价格：每晚 {price}。",
        "No seasonal rate from now on: {price} a night.",
    ),
    # the product page's packs: its heading, and the field as its error summary names it
    "p_packs": ("增值包", "Add-on packs"),
    "basis_per_stay": ("每次入住", "per stay"),
    "basis_per_guest": ("每人", "per guest"),
    "basis_per_night": ("每晚", "per night"),
    "basis_per_guest_night": ("每人每晚", "per guest per night"),
    "basis_per_week": ("每周", "per week"),
    # a per-week pack is charged per started week (pricing.pack_multiplier: ceil(nights / 7))
    "basis_per_week_started": (
        "不足一周按一周计（住 {nights} 晚按 {weeks} 周计）",
        "charged per started week ({nights:night|nights} = {weeks:week|weeks})",
    ),
    "p_refund": ("退订规则", "If you cancel"),
    "refund_at_least": (
        "入住前 {days} 天或更早取消：退还 {pct}",
        "{days:day|days} or more before check-in: {pct} back",
    ),
    "refund_between": (
        "入住前 {low}–{high} 天取消：退还 {pct}",
        "{low} to {high:day|days} before check-in: {pct} back",
    ),
    "refund_below": (
        "入住前不足 {days} 天取消：不退款",
        "Fewer than {days:day|days} before check-in: nothing back",
    ),
    # the day of check-in itself, and a band of one day (refund_text._band)
    "refund_any_time": (
        "入住当天或更早取消：退还 {pct}",
        "Any time up to the day of check-in: {pct} back",
    ),
    "refund_on_the_day": ("入住当天取消：退还 {pct}", "On the day of check-in: {pct} back"),
    "refund_on_one_day": (
        "入住前 {days} 天取消：退还 {pct}",
        "{days:day|days} before check-in: {pct} back",
    ),
    "refund_up_to_the_day": (
        "入住前 {high} 天至入住当天取消：退还 {pct}",
        "From {high:day|days} before check-in to the day itself: {pct} back",
    ),
    "refund_below_on_the_day": ("入住当天取消：不退款", "On the day of check-in: nothing back"),
    "refund_none_policy": ("此产品预订后不可退款。", "This stay cannot be refunded once booked."),
    "p_quote": ("算一算价格", "Work out the price"),
    "p_price_calendar": ("价格日历", "Price calendar"),
    "p_price_calendar_hint": (
        "自{start}起四周内每个入住日期的总价（住 {nights} 晚、{guests} 人、1 间，已扣优惠，不含增值包）。",
        "The total for each check-in date of four weeks from {start} ({nights:night|nights}, {guests:guest|guests}, 1 room, after discounts, without packs).",
    ),
    "p_price_calendar_pick": (
        "点一个日期，询价表就按这一天、这个晚数和人数填好。",
        "Choose a date to fill in the price form with it, these nights and guests.",
    ),
    "p_calendar_beyond": (
        "住 {nights} 晚的价格只公布到{last}入住：这里显示最后可售的四周。",
        "Prices for {nights:night|nights} are published for check-in up to {last}: "
        "these are the last four weeks on sale.",
    ),
    "p_calendar_none": (
        "现在没有可售的日期（住 {nights} 晚最后可入住的日期是{last}）。",
        "Nothing is on sale now (the last check-in date for {nights:night|nights} was {last}).",
    ),
    "p_calendar_no_such": (
        "{problem}日历从最早可入住的日期开始。",
        "{problem} The calendar starts at the first date you can check in.",
    ),
    "p_calendar_invalid": (
        "起始日期应写成 2027-01-31 这样的格式：这里从最早可入住的日期开始。",
        "The start date should look like 2027-01-31: the calendar starts at the first date you can check in.",
    ),
    # what a link asked that the product page shows otherwise (``routes._link_errors``)
    "p_link_nights": (
        "{problem}价格日历按 {nights} 晚显示。",
        "{problem} The calendar shows {nights:night|nights}.",
    ),
    "p_link_guests": (
        "{problem}价格日历按 {guests} 人显示。",
        "{problem} The calendar shows {guests:guest|guests}.",
    ),
    "p_link_check_in": ("{problem}询价表填的是{day}。", "{problem} The form shows {day}."),
    "p_link_not_number": ("链接里的“{value}”不是数字。", "“{value}” in the link is not a number."),
    "p_link_not_a_length": (
        "链接里的 {value} 晚不是可选的晚数（{lengths} 晚）。",
        "{value} nights, in the link, is not a length to choose ({lengths} nights).",
    ),
    "p_calendar_periods": ("价格日历的其他日期", "Other dates of the price calendar"),
    "p_calendar_earlier": ("← 前四周", "← Four weeks earlier"),
    "p_calendar_later": ("后四周 →", "Four weeks later →"),
    "p_price_calendar_show": ("更新价格日历", "Update the calendar"),
    "reason_check_in_in_past": ("已过入住日期", "In the past"),
    "reason_not_on_sale": ("未开售", "Not on sale"),
    "reason_product_retired": ("已不再提供", "No longer offered"),
    "reason_duration_not_allowed": ("不提供此晚数", "Length not sold"),
    "reason_too_many_units": ("总房数不够", "More rooms than it has"),
    "reason_sold_out": ("已订满", "Sold out"),
    "not_bookable": ("不可订", "Not bookable"),
    "p_availability": ("未来四周的剩余房量", "Rooms left over the next four weeks"),
    "p_availability_hint": ("每晚还能预订的房间或床位数。", "Rooms or beds still free each night."),
    "f_check_in": ("入住日期", "Check-in date"),
    "f_check_in_hint": ("格式：年-月-日，例如 2027-07-01", "As YYYY-MM-DD, e.g. 2027-07-01"),
    "f_nights": ("住几晚", "How many nights"),
    "f_guests": ("入住人数", "Guests"),
    "f_units": ("房间或床位数", "Rooms or beds"),
    "f_packs": ("加选增值包（可不选）", "Add-on packs (optional)"),
    "f_stubs": ("票根码（可不填）", "Ticket-stub codes (optional)"),
    "f_stubs_hint": (
        "景区、度假区或交通的票根可抵扣，多个请用逗号隔开。",
        "Stubs from scenic areas, resorts or transit lines earn discounts; separate several with commas.",
    ),
    "f_get_price": ("查看价格明细", "See the itemised price"),
    # quote
    "q_title": ("价格明细", "The price, line by line"),
    "q_intro": (
        "每一项费用和每一项优惠都写明了规则、计算基数、比例和金额，您可以自己核算。",
        "Every charge and every discount shows its rule, its base, its percentage and its amount, so you can check it by hand.",
    ),
    "q_guarantee_label": ("价格保证：", "Price guaranteed:"),
    "q_guarantee": (
        "在 {when} 之前预订，按此价格收费。",
        "book before {when} and this is exactly what you pay.",
    ),
    "q_expired_label": ("已过保证期：", "Guarantee over:"),
    "q_expired": (
        "此报价保证到 {when}，请重新查询价格。",
        "this price was guaranteed until {when}; please ask for a new price.",
    ),
    "q_booked_label": ("已预订：", "Booked:"),
    "q_free_label": ("无法预订：", "Cannot be booked:"),
    "q_free": (
        "此报价总额为 0 元，住宿从不免费，因此不能按此价格预订。请重新查询价格或联系目的地。",
        "this quote comes to ¥0.00, and a night is never free, so it cannot be booked at this price. Please ask for a new price or contact the destination.",
    ),
    "q_booked": (
        "此价格已有人预订，无需再订或重新查询价格。预订人可在“我的预订”中查看和管理。",
        "this price has been booked: there is nothing more to book and no need to ask for a new price. Whoever booked it can see and manage it in My booking.",
    ),
    "q_booked_manage": (
        "查看或管理这笔预订（“我的预订”）",
        "See or manage this booking (My booking)",
    ),
    "q_stay_words": (
        "{start} 入住，{end} 离店，共 {nights} 晚，{guests} 人，{units} 间/床",
        "Check in {start}, leave {end}: {nights:night|nights}, {guests:guest|guests}, {units:room|rooms}",
    ),
    "q_line": ("项目", "Item"),
    "q_amount": ("金额", "Amount"),
    "q_discount": ("优惠", "Discount"),
    "q_discount_words": (
        "计算：{base} × {pct} = {amount}",
        "Worked out: {base} × {pct} = {amount}",
    ),
    "q_discount_capped": (
        "计算：{base} × {pct} = {uncapped}，超过本产品优惠上限，按上限减 {amount}",
        "Worked out: {base} × {pct} = {uncapped}, above the discount limit, so {amount}",
    ),
    "q_stub": ("使用票根：{code}", "Ticket stub used: {code}"),
    # a stub the quote used, taken by another booking since (bookings.stubs_taken)
    "q_stub_taken_label": ("现在订不了：", "Cannot be booked now:"),
    "q_stub_taken": (
        "这次报价用了票根 {code}，之后它已被另一笔预订使用，所以这个价格不能再预订。",
        "This price uses ticket stub {code}, which another booking has used since, so this price can no longer be booked.",
    ),
    "q_price_without_stub": (
        "不用这张票根，重新查询价格",
        "Re-check the price without this ticket stub",
    ),
    "q_stub_unused_label": ("票根未使用", "Ticket stub not used"),
    "q_stub_unused": (
        "票根 {code} 没有用于这次报价，价格里没有算它。",
        "Ticket stub {code} was not used in this quote; the price does not count it.",
    ),
    # why, by the quote's stubs[].reason (pricing.quote.STUB_NOT_APPLIED)
    "q_stub_why_no_deal": (
        "原因：发放这张票根的单位目前没有适用于这次报价的票根优惠。",
        "Why: its issuer has no ticket-stub deal open to this quote.",
    ),
    "q_stub_why_nothing_it_discounts": (
        "原因：这次报价里没有它能优惠的增值包或交通线路。",
        "Why: this quote has no add-on pack or transit ride that its deal discounts.",
    ),
    "q_stub_why_outside_validity": (
        "原因：它能优惠的增值包或乘车不在票根有效期内（参观日起的有效天数）。",
        "Why: the packs or rides it discounts are not within its days after your visit.",
    ),
    "q_stub_why_already_discounted": (
        "原因：它能优惠的项目已由前面的票根优惠过，或已达到增值包优惠上限。",
        "Why: what it discounts was already discounted by a stub before it, or the packs' "
        "discount limit is reached.",
    ),
    "q_stub_unused_why": (
        "票根只优惠发放方优惠写明的增值包或交通线路，并且只在参观日之后的有效天数内。"
        "预订这份报价不会用掉这张票根。",
        "A ticket stub discounts only the add-on packs or transit rides its issuer's deal "
        "names, and only within the deal's days after your visit. Booking this quote "
        "does not use the stub up.",
    ),
    "q_segment": (
        "{start} 起 {nights} 晚 × 每晚 {rate} × {units} 间",
        "{nights:night|nights} from {start} × {rate} a night × {units:room|rooms}",
    ),
    "q_extra": (
        "加人：{n} 人 × 每晚 {fee}，共 {amount}",
        "Extra guests: {n} × {fee} a night, {amount} in all",
    ),
    "q_pack_words": ("{price} {basis} × {multiplier}", "{price} {basis} × {multiplier}"),
    "q_item_gross": ("小计（优惠前）", "Before discounts"),
    "q_item_discount": ("优惠合计", "Discounts"),
    "q_cap_words": (
        "住宿优惠上限：这处住宿的房费最多优惠 {cap}。",
        "Room-charge discount limit: discounts take at most {cap} off this stay's room charge.",
    ),
    "q_item_net": ("此项应付", "To pay for this stay"),
    "q_item_net_booked": ("此项预订价", "This stay as booked"),
    # each stay's refund terms on the quote and book pages (_refund.html, stay_refund)
    "q_refund_title": ("如果取消这处住宿", "If you cancel this stay"),
    "book_refund_title": ("如果取消：{product}", "If you cancel: {product}"),
    "q_refund_hint": (
        "退还的是这处住宿应付金额 {net} 的一部分，按您取消当天距入住还有几天计算。"
        "预订后就按下面的规则退款，即使产品的规则以后有变。",
        "What comes back is a share of this stay's {net}, by how many days before check-in "
        "you cancel. Once you book, your refund follows these rules, even if the stay's "
        "rules change later.",
    ),
    "q_line_room": ("房费", "Room charge"),
    "q_line_fare": ("车费", "Fare"),
    "trip_leg_words": ("{day} 出行，{riders} 人", "Travel on {day}: {riders:rider|riders}"),
    "q_leg_words": (
        "{day} 出行，{riders} 人，每人 {fare}",
        "Travel on {day}: {riders:rider|riders} at {fare}",
    ),
    "q_totals": ("合计", "Totals"),
    "q_subtotal": ("优惠前合计", "Before discounts"),
    "q_discount_total": ("优惠合计", "All discounts"),
    "q_total": ("应付总额", "Total to pay"),
    "q_rounding": (
        "每一行按四舍五入到分计算，总额为各行之和。",
        "Each line is rounded half-up to the fen; the total is the sum of the lines.",
    ),
    "q_book": ("按此价格预订", "Book at this price"),
    # availability now (availability.check_availability, as GET .../availability/check)
    "q_available_label": ("有房：", "Available:"),
    "q_available": (
        "所选日期每晚至少还剩 {n} 间/床。",
        "at least {n:room|rooms} left on each night of these dates.",
    ),
    "q_cannot_book_label": ("现在订不了：", "Cannot be booked now:"),
    "q_sold_out": (
        "{name} 在 {night} 这一晚已订满，所以这个价格现在无法预订。请换个日期。",
        "{name} is sold out on the night of {night}, so this price cannot be booked now. "
        "Please choose other dates.",
    ),
    "q_sold_out_together": (
        "{name} 在 {night} 这一晚剩余的房间或床位不够本行程在那里的几段住宿同时入住，"
        "所以这个价格现在无法预订。请换个日期或少订几间。",
        "{name} has too few rooms left on the night of {night} for all of this trip's "
        "stays there together, so this price cannot be booked now. Please choose other "
        "dates or fewer rooms.",
    ),
    "q_cannot_book": (
        "{name} 的这段住宿现在无法预订（{reason}）。请换个日期。",
        "{name} cannot be booked for these dates now ({reason}). Please choose other dates.",
    ),
    # A product its operator retired (``product_retired``): no other dates would do; the
    # way on is its destination's other stays (the quote, book and product pages).
    "q_retired": (
        "{name} 已不再提供，不能再预订。",
        "{name} is no longer offered, so it cannot be booked.",
    ),
    "p_retired": (
        "这个住宿已不再提供：运营方已停止销售，不能再查询价格或预订。",
        "This stay is no longer offered: its operator has stopped selling it, so it cannot "
        "be priced or booked.",
    ),
    "retired_see_destination": ("看看{name}的其他住宿", "See the other stays at {name}"),
    # plan
    "plan_title": ("规划几周的行程", "Plan a trip of several weeks"),
    "plan_intro": (
        "告诉我们时间、人数和需要，我们按总价从低到高列出能订到的行程，每一段住宿、每一程交通都已算好。",
        "Tell us when, who and what you need: we list the trips you can book, cheapest first, with every stay and every transfer priced.",
    ),
    "plan_route": ("按精品线路规划：{route}", "Planning along the curated route: {route}"),
    "plan_per_stay": ("每个地方至少住 {n} 晚", "At least {n:night|nights} at each place"),
    # a ``min_nights_per_stay`` the planner refuses, beside the stays (``plan._per_stay_said``)
    "plan_per_stay_name": ("每个地方至少住几晚", "Nights at each place"),
    "plan_per_stay_refused": (
        "链接里给的是“{value}”。{why}再次查找时不带这一条。",
        "The link gives “{value}”. {why} Searching again leaves it out.",
    ),
    "plan_self_travel": (
        "没有交通线路的地方可自行前往",
        "Travelling on your own where no line runs is allowed",
    ),
    "plan_form": ("行程条件", "Your trip"),
    "plan_start": ("最早入住日期", "Earliest check-in"),
    "plan_end": ("最晚离开日期", "Latest departure"),
    "plan_end_hint": ("行程在这两天之间安排。", "The trip fits between these two days."),
    "plan_nights": ("一共住几晚（可不填）", "Nights in all (optional)"),
    "plan_nights_hint": (
        "例如 6 周为 42 晚；不填则按日期范围安排。",
        "Six weeks is 42 nights; leave empty to fit the dates.",
    ),
    "plan_nights_range": (
        "不填则总晚数为 {lo} 至 {hi} 晚；填写则按所填晚数安排。",
        "Left empty: {lo} to {hi} nights in all; type a number for exactly that many.",
    ),
    "plan_nights_at_least": (
        "不填则总晚数至少 {lo} 晚；填写则按所填晚数安排。",
        "Left empty: at least {lo} nights in all; type a number for exactly that many.",
    ),
    "plan_nights_at_most": (
        "不填则总晚数至多 {hi} 晚；填写则按所填晚数安排。",
        "Left empty: at most {hi} nights in all; type a number for exactly that many.",
    ),
    "plan_fit_too_long": (
        "日期相隔超过 {n} 天时，请填写一共住几晚，或缩短日期范围。",
        "For dates more than {n} days apart, give the nights in all, or closer dates.",
    ),
    "plan_units_hint": (
        "每间最多住几人因产品而异；人多时可订几间。",
        "Each room holds a few guests; a larger party can book several.",
    ),
    "plan_max_stays": ("最多住几个地方", "At most how many places"),
    "plan_stays_n": ("{n} 个地方", "{n:place|places}"),
    "plan_themes": ("喜欢的主题（可多选，不选为不限）", "Themes you like (any if none)"),
    "plan_needs": ("必须满足的需要", "What you must have"),
    "plan_room_needs": ("房间必须具备", "The room must have"),
    "plan_budget": ("总预算，元（可不填）", "Budget in yuan (optional)"),
    "plan_budget_hint": (
        "包括住宿、增值包和交通，已扣除优惠。例如 8000、8,000 或 1.5万。",
        "Stays, packs and transfers, after discounts. For example 8000 or 8,000.",
    ),
    "plan_submit": ("查找行程", "Find trips"),
    "plan_found": ("找到 {n} 个行程", "{n:trip|trips} found"),
    "plan_none": ("没有完全符合条件的行程。", "No trip meets everything."),
    "plan_relax": ("改一个条件就有行程：", "Change one thing and there are trips:"),
    "plan_window_too_short": (
        "这段日期比最短的住宿（{n} 晚）还短，请把最晚离开日期往后放。",
        "These dates are shorter than the shortest stay ({n:night|nights}); "
        "please choose a later departure.",
    ),
    "plan_window_too_long": (
        "日期范围太长：最多 {n} 天，请缩短一些。",
        "The dates span too long: at most {n:day|days}; please narrow them.",
    ),
    # the problem's ``limit``: the nights from the earliest check-in to the latest departure
    "plan_nights_exceed_window": (
        "这段日期最多能住 {n} 晚：请少填几晚、不填，或把最晚离开日期往后放。",
        "These dates hold at most {n:night|nights}: please enter fewer nights, leave this "
        "empty, or choose a later departure.",
    ),
    "plan_nights_below_shortest_stay": (
        "晚数比最短的住宿（{n} 晚）还少，请多住几晚或不填。",
        "Fewer nights than the shortest stay ({n:night|nights}); "
        "please add nights or leave this empty.",
    ),
    "plan_rank": ("第 {n} 名", "Trip {n}"),
    "plan_shape": (
        "共 {nights} 晚，{stays} 段住宿，{places} 个目的地",
        "{nights:night|nights}, {stays:stay|stays}, {places:place|places}",
    ),
    "plan_stay_words": (
        "{start} 入住，{end} 离店，{nights} 晚",
        "{start} to {end}, {nights:night|nights}",
    ),
    "plan_legs": ("交通", "Getting between places"),
    "plan_why": ("为什么适合您", "Why it fits"),
    "plan_why_all": ("每段住宿都满足", "Every stay"),
    "plan_why_stay": ("第 {n} 段住宿：{name}（{place}）", "Stay {n}: {name} ({place})"),
    "plan_met": ("✓ 满足：", "✓ Met:"),
    "plan_not_met": ("✗ 不满足：", "✗ Not met:"),
    "plan_choose": ("选这个行程，看价格明细", "Choose this trip and see the price"),
    "plan_dates_passed": (
        "这个行程的日期已经过去，无法再按它询价。请按同样的人数和晚数重新规划，选新的日期。",
        "The dates of this trip have passed, so it can no longer be priced. Plan again "
        "with the same party and length, on new dates.",
    ),
    "plan_again": ("按同样的人数和晚数重新规划", "Plan again with the same party and length"),
    "plan_nudges": ("再省一点", "Ways to pay less"),
    **BOOK_TEXT,
    **PAYMENT_TEXT,
    **MANAGE_TEXT,
    "survey_title": ("住宿评价", "Rate your stay"),
    "survey_intro": (
        "离店后，每段住宿可以评价一次。1 分最差，5 分最好；不想回答的项目可以不选。",
        "After check-out, each stay can be rated once. 1 is poor, 5 is excellent; skip any "
        "question you would rather not answer.",
    ),
    "survey_thanks": ("谢谢您的评价！", "Thank you for your answer!"),
    "survey_none_open": (
        "目前没有可以评价的住宿：离店后才能评价，每段住宿只能评价一次。",
        "No stay can be rated now: a stay can be rated after check-out, once.",
    ),
    # No stay open, and the stays are all rated already: thanks, not "none can be rated".
    "survey_all_rated": (
        "这笔预订的住宿都已评价过，谢谢您！每段住宿只能评价一次。",
        "You have rated this booking's stays already: thank you! Each stay is rated once.",
    ),
    # No stay open, some rated: thanks for those; the others once they have ended.
    "survey_rated_others_later": (
        "已评价的住宿谢谢您的评价！其他住宿离店后才能评价。",
        "Thank you for rating your stay! The other stays can be rated after their check-out.",
    ),
    "survey_stay": ("评价哪段住宿", "Which stay"),
    "survey_answered": ("已评价", "rated"),
    "survey_score_1": ("1 很不满意", "1 poor"),
    "survey_score_2": ("2 不满意", "2 fair"),
    "survey_score_3": ("3 一般", "3 good"),
    "survey_score_4": ("4 满意", "4 very good"),
    "survey_score_5": ("5 很满意", "5 excellent"),
    **ASPECT_WORDS,  # the aspects, as the reports name them too
    "survey_comment": ("想说的话（选填）", "Comment (optional)"),
    "survey_comment_hint": (
        "请不要写电话、身份证号或姓名：保存前会自动隐去。",
        "Please leave out phone numbers, ID numbers and names: they are removed before saving.",
    ),
    "survey_send": ("提交评价", "Send"),
    "manage_forget_hint": (
        "在公用设备上使用后，请点击退出：这台设备就不再显示这个预订和它的凭证。",
        "On a shared device, forget the booking when you are done: this device then no longer shows it or its token.",
    ),
    **{f"status_{status}": names for status, names in STATUS_NAMES.items()},
    **REFUND_TEXT,
    # cancel
    "cancel_title": ("取消预订", "Cancel the booking"),
    "cancel_what": (
        "您要取消的是预订 {ref}，包括：",
        "You are about to cancel booking {ref}, which holds:",
    ),
    "cancel_intro": (
        "如果现在取消，按退订规则退还如下。确认前不会有任何改变。",
        "If you cancel now, this is what the refund rules give back. Nothing changes until you confirm.",
    ),
    "cancel_intro_unpaid": (
        "确认取消前，这笔预订不会有任何改变。",
        "Nothing changes until you confirm.",
    ),
    "cancel_confirm": ("确认取消", "Yes, cancel it"),
    "cancel_keep": ("不取消，返回", "No, keep my booking"),
    # errors
    "error_title": ("出错了", "Something went wrong"),
    "error_internal": (
        "服务器出错了，这次没有做任何更改。请稍后再试；如果一直这样，请联系我们。",
        "Something went wrong on our side, and nothing was changed. Please try again later.",
    ),
    "error_busy": (
        "系统正忙于处理其他更改，这次没有做任何更改。请稍等片刻，再试一次。",
        "The system was busy with other changes, and nothing was changed. Please wait a moment and try again.",
    ),
    "error_too_large": (
        "提交的内容太多了，请删减后再试。",
        "What you sent is too long; shorten it and try again.",
    ),
    "error_uri_too_long": (
        "这个网址太长了，无法打开。请返回上一页，或从首页重新进入。",
        "This web address is too long to open. Go back, or start again from the home page.",
    ),
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
    "error_summary_title": ("有以下问题", "There is a problem"),
    # A field as the error summary names it, where its label says more (optional...).
    "summary_stubs": ("票根码", "Ticket-stub codes"),
    "summary_lead_name": ("联系人姓名", "Lead traveller's name"),
    "summary_plan_nights": ("一共住几晚", "Nights in all"),
    "summary_themes": ("主题", "Themes"),
    "summary_budget": ("总预算", "Budget"),
    "summary_comment": ("想说的话", "Comment"),
    "error_prefix": ("错误：", "Error: "),
    # a form (web.PageRoute) that sends a one-value field more than once, not shown
    "error_repeated_field": (
        "表单给了 {name} 不止一个值，没有办理。请返回，重新打开页面再填一次。",
        "The form gave more than one value for {name}, so nothing was done. "
        "Go back, reload the page and fill it in again.",
    ),
    # a one-value field the form sent more than once (web.repeated_errors)
    "error_repeated": (
        "这一项收到了不止一个值，请只填一个再提交。",
        "This was sent with more than one value; please give one and send the form again.",
    ),
    "required": ("（必填）", "(required)"),
}

# The console's text lives with the console (its pages, reports and booking desk); one
# dictionary serves ``t(key)``.
for _part in (CONSOLE_TEXT, REPORTS_TEXT, DESK_TEXT):
    if _part.keys() & TEXT.keys():
        raise RuntimeError(f"page text keys defined twice: {_part.keys() & TEXT.keys()}")
    TEXT.update(_part)


def pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh-CN" else pair[1]


def _counted(value: Any, one: str, many: str) -> str:
    """``3 nights``: ``value`` and its word, ``one`` for a count of 1, else ``many``."""
    try:
        count = int(str(value).replace(",", ""))
    except ValueError:
        count = None
    return f"{value} {one if count == 1 else many}"


class _Plurals(string.Formatter):
    """``str.format`` plus counted words: ``{n:night|nights}`` is ``1 night`` or
    ``3 nights`` (the English text says its plural; Chinese needs none)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        return _counted(value, *format_spec.split("|", 1))


_PLURALS = _Plurals()
_Field = tuple[str, str | None, str, tuple[str, str] | None]


@lru_cache(maxsize=2048)
def _fields(text: str) -> tuple[_Field, ...] | None:
    """``text`` parsed once (a page text: a few hundred in all): its literal pieces and
    fields, each a name, a format spec and the spec's counted words (``night|nights``);
    None where a field is anything else (a position, an index, an attribute, a
    conversion, a nested field), left to ``_Plurals`` whole."""
    parts: list[_Field] = []
    for literal, name, spec, conversion in _PLURALS.parse(text):
        if name is not None and (not name.isidentifier() or conversion or "{" in spec):
            return None
        words = spec.split("|", 1) if spec and "|" in spec else None
        parts.append((literal, name, spec, (words[0], words[1]) if words else None))
    return tuple(parts)


def fill(text: str, /, **values: Any) -> str:
    """``_Plurals().format(text, **values)``, the text parsed once (``_fields``), not on
    every call: ``string.Formatter`` parses it and looks up each field in Python (~5-10 us
    a counted text of the quote page), and English pages fill several a page."""
    parts = _fields(text)
    if parts is None:
        return _PLURALS.vformat(text, (), values)
    out = []
    for literal, name, spec, words in parts:
        out.append(literal)
        if name is not None:
            value = values[name]
            out.append(format(value, spec) if words is None else _counted(value, *words))
    return "".join(out)


# The marks a Chinese text uses between words, and the same in English text.
_WESTERN = {"：": ": ", "，": ", ", "（": " (", "）": ")", "、": ", ", "。": ". ", "；": "; "}


def punct(mark: str, lang: Lang) -> str:
    """Punctuation between pieces a template puts together (a name, a colon, a date):
    the full-width mark in zh-CN, its English form otherwise (``"："`` -> ``": "``)."""
    return mark if lang == "zh-CN" else _WESTERN[mark]


def text_for(lang: Lang) -> Callable[..., str]:
    def t(key: str, **values: object) -> str:
        s = pick(TEXT[key], lang)
        if not values:
            return s
        # ``fill`` is in Python: only for a text that counts words (a ``|`` in it); any
        # other is filled by str.format, the same fields in C.
        return fill(s, **values) if "|" in s else s.format(**values)

    return t
