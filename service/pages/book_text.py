"""The book page's words, in zh-CN and English (part of ``messages.TEXT``): the lead
traveller and guests, the personal-data notice and consent, paying at the property (one
desk, or each destination's; online: ``payment_text``), and the way on when a quote can
no longer be booked.
"""

BOOK_TEXT: dict[str, tuple[str, str]] = {
    "book_title": ("填写入住人信息", "Who is travelling"),
    "book_total": ("应付总额 {total}。", "Total to pay: {total}."),
    "book_see_price": ("查看价格明细", "See the itemised price"),
    "book_lead": ("联系人（主要入住人）", "Lead traveller"),
    "book_name": ("姓名", "Name"),
    "book_phone": ("手机号码", "Mobile number"),
    "book_phone_hint": (
        "用于入住联系，例如 13912345678",
        "For the property to reach you, e.g. 13912345678",
    ),
    "book_lead_hint": (
        "联系人也是入住的 {party} 人之一。",
        "The lead traveller is one of the {party:guest|guests} staying.",
    ),
    "book_guests": ("同行人（另外 {n} 位）", "Other guests ({n})"),
    "book_guests_hint": (
        "除联系人以外的同行人，共 {party} 人入住。可不填；入住时再登记也可以。",
        "Who else is staying with the lead traveller ({party:guest|guests} in all). "
        "Optional; you can also register at check-in.",
    ),
    "book_guest_n": ("第 {n} 位同行人姓名", "Other guest {n}: name"),
    "book_privacy_title": ("个人信息说明", "Your personal data"),
    "book_privacy": (
        "我们只收集预订所需的姓名和手机号，仅您本人和所订目的地的经营方可以查看；不会出现在日志中，不用于其他用途。",
        "We collect only the names and the mobile number a booking needs. Only you and the operator of the place you book can see them; they are never written to logs or used for anything else.",
    ),
    "book_consent": (
        "我已阅读并同意以上个人信息说明",
        "I have read and agree to the note on personal data above",
    ),
    "book_pay_note": (
        "演示站点：入住时向住宿方付款，现在不收取任何费用。",
        "Demo site: you pay the property on arrival; nothing is charged now.",
    ),
    # paid at the property, stays at more than one destination: then each desk's part
    # (``macros.pay_desks``, my booking's words for them) and what they come to
    "book_pay_desks": (
        "演示站点：现在不收取任何费用。入住时到店付款，共 {n} 个前台："
        "每个目的地的前台在您入住时收取属于它的那一部分。",
        "Demo site: nothing is charged now. You pay at the property, at {n} front desks: "
        "each destination's desk takes its own part when you check in.",
    ),
    "book_already_booked": (
        "这个价格已经预订过了，无需再订。如需另订一次，请换个日期或人数查询。",
        "This price has already been booked: there is nothing more to book. To book another stay, choose the dates and party again.",
    ),
    "book_see_my_booking": ("查看“我的预订”", "See My booking"),
    "book_price_again": ("重新查询这处住宿的价格", "Re-check the price for this stay"),
    "book_other_dates": ("换个日期或人数查询", "Choose other dates or another party"),
    "book_submit": ("确认预订（{total}）", "Book now ({total})"),
}
