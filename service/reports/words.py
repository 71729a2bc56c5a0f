"""The words the report pages and the readable Excel sheet name the measures by, zh-CN
and English, by the pages' keys (``m_<measure>``, ``rep_dim_<dimension>``, the channels
and the survey's aspects): kept here, below the pages, so that the API's workbook
(``service.reports.workbook``) says a measure as the console's table does. The pages'
text (``service.console.reports_text``, ``service.pages.messages``) takes them from
here."""

from catalog.vocab import PILOT_KIND_NAMES, PREFECTURE_NAMES, THEME_NAMES, name_in

# The booking channels (``pricing.types.Channel``) as the report pages name a row grouped
# by ``channel`` (the CSV and the machine sheet keep the code).
CHANNEL_NAMES: dict[str, tuple[str, str]] = {
    "direct": ("本系统直接预订", "Booked directly"),
    "miniprogram": ("小程序", "Mini-program"),
    "ota": ("在线旅行社（OTA）", "Online travel agency (OTA)"),
}

# Each measure of the report (``service.reports.service.MEASURE_COLUMNS``) by its page
# key; the first fourteen are the table's and the evaluation's, the rest were named only
# by the readable sheet (December 2026), in the words of docs/metrics.md's table.
MEASURE_WORDS: dict[str, tuple[str, str]] = {
    "m_person_trips": ("人次", "Person-trips"),
    "m_person_nights": ("人天", "Person-nights"),
    "m_long_trip_person_trips": ("超10天人次", "Long-stay trips"),
    "m_occupancy_bps": ("出租率", "Occupancy"),
    "m_adr_fen": ("平均房价", "ADR"),
    "m_revpar_fen": ("每可售房间收入", "RevPAR"),
    "m_alos_nights": ("平均停留（晚）", "Avg stay (nights)"),
    "m_cancelled_stays": ("取消", "Cancelled"),
    "m_satisfaction_index": ("满意度指数", "Satisfaction"),
    "m_long_stay_person_trips": ("单段超10天人次", "Long single stays (persons)"),
    "m_revenue_fen": ("收入", "Revenue"),
    "m_no_shows": ("未入住", "No-shows"),
    "m_survey_answers": ("评价份数", "Survey answers"),
    "m_response_bps": ("评价回收率", "Response rate"),
    "m_stays": ("住宿段数", "Stays"),
    "m_long_stays": ("单段超10天住宿段数", "Long single stays (stays)"),
    "m_long_trips": ("超10天行程数", "Long-stay trips (trips)"),
    "m_unit_nights_sold": ("已售间夜", "Room-nights sold"),
    "m_bed_nights_sold": ("已售床夜", "Bed-nights sold"),
    "m_unit_nights_on_sale": ("可售间夜", "Room-nights on sale"),
    "m_bed_nights_on_sale": ("可售床夜", "Bed-nights on sale"),
    "m_units_available": ("平均可售房间数", "Rooms available"),
    "m_beds_available": ("平均可售床位数", "Beds available"),
    "m_bed_occupancy_bps": ("床位出租率", "Bed occupancy"),
    "m_cancelled_person_trips": ("取消人次", "Cancelled person-trips"),
    "m_cancellation_bps": ("取消率", "Cancellation rate"),
}

# The survey's aspects (``service.reports.models.ASPECTS``, and ``overall``) as the
# survey page asks them and the evaluation lists them.
ASPECT_WORDS: dict[str, tuple[str, str]] = {
    "survey_overall": ("总体满意度", "Overall"),
    "survey_accommodation": ("住宿", "Accommodation"),
    "survey_medical_access": ("就医便利", "Medical access"),
    "survey_food": ("餐饮", "Food"),
    "survey_activities": ("活动", "Activities"),
    "survey_value": ("性价比", "Value for money"),
    "survey_elder_friendliness": ("适老化", "Elder-friendliness"),
}

# The table's other words: its dimensions, its total row, a hidden cell, its title.
TABLE_WORDS: dict[str, tuple[str, str]] = {
    "rep_title": ("旅居康养统计与评估", "Sojourn-wellness reports"),
    "rep_dim_month": ("月份", "Month"),
    "rep_dim_pilot_kind": ("试点类型", "Pilot kind"),
    "rep_dim_theme": ("主题", "Theme"),
    "rep_dim_prefecture": ("市州", "Prefecture"),
    "rep_dim_destination": ("目的地", "Destination"),
    "rep_dim_channel": ("渠道", "Channel"),
    "rep_measures": ("主要指标", "Measures"),
    "rep_total": ("合计", "Total"),
    "rep_suppressed": ("隐去", "hidden"),
    "rep_from": ("开始日期", "From"),
    "rep_to": ("结束日期", "To"),
    "rep_by": ("分组", "Group by"),
    "rep_by_none": ("不分组", "none"),
    "eval_as_of": ("数据截至 {day}", "Figures as of {day}"),
    # the readable sheet's title row (December 2026)
    "rep_range": ("{first} 至 {last}", "{first} to {last}"),
    "rep_public": ("对外版：少于5人的格隐去", "Public: cells under 5 people hidden"),
    "rep_full": ("厅内完整版", "In full, department only"),
}

WORDS = {**MEASURE_WORDS, **ASPECT_WORDS, **TABLE_WORDS}


def group_word(
    dimension: str, value: object, lang: str, destinations: dict[str, tuple[str, str]]
) -> object:
    """A report row's group (not a month) by its name in ``lang``: a prefecture, pilot
    kind or theme from the API's vocabularies, a destination by its name
    (``destinations``: slug -> names, ``service.destination_names``), a channel in words;
    anything else as it is. The report pages and the readable sheet both name so."""
    names = {
        "prefecture": PREFECTURE_NAMES,
        "pilot_kind": PILOT_KIND_NAMES,
        "theme": THEME_NAMES,
        "destination": destinations,
        "channel": CHANNEL_NAMES,
    }.get(dimension)
    return name_in(names, value, lang) if names and isinstance(value, str) else value


def word(key: str, lang: str, **values: object) -> str:
    zh, en = WORDS[key]
    return (zh if lang == "zh-CN" else en).format(**values)
