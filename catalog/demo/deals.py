"""Demo transit lines, stub issuers, ticket stubs and discount rules."""

# ruff: noqa: E501  (bilingual data tables read better unwrapped)

from __future__ import annotations

# fmt: off

# --------------------------------------------------------------------------------------
# Transit lines, stub issuers, ticket stubs
# --------------------------------------------------------------------------------------
# (code, name_zh, name_en, short_zh, short_en, fare CNY per rider per ride, stops in order)

TRANSIT_LINES = [
    ("L1", "延吉—安图—二道白河（长白山北景区）旅居专线", "Yanji–Antu–Erdaobaihe (Changbai north) sojourn shuttle",
     "长白山北景区专线", "the Changbai north shuttle (L1)", 56,
     ["yanji", "antu", "changbaishan-north"]),
    ("L2", "长春净月—吉林市—松花湖康养专线", "Changchun Jingyue–Jilin City–Songhua Lake wellness shuttle",
     "松花湖专线", "the Songhua Lake shuttle (L2)", 48,
     ["changchun-jingyuetan", "jilin-riverside-community", "songhuahu"]),
    ("L3", "延吉—龙井—和龙金达莱村民俗巴士", "Yanji–Longjing–Helong Jindalai folk-village bus",
     "民俗村巴士", "the folk-village bus (L3)", 18,
     ["yanbian-eldercare", "yanji", "longjing", "helong-jindalai"]),
    ("L4", "靖宇—抚松—长白山国际度假区—长白县旅居线", "Jingyu–Fusong–Changbai Resort–Changbai County sojourn line",
     "长白山西南线", "the Changbai south-west line (L4)", 78,
     ["jingyu", "fusong", "changbaishan-resort", "changbai-county"]),
    ("L5", "通化—万峰—集安旅居专线", "Tonghua–Wanfeng–Ji'an sojourn shuttle",
     "集安专线", "the Ji'an shuttle (L5)", 35,
     ["tonghua-tcm-eldercare", "tonghua", "tonghua-wanfeng", "jian"]),
    ("L6", "长春—查干湖冬捕专线", "Changchun–Chagan Lake winter-fishing coach",
     "查干湖专线", "the Chagan Lake coach (L6)", 98,
     ["changchun-jingyuetan", "chaganhu"]),
    ("L7", "吉林市—雾凇岛观凇专线", "Jilin City–Rime Island rime-viewing shuttle",
     "雾凇岛专线", "the Rime Island shuttle (L7)", 25,
     ["jilin-riverside-community", "jilin-wusongdao"]),
    ("L8", "G331边境风景道旅居巴士", "G331 border scenic-road sojourn bus",
     "G331风景道巴士", "the G331 scenic-road bus (L8)", 168,
     ["jian", "linjiang", "changbai-county", "helong-jindalai", "longjing", "hunchun"]),
    ("L9", "G334国道旅居康养巴士", "G334 sojourn-wellness coach",
     "G334旅居巴士", "the G334 coach (L9)", 96,
     ["huadian", "dunhua-liudingshan", "antu", "helong-jindalai", "longjing"]),
    ("L10", "净月—莲花山康养环线", "Jingyue–Lianhuashan wellness loop",
     "净月环线", "the Jingyue loop (L10)", 8,
     ["changchun-eldercare", "changchun-jingyue-community", "changchun-jingyuetan", "changchun-lianhuashan"]),
    ("L11", "吉林市—松花湖—北大湖滑雪巴士", "Jilin City–Songhua Lake–Beidahu ski bus",
     "北大湖滑雪巴士", "the Beidahu ski bus (L11)", 30,
     ["jilin-riverside-community", "songhuahu", "beidahu"]),
    ("L12", "吉林市—红叶谷—二合雪乡乡村旅居线", "Jilin City–Red Leaf Valley–Erhe snow village rural line",
     "乡村旅居线", "the rural line (L12)", 45,
     ["jilin-riverside-community", "jiaohe-hongyegu", "shulan-erhe"]),
]

