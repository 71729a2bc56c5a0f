"""The closed vocabularies of the domain (docs/domain.md), with zh-CN and English names.

The one home for them: the tables, the API schemas (as enums), the filters and the demo
catalogue all read these. The pricing terms (rule kinds, pack kinds and bases, sales
channels) are defined by the pure engine, which imports nothing of ours, and are
re-exported here so that everything else reads them from one place.
"""

from enum import StrEnum

from pricing.types import Channel, PackBasis, PackKind, RuleKind

__all__ = [
    "PILOT_KIND_NAMES",
    "PACK_KIND_NAMES",
    "PREFECTURE_CODES",
    "PREFECTURE_NAMES",
    "ROOM_FACT_LABELS",
    "ROOM_FACT_NAMES",
    "UNIT_TYPE_NAMES",
    "name_in",
    "THEME_NAMES",
    "Channel",
    "DirectoryStatus",
    "IssuerKind",
    "PackBasis",
    "PackKind",
    "PilotKind",
    "PilotStatus",
    "RuleKind",
    "Theme",
    "UnitType",
    "default_pilot_status",
    "prefecture_named",
    "reads_as_id",
]


class Theme(StrEnum):
    forest_healing = "forest_healing"
    hot_spring = "hot_spring"
    tcm_wellness = "tcm_wellness"
    summer_retreat = "summer_retreat"
    ice_snow = "ice_snow"
    sport_health = "sport_health"
    folk_culture = "folk_culture"


class PilotKind(StrEnum):
    county = "county"
    resort = "resort"
    scenic_cluster = "scenic_cluster"
    village = "village"
    community = "community"
    eldercare = "eldercare"


class UnitType(StrEnum):
    cabin = "cabin"
    hotel_room = "hotel_room"
    homestay = "homestay"
    serviced_apartment = "serviced_apartment"
    villa = "villa"
    eldercare_room = "eldercare_room"


class DirectoryStatus(StrEnum):
    mature = "mature"
    reserve = "reserve"


class PilotStatus(StrEnum):
    """The stage of a pilot unit in the province's plan."""

    reserve = "reserve"  # 储备
    pilot = "pilot"  # 试点
    mature = "mature"  # 成熟


def default_pilot_status(directory_status: str, certifications: list[str]) -> str:
    """The demo's (and migration 0011's) pilot status of a destination that states none:
    a destination of the reserve directory is a reserve; one with two or more
    certifications is mature; any other is a pilot."""
    if directory_status == DirectoryStatus.reserve:
        return PilotStatus.reserve
    return PilotStatus.mature if len(certifications) >= 2 else PilotStatus.pilot


class IssuerKind(StrEnum):
    """Who issues ticket stubs (票根)."""

    scenic_area = "scenic_area"
    resort = "resort"
    transit_line = "transit_line"


THEME_NAMES: dict[str, tuple[str, str]] = {
    "forest_healing": ("森林疗愈", "Forest healing"),
    "hot_spring": ("温泉养生", "Hot-spring wellness"),
    "tcm_wellness": ("中医药康养", "TCM wellness"),
    "summer_retreat": ("避暑休闲", "Summer retreat"),
    "ice_snow": ("冰雪体验", "Ice & snow"),
    "sport_health": ("运动健康", "Sport & health"),
    "folk_culture": ("民俗文化", "Folk culture"),
}

PILOT_KIND_NAMES: dict[str, tuple[str, str]] = {
    "county": ("县市区", "County / city"),
    "resort": ("度假区", "Resort area"),
    "scenic_cluster": ("景区集聚地", "Scenic-area cluster"),
    "village": ("乡村", "Village"),
    "community": ("集聚小区", "Clustered community"),
    "eldercare": ("旅居养老机构", "Sojourn elder-care institution"),
}

PILOT_STATUS_NAMES: dict[str, tuple[str, str]] = {
    "reserve": ("储备", "Reserve"),
    "pilot": ("试点", "Pilot"),
    "mature": ("成熟", "Mature"),
}

# Prefectures of Jilin (and the Changbai Mountain administration), keyed as stored in
# ``destination.prefecture`` (its Chinese name; the filter also takes its code or its
# English name: ``prefecture_named``).
PREFECTURE_NAMES: dict[str, tuple[str, str]] = {
    "长春市": ("长春市", "Changchun"),
    "吉林市": ("吉林市", "Jilin City"),
    "四平市": ("四平市", "Siping"),
    "辽源市": ("辽源市", "Liaoyuan"),
    "通化市": ("通化市", "Tonghua"),
    "白山市": ("白山市", "Baishan"),
    "松原市": ("松原市", "Songyuan"),
    "白城市": ("白城市", "Baicheng"),
    "延边朝鲜族自治州": ("延边朝鲜族自治州", "Yanbian Korean Autonomous Prefecture"),
    "长白山管委会": ("长白山管委会", "Changbai Mountain Administrative Committee"),
}

