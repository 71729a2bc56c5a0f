"""The console's booking pages' text, zh-CN and English, by key: the bookings list and
a booking's page, what the desk collects, the front desk's stay buttons, cancelling and
refunds (merged into ``messages.TEXT``; a key may not be defined twice)."""

DESK_TEXT: dict[str, tuple[str, str]] = {
    # bookings
    "bk_title": ("预订", "Bookings"),
    "bk_filter": ("筛选", "Filter"),
    "bk_any_status": ("全部状态", "Any status"),
    "bk_any_destination": ("全部目的地", "Any destination"),
    "bk_unknown_parameter": (
        "这个地址带有本页不接受的筛选条件“{name}”，所以没有列出预订：本页按目的地、状态和入住日期"
        "筛选。请用下面的表单重新筛选。",
        "This address has a filter this page does not take, “{name}”, so no booking is "
        "listed: the list filters by destination, status and arrival dates. Filter again "
        "with the form below.",
    ),
    # finding one booking by its reference (the guest on the phone, a partner's email)
    "bk_find": ("按预订号查找", "Find a booking by its reference"),
    "bk_find_reference": ("预订号", "Booking reference"),
    "bk_find_hint": (
        "例如 JL-C7NM4Z；大小写、全角和连字符都可以。",
        "For example JL-C7NM4Z; any case, with or without the hyphen.",
    ),
    "bk_find_go": ("查找", "Find"),
    "bk_find_none": (
        "找不到预订号为 {ref} 的预订（只查找您能查看的目的地的预订）："
        "请核对预订号，例如 JL-C7NM4Z。",
        "There is no booking {ref} at the destinations you can see: check the reference, "
        "for example JL-C7NM4Z.",
    ),
    # finding bookings by the guest: the lead traveller's phone or name (a POST form)
    "bk_guest": ("按客人查找", "Find bookings by the guest"),
    "bk_guest_phone": ("主联系人电话", "Lead traveller's phone"),
    "bk_guest_phone_hint": (
        "例如 138 0013 8000；空格、短横线、+86 都可以。",
        "For example 138 0013 8000; spaces, dashes and +86 are fine.",
    ),
    "bk_guest_lead_name": ("主联系人姓名", "Lead traveller's name"),
    "bk_guest_name_hint": ("须与预订时填写的姓名完全一致。", "Exactly as given when booking."),
    "bk_guest_required": ("请填写电话或姓名。", "Fill in a phone or a name."),
    "bk_guest_found": ("与此客人相符的预订：", "Bookings of this guest:"),
    "bk_guest_none": (
        "在您能查看的目的地没有与此电话或姓名相符的预订。",
        "No booking at the destinations you can see has this phone or name.",
    ),
    "bk_guest_more": (
        "相符的预订超过 30 个，只列出最新的 30 个：请同时填写电话和姓名以缩小范围。",
        "More than 30 bookings match; the newest 30 are listed: fill in both the phone and "
        "the name to narrow it.",
    ),
    "bk_arriving_from": ("入住日期从", "Arriving from"),
    "bk_arriving_to": ("入住日期到", "Arriving until"),
    "bk_show": ("显示", "Show"),
    "bk_total": ("总价", "Total"),
    # a trip that also stays at other operators' destinations: this destination's part
    # only, never the trip's total (operators.bookings.OperatorBooking.own_fen)
    "bk_total_own": ("本目的地金额", "Your destination's amount"),
    "bk_total_own_note": ("本目的地部分", "your part"),
    "bk_more": ("更早的预订", "Older bookings"),
    "bk_newer": ("较新的预订", "Newer bookings"),
    "bk_pages": ("预订列表翻页", "Pages of the bookings list"),
    "bk_none": ("没有符合条件的预订。", "No booking matches."),
    "bk_back": ("返回预订列表", "Back to the bookings"),
    "bk_detail_title": ("预订 {ref}", "Booking {ref}"),
    "bk_refunded": ("已退款", "Refunded"),
    "bk_cancel_refund": ("本次取消应退", "This cancellation refunds"),
    # how the booking is paid and what the desk collects (operators.bookings.payment_of)
    "bk_payment": ("付款", "Payment"),
    "pay_mode_pay_at_property": ("到店付款", "Pay at the property"),
    "pay_mode_stripe": ("在线支付（Stripe）", "Paid online (Stripe)"),
    "pay_mode_merchant_collects": ("合作渠道代收", "Collected by the booking partner"),
    "pay_collect": (
        "入住时向旅客收取 {amount}。本系统不记录到店收款。",
        "Collect {amount} from the guest at check-in. Payments at the desk are not recorded here.",
    ),
    "pay_collect_share": (
        "入住时向旅客收取 {amount}（本目的地住宿的金额，含从这里出发的交通车费；"
        "行程中的其他住宿及其交通由各自的目的地收取）。本系统不记录到店收款。",
        "Collect {amount} from the guest at check-in (your stays' part, with the fares of "
        "the transfers that leave from them; the trip's other stays and their transfers "
        "are paid at their own destinations). Payments at the desk are not recorded here.",
    ),
    "pay_collect_rest": (
        "入住时向旅客收取 {amount}（尚待入住的住宿的金额；已登记未到店的住宿无需收款）。"
        "本系统不记录到店收款。",
        "Collect {amount} from the guest at check-in (the stays still expected; nothing is "
        "collected for a stay recorded as a no-show). Payments at the desk are not recorded "
        "here.",
    ),
    "pay_no_show_at_property": (
        "已登记未到店：旅客没有入住，前台无需收款。本预订没有未到店费用，也没有付过款。",
        "No-show recorded: the guest did not arrive, so there is nothing to collect at the "
        "desk. This booking has no no-show charge and nothing was paid.",
    ),
    "pay_stay_ended_at_property": (
        "住宿已结束；应在前台收取 {amount}。本系统不记录到店收款。",
        "The stay is over; {amount} was due at the desk. Payments at the desk are not "
        "recorded here.",
    ),
    "pay_awaiting_online": (
        "等待旅客在线付款 {amount}，保留至 {until}；付款后入住时无需再收款。",
        "Waiting for the guest to pay {amount} online, held until {until}; once paid, "
        "there is nothing to collect at check-in.",
    ),
    "pay_paid_online": (
        "已在线付款 {amount}；入住时无需收款。",
        "Paid online: {amount}; nothing to collect at check-in.",
    ),
    "pay_awaiting_online_share": (
        "等待旅客在线付款（其中本目的地的金额为 {amount}），保留至 {until}；"
        "付款后入住时无需再收款。",
        "Waiting for the guest to pay online (your destination's part: {amount}), held "
        "until {until}; once paid, there is nothing to collect at check-in.",
    ),
    "pay_paid_online_share": (
        "已在线付款，其中本目的地的金额为 {amount}；入住时无需收款。",
        "Paid online; your destination's part: {amount}. Nothing to collect at check-in.",
    ),
    "pay_partner_collected_share": (
        "合作渠道已向旅客收款，其中本目的地的金额为 {amount}；入住时无需收款。",
        "The booking partner collected the payment from the traveller; your destination's "
        "part: {amount}. Nothing to collect at check-in.",
    ),
    "pay_partner_collected": (
        "合作渠道已向旅客收取 {amount}；入住时无需收款。",
        "The booking partner collected {amount} from the traveller; nothing to collect at "
        "check-in.",
    ),
    "pay_refunded_stripe": (
        "已在线付款 {paid}；已退款 {refunded}：Stripe 已退回旅客的付款方式。",
        "Paid online: {paid}; refunded: {refunded}, made by Stripe to the way the guest paid.",
    ),
    "pay_refund_pending_stripe": (
        "已在线付款 {paid}；退款 {requested} 已向 Stripe 申请，尚未退回旅客"
        "（Stripe 退款成功后才显示为已退款）。",
        "Paid online: {paid}; a refund of {requested} has been requested from Stripe and "
        "is not back with the guest yet (it reads refunded once Stripe has made it).",
    ),
    "pay_refund_failed_stripe": (
        "已在线付款 {paid}；退款失败：Stripe 拒绝或未能把 {owed} 退回旅客的付款方式"
        "（已退回 {refunded}），旅客没有收到这笔钱，系统也不会自动重试。"
        "请联系旅客，商定如何另行退还 {owed}。",
        "Paid online: {paid}; the refund failed: Stripe refused or could not return {owed} "
        "to the way the guest paid (refunded so far: {refunded}), so the guest has not got "
        "this money back and it will not be tried again by itself. Contact the guest and "
        "agree how the {owed} is refunded another way.",
    ),
    "pay_refunded_merchant_collects": (
        "合作渠道收取 {paid}；退款 {refunded} 由合作渠道退给旅客。",
        "The booking partner collected {paid}; it refunds {refunded} to the traveller.",
    ),
    "pay_nothing_paid": (
        "无需收款：没有付过款，也没有需要退的钱。",
        "Nothing to collect: nothing was paid and nothing is refunded.",
    ),
    "bk_spans_other": (
        "此行程还住在其他运营方的目的地；这里只显示您的部分及其金额。",
        "This trip also stays at other operators' destinations; only your stays and "
        "their amount are shown.",
    ),
    "bk_stays": ("住宿", "Stays"),
    "bk_legs": ("交通", "Transfers"),
    # whose amount a transfer's fare is part of (bookings.shares: the stay it leaves from)
    "bk_leg_fare": ("车费 {amount}。", "Fare {amount}."),
    "bk_leg_fare_with": (
        "车费 {amount}，计入本目的地金额（随住宿 {product}（{first} 至 {last}）收取）。",
        "Fare {amount}, part of your destination's amount (paid with the stay {product}, "
        "{first} to {last}).",
    ),
    "bk_leg_fare_other": (
        "车费计入行程中其他目的地的金额。",
        "Its fare is part of another destination's amount.",
    ),
    "bk_nights_units_guests": (
        "{nights} 晚 · {units} 间 · {guests} 人",
        "{nights:night|nights} · {units:room|rooms} · {guests:guest|guests}",
    ),
    "bk_check_in": ("办理入住", "Check in"),
    "bk_no_show": ("登记未到店", "Record a no-show"),
    "bk_complete": ("办理离店", "Check out (completed)"),
    # a no-show recorded by mistake, back to expected (not arrived yet)
    "bk_expected": ("撤销未到店", "Undo the no-show"),
    # a check-in recorded by mistake, back to expected; a check-out, back to checked in
    # (operators.bookings: each until the stay's last night)
    "bk_undo_check_in": ("撤销入住", "Undo the check-in"),
    "bk_undo_check_out": ("撤销离店", "Undo the check-out"),
    "bk_done_checked_in": ("已办理入住。", "Checked in."),
    "bk_done_no_show": ("已登记未到店。", "No-show recorded."),
    "bk_done_expected": (
        "已撤销未到店，这段住宿改回待入住。",
        "No-show undone: the stay is expected again.",
    ),
    "bk_done_completed": ("已办理离店。", "Checked out."),
    "bk_done_check_in_undone": (
        "已撤销入住，这段住宿改回待入住。",
        "Check-in undone: the stay is expected again.",
    ),
    "bk_done_check_out_undone": (
        "已撤销离店，这段住宿改回已入住。",
        "Check-out undone: the stay is checked in again.",
    ),
    "bk_done_cancelled": ("预订已取消。", "The booking is cancelled."),
    "bk_done_refund_retried": (
        "已重新向 Stripe 申请退款；Stripe 退回旅客后，本页会显示为已退款。",
        "The refund has been asked of Stripe again; this page says refunded once Stripe "
        "has made it.",
    ),
    "bk_retry_refund": ("重新退款", "Retry the refund"),
    "bk_retry_refund_hint": (
        "请 Stripe 再次把 {amount} 退回旅客的付款方式，金额不变。"
        "无论点几次，旅客只会收到一次退款。",
        "Asks Stripe again to return {amount} to the way the guest paid, the same amount. "
        "However often it is pressed, the guest is refunded once.",
    ),
    # a trip that also stays elsewhere: the refund is one payment for the whole trip
    "bk_retry_refund_hint_share": (
        "请 Stripe 再次办理整个行程失败的退款（行程中其他运营方目的地的部分也在其中，"
        "作为一笔退款），其中本目的地的部分为 {amount}。无论点几次，旅客只会收到一次退款。",
        "Asks Stripe again for the trip's failed refund, as one payment for the whole trip "
        "(the other destinations' parts too); of it, {amount} is your destination's part. "
        "However often it is pressed, the guest is refunded once.",
    ),
    "bk_guests": ("入住人", "Guests"),
    "bk_guest_name": ("姓名", "Name"),
    "bk_guest_is_lead": ("（联系人）", "(lead traveller)"),
    "bk_guest_id": ("证件号码", "ID number"),
    "bk_personal_data": (
        "入住人信息仅供本目的地办理入住使用，请勿转发或截图外传。",
        "Guests' details are for checking in at your destination only; do not pass them on.",
    ),
    "bk_personal_data_masked": (
        "入住人信息仅对所预订目的地的运营方完整显示，此处已做脱敏处理。",
        "Guests' details are shown in full only to the operator of the booked destination; "
        "they are masked here.",
    ),
    "bk_cancellation": ("取消记录", "Cancellation"),
    "bk_cancelled_by": ("取消方", "Cancelled by"),
    "bk_cancelled_on": ("取消日期", "Cancelled on"),
    "bk_cancelled_why": ("取消原因", "Reason given"),
    "cancelled_by_traveller": ("旅客本人", "The traveller"),
    "cancelled_by_partner": ("合作渠道", "A partner (OTA)"),
    "cancelled_by_operator": ("运营方", "The operator"),
    "bk_cancel": ("取消预订…", "Cancel this booking…"),
    # Why a booking cannot be cancelled, on its page and on the refusal of a cancel
    # (a stale link or a form posted after the stay began): which stay has begun, named
    # by its product and dates (the page lists the operator's own stays, unnumbered).
    "bk_stay_started": (
        "住宿 {product}（{first} 至 {last}）{status}。已开始的住宿不能取消，"
        "其房晚也不会重新出售；旅客提前离店请为其办理离店。",
        "The stay {product}, {first} to {last}, is {status}. A stay that has begun cannot "
        "be cancelled, and its nights are not put back on sale; if the guest leaves early, "
        "check them out.",
    ),
    # ... or marked a no-show (and none has begun): the desk undoes it with the stay's
    # buttons (operators.bookings: until the stay's last night)
    "bk_stay_no_show": (
        "住宿 {product}（{first} 至 {last}）已登记未到店。登记了未到店的预订不能取消，"
        "其房晚仍算售出；如果旅客其实已到店或仍会入住，或是误登记，请先用该住宿的按钮撤销未到店。",
        "The stay {product}, {first} to {last}, is recorded as a no-show. A booking with a "
        "no-show cannot be cancelled, and its nights stay sold; if the guest did arrive or "
        "still will, or it was recorded by mistake, first undo the no-show with the stay's "
        "buttons.",
    ),
    "bk_started_checked_in": ("已入住", "checked in"),
    "bk_started_completed": ("已离店", "checked out"),
    "bk_cannot_cancel": ("这笔预订不能取消。", "This booking cannot be cancelled."),
    "bk_back_to_booking": ("返回预订 {ref}", "Back to booking {ref}"),
    "bk_cancel_title": ("取消预订 {ref}", "Cancel booking {ref}"),
    "bk_cancel_intro": (
        "今天取消的退款如下；确认后立即生效。",
        "Cancelled today, this is the refund; it takes effect at once.",
    ),
    # nothing paid (pay at the property, an unpaid hold): no refund lines, to the operator
    "bk_cancel_nothing_paid": (
        "旅客没有为这笔预订付过款：没有需要退的钱，取消也不向旅客收取任何费用。",
        "The guest has paid nothing for this booking: there is nothing to refund, and "
        "cancelling charges the guest nothing.",
    ),
    "bk_cancel_who": ("谁要求取消？", "Who asks to cancel?"),
    "bk_cancel_by_us": (
        "我方取消（如设施维修、无法接待）：旅客已付款项全额退还",
        "We cancel (repairs, cannot host…): everything the traveller paid is refunded in full",
    ),
    "bk_cancel_by_traveller": (
        "旅客要求取消：按产品的退款规则退款",
        "The traveller asked us to cancel: the product's refund policy applies",
    ),
    "bk_cancel_show": ("按此显示退款", "Show the refund for this"),
    "bk_refund_terms": ("退款条件", "Refund terms"),
    "bk_cancel_reason": ("取消原因（可选）", "Reason (optional)"),
    "bk_cancel_reason_hint": (
        "旅客、预订渠道和省级主管部门都会看到这段话；请勿写入旅客的个人信息"
        "（电话、证件号码和姓名会被替换为 ***）。",
        "The traveller, the channel that booked and the province see these words: "
        "do not put the traveller's personal details in them (phone and ID numbers and "
        "names are replaced by ***).",
    ),
    "bk_cancel_confirm": ("确认取消", "Yes, cancel it"),
    "bk_cancel_keep": ("不取消", "Keep the booking"),
    # the arrivals export (/console/arrivals)
    "arr_title": ("导出到离店名单", "Export arrivals and departures"),
    "arr_link": ("导出到离店名单（CSV / Excel）", "Export arrivals and departures (CSV / Excel)"),
    "arr_today_csv": (
        "下载今天的到离店名单（CSV）",
        "Download today's arrivals and departures (CSV)",
    ),
    "arr_today_xlsx": (
        "下载今天的到离店名单（Excel）",
        "Download today's arrivals and departures (Excel)",
    ),
    "arr_lead": (
        "列出这些日期内入住或离店的每段住宿：预订号、产品、入离日期、晚数、间数、人数、"
        "联系人姓名和电话、同行旅客姓名、预订状态和入住状态。一次最多 {most} 天。",
        "Every stay that checks in or checks out on these days: reference, product, dates, "
        "nights, rooms, guests, the lead traveller's name and phone, the guests' names, the "
        "booking's status and the stay's. At most {most} days at once.",
    ),
    "arr_legend": ("日期和格式", "Days and format"),
    "arr_from": ("从", "From"),
    "arr_to": ("到", "Until"),
    "arr_to_hint": (
        "包含这一天；与开始日期最多相隔 {most} 天（含首尾）。",
        "This day included; at most {most} days with the first.",
    ),
    "arr_format": ("文件格式", "File format"),
    "arr_format_csv": ("CSV（逗号分隔，可用 Excel 打开）", "CSV (comma-separated, opens in Excel)"),
    "arr_format_xlsx": ("Excel（.xlsx）", "Excel (.xlsx)"),
    "arr_download": ("下载", "Download"),
    "arr_private": (
        "文件含旅客的姓名和电话：请只用于接待准备，用完删除，不要转发。",
        "The file holds the guests' names and phone numbers: use it to prepare their "
        "stay, delete it afterwards and do not pass it on.",
    ),
}
