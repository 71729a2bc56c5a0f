"""The words of "My booking" (``/manage``, ``pages.manage``) in zh-CN and English (part
of ``messages.TEXT``): opening a booking by reference and token, its status, price and
payment, why it cannot be cancelled online (a stay begun, ended or marked a no-show), its
calendar file and forgetting it on a device."""

MANAGE_TEXT: dict[str, tuple[str, str]] = {
    "manage_title": ("我的预订", "My booking"),
    "manage_open_intro": (
        "请输入预订号和预订凭证（预订成功时显示；在预订用的手机或电脑上，“我的预订”里也能再看到）。",
        "Enter the booking reference and the token you were shown when you booked (the phone or computer you booked on shows them again on My booking).",
    ),
    "manage_reference": ("预订号", "Booking reference"),
    "manage_reference_hint": ("例如 JL-7K3Q9M", "e.g. JL-7K3Q9M"),
    "manage_token": ("预订凭证", "Booking token"),
    "manage_token_hint": (
        "预订成功时显示的一串字母和数字，例如 7KQ2-M9XD-3FHT-0BWC-RZ5N；大小写、空格和短横线都可以，请妥善保管。",
        "The code shown when you booked, e.g. 7KQ2-M9XD-3FHT-0BWC-RZ5N; small or capital letters, with or without spaces or dashes. Keep it safe.",
    ),
    "manage_open": ("查看预订", "Open my booking"),
    "manage_booking": ("预订 {ref}", "Booking {ref}"),
    "manage_booked": ("预订成功！", "You are booked!"),
    "manage_keep": (
        "请抄下或截图保存下面的预订号和预订凭证：在别的手机或电脑上查看或取消这个预订时要用。在这台设备上，随时可以在本页再看到它们。",
        "Write down or screenshot the reference and the token below: you need both to see or cancel this booking on another phone or computer. On this device, this page shows them again whenever you need them.",
    ),
    "manage_code_summary": (
        "在另一台设备上打开这个预订：查看预订号和预订凭证",
        "Open this booking on another device: show the reference and token",
    ),
    "manage_code_hint": (
        "在别的手机或电脑上打开“我的预订”，填写下面的预订号和预订凭证即可。凭证就像这个预订的钥匙：有了它就能查看和取消预订，请不要发给不认识的人。",
        "On another phone or computer, open My booking and enter the reference and the token below. The token is the key to this booking: anyone who has it can see and cancel it, so do not send it to people you do not know.",
    ),
    "manage_status": ("状态", "Status"),
    "manage_payment": ("付款", "Payment"),
    "manage_hold": ("保留至", "Held until"),
    "manage_lead": ("联系人", "Lead traveller"),
    "manage_guests": ("入住人", "Guests"),
    "manage_itemised": ("费用明细", "What you pay"),
    "manage_price_detail": (
        "查看这笔预订的价格明细（含每项优惠）",
        "See the price of your booking, line by line, with every discount",
    ),
    # a cancelled or expired booking: nothing is to pay (the refund, if any, is below)
    "manage_nothing_to_pay_cancelled": (
        "已付 {paid}；这笔预订已取消，无需再付款，退款情况见下方。",
        "Paid {paid}; this booking was cancelled, so nothing more is to pay; the refund is "
        "shown below.",
    ),
    "manage_nothing_to_pay_cancelled_unpaid": (
        "无需付款：这笔预订已取消，不收取任何费用。",
        "Nothing to pay: this booking was cancelled and nothing is charged.",
    ),
    "manage_nothing_to_pay_expired": (
        "无需付款：这笔预订已过期，未收取任何费用。",
        "Nothing to pay: this booking expired and nothing was charged.",
    ),
    "manage_itemised_ended": ("预订时的费用明细", "The price as booked"),
    "manage_total_booked": ("预订总额", "Booked total"),
    "manage_cancelled": ("已取消", "Cancelled"),
    "manage_cancelled_on": ("取消时间：{when}", "Cancelled on {when}"),
    "manage_calendar": ("加入手机日历", "Add to my phone's calendar"),
    "manage_calendar_remove": ("从手机日历删除", "Remove from my phone's calendar"),
    "manage_cancel": ("取消预订…", "Cancel this booking…"),
    "manage_stay_started": (
        "您在「{product}」的住宿已经开始（前台已办理入住），所以这笔预订不能在网上取消。"
        "如需提前离店、取消或退款，请联系该目的地的前台：「{desk}」的前台。",
        "Your stay at {product} has begun (the front desk has checked you in), so this "
        "booking cannot be cancelled online. To leave early, cancel or ask about a refund, "
        "please contact the destination's front desk: the front desk at {desk}.",
    ),
    # a stay the front desk checked out (the guest may have left early): it has ended
    "manage_stay_ended": (
        "您在「{product}」的住宿已于{day}结束（前台已办理离店）。"
        "如对这次住宿或退款有疑问，请联系该目的地的前台：「{desk}」的前台。",
        "Your stay at {product} ended on {day} (the front desk has checked you out). For "
        "any question about it or a refund, please contact the destination's front desk: "
        "the front desk at {desk}.",
    ),
    # ... and stays of the booking not yet begun, which only the operator cancels now
    "manage_stay_ended_rest": (
        "您在「{product}」的住宿已于{day}结束（前台已办理离店），所以这笔预订不能在网上取消。"
        "如需取消还没开始的住宿或询问退款，请联系该目的地的前台：「{desk}」的前台。",
        "Your stay at {product} ended on {day} (the front desk has checked you out), so this "
        "booking cannot be cancelled online. To cancel the stays not yet begun or ask about "
        "a refund, please contact the destination's front desk: the front desk at {desk}.",
    ),
    # a stay the front desk marked a no-show (no stay of the booking has begun): nobody
    # cancels it while the no-show stands; the desk undoes it before the check-out day.
    # The desk is named by the stay's destination, the place the traveller calls.
    "manage_stay_no_show": (
        "「{desk}」的前台已将您在「{product}」的住宿（入住日期：{day}）登记为未到店：其房晚仍算售出，"
        "未到店登记撤销之前，这笔预订不能取消。如果您已经到店或仍要入住，请联系「{desk}」的前台"
        "撤销未到店登记；前台可在退房日（{out}）之前撤销。",
        "The front desk at {desk} has recorded your stay at {product} (check-in {day}) as a no-show: "
        "its nights stay sold, and this booking cannot be cancelled while the no-show stands. "
        "If you have arrived or still mean to come, ask the front desk at {desk} to undo "
        "it, which it can before the check-out day, {out}.",
    ),
    # ... once that stay's check-out day has come, the no-show stands for good
    "manage_stay_no_show_stands": (
        "「{desk}」的前台已将您在「{product}」的住宿（入住日期：{day}）登记为未到店：其房晚仍算售出，"
        "这笔预订不能取消。退房日（{out}）已到，未到店登记不能再撤销。",
        "The front desk at {desk} has recorded your stay at {product} (check-in {day}) as a no-show: "
        "its nights stay sold, and this booking cannot be cancelled. The check-out day, "
        "{out}, has come: the no-show stands.",
    ),
    "manage_forget": ("在此设备上退出", "Forget it on this device"),
    "manage_survey": ("评价这次住宿", "Rate your stay"),
}