# (code, kind, name_zh, name_en, destination, transit line, stub prefix, number of stubs)
STUB_ISSUERS = [
    ("changbaishan-north-scenic", "scenic_area", "长白山北景区", "Changbai Mountain North Scenic Area", "changbaishan-north", None, "CBS", 4),
    ("changbaishan-resort", "resort", "长白山国际度假区", "Changbai Mountain International Resort", "changbaishan-resort", None, "CBR", 3),
    ("beidahu-resort", "resort", "北大湖滑雪度假区", "Beidahu Ski Resort", "beidahu", None, "BDH", 2),
    ("songhuahu-resort", "resort", "松花湖度假区", "Songhua Lake Resort", "songhuahu", None, "SHH", 2),
    ("wusongdao-scenic", "scenic_area", "雾凇岛景区", "Rime Island Scenic Area", "jilin-wusongdao", None, "WSD", 3),
    ("jingyuetan-scenic", "scenic_area", "净月潭国家森林公园", "Jingyuetan National Forest Park", "changchun-jingyuetan", None, "JYT", 3),
    ("chaganhu-scenic", "scenic_area", "查干湖旅游区", "Chagan Lake Scenic Area", "chaganhu", None, "CGH", 3),
    ("liudingshan-scenic", "scenic_area", "六鼎山文化旅游区", "Liudingshan Culture and Tourism Area", "dunhua-liudingshan", None, "LDS", 2),
    ("jian-goguryeo-scenic", "scenic_area", "集安高句丽文物古迹旅游景区", "Ji'an Goguryeo Heritage Scenic Area", "jian", None, "GGL", 3),
    ("jindalai-village-scenic", "scenic_area", "和龙金达莱民俗村", "Helong Jindalai Folk Village", "helong-jindalai", None, "JDL", 2),
    ("line-l1", "transit_line", None, None, None, "L1", "L1", 4),
    ("line-l3", "transit_line", None, None, None, "L3", "L3", 3),
    ("line-l5", "transit_line", None, None, None, "L5", "L5", 2),
    ("line-l6", "transit_line", None, None, None, "L6", "L6", 2),
    ("line-l8", "transit_line", None, None, None, "L8", "L8", 2),
]

# Stubs with a fixed visit date: the pricing contract's worked example (docs/pricing.md,
# the OpenAPI `worked_example` of POST /v1/quotes) presents CBN-0001, a Changbai north
# scenic-area ticket for two visited on 2027-07-07, two days before its L1 shuttle ride.
FIXED_STUBS = [("CBN-0001", "changbaishan-north-scenic", "2027-07-07", 2)]

# Each issuer's first stub is visited on the load day (usable at once); the others take
# the next offsets and person counts from these fixed sequences.
STUB_OFFSETS = [
    -3,
    7,
    14,
    30,
    -1,
    45,
    3,
    21,
    60,
    10,
    -2,
    35,
    5,
    52,
    18,
    28,
    1,
    40,
    9,
    25,
    56,
    12,
    2,
    33,
    48,
    16,
    -3,
    6,
    38,
    24,
]
STUB_PERSONS = [2, 1, 2, 3, 2, 4, 1, 2, 2, 3]

# --------------------------------------------------------------------------------------
# Discount rules
# --------------------------------------------------------------------------------------


