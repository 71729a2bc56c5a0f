"""How the planner's texts say things: the last day to book, a dropped need, a
certification."""

import re
from datetime import date, timedelta

from planner.explain import book_by_words, certification_names, without_need
from planner.model import ROOM_FACTS, Needs


def test_the_last_day_to_book_is_today_on_that_day():
    today = date(2026, 12, 6)
    assert book_by_words(today, today) == ("请今天预订", "Book today")


def test_a_later_last_day_to_book_is_said_as_a_date():
    today = date(2026, 12, 6)
    zh, en = book_by_words(today + timedelta(days=1), today)
    assert zh == "请在2026年12月7日前预订" and en == "Book by 2026-12-07"


def test_a_dropped_need_is_said_in_words_never_by_its_code():
    needs = Needs(
        hospital_within_km=0.5,
        medical_insurance_station=True,
        cross_province_settlement=True,
        elder_friendly_rooms=True,
        certifications=frozenset({"forest_healing_base", "national_5a_scenic"}),
        **dict.fromkeys(ROOM_FACTS, True),
    )
    said = {name: without_need(needs, name) for name in needs.named()}
    assert said["hospital_within_km"] == (
        "不要求离医院0.5公里以内",
        "without a hospital within 0.5 km",
    )
    assert said["certifications"] == (
        "不要求认证（森林康养基地、国家5A级旅游景区）",
        "without the certifications “Forest-healing base”, “National 5A scenic area”",
    )
    assert said["lift"] == ("不要求电梯", "without a lift")
    for name, (zh, en) in said.items():
        assert not re.search(r"[a-z]_[a-z]", zh + en), (name, zh, en)  # no code
    one = Needs(hospital_within_km=15.0, certifications=frozenset({"forest_healing_base"}))
    assert without_need(one, "hospital_within_km")[1] == "without a hospital within 15 km"
    cert = without_need(one, "certifications")[1]
    assert cert == "without the certification “Forest-healing base”"


def test_certifications_are_named_as_the_destination_pages_name_them():
    zh, en = certification_names({"forest_healing_base", "not_in_the_vocabulary"})
    assert zh == ["森林康养基地", "not_in_the_vocabulary"]
    assert en == ["Forest-healing base", "not_in_the_vocabulary"]