# Each prefecture's code (ASCII, lower case: for addresses and filters), by its stored name.
PREFECTURE_CODES: dict[str, str] = {
    "长春市": "changchun",
    "吉林市": "jilin_city",
    "四平市": "siping",
    "辽源市": "liaoyuan",
    "通化市": "tonghua",
    "白山市": "baishan",
    "松原市": "songyuan",
    "白城市": "baicheng",
    "延边朝鲜族自治州": "yanbian",
    "长白山管委会": "changbaishan",
}


def _folded(value: str) -> str:
    return " ".join(value.split()).casefold()


# Every way the prefecture filter names a prefecture -> its stored (Chinese) name.
_PREFECTURE_BY_NAME: dict[str, str] = {
    _folded(said): stored
    for stored, (zh, en) in PREFECTURE_NAMES.items()
    for said in (stored, zh, en, PREFECTURE_CODES[stored])
}


def prefecture_named(value: str) -> str | None:
    """The stored name (``destination.prefecture``) of the prefecture ``value`` names:
    its code (``yanbian``), its Chinese name (延边朝鲜族自治州) or its English name
    (``Yanbian Korean Autonomous Prefecture``), in any case and spacing; None when it
    names none of the vocabulary's."""
    return _PREFECTURE_BY_NAME.get(_folded(value))


UNIT_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "cabin": ("木屋", "Cabin"),
    "hotel_room": ("酒店客房", "Hotel room"),
    "homestay": ("民宿", "Homestay"),
    "serviced_apartment": ("酒店式公寓", "Serviced apartment"),
    "villa": ("别墅", "Villa"),
    "eldercare_room": ("养老机构客房", "Elder-care room"),
}

CERTIFICATION_NAMES: dict[str, tuple[str, str]] = {
    "sojourn_eldercare_certified": ("旅居养老机构认证", "Certified sojourn elder-care institution"),
    "jikangju_lodging": ("“吉康居”旅居康养住宿", "Jikangju sojourn-wellness lodging"),
    "forest_healing_base": ("森林康养基地", "Forest-healing base"),
    "national_5a_scenic": ("国家5A级旅游景区", "National 5A scenic area"),
    "tcm_health_tourism_base": ("中医药健康旅游基地", "TCM health-tourism base"),
}

# The published facts of a product's rooms (``catalog.models``, the planner's room needs,
# ``NeedsIn``), as a plan's evidence says them ("lift: yes") and the plan page's boxes
# name them (``ROOM_FACT_LABELS``, the first letter raised: "Lift").
ROOM_FACT_NAMES: dict[str, tuple[str, str]] = {
    "step_free": ("无台阶（无障碍）通行", "step-free access"),
    "lift": ("电梯", "lift"),
    "grab_bars": ("扶手", "grab bars"),
    "twin_beds": ("双床", "twin beds"),
    "accessible_bathroom": ("无障碍卫生间", "wheelchair-accessible bathroom"),
}
# The same as a box's label, a name of its own ("Lift").
ROOM_FACT_LABELS: dict[str, tuple[str, str]] = {
    code: (zh, en[:1].upper() + en[1:]) for code, (zh, en) in ROOM_FACT_NAMES.items()
}

PACK_KIND_NAMES: dict[str, tuple[str, str]] = {
    "therapy": ("康养理疗增值包", "wellness-therapy pack"),
    "dining": ("主题餐饮升级包", "themed-dining upgrade"),
    "culture": ("深度文化体验包", "cultural-experience pack"),
}


def name_in(names: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """The name of ``key`` in ``lang`` (zh-CN or en); the key itself when unknown."""
    zh, en = names.get(key, (key, key))
    return zh if lang == "zh-CN" else en


def reads_as_id(key: str) -> bool:
    """Whether an ``{id_or_slug}`` path (or a filter naming a row) reads ``key`` as a
    row's id: ASCII digits only. A slug is never one, or its row's address would name
    another row (``/v1/products/093`` is product 93)."""
    return key.isascii() and key.isdigit()