def R(
    key,
    kind,
    name,
    desc,
    *,
    destinations=(),
    themes=(),
    products=(),
    channels=(),
    booking=(None, None),
    check_in=(None, None),
    tiers=(),
    bps=None,
    min_destinations=None,
    min_packs=None,
    issuer=None,
    transit_lines=(),
    pack_kinds=(),
    valid_days=None,
):
    """One discount rule. Every rule has the common fields and the three lists (tiers,
    transit_lines, pack_kinds; [] where they do not apply); the scalar terms (bps,
    min_destinations, min_packs, issuer, valid_days) appear only on the kinds that use them."""
    rule = {
        "key": key,
        "kind": kind,
        "name_zh": name[0],
        "name_en": name[1],
        "description_zh": desc[0],
        "description_en": desc[1],
        "scope": {
            "destinations": list(destinations),
            "themes": list(themes),
            "products": list(products),
        },
        "channels": list(channels),
        "booking_from_offset_days": booking[0],
        "booking_to_offset_days": booking[1],
        "check_in_from_offset_days": check_in[0],
        "check_in_to_offset_days": check_in[1],
        "tiers": [{"threshold": t, "bps": b} for t, b in tiers],
        "transit_lines": list(transit_lines),
        "pack_kinds": list(pack_kinds),
    }
    extra = {
        "bps": bps,
        "min_destinations": min_destinations,
        "min_packs": min_packs,
        "issuer": issuer,
        "valid_days": valid_days,
    }
    rule.update({k: v for k, v in extra.items() if v is not None})
    return rule


ELDERCARE_SLUGS = ["yanbian-eldercare", "tonghua-tcm-eldercare", "changchun-eldercare"]


def base_rules(changbai_corridor: list[str]) -> list[dict]:
    return [
        R(
            "province-long-stay",
            "long_stay",
            ("全省长住折扣", "Province-wide long-stay discount"),
            (
                "连住满10晚享95折，满21晚9折，满28晚85折，全省旅居康养产品通用。",
                "5% off stays of 10 nights or more, 10% off from 21 nights and 15% off from 28 nights, on every sojourn product in the province.",
            ),
            tiers=[(10, 500), (21, 1000), (28, 1500)],
        ),
        R(
            "eldercare-long-stay",
            "long_stay",
            ("旅居养老机构长住优惠", "Elder-care long-stay discount"),
            (
                "在旅居养老机构连住满10晚92折，满30晚85折，满60晚8折。",
                "8% off 10 nights or more at sojourn elder-care institutions, 15% off from 30 nights and 20% off from 60 nights.",
            ),
            destinations=ELDERCARE_SLUGS,
            tiers=[(10, 800), (30, 1500), (60, 2000)],
        ),
        R(
            "summer-migratory-long-stay",
            "long_stay",
            ("候鸟式避暑长住折扣", "Migratory summer long-stay discount"),
            (
                "避暑休闲产品连住满10晚94折，满21晚88折，满45晚82折。",
                "6% off summer-retreat products for 10 nights or more, 12% off from 21 nights and 18% off from 45 nights.",
            ),
            themes=["summer_retreat"],
            tiers=[(10, 600), (21, 1200), (45, 1800)],
        ),
        R(
            "riverside-trial-long-stay",
            "long_stay",
            ("江畔康养小区试运营长住优惠", "Riverside community trial-opening long-stay offer"),
            (
                "试运营期间（上线后60天内预订、120天内入住），连住满7晚92折，满14晚88折。",
                "During trial operation (booked within 60 days of launch, checking in within 120 days): 8% off 7 nights or more, 12% off from 14 nights.",
            ),
            destinations=["jilin-riverside-community"],
            booking=(0, 60),
            check_in=(0, 120),
            tiers=[(7, 800), (14, 1200)],
        ),
        R(
            "province-advance-booking",
            "advance_booking",
            ("预订优惠", "Advance-booking discount"),
            (
                "入住前30天预订享95折，提前60天享92折。",
                "5% off when booking 30 days before check-in, 8% off at 60 days.",
            ),
            tiers=[(30, 500), (60, 800)],
        ),
        R(
            "miniprogram-early-bird",
            "advance_booking",
            ("“一部手机游吉林”小程序早鸟价", "'Jilin in One Phone' mini-program early bird"),
            (
                "通过“一部手机游吉林”小程序提前14天预订享94折，提前45天享9折。",
                "Book through the province's 'Jilin in One Phone' WeChat mini-program 14 days ahead for 6% off, 45 days ahead for 10% off.",
            ),
            channels=["miniprogram"],
            tiers=[(14, 600), (45, 1000)],
        ),
        R(
            "ice-snow-early-bird",
            "advance_booking",
            ("冰雪季早鸟预订", "Ice and snow season early bird"),
            (
                "上线后75天内预订冰雪体验产品，提前21天享92折，提前45天享88折。",
                "Ice-and-snow products booked within 75 days of launch: 8% off 21 days ahead, 12% off 45 days ahead.",
            ),
            themes=["ice_snow"],
            booking=(None, 75),
            tiers=[(21, 800), (45, 1200)],
        ),
        R(
            "trip-bundle-two",
            "trip_bundle",
            ("两地组合优惠", "Two-destination trip bundle"),
            (
                "一次行程在两个及以上目的地住宿，各段住宿享97折。",
                "3% off every stay when one trip stays at two or more destinations.",
            ),
            bps=300,
            min_destinations=2,
        ),
        R(
            "trip-bundle-three",
            "trip_bundle",
            ("三地组合优惠", "Three-destination trip bundle"),
            (
                "一次行程在三个及以上目的地住宿，各段住宿享95折。",
                "5% off every stay when one trip stays at three or more destinations.",
            ),
            bps=500,
            min_destinations=3,
        ),
        R(
            "changbai-route-bundle",
            "trip_bundle",
            ("大长白山避暑线路组合", "Greater Changbai route bundle"),
            (
                "一次行程住宿涉及两个及以上目的地时，其中位于大长白山线路上的住宿享96折。",
                "When a trip stays at two or more destinations, its stays on the Greater Changbai route get 4% off.",
            ),
            destinations=changbai_corridor,
            bps=400,
            min_destinations=2,
        ),
        R(
            "pack-bundle-two",
            "pack_bundle",
            ("增值包组合优惠", "Add-on pack bundle"),
            (
                "同一住宿选两个及以上增值包，增值包合计享9折。",
                "10% off the add-on packs of a stay that takes two or more of them.",
            ),
            bps=1000,
            min_packs=2,
        ),
        R(
            "pack-bundle-three",
            "pack_bundle",
            ("三包组合优惠", "Three-pack bundle"),
            (
                "同一住宿选三个及以上增值包，增值包合计享85折。",
                "15% off the add-on packs of a stay that takes three or more of them.",
            ),
            bps=1500,
            min_packs=3,
        ),
    ]


