"""The report pages' text, zh-CN and English, by key (merged into ``messages.TEXT``)."""

from service.reports.words import CHANNEL_NAMES, MEASURE_WORDS, TABLE_WORDS

__all__ = ["CHANNEL_NAMES", "REPORTS_TEXT"]

REPORTS_TEXT: dict[str, tuple[str, str]] = {
    # the measures' and the table's words, shared with the readable Excel sheet
    **MEASURE_WORDS,
    **TABLE_WORDS,
    "cnav_reports": ("统计评估", "Reports"),
    "rep_intro": (
        "数字来自本系统的预订（已确认和已完成），不是抽样估算；各项指标的含义见本页的“指标说明”。",
        "Counted from this system's bookings (confirmed and completed), not survey "
        'estimates; what each measure means is under "What the measures mean" on this page.',
    ),
    # what each measure of the table means, in the operator's words (docs/metrics.md)
    "rep_words": ("指标说明", "What the measures mean"),
    "mdef_person_trips": (
        "期间内入住的住宿的旅客人数；一位旅客每段住宿（每个目的地）计一次。",
        "The guests of the stays arriving in the period; a traveller counts once per stay "
        "(once per destination).",
    ),
    "mdef_person_nights": (
        "旅客人数乘以期间内所住的晚数；登记为未入住的不计。",
        "Guests times the nights of their stays within the period; no-shows are not counted.",
    ),
    "mdef_long_trip_person_trips": (
        "整趟行程（前后相接的住宿）合计住满 {n} 晚的旅客人数，按行程第一段的入住日计。",
        "The guests of trips (stays one after the other) of {n} nights or more in all, "
        "counted on the trip's first check-in.",
    ),
    "mdef_occupancy_bps": (
        "已售房晚除以可售房晚；停售的日期不算可售。",
        "Room-nights sold divided by room-nights on sale; stop-sold nights are not on sale.",
    ),
    "mdef_adr_fen": (
        "收入除以已售房晚。收入是每段住宿的净价（住宿和增值包，扣除优惠后），平摊到所住的每一晚。",
        "Revenue divided by room-nights sold. Revenue is each stay's net price (rooms and "
        "add-on packs, after discounts), spread evenly over its nights.",
    ),
    "mdef_revpar_fen": (
        "收入除以可售房晚：每一间可售房每晚平均带来的收入。",
        "Revenue divided by room-nights on sale: what each room on sale brought in a night, "
        "on average.",
    ),
    "mdef_alos_nights": (
        "期间内入住的住宿平均住几晚，按旅客人数加权。",
        "How many nights the stays arriving in the period last on average, weighted by their "
        "guests.",
    ),
    "mdef_cancelled_stays": (
        "原定在期间内入住、预订已取消的住宿段数。",
        "Stays of cancelled bookings that were to arrive in the period.",
    ),
    "mdef_satisfaction_index": (
        "期间内住宿评价的总体评分，换算为 0–100 分（1 分为 0，5 分为 100）后的平均值；"
        "80 分及以上为满意，75–80 分为基本满意。",
        "The average overall score of the period's stay surveys on a 0–100 scale (1 is 0, "
        "5 is 100); 80 and above is satisfied, 75–80 fairly satisfied.",
    ),
    "rep_filters": ("筛选", "Filters"),
    # an export or chart address whose filters the page would refuse (it says them
    # beside the fields: the way on leads there)
    "rep_bad_filters": (
        "筛选条件有误，没有生成文件或图表。",
        "The filters are not right, so no file or chart was made.",
    ),
    "rep_fix_filters": ("返回统计页修改筛选条件", "Back to the reports to correct the filters"),
    "rep_show": ("查看", "Show"),
    "rep_chart": ("人天（按分组）", "Person-nights by group"),
    "rep_chart_alt": (
        "各分组人天柱状图；数字见下表。",
        "Bar chart of person-nights by group; the figures are in the table below.",
    ),
    "rep_export": ("导出", "Export"),
    "rep_export_csv": ("CSV（对外，少于5人的格隐去）", "CSV (public, cells under 5 people hidden)"),
    "rep_export_xlsx": (
        "Excel（对外，少于5人的格隐去）",
        "Excel (public, cells under 5 people hidden)",
    ),
    "rep_export_full": ("Excel（厅内完整版）", "Excel (in full, department only)"),
    "rep_targets": ("规划目标与完成情况", "The plan's targets and the actuals"),
    "rep_kind": ("试点类型", "Pilot kind"),
    "rep_target": ("2028年目标", "2028 target"),
    "rep_reserve": ("储备", "Reserve"),
    "rep_pilot": ("试点", "Pilot"),
    "rep_mature": ("成熟", "Mature"),
    "rep_beds": (
        "在售床位 {beds} 张，目标新增 {target} 张",
        "{beds:bed|beds} on sale; target {target} new beds",
    ),
    "rep_long": (
        "停留超10天人次 {actual}，当年增长路径 {path}（2028年目标 {target}）",
        "Long-stay person-trips {actual}; the year's growth path {path} (2028 target {target})",
    ),
    "rep_pilots": ("试点名录", "Pilot directory"),
    "rep_products": ("产品", "Products"),
    "rep_units": ("房间数", "Rooms"),
    "rep_units_count": ("{units} 间", "{units:room|rooms}"),
    "rep_beds_col": ("床位", "Beds"),
    "rep_status": ("阶段", "Stage"),
    "rep_evaluate": ("年度评估", "Yearly evaluation"),
    "eval_title": ("{name} · {year}年度评估", "{name} · evaluation {year}"),
    "eval_intro": (
        "本页可直接打印；数字来自本系统的预订，与上一年对比。",
        "Printable; figures from this system's bookings, against the year before.",
    ),
    "eval_pdf": ("下载PDF", "Download PDF"),
    "eval_other_year": ("查看其他年度", "Another year"),
    "eval_year": ("年度", "Year"),
    "eval_year_show": ("查看", "Show"),
    "eval_facts": ("基本情况", "Basic facts"),
    "eval_measures": ("指标对比", "Measures against last year"),
    "eval_measure": ("指标", "Measure"),
    "eval_change": ("变化", "Change"),
    "eval_chart_occupancy": ("月度出租率（%）", "Occupancy by month (%)"),
    "eval_chart_person_nights": ("月度人天", "Person-nights by month"),
    "eval_chart_aspects": ("满意度（0–100）", "Satisfaction (0–100)"),
    "eval_chart_alt": (
        "{title}：今年与上年对比的柱状图；数字见上表。",
        "{title}: bars of this year against last; the figures are in the table above.",
    ),
    "eval_satisfaction": ("满意度", "Satisfaction"),
    "eval_band_good": ("满意（80分及以上）", "satisfied (80 and above)"),
    "eval_band_fair": ("基本满意（75–80分）", "fairly satisfied (75–80)"),
    "eval_band_low": ("不满意（75分以下）", "not satisfied (below 75)"),
    "eval_comments": ("旅客留言（已隐去个人信息）", "Travellers' comments (personal data removed)"),
    "eval_no_comments": ("这一年没有留言。", "No comments this year."),
}
