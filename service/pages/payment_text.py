"""The traveller pages' words about paying online (Stripe), in zh-CN and English (part of
``messages.TEXT``): what the book page says before a booking is made, and what "My
booking" says of a booking waiting for its payment (held until when, not booked until
paid, and how it is paid: these pages cannot take a card yet, a partner's app can) and of
one paid ("paid ¥… online on …": the API's ``payment.paid_fen`` and ``paid_at``); and,
paid at the property on a trip across destinations, which front desk takes what (the
API's ``payment.at_property``, ``bookings.shares``).
"""

PAYMENT_TEXT: dict[str, tuple[str, str]] = {
    # the book page in Stripe mode, before anything is booked
    "book_pay_stripe": (
        "在线付款：预订后，房间为您保留 {minutes} 分钟，付款后预订才成立。"
        "本网站暂时还不能付款，所以在这里预订后无法在这里付款："
        "{minutes} 分钟内没有付款，保留会自动结束，不收取任何费用。",
        "Online payment: booking holds your rooms for {minutes:minute|minutes}, and the "
        "booking is made only once it is paid. This website cannot take payments yet, so a "
        "booking made here cannot be paid here: if it is not paid within "
        "{minutes:minute|minutes}, the hold ends by itself and nothing is charged.",
    ),
    "book_submit_hold": ("保留房间（{total}）", "Hold the rooms ({total})"),
    # My booking, a Stripe booking waiting for its payment (every view, not only the first)
    "manage_held_title": ("还没有预订成功：尚未付款。", "Not booked yet: not paid."),
    "manage_held": (
        "房间为您保留到 {until}。付款后预订才成立；到时没有付款，保留会自动结束，不收取任何费用。",
        "Your rooms are held until {until}. The booking is made only once it is paid; if it "
        "is not paid by then, the hold ends by itself and nothing is charged.",
    ),
    # made on these pages: nowhere to pay it here
    "manage_pay_not_here": (
        "本网站暂时还不能付款，所以这笔预订无法在这里付款。",
        "This website cannot take payments yet, so this booking cannot be paid here.",
    ),
    # made through a partner (its app or website has the payment)
    "manage_pay_with_partner": (
        "请在您预订时使用的应用或网站里付款。",
        "Please pay in the app or website where you made this booking.",
    ),
    # a Stripe booking paid (``payment.paid_fen`` on ``payment.paid_at``'s day)
    "manage_paid_online": ("已于{day}在线付款 {amount}。", "Paid {amount} online on {day}."),
    # paid at the property, stays at more than one destination: each desk's part
    # (``payment.at_property``), then what they come to together
    "manage_pay_desks": (
        "到店付款：行程中每个目的地的前台，在您入住时收取属于它的那一部分，现在不在线收款。",
        "Pay at the property: each destination's front desk takes its own part when you "
        "check in; nothing is paid online.",
    ),
    "manage_pay_desk": ("{place}前台：{amount}", "Front desk at {place}: {amount}"),
    "manage_pay_desk_fares": (
        "{place}前台：{amount}（含交通车费 {fares}）",
        "Front desk at {place}: {amount} (including {fares} for transport)",
    ),
    "manage_pay_desks_total": ("合计 {total}。", "Together: {total}."),
}