# 票根联动: (key, issuer, transit lines, pack kinds, bps, valid days)
TICKET_STUB_DEALS = [
    ("stub-changbaishan-north-l1", "changbaishan-north-scenic", ["L1"], [], 5000, 3),
    ("stub-l1-therapy", "line-l1", [], ["therapy"], 1000, 7),
    ("stub-changbaishan-resort-l4", "changbaishan-resort", ["L4"], [], 4000, 3),
    ("stub-beidahu-l11", "beidahu-resort", ["L11"], [], 5000, 2),
    ("stub-songhuahu-l2-l11", "songhuahu-resort", ["L2", "L11"], [], 2000, 3),
    ("stub-wusongdao-l7", "wusongdao-scenic", ["L7"], [], 5000, 2),
    ("stub-jingyuetan-l10", "jingyuetan-scenic", ["L10"], [], 10000, 1),
    ("stub-chaganhu-l6", "chaganhu-scenic", ["L6"], [], 3000, 3),
    ("stub-l6-culture", "line-l6", [], ["culture"], 1500, 5),
    ("stub-liudingshan-l9", "liudingshan-scenic", ["L9"], [], 3000, 5),
    ("stub-goguryeo-l5", "jian-goguryeo-scenic", ["L5"], [], 3000, 3),
    ("stub-l5-therapy", "line-l5", [], ["therapy"], 1200, 10),
    ("stub-jindalai-l3", "jindalai-village-scenic", ["L3"], [], 5000, 1),
    ("stub-l3-culture", "line-l3", [], ["culture"], 1500, 7),
    ("stub-l8-culture-dining", "line-l8", [], ["culture", "dining"], 1000, 14),
]

# fmt: on


# --------------------------------------------------------------------------------------
# Curated routes (精品线路): destinations in order with suggested nights. Consecutive
# destinations share a transit line above, so the planner can follow a route as it is.
# (slug, corridor, name (zh, en), description (zh, en), [(destination, nights)])
# --------------------------------------------------------------------------------------

ROUTES = [
    (
        "changbai-forest-corridor",
        "changbai",
        ("长白山森林疗愈走廊", "Changbai forest-healing corridor"),
        (
            "从长白山北坡的原始林木屋出发，经安图到延吉，一路森林浴、温泉和朝鲜族美食。",
            "From the old-growth forest cabins on Changbai's north slope through Antu to Yanji: forest bathing, hot springs and Korean food on the way.",
        ),
        [("changbaishan-north", 14), ("antu", 7), ("yanji", 7)],
    ),
    (
        "yanbian-korean-culture",
        "changbai",
        ("延边朝鲜族民俗文化线", "Yanbian Korean folk-culture corridor"),
        (
            "延吉、龙井和金达莱民俗村：朝鲜族歌舞、米酒和农家长住。",
            "Yanji, Longjing and the Jindalai folk village: Korean song and dance, rice wine and long farm stays.",
        ),
        [("yanji", 7), ("longjing", 7), ("helong-jindalai", 7)],
    ),
    (
        "changchun-lakes-wetlands",
        "changchun_metro",
        ("长春至查干湖湖泊湿地线", "Changchun to Chagan Lake: lakes and wetlands of the west"),
        (
            "从莲花山和净月潭的森林湖泊，到西部草原上的查干湖。",
            "From the forest lakes of Lianhuashan and Jingyuetan to Chagan Lake on the western grassland.",
        ),
        [("changchun-lianhuashan", 7), ("changchun-jingyuetan", 7), ("chaganhu", 7)],
    ),
    (
        "songhua-river-retreat",
        "songhua_river",
        ("松花江避暑康养线", "Songhua River summer retreat"),
        (
            "吉林市江畔、松花湖和北大湖：夏季避暑，冬季滑雪。",
            "Jilin City's riverside, Songhua Lake and Beidahu: cool summers, skiing in winter.",
        ),
        [("jilin-riverside-community", 7), ("songhuahu", 7), ("beidahu", 7)],
    ),
    (
        "g331-border-scenic-road",
        "g331",
        ("G331边境风景道旅居线", "G331 border scenic road"),
        (
            "沿鸭绿江的集安、临江到长白县，边境风光与高句丽遗迹。",
            "Along the Yalu from Ji'an and Linjiang to Changbai County: border landscapes and Goguryeo sites.",
        ),
        [("jian", 7), ("linjiang", 7), ("changbai-county", 7)],
    ),
    (
        "tonghua-tcm-wellness",
        "changbai",
        ("通化中医药康养线", "Tonghua TCM wellness line"),
        (
            "通化中医药康养院调理两周，再到通化市区和集安。",
            "Two weeks of TCM care at the Tonghua elder-care home, then Tonghua city and Ji'an.",
        ),
        [("tonghua-tcm-eldercare", 14), ("tonghua", 7), ("jian", 7)],
    ),
    (
        "changbai-southwest-loop",
        "changbai",
        ("长白山西南坡旅居线", "Changbai south-west sojourn line"),
        (
            "靖宇、抚松的人参与森林，再到长白山国际度假区。",
            "Jingyu and Fusong's ginseng and forests, then the Changbai Mountain International Resort.",
        ),
        [("jingyu", 7), ("fusong", 7), ("changbaishan-resort", 7)],
    ),
]
