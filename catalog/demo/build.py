"""Build the demo catalogue, ``catalogue.json``, from ``destinations.csv`` and the tables below.

Run from the repository root::

    .venv/bin/python -m catalog.demo.build           # write catalogue.json, print the counts
    .venv/bin/python -m catalog.demo.build --check   # fail if catalogue.json is out of date

Standard library only. The output is byte-identical across runs: every table is an
ordered list, nothing is random and nothing depends on the clock. Dates that depend on
the day the catalogue is loaded are month-day strings (seasons) or day offsets (stubs,
rule windows). Money is integer fen, percentages are basis points.

The tables are demo data written to read like real operators' offers. The places are
real (coordinates approximate); facilities, certifications, prices and products are
illustrative, not official designations or published tariffs.
"""

# ruff: noqa: E501  (bilingual data tables read better unwrapped)

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "destinations.csv"
OUT_PATH = HERE / "catalogue.json"

FORMAT = 1

# --------------------------------------------------------------------------------------
# Closed vocabularies
# --------------------------------------------------------------------------------------

THEMES = {
    "forest_healing": ("森林疗愈", "Forest healing"),
    "hot_spring": ("温泉养生", "Hot-spring wellness"),
    "tcm_wellness": ("中医药康养", "TCM wellness"),
    "summer_retreat": ("避暑休闲", "Summer retreat"),
    "ice_snow": ("冰雪体验", "Ice & snow"),
    "sport_health": ("运动健康", "Sport & health"),
    "folk_culture": ("民俗文化", "Folk culture"),
}

PILOT_KINDS = {
    "county": ("县市区", "County / city"),
    "resort": ("度假区", "Resort area"),
    "scenic_cluster": ("景区集聚地", "Scenic-area cluster"),
    "village": ("乡村", "Village"),
    "community": ("集聚小区", "Clustered community"),
    "eldercare": ("旅居养老机构", "Sojourn elder-care institution"),
}

CERTIFICATIONS = {
    "sojourn_eldercare_certified": ("旅居养老机构认证", "Certified sojourn elder-care institution"),
    "jikangju_lodging": ("“吉康居”旅居康养住宿", "Jikangju sojourn-wellness lodging"),
    "forest_healing_base": ("森林康养基地", "Forest-healing base"),
    "national_5a_scenic": ("国家5A级旅游景区", "National 5A scenic area"),
    "tcm_health_tourism_base": ("中医药健康旅游基地", "TCM health-tourism base"),
}

UNIT_TYPES = ("cabin", "hotel_room", "homestay", "serviced_apartment", "villa", "eldercare_room")
PACK_KINDS = ("therapy", "dining", "culture")
PACK_KIND_NAMES = {
    "therapy": ("康养理疗增值包", "wellness-therapy pack"),
    "dining": ("主题餐饮升级包", "themed-dining upgrade"),
    "culture": ("深度文化体验包", "cultural-experience pack"),
}
PACK_BASES = ("per_stay", "per_guest", "per_night", "per_guest_night", "per_week")
CHANNELS = ("direct", "miniprogram", "ota")
RULE_KINDS = ("long_stay", "advance_booking", "trip_bundle", "pack_bundle", "ticket_stub")
ISSUER_KINDS = ("scenic_area", "resort", "transit_line")
DIRECTORY_STATUSES = ("mature", "reserve")

# Nightly-rate sanity bands in CNY per unit type: (lowest any night, highest any night),
# and the band the peak (highest) rate of a product must fall in.
RATE_BANDS = {
    "eldercare_room": ((100, 260), (120, 260)),
    "homestay": ((100, 420), (180, 400)),
    "serviced_apartment": ((130, 460), (200, 460)),
    "hotel_room": ((220, 1300), (350, 1200)),
    "villa": ((600, 2600), (900, 2500)),
    "cabin": ((200, 800), (350, 800)),
}

MIN_PRODUCTS = 85
MIN_PRODUCTS_PER_DESTINATION = 2
MIN_TRANSIT_LINES = 6
MIN_TICKET_STUB_RULES = 6
STUB_OFFSET_RANGE = (-3, 60)

# Hand-written data tables: keep their compact layout.
# fmt: off

# --------------------------------------------------------------------------------------
# Destinations: what the CSV does not say
# --------------------------------------------------------------------------------------
# slug: short names (for pack names), description, facilities
# (nearest hospital km, medical-insurance station, cross-province settlement,
# elder-friendly rooms, 5G), certifications, directory status, add-on packs offered
# ("kind-flavour", see PACK_TEMPLATES).

DESTINATIONS = {
    "changbaishan-north": dict(
        short=("长白山北坡", "Changbai north"),
        zh="长白山北坡门户二道白河镇，原始森林、天池与火山温泉近在咫尺，是大长白山避暑旅居康养品牌的核心目的地；镇上有医院和医保服务站。",
        en="Erdaobaihe, the gateway town of Changbai Mountain's north slope, with old-growth forest, Heaven Lake and volcanic hot springs close at hand; the heart of the Greater Changbai summer-sojourn brand, with a town hospital and medical-insurance station.",
        facilities=(3.5, True, True, True, True),
        certs=["national_5a_scenic", "forest_healing_base", "jikangju_lodging"],
        status="mature",
        packs=["therapy-forest", "therapy-hotspring", "dining-forest", "culture-nature"],
    ),
    "changbaishan-resort": dict(
        short=("长白山国际度假区", "Changbai resort"),
        zh="长白山国际度假区位于抚松县松江河镇，有大型滑雪场、高尔夫球场和多家国际品牌酒店，冬季滑雪、夏季避暑徒步，提供多语种接待。",
        en="Changbai Mountain International Resort at Songjianghe, Fusong county: a large ski area, golf and international-brand hotels, skiing in winter and cool summer hiking, with multilingual service.",
        facilities=(7.8, True, True, True, True),
        certs=["jikangju_lodging"],
        status="mature",
        packs=["therapy-sport", "dining-ice", "dining-light"],
    ),
    "beidahu": dict(
        short=("北大湖", "Beidahu"),
        zh="北大湖滑雪度假区位于吉林市永吉县，雪期长、落差大，是国内顶级雪场之一；夏秋季以山地骑行和徒步为主，大病需到吉林市就医。",
        en="Beidahu in Yongji county near Jilin City, one of China's top ski areas with a long season and a big vertical; mountain biking and hiking in summer and autumn. Serious illness means a trip to Jilin City.",
        facilities=(26.0, False, False, False, True),
        certs=[],
        status="mature",
        packs=["therapy-sport", "dining-ice", "dining-light"],
    ),
    "songhuahu": dict(
        short=("松花湖", "Songhua Lake"),
        zh="松花湖度假区紧邻吉林市区，湖光山色，冬季滑雪、夏季环湖骑行和避暑，市区医院约十五分钟车程。",
        en="Songhua Lake Resort beside Jilin City: skiing in winter, lakeside cycling and cool summers, with city hospitals about fifteen minutes away by car.",
        facilities=(14.5, False, True, True, True),
        certs=["jikangju_lodging"],
        status="mature",
        packs=["therapy-sport", "dining-summer", "culture-fishing"],
    ),
    "changchun-lianhuashan": dict(
        short=("莲花山", "Lianhuashan"),
        zh="长春莲花山生态旅游度假区位于长春东郊，有滑雪场、山地步道和生态农庄，适合省会周边的短中期康养旅居。",
        en="Lianhuashan eco-tourism resort on Changchun's eastern edge, with a ski area, mountain trails and eco-farms; handy for short and mid-length wellness stays near the provincial capital.",
        facilities=(11.0, False, True, False, True),
        certs=[],
        status="mature",
        packs=["therapy-sport", "dining-summer"],
    ),
    "tonghua-wanfeng": dict(
        short=("万峰", "Wanfeng"),
        zh="通化万峰滑雪度假区紧邻通化市区，是一座“城市里的雪场”，冬季可夜场滑雪，夏秋季山地运动，市区医疗配套完善。",
        en="Wanfeng ski resort right beside Tonghua: an in-town ski area with night skiing in winter and mountain sports in summer and autumn, and full city medical services close by.",
        facilities=(6.2, False, True, False, True),
        certs=[],
        status="mature",
        packs=["therapy-sport", "dining-ice", "dining-summer"],
    ),
    "jingyu": dict(
        short=("靖宇", "Jingyu"),
        zh="靖宇县森林茂密、矿泉资源丰富，是杨靖宇将军战斗和牺牲的地方；夏季凉爽，适合森林疗愈与避暑长住。",
        en="Jingyu county: dense forest, famed mineral springs and the story of General Yang Jingyu, who fought and fell here; cool summers suited to forest healing and long summer stays.",
        facilities=(2.5, True, True, True, True),
        certs=["forest_healing_base"],
        status="mature",
        packs=["therapy-forest", "dining-forest", "culture-red"],
    ),
    "yanji": dict(
        short=("延吉", "Yanji"),
        zh="延吉是延边朝鲜族自治州首府，朝鲜族美食和民俗浓郁，城市医疗条件好，夏季凉爽，是候鸟式旅居的热门城市。",
        en="Yanji, capital of the Yanbian Korean Autonomous Prefecture: Korean food and folk life, good city hospitals and cool summers, a favourite of migratory sojourners.",
        facilities=(1.8, True, True, True, True),
        certs=["jikangju_lodging"],
        status="mature",
        packs=["dining-korean", "culture-korean"],
    ),
    "longjing": dict(
        short=("龙井", "Longjing"),
        zh="龙井市地处海兰江畔，朝鲜族村落与稻田相间，周边有温泉；2023年延边旅居康养推介会在此举办。",
        en="Longjing on the Hailan River, Korean villages among the rice paddies and hot springs nearby; host of the 2023 Yanbian sojourn-wellness promotion fair.",
        facilities=(2.4, True, True, True, True),
        certs=[],
        status="mature",
        packs=["therapy-hotspring", "dining-korean", "culture-korean"],
    ),
    "hunchun": dict(
        short=("珲春", "Hunchun"),
        zh="珲春地处中俄朝三国交界，防川可“一眼望三国”，海鲜与朝鲜族、俄式风味并存，夏季海风凉爽。",
        en="Hunchun, where China, Russia and North Korea meet: the Fangchuan viewpoint over three countries, seafood with Korean and Russian flavours, and cool sea breezes in summer.",
        facilities=(2.9, True, True, False, True),
        certs=[],
        status="mature",
        packs=["culture-border", "dining-seafood"],
    ),
    "tonghua": dict(
        short=("通化", "Tonghua"),
        zh="通化市是首批国家中医药健康旅游示范区创建单位，医药产业和山葡萄酒闻名，城区医院齐全，适合中医药康养与避暑长住。",
        en="Tonghua, among the first candidates for a national TCM health-tourism demonstration zone, known for medicine and wild-grape wine; full city hospitals, suited to TCM wellness and summer stays.",
        facilities=(2.1, True, True, True, True),
        certs=["tcm_health_tourism_base", "jikangju_lodging"],
        status="mature",
        packs=["therapy-tcm", "dining-tcm", "culture-wine"],
    ),
    "jian": dict(
        short=("集安", "Ji'an"),
        zh="集安素有“塞外江南”之称，高句丽王城、王陵及贵族墓葬是世界文化遗产，鸭绿江畔气候温润，出产集安边条参。",
        en="Ji'an, the 'south beyond the Great Wall': Goguryeo capitals and tombs on the World Heritage list, a mild climate on the Yalu River, and Ji'an ginseng.",
        facilities=(3.0, True, True, True, True),
        certs=["national_5a_scenic", "jikangju_lodging"],
        status="mature",
        packs=["culture-goguryeo", "therapy-tcm", "dining-tcm"],
    ),
    "fusong": dict(
        short=("抚松", "Fusong"),
        zh="抚松县是“中国人参之乡”，万良人参市场和林下参园闻名，森林茂密，适合中医药康养与森林疗愈。",
        en="Fusong, China's 'home of ginseng', with the Wanliang ginseng market and under-forest ginseng gardens; dense woods for TCM wellness and forest healing.",
        facilities=(3.4, True, True, False, True),
        certs=["tcm_health_tourism_base"],
        status="mature",
        packs=["therapy-tcm", "therapy-forest", "dining-tcm", "culture-ginseng"],
    ),
    "linjiang": dict(
        short=("临江", "Linjiang"),
        zh="临江市位于鸭绿江畔，夏季凉爽，周边松岭雪村和原始林区适合慢节奏旅居。",
        en="Linjiang on the Yalu River, cool in summer, with Songling snow village and primeval forest nearby for slow stays.",
        facilities=(2.7, False, True, False, True),
        certs=["forest_healing_base"],
        status="mature",
        packs=["therapy-forest", "dining-forest"],
    ),
    "changbai-county": dict(
        short=("长白县", "Changbai county"),
        zh="长白朝鲜族自治县与朝鲜惠山隔鸭绿江相望，鸭绿江大峡谷和望天鹅风光独特，朝鲜族民俗浓郁，夏季凉爽。",
        en="Changbai Korean Autonomous County faces Hyesan across the Yalu: the Yalu River Grand Canyon and Wangtian'e scenery, Korean folk life and cool summers.",
        facilities=(2.2, False, True, False, True),
        certs=[],
        status="mature",
        packs=["culture-korean", "dining-korean"],
    ),
    "huadian": dict(
        short=("桦甸", "Huadian"),
        zh="桦甸市位于松花江上游，红石湖、白山湖等森林湖泊环绕，生活成本低，适合森林疗愈和避暑。",
        en="Huadian on the upper Songhua River, ringed by forest lakes such as Hongshi and Baishan; a low cost of living, suited to forest healing and summer retreats.",
        facilities=(3.1, True, True, False, True),
        certs=["forest_healing_base"],
        status="mature",
        packs=["therapy-forest", "dining-forest"],
    ),
    "antu": dict(
        short=("安图", "Antu"),
        zh="安图县地处长白山脚下，万宝镇红旗村等朝鲜族村落保存完好，森林资源丰富。",
        en="Antu county at the foot of Changbai Mountain, with well-kept Korean villages such as Hongqi in Wanbao and rich forests.",
        facilities=(4.6, False, True, False, True),
        certs=["forest_healing_base"],
        status="mature",
        packs=["therapy-forest", "culture-korean", "dining-korean"],
    ),
    "meihekou": dict(
        short=("梅河口", "Meihekou"),
        zh="梅河口市是吉林东南部的交通枢纽，医药健康产业集聚，城区医疗资源充足，适合中医药调理型旅居。",
        en="Meihekou, the rail hub of south-east Jilin, with a cluster of medicine and health businesses and ample city medical care; suited to TCM wellness stays.",
        facilities=(1.9, True, True, True, True),
        certs=[],
        status="mature",
        packs=["therapy-tcm", "dining-tcm"],
    ),
    "jilin-wusongdao": dict(
        short=("雾凇岛", "Rime Island"),
        zh="雾凇岛位于吉林市乌拉街满族镇的松花江中，冬季雾凇奇观闻名全国，岛上农家和满族老镇是冰雪旅居的经典去处。",
        en="Wusong Dao lies in the Songhua River at the Manchu town of Wulajie, Jilin City; its winter rime is famous nationwide, and its farmhouses and old Manchu town make a classic ice-and-snow stay.",
        facilities=(16.8, False, False, False, True),
        certs=[],
        status="mature",
        packs=["culture-rime", "culture-manchu", "dining-ice"],
    ),
    "changchun-jingyuetan": dict(
        short=("净月潭", "Jingyuetan"),
        zh="净月潭国家森林公园是国家5A级景区，大片人工林环抱潭水，夏季森林徒步、冬季越野滑雪（瓦萨）都很有名，紧邻长春城区。",
        en="Jingyuetan national forest park (national 5A): a great planted forest around a lake, known for summer forest walks and winter cross-country skiing (the Vasaloppet China), right on Changchun's doorstep.",
        facilities=(5.5, False, True, True, True),
        certs=["national_5a_scenic", "forest_healing_base"],
        status="mature",
        packs=["therapy-forest", "therapy-sport", "dining-light"],
    ),
    "chaganhu": dict(
        short=("查干湖", "Chagan Lake"),
        zh="查干湖位于松原市前郭尔罗斯蒙古族自治县，冬捕习俗是国家级非物质文化遗产，蒙古族风情和全鱼宴独具特色。",
        en="Chagan Lake in the Qian Gorlos Mongol Autonomous County, Songyuan: its winter-fishing custom is national intangible heritage, with Mongolian culture and the whole-fish banquet.",
        facilities=(28.5, False, False, False, True),
        certs=[],
        status="mature",
        packs=["culture-winterfishing", "dining-fish", "dining-mongol"],
    ),
    "dunhua-liudingshan": dict(
        short=("六鼎山", "Liudingshan"),
        zh="六鼎山文化旅游区是国家5A级景区，渤海国古墓群、正觉寺和金鼎大佛坐落在山林之间，适合文化体验与森林康养。",
        en="Liudingshan (national 5A): Bohai kingdom tombs, Zhengjue Temple and the Golden Buddha among wooded hills, for culture and forest wellness.",
        facilities=(6.5, False, True, False, True),
        certs=["national_5a_scenic"],
        status="mature",
        packs=["culture-bohai", "therapy-forest", "dining-forest"],
    ),
    "xianghai": dict(
        short=("向海", "Xianghai"),
        zh="向海国家级自然保护区位于通榆县，是丹顶鹤等珍禽的栖息地，夏季草原湿地风光开阔，周边为蒙古族乡村，旅居配套仍在完善。",
        en="Xianghai national nature reserve in Tongyu county, home to red-crowned cranes, with wide summer grassland and wetland and Mongolian villages around it; sojourn services are still being built.",
        facilities=(34.0, False, False, False, False),
        certs=[],
        status="reserve",
        packs=[],
    ),
    "wangqing": dict(
        short=("汪清", "Wangqing"),
        zh="汪清县位于东北虎豹国家公园腹地，森林覆盖率高，兰家大峡谷等地适合森林徒步和越野骑行。",
        en="Wangqing county inside the Northeast China Tiger and Leopard National Park; deep forest, with Lanjia canyon and other spots for forest hiking and trail riding.",
        facilities=(3.8, False, True, False, True),
        certs=["forest_healing_base"],
        status="reserve",
        packs=[],
    ),
    "helong-jindalai": dict(
        short=("金达莱村", "Jindalai village"),
        zh="金达莱民俗村位于和龙市西城镇，朝鲜族传统民居与稻田保存完好，可体验打糕、米酒和农乐舞，村里有乡村书房和咖啡馆。",
        en="Jindalai folk village at Xicheng, Helong: traditional Korean houses and paddies, rice cakes, rice wine and the farmers' dance, with a village library and café.",
        facilities=(21.0, False, False, False, True),
        certs=[],
        status="mature",
        packs=["culture-korean", "dining-korean"],
    ),
    "jiaohe-hongyegu": dict(
        short=("红叶谷", "Red Leaf Valley"),
        zh="蛟河红叶谷九月中下旬满山红叶，林间徒步和骑行线路成熟，乡村民宿宁静，离县城医院较远。",
        en="Jiaohe Red Leaf Valley turns red in mid to late September; established forest hiking and cycling routes and quiet village homestays, some way from the county hospital.",
        facilities=(27.5, False, False, False, False),
        certs=["forest_healing_base"],
        status="mature",
        packs=["therapy-forest", "dining-forest"],
    ),
    "shulan-erhe": dict(
        short=("二合雪乡", "Erhe snow village"),
        zh="舒兰二合雪乡雪期长、雪量大，东北农家院和雪乡民俗原汁原味，冬季进村交通需提前规划。",
        en="Erhe snow village in Shulan: a long season of deep snow, Northeast farmhouse stays and snow-country customs; plan winter transport into the village ahead.",
        facilities=(38.0, False, False, False, False),
        certs=[],
        status="mature",
        packs=["culture-snowfolk", "dining-ice"],
    ),
    "yehe": dict(
        short=("叶赫", "Yehe"),
        zh="叶赫满族镇是叶赫那拉氏故里，叶赫古城与满族民俗体验相结合，离四平市区约半小时车程。",
        en="Yehe, ancestral home of the Yehe Nara clan: the old Yehe city and Manchu folk customs, about half an hour from Siping.",
        facilities=(19.5, False, False, False, True),
        certs=[],
        status="reserve",
        packs=["culture-manchu", "dining-manchu"],
    ),
    "changchun-jingyue-community": dict(
        short=("净月康养小区", "Jingyue community"),
        zh="（示例）由净月区存量住宅改造的康养集聚小区，配社区食堂、康复理疗室和医保服务站，步行可达净月潭。",
        en="(demo) A wellness community converted from existing housing in Jingyue district, with a community canteen, a rehab therapy room and a medical-insurance station, a walk from Jingyuetan.",
        facilities=(2.4, True, True, True, True),
        certs=["jikangju_lodging", "sojourn_eldercare_certified"],
        status="mature",
        packs=["therapy-tcm", "therapy-sport", "dining-canteen"],
    ),
    "jilin-riverside-community": dict(
        short=("江畔康养小区", "Riverside community"),
        zh="（示例）吉林市松花江畔的旅居康养小区，服务式公寓按中长期居住设计，江边步道和社区食堂齐全，作为储备资源试运营。",
        en="(demo) A riverside wellness community in Jilin City with serviced apartments designed for mid and long stays, riverside walks and a community canteen; a reserve-directory site in trial operation.",
        facilities=(3.2, True, True, True, True),
        certs=["jikangju_lodging"],
        status="reserve",
        packs=["therapy-sport", "dining-canteen"],
    ),
    "yanbian-eldercare": dict(
        short=("延边旅居养老中心", "Yanbian elder-care centre"),
        zh="（示例）延吉市内的旅居养老中心，内设医务室并纳入医保定点，提供适老化房间、朝鲜族风味营养餐和护理服务。",
        en="(demo) A sojourn elder-care centre in Yanji with an in-house clinic under the medical-insurance scheme, elder-friendly rooms, nutritious Korean-style meals and care services.",
        facilities=(1.2, True, True, True, True),
        certs=["sojourn_eldercare_certified"],
        status="mature",
        packs=["therapy-eldercare", "dining-eldercare", "culture-korean"],
    ),
    "tonghua-tcm-eldercare": dict(
        short=("通化中医药康养院", "Tonghua TCM home"),
        zh="（示例）通化中医药康养院，与市中医院合作开展针灸推拿、中药熏蒸和药膳调理，房间均为适老化设计。",
        en="(demo) A TCM elder-care home in Tonghua working with the city TCM hospital on acupuncture, massage, herbal steam and medicinal diet; every room is elder-friendly.",
        facilities=(0.8, True, True, True, True),
        certs=["sojourn_eldercare_certified", "tcm_health_tourism_base"],
        status="mature",
        packs=["therapy-tcm", "therapy-eldercare", "dining-tcm"],
    ),
    "changchun-eldercare": dict(
        short=("净月旅居养老公寓", "Jingyue elder-care apartments"),
        zh="（示例）净月区的旅居养老公寓，临近净月潭森林，内设医务室与康复中心，提供一日三餐和健康档案管理。",
        en="(demo) Sojourn elder-care apartments in Jingyue next to the Jingyuetan forest, with an in-house clinic and rehab centre, three meals a day and health records.",
        facilities=(1.5, True, True, True, True),
        certs=["sojourn_eldercare_certified", "jikangju_lodging"],
        status="mature",
        packs=["therapy-eldercare", "dining-eldercare", "culture-tcm"],
    ),
}

# --------------------------------------------------------------------------------------
# Add-on packs (增值包): templates by "kind-flavour"; names take the destination's short name
# --------------------------------------------------------------------------------------
# (name_zh, name_en, description_zh, description_en, price CNY, basis)

PACK_TEMPLATES = {
    # 康养理疗增值包
    "therapy-forest": ("{zh}森林疗愈课程包", "{en} forest-healing programme",
        "每周三次由森林疗养师带领的森林浴、林间瑜伽和正念呼吸课程，每次出发前测量血压和心率，按周计费。",
        "Three sessions a week of guided forest bathing, forest yoga and mindful breathing with a forest therapist, blood pressure and pulse checked before each walk; charged per week.",
        600, "per_week"),
    "therapy-hotspring": ("{zh}温泉理疗包", "{en} hot-spring therapy",
        "每晚一次温泉理疗：矿物温泉浸浴加30分钟理疗按摩，按入住晚数计费（每房一份）。",
        "One hot-spring treatment each night, a mineral soak plus a 30-minute therapeutic massage; charged per night, one per room.",
        160, "per_night"),
    "therapy-tcm": ("{zh}中医理疗包", "{en} TCM therapy",
        "中医师面诊并建立体质档案，每周三次针灸推拿或中药熏蒸，按周计费。",
        "A TCM doctor's consultation and constitution record, then three sessions a week of acupuncture, tuina massage or herbal steam; charged per week.",
        880, "per_week"),
    "therapy-sport": ("{zh}运动康复包", "{en} sports-recovery pack",
        "入住时体能评估，一次运动康复理疗和个人拉伸计划，按人计费。",
        "A fitness assessment on arrival, one sports-recovery treatment and a personal stretching plan; charged per guest.",
        260, "per_guest"),
    "therapy-eldercare": ("{zh}慢病管理与康复包", "{en} chronic-care and rehab pack",
        "医生每周巡诊，血压血糖监测，每周两次康复理疗，按周计费。",
        "A doctor's round every week, blood-pressure and blood-sugar monitoring and two rehab sessions a week; charged per week.",
        360, "per_week"),
    # 主题餐饮升级包
    "dining-forest": ("{zh}林下食材养生膳食", "{en} forest-larder wellness meals",
        "每日午晚两餐，以林下山野菜、菌菇和山泉水烹制的养生膳食，按人按晚计费。",
        "Lunch and dinner every day, cooked from forest greens, mushrooms and spring water; charged per guest per night.",
        90, "per_guest_night"),
    "dining-ice": ("{zh}驱寒暖身膳食", "{en} winter warming meals",
        "每日晚餐升级为暖身炖菜、铁锅炖或火锅，配姜枣茶，按人按晚计费。",
        "Dinner each day upgraded to warming stews, iron-pot dishes or hotpot with ginger-jujube tea; charged per guest per night.",
        95, "per_guest_night"),
    "dining-light": ("{zh}健康轻食简餐", "{en} light healthy meals",
        "营养师搭配的高蛋白轻食午餐和晚餐，按人按晚计费。",
        "High-protein light lunches and dinners planned by a dietitian; charged per guest per night.",
        60, "per_guest_night"),
    "dining-summer": ("{zh}时令消暑膳食", "{en} seasonal summer meals",
        "时令蔬果、冷面和消暑汤品的午晚两餐，按人按晚计费。",
        "Lunch and dinner of seasonal vegetables, cold noodles and cooling soups; charged per guest per night.",
        70, "per_guest_night"),
    "dining-tcm": ("{zh}道地药材药膳", "{en} medicinal herbal diet",
        "中医师按体质配餐，以人参、五味子、灵芝等道地药材入膳，每日晚餐，按人按晚计费。",
        "Dinner each day prescribed by a TCM doctor to suit each constitution, cooked with local ginseng, schisandra and lingzhi; charged per guest per night.",
        80, "per_guest_night"),
    "dining-korean": ("{zh}朝鲜族风味宴", "{en} Korean banquet",
        "一次朝鲜族风味宴：打糕、冷面、米酒和参鸡汤，按人计费。",
        "One Korean banquet of rice cake, cold noodles, rice wine and ginseng chicken soup; charged per guest.",
        168, "per_guest"),
    "dining-manchu": ("{zh}满族八大碗宴", "{en} Manchu eight-bowl feast",
        "一次满族传统八大碗宴席，配黏豆包和满族小吃，按人计费。",
        "One traditional Manchu eight-bowl feast with sticky bean buns and Manchu snacks; charged per guest.",
        158, "per_guest"),
    "dining-fish": ("{zh}全鱼宴", "{en} whole-fish banquet",
        "一桌以查干湖胖头鱼为主的全鱼宴，适合一家人或同行小团，每次入住一份。",
        "One table of the whole-fish banquet built around Chagan Lake bighead carp, for a family or small party; one per stay.",
        688, "per_stay"),
    "dining-mongol": ("{zh}蒙古族手把肉宴", "{en} Mongolian mutton feast",
        "一次蒙古族手把肉宴，配奶茶和奶食，按人计费。",
        "One Mongolian feast of hand-held mutton with milk tea and dairy snacks; charged per guest.",
        188, "per_guest"),
    "dining-seafood": ("{zh}海鲜与俄式风味餐", "{en} seafood and Russian-style dinner",
        "一次珲春海鲜晚餐配俄式面包和红菜汤，按人计费。",
        "One Hunchun seafood dinner with Russian bread and borscht; charged per guest.",
        198, "per_guest"),
    "dining-eldercare": ("{zh}营养配餐升级", "{en} nutrition meal upgrade",
        "营养师按慢病需求配餐，低盐低糖，可选软食，一日三餐升级，按人按晚计费。",
        "Three meals a day planned by a dietitian for chronic conditions, low in salt and sugar, soft food on request; charged per guest per night.",
        45, "per_guest_night"),
    "dining-canteen": ("{zh}社区食堂周卡", "{en} community canteen weekly pass",
        "社区食堂一日三餐周卡，每房两人使用，按周计费。",
        "A weekly pass for three meals a day at the community canteen, for two people per unit; charged per week.",
        260, "per_week"),
    # 深度文化体验包
    "culture-nature": ("{zh}自然人文研学", "{en} nature and heritage day",
        "一天深度研学：天池火山地质、长白山人参文化和林海故事，专业向导讲解，按人计费。",
        "A full day on Heaven Lake's volcanic geology, Changbai ginseng lore and the forest's history, with a specialist guide; charged per guest.",
        320, "per_guest"),
    "culture-korean": ("{zh}朝鲜族民俗体验", "{en} Korean folk-culture experience",
        "农乐舞、长鼓和打糕制作体验，穿朝鲜族服饰拍照留念，按人计费。",
        "The farmers' dance, the janggu drum and rice-cake pounding, with photos in Korean dress; charged per guest.",
        280, "per_guest"),
    "culture-manchu": ("{zh}满族民俗体验", "{en} Manchu folk experience",
        "满族剪纸、八旗服饰体验和古镇讲解，按人计费。",
        "Manchu paper-cutting, banner costumes and a guided walk through the old town; charged per guest.",
        220, "per_guest"),
    "culture-winterfishing": ("{zh}冬捕文化体验", "{en} winter-fishing culture",
        "观看祭湖醒网仪式和冰上拉网冬捕，欣赏蒙古族马队表演，按人计费。",
        "Watch the lake-worship and net-waking rites and the haul of the nets through the ice, with a Mongolian horse troupe; charged per guest.",
        320, "per_guest"),
    "culture-goguryeo": ("{zh}高句丽遗产深度游", "{en} Goguryeo heritage tour",
        "丸都山城、好太王碑和将军坟的专业讲解一日游，按人计费。",
        "A guided day at Wandu mountain city, the Gwanggaeto stele and the General's Tomb; charged per guest.",
        260, "per_guest"),
    "culture-bohai": ("{zh}渤海国文化研学", "{en} Bohai kingdom study day",
        "六鼎山渤海古墓群和正觉寺讲解，附抄经体验，按人计费。",
        "A guided visit to the Bohai tombs and Zhengjue Temple at Liudingshan, with sutra copying; charged per guest.",
        200, "per_guest"),
    "culture-rime": ("{zh}雾凇摄影清晨团", "{en} dawn rime photo walk",
        "摄影向导带领清晨观凇拍摄，附热饮和后期指导，每次入住一份。",
        "A dawn rime-viewing and photography walk with a photographer guide, hot drinks and an editing session; one per stay.",
        599, "per_stay"),
    "culture-border": ("{zh}防川边境风光游", "{en} Fangchuan border day",
        "防川“一眼望三国”、图们江和龙虎阁一日游，按人计费。",
        "A day at Fangchuan, where three countries meet, along the Tumen River and up the Longhu Pavilion; charged per guest.",
        240, "per_guest"),
    "culture-red": ("{zh}红色研学", "{en} red-heritage study day",
        "杨靖宇将军殉国地和陵园讲解，按人计费。",
        "A guided visit to the place where General Yang Jingyu fell and to his memorial; charged per guest.",
        120, "per_guest"),
    "culture-wine": ("{zh}山葡萄酒庄品鉴", "{en} wild-grape winery visit",
        "山葡萄园和酒窖参观，三款冰葡萄酒品鉴，按人计费。",
        "A visit to the wild-grape vineyards and cellars with a tasting of three ice wines; charged per guest.",
        198, "per_guest"),
    "culture-ginseng": ("{zh}人参文化体验", "{en} ginseng culture",
        "随参农进林“放山”采参，参观万良人参市场，按人计费。",
        "Go 'up the mountain' with ginseng farmers and visit the Wanliang ginseng market; charged per guest.",
        260, "per_guest"),
    "culture-fishing": ("{zh}渔家文化体验", "{en} fishing-village culture",
        "夏季随渔家出湖、冬季冰钓，附一次湖鲜家宴，按人计费。",
        "Out on the lake with fishing families in summer or ice fishing in winter, with a lake-fish supper; charged per guest.",
        180, "per_guest"),
    "culture-snowfolk": ("{zh}雪乡民俗体验", "{en} snow-village folk experience",
        "东北大秧歌、冰灯制作和雪地马爬犁，按人计费。",
        "Yangge dancing, ice-lantern making and a horse-drawn sleigh ride; charged per guest.",
        180, "per_guest"),
    "culture-tcm": ("{zh}中医药文化与八段锦", "{en} TCM culture and baduanjin",
        "每周两次八段锦晨练和中医药文化讲座，每次入住一份。",
        "Baduanjin morning exercise twice a week and talks on TCM culture; one per stay.",
        300, "per_stay"),
}

# A few destinations price a pack differently from the template (CNY).
PACK_PRICE_OVERRIDES = {
    ("changbaishan-resort", "therapy-sport"): 320,
    ("meihekou", "therapy-tcm"): 720,
    ("yanbian-eldercare", "therapy-eldercare"): 320,
    ("jian", "therapy-tcm"): 780,
}

# --------------------------------------------------------------------------------------
# Seasons, durations, refund policies
# --------------------------------------------------------------------------------------
# Season windows are [start, end) by month-day and repeat every year; a window may wrap
# the year end. Rate = base rate x percent, rounded half up to 10 CNY.

SEASONS = {
    "summer": [
        ("初夏", "Early summer", "06-01", "07-01", 115),
        ("盛夏避暑季", "Peak summer", "07-01", "09-01", 140),
        ("冬季淡季", "Winter low season", "11-01", "04-01", 80),
    ],
    "summer_plain": [
        ("盛夏避暑季", "Peak summer", "07-01", "09-01", 130),
    ],
    "resort_summer": [
        ("盛夏避暑季", "Peak summer", "07-01", "09-01", 140),
        ("雪季", "Snow season", "12-01", "03-01", 120),
        ("春季淡季", "Spring low season", "04-01", "06-01", 80),
    ],
    "forest": [
        ("森林康养季", "Forest season", "06-01", "09-01", 125),
        ("秋色季", "Autumn colours", "09-01", "10-16", 115),
        ("冬季淡季", "Winter low season", "11-01", "04-01", 80),
    ],
    "red_leaf": [
        ("夏季", "Summer", "06-15", "09-10", 115),
        ("红叶季", "Red-leaf season", "09-10", "10-11", 150),
        ("冬季淡季", "Winter low season", "11-01", "04-01", 75),
    ],
    "hotspring": [
        ("冬季温泉季", "Winter hot-spring season", "11-15", "03-16", 130),
        ("夏季避暑", "Summer", "07-01", "09-01", 120),
        ("春季淡季", "Spring low season", "04-01", "06-01", 85),
    ],
    "ice": [
        ("初雪季", "Early snow", "11-15", "12-01", 110),
        ("冰雪季", "Ice & snow season", "12-01", "03-01", 150),
        ("春季淡季", "Spring low season", "04-01", "06-01", 70),
    ],
    "ice_village": [
        ("冰雪季", "Ice & snow season", "12-01", "03-01", 160),
        ("非雪季", "Off season", "04-01", "11-01", 75),
    ],
    "rime": [
        ("雾凇季", "Rime season", "12-01", "03-01", 170),
        ("淡季", "Off season", "04-01", "11-15", 70),
    ],
    "fishing": [
        ("冬捕季", "Winter-fishing season", "12-15", "02-15", 160),
        ("夏季湖畔", "Lakeside summer", "06-15", "09-01", 115),
        ("春秋淡季", "Spring low season", "03-15", "05-15", 80),
    ],
    "tcm": [
        ("三伏养生季", "Dog-days wellness season", "07-10", "08-20", 115),
        ("冬令进补季", "Winter tonic season", "12-01", "02-01", 110),
    ],
    "sport": [
        ("骑行徒步季", "Riding and hiking season", "05-01", "10-16", 120),
        ("冬季淡季", "Winter low season", "11-15", "03-15", 85),
    ],
    "vasa": [
        ("越野滑雪季", "Cross-country ski season", "12-15", "03-01", 130),
        ("骑行季", "Cycling season", "05-01", "10-16", 115),
    ],
    "folk_yanbian": [
        ("金达莱花季", "Azalea season", "04-20", "05-20", 110),
        ("盛夏", "Peak summer", "07-01", "09-01", 135),
        ("州庆民俗节", "Prefecture-day folk festival", "09-01", "09-10", 125),
        ("冬季淡季", "Winter low season", "11-15", "03-15", 80),
    ],
    "folk_plain": [
        ("夏秋旺季", "Summer-autumn high season", "07-01", "10-08", 125),
        ("冬季淡季", "Winter low season", "11-15", "03-15", 80),
    ],
    "eldercare_summer": [
        ("避暑旺季", "Summer high season", "06-15", "09-15", 125),
        ("冬季优惠季", "Winter value season", "11-15", "03-15", 85),
    ],
    "eldercare_flat": [
        ("避暑旺季", "Summer high season", "07-01", "09-01", 115),
    ],
}

# Named duration modules; "A_B" keys (e.g. "3_30") are plain min/max ranges.
DURATIONS = {
    "m7": [7, 14, 21, 28],
    "m7_21": [7, 14, 21],
    "m14_28": [14, 28],
    "weeks": [7, 14],
    "month": [30, 60, 90],
    "migr": (10, 90),  # 候鸟式 migratory stay, the > 10-night unit the province counts
    "long": (10, 180),
    "short": (2, 30),
    "ski": (3, 21),
}

REFUNDS = {
    "std": [(30, 10000), (14, 8000), (7, 5000), (0, 0)],
    "flex": [(7, 10000), (3, 8000), (1, 5000), (0, 0)],
    "peak": [(45, 10000), (21, 7000), (7, 3000), (0, 0)],
    "homestay": [(7, 10000), (3, 5000), (0, 0)],
    "elder": [(7, 10000), (1, 9000), (0, 5000)],
}

# --------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------

PRODUCTS: list[dict] = []


def P(
    dest,
    suffix,
    theme,
    unit,
    name,
    desc,
    *,
    rate,
    seasons,
    dur,
    occ,
    extra,
    units,
    refund="std",
    disc=3000,
    packs=None,
):
    """One stay product. name/desc are (zh, en); rate/extra in CNY; seasons is a key of
    SEASONS or an explicit list of (name_zh, name_en, start, end, nightly CNY); packs are
    "kind-flavour" of the destination (None: all of them)."""
    PRODUCTS.append(
        dict(
            dest=dest,
            suffix=suffix,
            theme=theme,
            unit=unit,
            name=name,
            desc=desc,
            rate=rate,
            seasons=seasons,
            dur=dur,
            occ=occ,
            extra=extra,
            units=units,
            refund=refund,
            disc=disc,
            packs=packs,
        )
    )


# 长白山北景区·二道白河 — the forest cabin is the worked example of PRICING.md.
P("changbaishan-north", "forest-cabin", "forest_healing", "cabin",
  ("长白山北坡森林疗愈木屋·周模块康养", "Changbai north forest-healing cabin, weekly wellness modules"),
  ("原始林边的独栋木屋，按7/14/21/28晚模块入住，含早餐，每日有向导带领森林浴和林间瑜伽。",
   "Log cabins at the edge of the old-growth forest, booked in 7/14/21/28-night modules, breakfast included, with guided forest bathing and forest yoga every day."),
  rate=380, dur="m7", occ=(2, 3), extra=80, units=12,
  seasons=[("盛夏避暑季", "Peak summer", "07-01", "09-01", 480),
           ("冬季淡季", "Winter low season", "11-01", "04-01", 300)],
  packs=["therapy-forest", "dining-forest", "culture-nature"])
P("changbaishan-north", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("二道白河避暑公寓·候鸟长住", "Erdaobaihe summer apartment, migratory long stay"),
  ("带厨房的一居室服务式公寓，10至90晚随住随定，步行可到镇上生鲜市场，每周保洁两次。",
   "One-bedroom serviced apartments with a kitchen for any stay of 10 to 90 nights, a walk from the town's fresh market, cleaned twice a week."),
  rate=260, seasons="summer", dur="migr", occ=(2, 3), extra=60, units=20, refund="flex", disc=3500,
  packs=["therapy-forest", "dining-forest", "culture-nature"])
P("changbaishan-north", "hot-spring-room", "hot_spring", "hotel_room",
  ("长白山温泉康养酒店·温泉主题房", "Changbai hot-spring wellness hotel, spa-theme room"),
  ("火山矿物温泉酒店的主题客房，含早餐和温补晚餐，住店期间室内外温泉不限次数。",
   "Theme rooms in a volcanic mineral-spring hotel with breakfast and a warming dinner, and unlimited use of the indoor and outdoor pools."),
  rate=680, seasons="hotspring", dur="short", occ=(2, 3), extra=150, units=30,
  packs=["therapy-hotspring", "culture-nature"])
P("changbaishan-north", "snow-view-room", "ice_snow", "hotel_room",
  ("长白山北坡冰雪季·雪景客房", "Changbai north winter season, snow-view room"),
  ("含早餐和往返北景区的接驳车，可看天池雪景和林海雾凇，适合一到三周的冰雪旅居。",
   "Breakfast and a shuttle to the north scenic area for Heaven Lake under snow and rime-covered forest; for winter stays of one to three weeks."),
  rate=520, seasons="ice", dur="ski", occ=(2, 3), extra=120, units=24, refund="peak",
  packs=["therapy-hotspring", "culture-nature"])

# 长白山国际度假区
P("changbaishan-resort", "ski-villa", "ice_snow", "villa",
  ("长白山国际度假区雪场森林别墅·滑雪周", "Changbai resort forest villa by the pistes, ski weeks"),
  ("三居室森林别墅，步行可到雪道，按7或14晚整周入住，含早餐和管家服务。",
   "Three-bedroom forest villas a short walk from the pistes, let by the week (7 or 14 nights) with breakfast and a housekeeper."),
  rate=1500, seasons="ice", dur="weeks", occ=(4, 6), extra=200, units=6, refund="peak", disc=2500,
  packs=["therapy-sport", "dining-ice"])
P("changbaishan-resort", "ski-hotel-room", "ice_snow", "hotel_room",
  ("长白山国际度假区滑雪酒店·雪季客房", "Changbai resort ski hotel, snow-season room"),
  ("国际品牌滑雪酒店客房，含双早、雪具寄存和度假区穿梭巴士，适合3至21晚的雪季长住。",
   "Rooms in an international-brand ski hotel with breakfast for two, ski storage and the resort shuttle; for winter stays of 3 to 21 nights."),
  rate=720, seasons="ice", dur="ski", occ=(2, 3), extra=150, units=40, refund="peak",
  packs=["therapy-sport", "dining-ice"])
P("changbaishan-resort", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("长白山国际度假区避暑公寓·整月租", "Changbai resort summer apartment, by the month"),
  ("度假区内带厨房和洗衣机的服务式公寓，按30/60/90晚整月入住，夏季凉爽，门口就是森林步道。",
   "Serviced apartments with kitchen and washer inside the resort, let for 30, 60 or 90 nights; cool summers with forest trails at the door."),
  rate=300, seasons="resort_summer", dur="month", occ=(2, 4), extra=50, units=16, disc=3500,
  packs=["dining-light"])
P("changbaishan-resort", "hiking-room", "sport_health", "hotel_room",
  ("长白山国际度假区山地运动客房·徒步骑行周", "Changbai resort mountain-sport room, hiking and cycling weeks"),
  ("含早餐、入住体能评估和每周三次向导带领的森林徒步或山地骑行，适合爱运动的旅居客。",
   "Breakfast, a fitness check on arrival and three guided forest hikes or mountain-bike rides a week, for active sojourners."),
  rate=560, seasons="sport", dur="weeks", occ=(2, 3), extra=120, units=20,
  packs=["therapy-sport", "dining-light"])
P("changbaishan-resort", "hot-spring-villa", "hot_spring", "villa",
  ("长白山国际度假区温泉别墅·冬季温泉周", "Changbai resort hot-spring villa, winter spa weeks"),
  ("带私汤的两居室别墅，按7或14晚入住，含早餐和温补晚餐，雪后泡温泉，适合两代同行。",
   "Two-bedroom villas with a private hot-spring bath, let for 7 or 14 nights with breakfast and a warming dinner; a soak after the snow, for two generations travelling together."),
  rate=1300, seasons="hotspring", dur="weeks", occ=(4, 5), extra=200, units=4, refund="peak", disc=2500,
  packs=["therapy-sport", "dining-ice"])

# 北大湖滑雪度假区
P("beidahu", "ski-apartment", "ice_snow", "serviced_apartment",
  ("北大湖雪道边公寓·滑雪周", "Beidahu slope-side apartment, ski weeks"),
  ("雪道边带厨房的一居室公寓，按7/14/21晚入住，适合整季滑雪的长住客，雪场设医务室。",
   "One-bedroom apartments with kitchen beside the pistes, let for 7, 14 or 21 nights for season-long skiers; the ski area has a first-aid clinic."),
  rate=300, seasons="ice", dur="m7_21", occ=(2, 4), extra=60, units=20, refund="peak",
  packs=["therapy-sport", "dining-ice"])
P("beidahu", "ski-hotel-room", "ice_snow", "hotel_room",
  ("北大湖滑雪酒店·雪季客房", "Beidahu ski hotel, snow-season room"),
  ("滑进滑出的雪场酒店客房，含早餐和雪具寄存，雪季房源紧张，建议提前预订。",
   "Ski-in, ski-out hotel rooms with breakfast and ski storage; rooms go fast in the snow season, so book early."),
  rate=650, seasons="ice", dur="ski", occ=(2, 3), extra=150, units=36, refund="peak", disc=2500,
  packs=["therapy-sport", "dining-ice"])
P("beidahu", "mountain-sport-room", "sport_health", "hotel_room",
  ("北大湖夏秋山地运动客房", "Beidahu summer mountain-sport room"),
  ("夏秋季雪场变身山地自行车和徒步基地，含早餐，可加购健康轻食，5至14晚自由组合。",
   "In summer and autumn the ski area becomes a mountain-bike and hiking base; breakfast included, light meals to add, any stay of 5 to 14 nights."),
  rate=420, seasons="sport", dur="5_14", occ=(2, 3), extra=100, units=24,
  packs=["therapy-sport", "dining-light"])

# 松花湖度假区
P("songhuahu", "lake-view-room", "summer_retreat", "hotel_room",
  ("松花湖湖景避暑客房·候鸟长住", "Songhua Lake lake-view room, migratory summer stay"),
  ("湖景客房含早餐，10至90晚长住，每日湖畔晨练和傍晚环湖散步，吉林市区约十五分钟车程。",
   "Lake-view rooms with breakfast for stays of 10 to 90 nights, morning exercise by the water and evening lakeside walks, about fifteen minutes from Jilin City."),
  rate=420, seasons="summer", dur="migr", occ=(2, 3), extra=100, units=30,
  packs=["dining-summer", "culture-fishing"])
P("songhuahu", "ski-room", "ice_snow", "hotel_room",
  ("松花湖滑雪度假酒店·雪季客房", "Songhua Lake ski hotel, snow-season room"),
  ("雪场山脚的酒店客房，含早餐，夜场滑雪可俯瞰吉林市灯火，适合3至21晚的冰雪假期。",
   "Rooms at the foot of the pistes with breakfast; night skiing looks down on the lights of Jilin City. For winter holidays of 3 to 21 nights."),
  rate=620, seasons="ice", dur="ski", occ=(2, 3), extra=150, units=30, refund="peak",
  packs=["therapy-sport", "culture-fishing"])
P("songhuahu", "cycling-apartment", "sport_health", "serviced_apartment",
  ("松花湖环湖骑行公寓·周模块", "Songhua Lake cycling apartment, weekly modules"),
  ("带厨房的公寓按7/14/21/28晚入住，免费提供自行车和头盔，环湖绿道就在楼下。",
   "Apartments with kitchen let in 7/14/21/28-night modules, bikes and helmets provided, with the lakeside greenway on the doorstep."),
  rate=260, seasons="sport", dur="m7", occ=(2, 3), extra=50, units=12, refund="flex",
  packs=["therapy-sport", "dining-summer"])
P("songhuahu", "lakeside-villa", "summer_retreat", "villa",
  ("松花湖湖畔别墅·两周起避暑", "Songhua Lake lakeside villa, summer stays from two weeks"),
  ("带花园的四居室湖畔别墅，按14或28晚入住，适合三代同堂避暑，可加购时令消暑膳食。",
   "Four-bedroom lakeside villas with a garden, let for 14 or 28 nights, made for three generations escaping the heat; seasonal summer meals can be added."),
  rate=1100, seasons="summer", dur="m14_28", occ=(4, 6), extra=150, units=4, refund="peak", disc=2500,
  packs=["dining-summer", "culture-fishing"])

# 长春莲花山生态旅游度假区
P("changchun-lianhuashan", "farm-homestay", "summer_retreat", "homestay",
  ("莲花山生态农庄民宿·避暑慢生活", "Lianhuashan eco-farm homestay, slow summer"),
  ("农庄小院民宿，7至60晚，早晚两餐用自家菜园的时令蔬菜，离长春市区半小时车程。",
   "Farmyard homestay rooms for 7 to 60 nights; breakfast and dinner from the farm's own vegetable garden, half an hour from central Changchun."),
  rate=220, seasons="summer", dur="7_60", occ=(2, 3), extra=50, units=8, refund="homestay",
  packs=["dining-summer"])
P("changchun-lianhuashan", "ski-room", "ice_snow", "hotel_room",
  ("莲花山滑雪度假客房", "Lianhuashan ski holiday room"),
  ("省城边的雪场酒店客房，含早餐并代订雪票，2至14晚，适合初学者和周末滑雪客。",
   "Ski-hotel rooms on the edge of the provincial capital, with breakfast and lift passes booked for you, 2 to 14 nights; good for beginners and weekend skiers."),
  rate=480, seasons="ice", dur="2_14", occ=(2, 3), extra=100, units=24, refund="peak",
  packs=["therapy-sport"])
P("changchun-lianhuashan", "trail-room", "sport_health", "hotel_room",
  ("莲花山山地步道健身客房·周模块", "Lianhuashan trail-fitness room, weekly modules"),
  ("按7或14晚入住，含早餐、体能评估和每日健步走，山地步道和健身房就在酒店旁。",
   "Let for 7 or 14 nights with breakfast, a fitness assessment and a daily guided walk; mountain trails and a gym beside the hotel."),
  rate=380, seasons="sport", dur="weeks", occ=(2, 3), extra=80, units=16,
  packs=["therapy-sport", "dining-summer"])

# 通化万峰滑雪度假区
P("tonghua-wanfeng", "ski-room", "ice_snow", "hotel_room",
  ("万峰滑雪度假酒店·雪季客房", "Wanfeng ski hotel, snow-season room"),
  ("城边的滑雪酒店，含早餐，开放夜场滑雪，下山十分钟就是通化市区。",
   "A ski hotel on the edge of town with breakfast and night skiing, ten minutes down the hill from central Tonghua."),
  rate=450, seasons="ice", dur="ski", occ=(2, 3), extra=100, units=30, refund="peak",
  packs=["therapy-sport", "dining-ice"])
P("tonghua-wanfeng", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("万峰山地避暑公寓·候鸟长住", "Wanfeng mountain summer apartment, migratory long stay"),
  ("山腰带厨房的公寓，10至90晚，夏季凉爽不闷热，下山即是通化市区的菜市场。",
   "Hillside apartments with kitchen for 10 to 90 nights; cool, fresh summers, with Tonghua's markets just down the hill."),
  rate=220, seasons="resort_summer", dur="migr", occ=(2, 3), extra=50, units=16, refund="flex", disc=3500,
  packs=["dining-summer"])
P("tonghua-wanfeng", "mtb-room", "sport_health", "hotel_room",
  ("万峰山地骑行客房·周模块", "Wanfeng mountain-bike room, weekly modules"),
  ("夏秋季雪道变身山地车道，按7或14晚入住，含早餐和山地车租用。",
   "In summer and autumn the pistes become bike trails; 7 or 14 nights with breakfast and bike hire."),
  rate=380, seasons="sport", dur="weeks", occ=(2, 3), extra=80, units=18,
  packs=["therapy-sport", "dining-summer"])

# 靖宇县
P("jingyu", "forest-cabin", "forest_healing", "cabin",
  ("靖宇林海疗愈木屋·两周康养", "Jingyu forest-healing cabin, two-week stays"),
  ("国有林场闲置场房改造的木屋，按14或28晚入住，每日向导带领森林徒步，可加购林下食材膳食。",
   "Cabins converted from disused state forest-farm buildings, let for 14 or 28 nights, with a guided forest walk each day; forest-larder meals can be added."),
  rate=320, seasons="forest", dur="m14_28", occ=(2, 3), extra=70, units=10)
P("jingyu", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("靖宇矿泉小城避暑公寓·候鸟长住", "Jingyu mineral-spring town summer apartment, migratory long stay"),
  ("县城里的服务式公寓，10至90晚，饮用水取自本地矿泉，步行可到农贸市场和县城公园。",
   "Serviced apartments in the county town for 10 to 90 nights, drinking water from the local mineral springs, a walk from the farmers' market and the town park."),
  rate=200, seasons="summer", dur="migr", occ=(2, 3), extra=50, units=18, refund="flex", disc=3500,
  packs=["dining-forest", "culture-red"])
P("jingyu", "village-homestay", "summer_retreat", "homestay",
  ("靖宇山村避暑民宿·慢生活", "Jingyu mountain-village summer homestay, slow living"),
  ("林边村落的农家民宿，7至60晚，房东每天做三餐家常菜，适合想安静过一个夏天的旅居客。",
   "Farmhouse rooms in a forest-edge village for 7 to 60 nights, the hosts cooking three home-style meals a day; for those who want a quiet summer."),
  rate=180, seasons="summer", dur="7_60", occ=(2, 3), extra=40, units=6, refund="homestay",
  packs=["culture-red"])

# 延吉市
P("yanji", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("延吉市区避暑公寓·候鸟长住", "Yanji city summer apartment, migratory long stay"),
  ("市中心带厨房的公寓，10至90晚，楼下就是早市和冷面馆，社区有老年活动室。",
   "Central apartments with kitchen for 10 to 90 nights, the morning market and cold-noodle shops downstairs and a seniors' activity room in the compound."),
  rate=230, seasons="summer", dur="migr", occ=(2, 3), extra=50, units=30, refund="flex", disc=3500)
P("yanji", "folk-hotel-room", "folk_culture", "hotel_room",
  ("延吉朝鲜族风情酒店·民俗周", "Yanji Korean-style hotel, folk-culture weeks"),
  ("按7或14晚入住，含早餐，每周安排农乐舞观演、朝鲜族服饰体验和水上市场早市导览。",
   "Let for 7 or 14 nights with breakfast; each week brings a farmers' dance show, a Korean costume session and a guided morning at the Water Market."),
  rate=420, seasons="folk_yanbian", dur="weeks", occ=(2, 3), extra=100, units=24)
P("yanji", "ondol-homestay", "folk_culture", "homestay",
  ("延吉朝鲜族暖炕民宿", "Yanji Korean ondol homestay"),
  ("朝鲜族传统暖炕房，3至30晚，房东教做辣白菜和打糕，早餐是大酱汤和米饭。",
   "Traditional Korean rooms with heated ondol floors for 3 to 30 nights; the hosts teach kimchi and rice-cake making, and breakfast is soybean-paste soup and rice."),
  rate=200, seasons="folk_yanbian", dur="3_30", occ=(2, 4), extra=50, units=6, refund="homestay")

# 龙井市
P("longjing", "hot-spring-room", "hot_spring", "hotel_room",
  ("龙井海兰江温泉客房·温泉周", "Longjing Hailan River hot-spring room, spa weeks"),
  ("按7或14晚入住，含早餐和温补晚餐，每天可泡温泉，对怕冷的关节很友好。",
   "Let for 7 or 14 nights with breakfast, a warming dinner and hot-spring bathing every day; kind to stiff, cold-sensitive joints."),
  rate=480, seasons="hotspring", dur="weeks", occ=(2, 3), extra=100, units=20,
  packs=["therapy-hotspring", "dining-korean"])
P("longjing", "paddy-homestay", "folk_culture", "homestay",
  ("龙井朝鲜族稻田民宿", "Longjing Korean paddy-field homestay"),
  ("海兰江稻田边的朝鲜族民居，3至30晚，可参加插秧、秋收和农乐舞，早餐为朝鲜族家常菜。",
   "Korean village houses beside the Hailan River paddies for 3 to 30 nights; join the rice planting, the harvest and the farmers' dance, with Korean home cooking for breakfast."),
  rate=190, seasons="folk_yanbian", dur="3_30", occ=(2, 4), extra=50, units=6, refund="homestay",
  packs=["dining-korean", "culture-korean"])
P("longjing", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("龙井海兰江畔避暑公寓·候鸟长住", "Longjing riverside summer apartment, migratory long stay"),
  ("江畔服务式公寓，10至90晚，距延吉半小时车程，小区有老年食堂和活动室。",
   "Riverside serviced apartments for 10 to 90 nights, half an hour from Yanji, with a seniors' canteen and activity room in the compound."),
  rate=200, seasons="summer", dur="migr", occ=(2, 3), extra=50, units=14, refund="flex", disc=3500,
  packs=["therapy-hotspring", "dining-korean"])

# 珲春市
P("hunchun", "border-summer-room", "summer_retreat", "hotel_room",
  ("珲春边城避暑酒店·长住客房", "Hunchun border-town summer hotel, long-stay room"),
  ("图们江畔的边城酒店，夏季海风凉爽，10至60晚长住含早餐。",
   "A border-town hotel on the Tumen River with cool sea breezes in summer; stays of 10 to 60 nights with breakfast."),
  rate=360, seasons="summer", dur="10_60", occ=(2, 3), extra=80, units=20)
P("hunchun", "fangchuan-homestay", "folk_culture", "homestay",
  ("珲春防川边境民宿·三国风情", "Hunchun Fangchuan border homestay"),
  ("防川村的朝鲜族民宿，2至14晚，清晨登龙虎阁“一眼望三国”，晚餐为朝鲜族家常菜。",
   "A Korean homestay in Fangchuan village for 2 to 14 nights; climb the Longhu Pavilion at dawn to see three countries at once, with Korean home cooking for dinner."),
  rate=200, seasons="folk_plain", dur="2_14", occ=(2, 4), extra=50, units=5, refund="homestay")

# 通化市
P("tonghua", "tcm-room", "tcm_wellness", "hotel_room",
  ("通化中医药康养酒店·调理周", "Tonghua TCM wellness hotel, treatment weeks"),
  ("与市中医院合作，入住即建立体质档案，按7/14/21/28晚入住，含早餐和药膳晚餐。",
   "Run with the city TCM hospital: a constitution assessment on arrival, stays of 7/14/21/28 nights, breakfast and a medicinal-diet dinner included."),
  rate=380, seasons="tcm", dur="m7", occ=(2, 3), extra=80, units=20,
  packs=["therapy-tcm", "culture-wine"])
P("tonghua", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("通化江畔避暑公寓·候鸟长住", "Tonghua riverside summer apartment, migratory long stay"),
  ("浑江畔的服务式公寓，10至90晚，步行可到菜市场，社区食堂供应家常饭。",
   "Serviced apartments on the Hun River for 10 to 90 nights, a walk from the market, with home-style meals at the community canteen."),
  rate=210, seasons="summer", dur="migr", occ=(2, 3), extra=50, units=24, refund="flex", disc=3500,
  packs=["therapy-tcm", "dining-tcm"])
P("tonghua", "winery-villa", "summer_retreat", "villa",
  ("通化山葡萄酒庄别墅·避暑周", "Tonghua wild-grape winery villa, summer weeks"),
  ("葡萄园里的独栋别墅，按7或14晚入住，含早餐，适合一家人避暑，可加购酒庄品鉴。",
   "Detached villas among the vineyards, let for 7 or 14 nights with breakfast, for a family summer; a winery tasting can be added."),
  rate=900, seasons="summer", dur="weeks", occ=(4, 6), extra=150, units=3, refund="peak", disc=2500,
  packs=["culture-wine", "dining-tcm"])

# 集安市
P("jian", "heritage-hotel-room", "folk_culture", "hotel_room",
  ("集安高句丽文化酒店·世界遗产周", "Ji'an Goguryeo heritage hotel, World Heritage weeks"),
  ("按7或14晚入住，含早餐，步行可到国内城遗址，每周一次丸都山城和好太王碑导览。",
   "Let for 7 or 14 nights with breakfast, a walk from the walls of Guonei city, with a weekly guided visit to Wandu mountain city and the Gwanggaeto stele."),
  rate=400, seasons="folk_plain", dur="weeks", occ=(2, 3), extra=80, units=20,
  packs=["culture-goguryeo", "dining-tcm"])
P("jian", "yalu-apartment", "summer_retreat", "serviced_apartment",
  ("集安鸭绿江畔避暑公寓·候鸟长住", "Ji'an Yalu riverside summer apartment, migratory long stay"),
  ("“塞外江南”的江畔公寓，10至90晚，气候温润，早市有新鲜山野菜和鸭绿江鱼。",
   "Riverside apartments in the 'south beyond the Wall' for 10 to 90 nights; a mild climate and a morning market of wild greens and Yalu river fish."),
  rate=220, seasons="summer", dur="migr", occ=(2, 3), extra=50, units=16, refund="flex", disc=3500,
  packs=["culture-goguryeo", "dining-tcm"])
P("jian", "ginseng-homestay", "tcm_wellness", "homestay",
  ("集安参乡药膳民宿·两周调理", "Ji'an ginseng-village homestay, two-week herbal diet"),
  ("参农家的民宿，按14或28晚入住，每日三餐以集安边条参等道地药材入膳，可加购中医理疗。",
   "Homestays with ginseng-growing families, let for 14 or 28 nights, three meals a day cooked with Ji'an ginseng and other local herbs; TCM treatments can be added."),
  rate=200, seasons="tcm", dur="m14_28", occ=(2, 3), extra=60, units=6, refund="homestay",
  packs=["therapy-tcm"])

# 抚松县
P("fusong", "ginseng-tcm-room", "tcm_wellness", "hotel_room",
  ("抚松人参康养酒店·参养调理周", "Fusong ginseng wellness hotel, treatment weeks"),
  ("“中国人参之乡”的康养酒店，按7/14/21/28晚入住，含早餐，中医师面诊后可配人参药膳。",
   "A wellness hotel in China's 'home of ginseng': stays of 7/14/21/28 nights with breakfast, and ginseng meals to match after a TCM consultation."),
  rate=360, seasons="tcm", dur="m7", occ=(2, 3), extra=80, units=20,
  packs=["therapy-tcm", "dining-tcm", "culture-ginseng"])
P("fusong", "ginseng-garden-cabin", "forest_healing", "cabin",
  ("抚松林下参园疗愈木屋", "Fusong forest ginseng-garden cabin"),
  ("林下参园旁的木屋，7至30晚，清晨林间漫步，可随参农进山“放山”。",
   "Cabins beside an under-forest ginseng garden for 7 to 30 nights; morning forest walks, and a chance to go 'up the mountain' with the ginseng farmers."),
  rate=340, seasons="forest", dur="7_30", occ=(2, 3), extra=70, units=8,
  packs=["therapy-forest", "culture-ginseng"])
P("fusong", "forest-homestay", "forest_healing", "homestay",
  ("抚松林区人家民宿·森林慢住", "Fusong forest-family homestay, slow stays"),
  ("林场职工家庭经营的民宿，10至60晚，三餐是山野菜和蘑菇炖菜等林区家常菜。",
   "Homestays run by forest-farm families for 10 to 60 nights, with three meals a day of wild greens, mushroom stews and other forest home cooking."),
  rate=170, seasons="forest", dur="10_60", occ=(2, 3), extra=40, units=6, refund="homestay",
  packs=["therapy-forest", "culture-ginseng"])

# 临江市
P("linjiang", "yalu-apartment", "summer_retreat", "serviced_apartment",
  ("临江鸭绿江畔避暑公寓·候鸟长住", "Linjiang Yalu riverside summer apartment, migratory long stay"),
  ("江边小城的服务式公寓，10至90晚，沿江步道适合晨练，周边餐馆和菜市场齐全。",
   "Serviced apartments in a small river town for 10 to 90 nights, a riverside path for morning exercise, with restaurants and markets all around."),
  rate=190, seasons="summer", dur="migr", occ=(2, 3), extra=40, units=14, refund="flex", disc=3500,
  packs=["dining-forest"])
P("linjiang", "forest-homestay", "forest_healing", "homestay",
  ("临江松岭林区民宿·森林康养周", "Linjiang Songling forest homestay, forest-wellness weeks"),
  ("松岭雪村附近的林区民宿，按7或14晚入住，每日向导林间徒步，三餐用林下食材。",
   "Forest homestays near Songling snow village, let for 7 or 14 nights, with a guided forest walk each day and meals from the forest larder."),
  rate=200, seasons="forest", dur="weeks", occ=(2, 3), extra=50, units=6, refund="homestay",
  packs=["therapy-forest"])

# 长白朝鲜族自治县
P("changbai-county", "canyon-room", "summer_retreat", "hotel_room",
  ("长白县鸭绿江大峡谷避暑客房", "Changbai county Yalu canyon summer room"),
  ("县城江边酒店客房，5至45晚，含早餐，夏季可游鸭绿江大峡谷和望天鹅。",
   "Riverside hotel rooms in the county town for 5 to 45 nights with breakfast; summer trips to the Yalu River Grand Canyon and Wangtian'e."),
  rate=340, seasons="summer", dur="5_45", occ=(2, 3), extra=80, units=18,
  packs=["dining-korean"])
P("changbai-county", "korean-homestay", "folk_culture", "homestay",
  ("长白朝鲜族民俗民宿·隔江望惠山", "Changbai Korean folk homestay facing Hyesan"),
  ("朝鲜族民居，3至21晚，隔鸭绿江与朝鲜惠山相望，晚餐为冷面、米肠等朝鲜族风味。",
   "Korean village houses for 3 to 21 nights facing Hyesan across the Yalu, with cold noodles, rice sausage and other Korean dishes for dinner."),
  rate=190, seasons="folk_plain", dur="3_21", occ=(2, 4), extra=50, units=6, refund="homestay")

# 桦甸市
P("huadian", "lake-cabin", "forest_healing", "cabin",
  ("桦甸红石湖森林木屋·周模块", "Huadian Hongshi Lake forest cabin, weekly modules"),
  ("红石湖畔的林间木屋，按7/14/21晚入住，清晨湖边冥想，含早餐，可加购林下食材晚餐。",
   "Forest cabins on Hongshi Lake, let for 7, 14 or 21 nights: morning meditation by the water and breakfast, with forest-larder dinners to add."),
  rate=330, seasons="forest", dur="m7_21", occ=(2, 3), extra=70, units=10)
P("huadian", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("桦甸松江小城避暑公寓·候鸟长住", "Huadian river-town summer apartment, migratory long stay"),
  ("松花江上游小城的公寓，10至90晚，生活成本低，菜市场和公园就在附近。",
   "Apartments in a small town on the upper Songhua for 10 to 90 nights; a low cost of living, with markets and parks nearby."),
  rate=180, seasons="summer", dur="migr", occ=(2, 3), extra=40, units=16, refund="flex", disc=3500,
  packs=["dining-forest"])

# 安图县
P("antu", "forest-cabin", "forest_healing", "cabin",
  ("安图长白山脚森林木屋·两周康养", "Antu forest cabin below Changbai, two-week stays"),
  ("长白山脚下的林间木屋，按14或28晚入住，每日一次森林浴课程，含早晚两餐。",
   "Forest cabins at the foot of Changbai Mountain, let for 14 or 28 nights, a forest-bathing session every day, breakfast and dinner included."),
  rate=340, seasons="forest", dur="m14_28", occ=(2, 3), extra=70, units=10,
  packs=["therapy-forest"])
P("antu", "hongqi-homestay", "folk_culture", "homestay",
  ("安图红旗村朝鲜族民宿", "Antu Hongqi village Korean homestay"),
  ("万宝镇红旗村的朝鲜族民宿，3至30晚，可学农乐舞、做打糕，早餐是朝鲜族家常菜。",
   "Korean homestays in Hongqi village, Wanbao, for 3 to 30 nights: learn the farmers' dance and pound rice cakes, with Korean home cooking for breakfast."),
  rate=200, seasons="folk_yanbian", dur="3_30", occ=(2, 4), extra=50, units=8, refund="homestay",
  packs=["culture-korean", "dining-korean"])

# 梅河口市
P("meihekou", "tcm-room", "tcm_wellness", "hotel_room",
  ("梅河口中医调理酒店·周模块", "Meihekou TCM treatment hotel, weekly modules"),
  ("按7/14/21/28晚入住，含早餐，中医师每周两次面诊，离高铁站近，往返方便。",
   "Let in 7/14/21/28-night modules with breakfast and a TCM doctor's consultation twice a week; close to the high-speed rail station."),
  rate=320, seasons="tcm", dur="m7", occ=(2, 3), extra=70, units=18)
P("meihekou", "tcm-apartment", "tcm_wellness", "serviced_apartment",
  ("梅河口康养公寓·长住调理", "Meihekou wellness apartment, long-stay treatment"),
  ("带厨房的公寓，10至90晚，可加购中医理疗和药膳，周边药店、超市齐全。",
   "Apartments with kitchen for 10 to 90 nights, with TCM therapy and medicinal meals to add; pharmacies and supermarkets close by."),
  rate=190, seasons="tcm", dur="migr", occ=(2, 3), extra=40, units=14, refund="flex", disc=3500)

# 吉林雾凇岛
P("jilin-wusongdao", "rime-homestay", "ice_snow", "homestay",
  ("雾凇岛农家火炕民宿·雾凇季", "Rime Island farmhouse kang homestay, rime season"),
  ("岛上农家火炕房，2至14晚，清晨出门就是雾凇，晚餐是铁锅炖和酸菜白肉。",
   "Heated-kang farmhouse rooms on the island for 2 to 14 nights: rime at the door at dawn, iron-pot stew and pickled cabbage with pork for dinner."),
  rate=200, seasons="rime", dur="2_14", occ=(2, 4), extra=50, units=8, refund="peak",
  packs=["culture-rime", "dining-ice"])
P("jilin-wusongdao", "photo-inn", "ice_snow", "homestay",
  ("雾凇岛观凇摄影客栈·整周", "Rime Island photographers' inn, week stays"),
  ("面向摄影爱好者的客栈，按7或14晚入住，含早餐，每天按天气预报提醒观凇时间。",
   "An inn for photographers, let for 7 or 14 nights with breakfast, with a daily alert on when the rime is expected."),
  rate=230, seasons="rime", dur="weeks", occ=(2, 3), extra=50, units=6, refund="peak",
  packs=["culture-rime", "dining-ice"])
P("jilin-wusongdao", "manchu-courtyard", "folk_culture", "homestay",
  ("乌拉街满族民俗院落", "Wulajie Manchu folk courtyard"),
  ("乌拉街满族镇的老院落，3至21晚，可学满族剪纸，离吉林市区约四十分钟车程。",
   "An old courtyard in the Manchu town of Wulajie for 3 to 21 nights, with Manchu paper-cutting, about forty minutes from Jilin City."),
  rate=180, seasons="folk_plain", dur="3_21", occ=(2, 4), extra=40, units=5, refund="homestay",
  packs=["culture-manchu", "dining-ice"])

# 长春净月潭
P("changchun-jingyuetan", "forest-hotel-room", "forest_healing", "hotel_room",
  ("净月潭森林康养酒店·森林浴周", "Jingyuetan forest wellness hotel, forest-bathing weeks"),
  ("森林公园旁的酒店，按7/14/21/28晚入住，含早餐，每日在林间步道森林浴，清晨八段锦。",
   "A hotel beside the forest park, 7/14/21/28-night stays with breakfast, daily forest bathing on the park trails and morning baduanjin."),
  rate=460, seasons="forest", dur="m7", occ=(2, 3), extra=100, units=30,
  packs=["therapy-forest", "dining-light"])
P("changchun-jingyuetan", "vasa-apartment", "sport_health", "serviced_apartment",
  ("净月潭越野滑雪与骑行公寓", "Jingyuetan cross-country ski and cycling apartment"),
  ("7至30晚的公寓，冬季在瓦萨越野滑雪赛道练习，夏季环潭骑行，提供装备寄存。",
   "Apartments for 7 to 30 nights: winter practice on the Vasaloppet cross-country tracks, summer cycling round the lake, with gear storage."),
  rate=260, seasons="vasa", dur="7_30", occ=(2, 3), extra=50, units=14, refund="flex",
  packs=["therapy-sport", "dining-light"])
P("changchun-jingyuetan", "forest-apartment", "forest_healing", "serviced_apartment",
  ("净月潭林畔康养公寓·候鸟长住", "Jingyuetan forest-side apartment, migratory long stay"),
  ("步行五分钟进森林公园的公寓，10至90晚，周边超市、药店和社区食堂齐全。",
   "Apartments five minutes' walk from the forest park for 10 to 90 nights, with supermarkets, pharmacies and a community canteen around them."),
  rate=240, seasons="forest", dur="migr", occ=(2, 3), extra=50, units=20, refund="flex", disc=3500,
  packs=["therapy-forest", "dining-light"])

# 查干湖
P("chaganhu", "fishing-room", "ice_snow", "hotel_room",
  ("查干湖冬捕季湖畔客房", "Chagan Lake lakeside room, winter-fishing season"),
  ("湖畔酒店客房，2至10晚，含早餐，冬捕季可看祭湖醒网和冰上出鱼。",
   "Lakeside hotel rooms for 2 to 10 nights with breakfast; in the fishing season, watch the lake-worship rites and the catch hauled up through the ice."),
  rate=380, seasons="fishing", dur="2_10", occ=(2, 3), extra=80, units=30, refund="peak",
  packs=["culture-winterfishing", "dining-fish"])
P("chaganhu", "mongol-homestay", "folk_culture", "homestay",
  ("查干湖蒙古族风情民宿", "Chagan Lake Mongolian-style homestay"),
  ("前郭尔罗斯蒙古族人家的民宿，3至21晚，喝奶茶、听马头琴，夏季可赶那达慕。",
   "Homestays with Mongol families in Qian Gorlos for 3 to 21 nights: milk tea, horse-head fiddle music and the Naadam fair in summer."),
  rate=200, seasons="fishing", dur="3_21", occ=(2, 4), extra=50, units=6, refund="homestay",
  packs=["dining-mongol", "culture-winterfishing"])
P("chaganhu", "winter-apartment", "ice_snow", "serviced_apartment",
  ("查干湖冬季旅居公寓·冬捕长住", "Chagan Lake winter apartment, long stays"),
  ("带地暖的公寓，10至60晚，整个冬捕季住在湖边，小区设卫生室。",
   "Apartments with underfloor heating for 10 to 60 nights, to spend the whole fishing season by the lake; a clinic in the compound."),
  rate=220, seasons="fishing", dur="10_60", occ=(2, 3), extra=40, units=12,
  packs=["dining-fish", "culture-winterfishing"])

# 敦化六鼎山文化旅游区
P("dunhua-liudingshan", "bohai-hotel-room", "folk_culture", "hotel_room",
  ("六鼎山渤海文化酒店·文化周", "Liudingshan Bohai culture hotel, culture weeks"),
  ("按7或14晚入住，含素斋早餐，每周一次渤海国古墓群讲解和正觉寺抄经。",
   "Let for 7 or 14 nights with a vegetarian breakfast and a weekly guided visit to the Bohai tombs with sutra copying at Zhengjue Temple."),
  rate=380, seasons="folk_plain", dur="weeks", occ=(2, 3), extra=80, units=20,
  packs=["culture-bohai", "dining-forest"])
P("dunhua-liudingshan", "zen-cabin", "forest_healing", "cabin",
  ("六鼎山林间禅修木屋", "Liudingshan forest meditation cabin"),
  ("山林中的木屋，5至30晚，每日静坐冥想和森林步道，可加购林下食材素食。",
   "Cabins in the wooded hills for 5 to 30 nights, daily sitting meditation and forest trails, with forest-larder vegetarian meals to add."),
  rate=320, seasons="forest", dur="5_30", occ=(2, 3), extra=60, units=8,
  packs=["therapy-forest", "dining-forest"])

# 向海
P("xianghai", "crane-homestay", "summer_retreat", "homestay",
  ("向海湿地观鹤民宿·避暑周", "Xianghai wetland crane-watching homestay, summer stays"),
  ("保护区边的民宿，7至30晚，清晨观丹顶鹤，夏季草原湿地凉爽，房东做家常饭。",
   "Homestays on the edge of the reserve for 7 to 30 nights: red-crowned cranes at dawn, cool summer grassland and home cooking by the hosts."),
  rate=170, seasons="summer", dur="7_30", occ=(2, 3), extra=40, units=5, refund="homestay")
P("xianghai", "herder-homestay", "folk_culture", "homestay",
  ("向海蒙古族牧家乐", "Xianghai Mongolian herder homestay"),
  ("蒙古族牧民家的民宿，3至14晚，可骑马、喝奶茶、吃手把肉，配套仍在完善中。",
   "Homestays with Mongol herders for 3 to 14 nights: horse riding, milk tea and hand-held mutton; facilities are still being improved."),
  rate=160, seasons="folk_plain", dur="3_14", occ=(2, 4), extra=40, units=4, refund="homestay")

# 汪清县
P("wangqing", "forest-cabin", "forest_healing", "cabin",
  ("汪清虎豹公园林缘木屋·森林疗愈", "Wangqing forest-edge cabin by the tiger and leopard park"),
  ("东北虎豹国家公园边缘的木屋，按7或14晚入住，向导带领森林步道和自然观察，含早晚餐。",
   "Cabins on the edge of the Northeast China Tiger and Leopard National Park, let for 7 or 14 nights, with guided forest trails and wildlife watching; breakfast and dinner included."),
  rate=300, seasons="forest", dur="weeks", occ=(2, 3), extra=60, units=8)
P("wangqing", "trail-homestay", "sport_health", "homestay",
  ("汪清兰家峡谷徒步骑行民宿", "Wangqing Lanjia canyon hiking and cycling homestay"),
  ("3至21晚的民宿，峡谷徒步和林道骑行路线成熟，提供健康轻食和车辆寄存。",
   "Homestays for 3 to 21 nights with established canyon hikes and forest-road rides, light healthy meals and bike storage."),
  rate=180, seasons="sport", dur="3_21", occ=(2, 3), extra=40, units=6, refund="homestay")

# 和龙金达莱民俗村
P("helong-jindalai", "hanok-homestay", "folk_culture", "homestay",
  ("金达莱村朝鲜族传统民居·慢生活周", "Jindalai village Korean house, slow-living weeks"),
  ("按7/14/21/28晚入住的朝鲜族传统民居，可学打糕、酿米酒、跳农乐舞，早晚餐为朝鲜族家常菜。",
   "Traditional Korean houses let in 7/14/21/28-night modules: learn to pound rice cakes, brew rice wine and dance the farmers' dance, with Korean home cooking morning and evening."),
  rate=200, seasons="folk_yanbian", dur="m7", occ=(2, 4), extra=50, units=8, refund="homestay")
P("helong-jindalai", "paddy-courtyard", "folk_culture", "homestay",
  ("金达莱村稻田小院·候鸟长住", "Jindalai village paddy-side courtyard, migratory long stay"),
  ("稻田边整院出租的小院，10至90晚，有小菜园可自己种菜，村里有乡村书房和咖啡馆。",
   "Whole courtyards beside the paddies for 10 to 90 nights, with a kitchen garden of your own and a village library and café."),
  rate=160, seasons="folk_yanbian", dur="migr", occ=(2, 4), extra=40, units=4, refund="flex", disc=3500,
  packs=["dining-korean"])

# 蛟河红叶谷
P("jiaohe-hongyegu", "red-leaf-cabin", "forest_healing", "cabin",
  ("红叶谷林间木屋·红叶季", "Red Leaf Valley forest cabin, red-leaf season"),
  ("山谷里的木屋，2至14晚，九月中旬起满山红叶，含早餐，晚餐是山野菜农家菜。",
   "Cabins in the valley for 2 to 14 nights, the hills turning red from mid-September; breakfast included and farmhouse dinners of wild greens."),
  rate=300, seasons="red_leaf", dur="2_14", occ=(2, 3), extra=60, units=8, refund="peak")
P("jiaohe-hongyegu", "trail-homestay", "sport_health", "homestay",
  ("红叶谷徒步骑行民宿·周模块", "Red Leaf Valley hiking and cycling homestay, weekly modules"),
  ("按7或14晚入住，每天一条徒步或骑行路线，提供健康轻食和运动后拉伸放松。",
   "Let for 7 or 14 nights with a new hiking or cycling route every day, light healthy meals and recovery stretching."),
  rate=180, seasons="sport", dur="weeks", occ=(2, 3), extra=40, units=6, refund="homestay",
  packs=["therapy-forest"])
P("jiaohe-hongyegu", "village-homestay", "forest_healing", "homestay",
  ("红叶谷山村森林民宿·长住", "Red Leaf Valley village homestay, long stays"),
  ("山村人家的民宿，10至60晚，房东做三餐家常菜，适合想在山里安静住一段的旅居客。",
   "Village homestays for 10 to 60 nights with the hosts' home cooking three times a day, for guests who want a quiet spell in the hills."),
  rate=160, seasons="red_leaf", dur="10_60", occ=(2, 3), extra=40, units=5, refund="homestay",
  packs=["therapy-forest"])

# 舒兰二合雪乡
P("shulan-erhe", "snow-farmhouse", "ice_snow", "homestay",
  ("二合雪乡东北农家院·雪季", "Erhe snow village farmhouse, snow season"),
  ("雪乡农家火炕房，2至10晚，含早晚餐，可雪地徒步，夜晚有雪屋灯光。",
   "Heated-kang farmhouse rooms for 2 to 10 nights with breakfast and dinner, snowshoe walks and lantern-lit snow houses at night."),
  rate=220, seasons="ice_village", dur="2_10", occ=(2, 4), extra=50, units=8, refund="peak",
  packs=["culture-snowfolk"])
P("shulan-erhe", "snow-week", "ice_snow", "homestay",
  ("二合雪乡火炕小院·雪乡一周", "Erhe snow village courtyard, snow weeks"),
  ("整院出租的火炕小院，按7或14晚入住，可自己做饭，冬季进村道路请预留时间。",
   "Whole courtyards with heated kang beds, let for 7 or 14 nights with your own kitchen; allow extra time on winter roads into the village."),
  rate=200, seasons="ice_village", dur="weeks", occ=(2, 4), extra=40, units=4, refund="peak")
P("shulan-erhe", "folk-farmhouse", "folk_culture", "homestay",
  ("二合雪乡民俗农家院·年味体验", "Erhe snow village folk farmhouse, winter traditions"),
  ("3至14晚，扭大秧歌、做冻梨冻柿子、吃杀猪菜，体验东北农家的年味。",
   "Stays of 3 to 14 nights: yangge dancing, frozen pears and persimmons, and the pork-stew feast of a Northeast farm winter."),
  rate=180, seasons="ice_village", dur="3_14", occ=(2, 4), extra=40, units=5, refund="homestay")

# 叶赫满族镇
P("yehe", "manchu-courtyard", "folk_culture", "homestay",
  ("叶赫满族四合院民宿", "Yehe Manchu courtyard homestay"),
  ("满族风格的四合院，2至21晚，早餐有黏豆包和满族小吃，出门就是叶赫古城。",
   "Manchu-style courtyard rooms for 2 to 21 nights, sticky bean buns and Manchu snacks for breakfast, with the old Yehe city outside the gate."),
  rate=180, seasons="folk_plain", dur="2_21", occ=(2, 4), extra=40, units=6, refund="homestay")
P("yehe", "manchu-inn-room", "folk_culture", "hotel_room",
  ("叶赫古城满族文化客栈·文化周", "Yehe old-city Manchu inn, culture weeks"),
  ("按7或14晚入住，含早餐，每周一次满族剪纸和八旗服饰体验，离四平市区半小时。",
   "Let for 7 or 14 nights with breakfast and a weekly Manchu paper-cutting and banner-costume session; half an hour from Siping."),
  rate=300, seasons="folk_plain", dur="weeks", occ=(2, 3), extra=60, units=12)

# 长春净月康养集聚小区（示例）
P("changchun-jingyue-community", "tcm-apartment-month", "tcm_wellness", "serviced_apartment",
  ("净月康养小区中医调理公寓·整月", "Jingyue community TCM apartment, by the month"),
  ("存量住宅改造的适老化公寓，按30/60/90晚整月入住，小区内有中医理疗室和社区食堂。",
   "Elder-friendly apartments converted from existing housing, let for 30, 60 or 90 nights, with a TCM therapy room and a community canteen on site."),
  rate=220, seasons="tcm", dur="month", occ=(2, 3), extra=40, units=20, disc=3500,
  packs=["therapy-tcm", "dining-canteen"])
P("changchun-jingyue-community", "fitness-apartment", "sport_health", "serviced_apartment",
  ("净月康养小区健康运动公寓·周模块", "Jingyue community fitness apartment, weekly modules"),
  ("按7/14/21/28晚入住，小区有健身房和康复师，步行十分钟进净月潭绿道。",
   "Let in 7/14/21/28-night modules, with a gym and a physiotherapist on site and the Jingyuetan greenway ten minutes' walk away."),
  rate=240, seasons="sport", dur="m7", occ=(2, 3), extra=40, units=16, refund="flex",
  packs=["therapy-sport", "dining-canteen"])
P("changchun-jingyue-community", "migratory-apartment", "tcm_wellness", "serviced_apartment",
  ("净月康养小区候鸟长住公寓", "Jingyue community migratory long-stay apartment"),
  ("10至180晚自由组合的适老化公寓，电梯、扶手、紧急呼叫齐全，社区医保服务站可办异地就医备案。",
   "Elder-friendly apartments for anything from 10 to 180 nights, with lifts, grab rails and emergency call; the community medical-insurance station handles out-of-province registration."),
  rate=200, seasons="tcm", dur="long", occ=(2, 3), extra=40, units=24, refund="flex", disc=3500)

# 吉林市江畔康养小区（示例）
P("jilin-riverside-community", "summer-apartment", "summer_retreat", "serviced_apartment",
  ("江畔康养小区避暑公寓·候鸟长住", "Riverside community summer apartment, migratory long stay"),
  ("松花江畔的公寓，10至90晚，江边步道晨练，社区食堂一日三餐可办周卡。",
   "Apartments on the Songhua River for 10 to 90 nights, riverside morning walks and a community canteen with weekly meal passes."),
  rate=220, seasons="summer", dur="migr", occ=(2, 3), extra=40, units=20, refund="flex", disc=3500)
P("jilin-riverside-community", "month-apartment", "summer_retreat", "serviced_apartment",
  ("江畔康养小区整月公寓", "Riverside community apartment, by the month"),
  ("按30/60/90晚整月入住的一居室，带厨房和洗衣机，冬季可看松花江畔雾凇。",
   "One-bedroom flats with kitchen and washer, let for 30, 60 or 90 nights; in winter, rime on the Songhua riverbanks."),
  rate=200, seasons="summer_plain", dur="month", occ=(2, 3), extra=40, units=12, disc=3500,
  packs=["dining-canteen"])
P("jilin-riverside-community", "riverside-sport-apartment", "sport_health", "serviced_apartment",
  ("江畔康养小区骑行健步公寓·周模块", "Riverside community cycling and walking apartment, weekly modules"),
  ("按7/14/21/28晚入住，江畔绿道骑行和健步走，入住时做体能评估。",
   "Let in 7/14/21/28-night modules for riverside greenway cycling and brisk walking, with a fitness assessment on arrival."),
  rate=230, seasons="sport", dur="m7", occ=(2, 3), extra=40, units=10, refund="flex")

# 延边旅居养老中心（示例）
P("yanbian-eldercare", "summer-single", "summer_retreat", "eldercare_room",
  ("延边旅居养老中心·候鸟避暑单间", "Yanbian elder-care centre, migratory summer single room"),
  ("适老化单间，10至180晚，一日三餐朝鲜族风味营养餐，24小时值班护理，设医务室。",
   "Elder-friendly single rooms for 10 to 180 nights, three nutritious Korean-style meals a day, nursing staff on duty around the clock and an in-house clinic."),
  rate=160, seasons="eldercare_summer", dur="long", occ=(1, 2), extra=60, units=40, refund="elder", disc=3500,
  packs=["therapy-eldercare", "dining-eldercare"])
P("yanbian-eldercare", "couple-twin", "summer_retreat", "eldercare_room",
  ("延边旅居养老中心·夫妻双人间", "Yanbian elder-care centre, twin room for couples"),
  ("适合夫妻同住的双人间，按7/14/21/28晚入住，含三餐，每周组织一次延吉周边一日游。",
   "Twin rooms for couples, let in 7/14/21/28-night modules with three meals a day and a weekly day trip around Yanji."),
  rate=190, seasons="eldercare_summer", dur="m7", occ=(2, 2), extra=0, units=20, refund="elder", disc=3500,
  packs=["therapy-eldercare", "culture-korean"])
P("yanbian-eldercare", "tcm-rehab-room", "tcm_wellness", "eldercare_room",
  ("延边旅居养老中心·中医康复护理间", "Yanbian elder-care centre, TCM rehab room"),
  ("14至90晚，中医康复师每周三次针灸推拿，适合术后或慢病调养的长者，含三餐。",
   "Stays of 14 to 90 nights with acupuncture and massage three times a week from a TCM rehab therapist, for elders recovering from surgery or living with chronic illness; three meals included."),
  rate=180, seasons="eldercare_flat", dur="14_90", occ=(1, 2), extra=60, units=16, refund="elder", disc=3500,
  packs=["therapy-eldercare", "dining-eldercare"])

# 通化中医药康养院（示例）
P("tonghua-tcm-eldercare", "herbal-single", "tcm_wellness", "eldercare_room",
  ("通化中医药康养院·药膳调理单间", "Tonghua TCM home, herbal-diet single room"),
  ("按14或28晚入住的适老化单间，中医师按体质开药膳，一日三餐，护理员24小时在岗。",
   "Elder-friendly single rooms let for 14 or 28 nights, with a medicinal diet prescribed by a TCM doctor, three meals a day and carers on duty around the clock."),
  rate=170, seasons="tcm", dur="m14_28", occ=(1, 2), extra=60, units=30, refund="elder", disc=3500,
  packs=["therapy-tcm", "therapy-eldercare"])
P("tonghua-tcm-eldercare", "acupuncture-twin", "tcm_wellness", "eldercare_room",
  ("通化中医药康养院·针灸推拿双人间", "Tonghua TCM home, acupuncture and massage twin room"),
  ("10至120晚的双人间，市中医院团队每周针灸推拿和中药熏蒸，含三餐。",
   "Twin rooms for 10 to 120 nights with weekly acupuncture, massage and herbal steam from the city TCM hospital team; three meals included."),
  rate=210, seasons="tcm", dur="10_120", occ=(2, 2), extra=0, units=20, refund="elder", disc=3500,
  packs=["therapy-tcm", "dining-tcm"])
P("tonghua-tcm-eldercare", "winter-tonic-room", "tcm_wellness", "eldercare_room",
  ("通化中医药康养院·冬令膏方长住间", "Tonghua TCM home, winter-tonic long-stay room"),
  ("30至180晚的长住房，冬季按体质定制膏方进补，室内供暖充足，适合在此过冬。",
   "Long-stay rooms for 30 to 180 nights, with a winter herbal paste made up for each constitution and well-heated rooms for spending the winter."),
  rate=150, seasons="tcm", dur="30_180", occ=(1, 2), extra=50, units=24, refund="elder", disc=3500,
  packs=["therapy-eldercare", "dining-tcm"])

# 长春净月旅居养老公寓（示例）
P("changchun-eldercare", "forest-single", "forest_healing", "eldercare_room",
  ("净月旅居养老公寓·林畔单间", "Jingyue elder-care apartments, forest-side single room"),
  ("紧邻净月潭森林的适老化单间，10至180晚，护理员每天陪同林间散步，一日三餐。",
   "Elder-friendly single rooms next to the Jingyuetan forest for 10 to 180 nights, with a daily escorted forest walk and three meals a day."),
  rate=180, seasons="eldercare_summer", dur="long", occ=(1, 2), extra=60, units=36, refund="elder", disc=3500,
  packs=["therapy-eldercare", "dining-eldercare"])
P("changchun-eldercare", "tcm-care-room", "tcm_wellness", "eldercare_room",
  ("净月旅居养老公寓·中医理疗护理间", "Jingyue elder-care apartments, TCM therapy care room"),
  ("按7/14/21/28晚入住，康复中心每周三次中医理疗，医务室为每位长者建立健康档案，含三餐。",
   "Let in 7/14/21/28-night modules, with TCM therapy three times a week in the rehab centre and a health record kept by the clinic; three meals included."),
  rate=200, seasons="tcm", dur="m7", occ=(1, 2), extra=60, units=20, refund="elder", disc=3500,
  packs=["therapy-eldercare", "culture-tcm"])
P("changchun-eldercare", "couple-suite", "tcm_wellness", "eldercare_room",
  ("净月旅居养老公寓·夫妻套间", "Jingyue elder-care apartments, couples' suite"),
  ("一室一厅的夫妻套间，10至180晚，带小厨房，可选食堂三餐，有八段锦晨练和中医药讲座。",
   "One-bedroom suites for couples for 10 to 180 nights, with a kitchenette or canteen meals, morning baduanjin and talks on TCM."),
  rate=220, seasons="eldercare_flat", dur="long", occ=(2, 2), extra=0, units=12, refund="elder", disc=3500,
  packs=["culture-tcm", "dining-eldercare"])

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
            ("提前预订优惠", "Advance-booking discount"),
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
# Building
# --------------------------------------------------------------------------------------


def fen(cny: int) -> int:
    return cny * 100


def pct_rate(base_cny: int, pct: int) -> int:
    """base x pct%, rounded half up to 10 CNY; returns CNY."""
    return (base_cny * pct + 500) // 1000 * 10


def zhe(bps: int) -> str:
    """'9折', '85折', '半价', '免费' for a discount of bps."""
    pay = 10000 - bps
    if pay % 100:
        raise ValueError(f"{bps} bps has no short zh form")
    if pay == 0:
        return "免费"
    if pay == 5000:
        return "半价"
    n = pay // 100
    return f"{n // 10}折" if n % 10 == 0 else f"{n}折"


def pct_en(bps: int) -> str:
    return (
        "free" if bps == 10000 else f"{bps // 100}% off" if bps % 100 == 0 else f"{bps / 100}% off"
    )


def read_csv() -> list[dict]:
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def split_list(value: str) -> list[str]:
    return [v for v in value.split(";") if v]


def care_note(facilities: tuple) -> tuple[str, str]:
    km, station, cross, elder, _g5 = facilities
    zh = [f"距最近医院约{km:.1f}公里"]
    en = [f"Nearest hospital about {km:.1f} km"]
    if station:
        zh.append("设有医保服务站")
        en.append("a medical-insurance service station on hand")
    if cross:
        zh.append("可异地就医直接结算")
        en.append("out-of-province medical bills settled directly")
    if elder:
        zh.append("提供适老化房间")
        en.append("elder-friendly rooms")
    return "，".join(zh) + "。", "; ".join(en) + "."


def durations(key: str) -> tuple[int, int | None, list[int]]:
    m = re.fullmatch(r"(\d+)_(\d+)", key)
    if m:
        return int(m.group(1)), int(m.group(2)), []
    spec = DURATIONS[key]
    if isinstance(spec, tuple):
        return spec[0], spec[1], []
    return min(spec), max(spec), list(spec)


def build() -> dict:
    rows = read_csv()
    destinations = []
    for row in rows:
        info = DESTINATIONS[row["slug"]]
        km, station, cross, elder, g5 = info["facilities"]
        destinations.append(
            {
                "slug": row["slug"],
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "pilot_kind": row["pilot_kind"],
                "prefecture": row["prefecture"],
                "corridors": split_list(row["corridors"]),
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "themes": split_list(row["themes"]),
                "is_real_place": {"true": True, "false": False}[row["is_real_place"]],
                "description_zh": info["zh"],
                "description_en": info["en"],
                "facilities": {
                    "nearest_hospital_km": round(km, 1),
                    "medical_insurance_station": station,
                    "cross_province_settlement": cross,
                    "elder_friendly_rooms": elder,
                    "has_5g": g5,
                },
                "certifications": list(info["certs"]),
                "directory_status": info["status"],
            }
        )

    packs = []
    pack_code = {}  # (destination, "kind-flavour") -> code
    for d in destinations:
        info = DESTINATIONS[d["slug"]]
        short_zh, short_en = info["short"]
        for ref in info["packs"]:
            name_zh, name_en, desc_zh, desc_en, price, basis = PACK_TEMPLATES[ref]
            price = PACK_PRICE_OVERRIDES.get((d["slug"], ref), price)
            code = f"{d['slug']}-{ref}"
            pack_code[(d["slug"], ref)] = code
            packs.append(
                {
                    "code": code,
                    "destination": d["slug"],
                    "kind": ref.split("-", 1)[0],
                    "name_zh": name_zh.format(zh=short_zh),
                    "name_en": name_en.format(en=short_en),
                    "description_zh": desc_zh,
                    "description_en": desc_en,
                    "price_fen": fen(price),
                    "basis": basis,
                }
            )

    products = []
    for p in PRODUCTS:
        info = DESTINATIONS[p["dest"]]
        care_zh, care_en = care_note(info["facilities"])
        if isinstance(p["seasons"], str):
            seasons = [
                {
                    "name_zh": zh,
                    "name_en": en,
                    "start_md": start,
                    "end_md": end,
                    "nightly_rate_fen": fen(pct_rate(p["rate"], pct)),
                }
                for zh, en, start, end, pct in SEASONS[p["seasons"]]
            ]
        else:
            seasons = [
                {
                    "name_zh": zh,
                    "name_en": en,
                    "start_md": start,
                    "end_md": end,
                    "nightly_rate_fen": fen(cny),
                }
                for zh, en, start, end, cny in p["seasons"]
            ]
        min_nights, max_nights, modules = durations(p["dur"])
        refs = info["packs"] if p["packs"] is None else p["packs"]
        missing = [r for r in refs if (p["dest"], r) not in pack_code]
        if missing:
            raise ValueError(
                f"product {p['dest']}-{p['suffix']}: packs {missing} not offered at {p['dest']}"
            )
        products.append(
            {
                "slug": f"{p['dest']}-{p['suffix']}",
                "destination": p["dest"],
                "theme": p["theme"],
                "name_zh": p["name"][0],
                "name_en": p["name"][1],
                "description_zh": p["desc"][0] + care_zh,
                "description_en": p["desc"][1] + " " + care_en,
                "unit_type": p["unit"],
                "base_occupancy": p["occ"][0],
                "max_occupancy": p["occ"][1],
                "min_nights": min_nights,
                "max_nights": max_nights,
                "duration_modules": modules,
                "base_rate_fen": fen(p["rate"]),
                "extra_guest_fee_fen": fen(p["extra"]),
                "max_discount_bps": p["disc"],
                "refund_policy": [
                    {"min_days_before_check_in": d, "refund_bps": b}
                    for d, b in REFUNDS[p["refund"]]
                ],
                "seasons": seasons,
                "packs": [pack_code[(p["dest"], r)] for r in refs],
                "units_per_night": p["units"],
            }
        )

    lines = [
        {"code": code, "name_zh": zh, "name_en": en, "fare_fen": fen(fare), "stops": list(stops)}
        for code, zh, en, _szh, _sen, fare, stops in TRANSIT_LINES
    ]
    line_info = {t[0]: t for t in TRANSIT_LINES}

    issuers = []
    issuer_names = {}
    for code, kind, zh, en, dest, line, _prefix, _n in STUB_ISSUERS:
        if kind == "transit_line":
            zh = f"{line_info[line][1]}（{line}）"
            en = f"{line_info[line][2]} ({line})"
        issuer_names[code] = (zh, en)
        issuers.append(
            {
                "code": code,
                "kind": kind,
                "name_zh": zh,
                "name_en": en,
                "destination": dest,
                "transit_line": line,
            }
        )

    stubs = []
    seq = 0
    for code, _kind, _zh, _en, _dest, _line, prefix, n in STUB_ISSUERS:
        for i in range(n):
            if i == 0:
                offset = 0
            else:
                offset = STUB_OFFSETS[seq % len(STUB_OFFSETS)]
            persons = STUB_PERSONS[(seq + i) % len(STUB_PERSONS)]
            if i:
                seq += 1
            stubs.append(
                {
                    "code": f"STUB-{prefix}-{i + 1:04d}",
                    "issuer": code,
                    "visit_offset_days": offset,
                    "persons": persons,
                }
            )

    changbai = [d["slug"] for d in destinations if "changbai" in d["corridors"]]
    rules = base_rules(changbai)
    issuer_kind = {t[0]: t[1] for t in STUB_ISSUERS}
    for key, issuer, on_lines, kinds, bps, days in TICKET_STUB_DEALS:
        izh, ien = issuer_names[issuer]
        if issuer_kind[issuer] == "transit_line":
            line = line_info[next(t[5] for t in STUB_ISSUERS if t[0] == issuer)]
            stub_zh, stub_en, when_zh, when_en = (
                f"{line[3]}车票",
                line[4].removeprefix("the "),
                "乘车",
                "ride",
            )
        else:
            stub_zh, stub_en, when_zh, when_en = f"{izh}门票", ien, "游览", "visit"
        title_en = stub_en[0].upper() + stub_en[1:]
        day_en = "day" if days == 1 else "days"
        if on_lines:
            target_zh = "、".join(line_info[c][3] for c in on_lines)
            target_en = " or ".join(line_info[c][4] for c in on_lines)
            deal_zh = f"免费乘坐{target_zh}" if bps == 10000 else f"乘坐{target_zh}享{zhe(bps)}"
            deal_en = f"ride {target_en} free" if bps == 10000 else f"get {pct_en(bps)} {target_en}"
            name = (
                f"{stub_zh}票根·{deal_zh}",
                f"{title_en} ticket stub: {'free rides on' if bps == 10000 else pct_en(bps)} {target_en}",
            )
            desc = (
                f"凭{stub_zh}票根，{when_zh}当天起{days}天内{deal_zh}，优惠人数以票根所含人数为限。",
                f"With a {stub_en} ticket stub, {deal_en} within {days} {day_en} of the {when_en}, for as many riders as the stub covers.",
            )
        else:
            target_zh = "或".join(PACK_KIND_NAMES[k][0] for k in kinds)
            target_en = " or ".join(PACK_KIND_NAMES[k][1] for k in kinds)
            name = (
                f"{stub_zh}票根·{target_zh}{zhe(bps)}",
                f"{title_en} ticket stub: {pct_en(bps)} a {target_en}",
            )
            desc = (
                f"凭{stub_zh}票根，{when_zh}当天起{days}天内入住，可为一项{target_zh}享{zhe(bps)}。",
                f"With a {stub_en} ticket stub, check in within {days} {day_en} of the {when_en} for {pct_en(bps)} one {target_en}.",
            )
        rules.append(
            R(
                key,
                "ticket_stub",
                name,
                desc,
                bps=bps,
                issuer=issuer,
                transit_lines=on_lines,
                pack_kinds=kinds,
                valid_days=days,
            )
        )

    return {
        "format": FORMAT,
        "destinations": destinations,
        "certifications": {
            k: {"name_zh": zh, "name_en": en} for k, (zh, en) in CERTIFICATIONS.items()
        },
        "themes": {k: {"name_zh": zh, "name_en": en} for k, (zh, en) in THEMES.items()},
        "pilot_kinds": {k: {"name_zh": zh, "name_en": en} for k, (zh, en) in PILOT_KINDS.items()},
        "packs": packs,
        "products": products,
        "transit_lines": lines,
        "stub_issuers": issuers,
        "ticket_stubs": stubs,
        "discount_rules": rules,
    }


# --------------------------------------------------------------------------------------
# Self-checks: every problem is collected, then the build fails loudly with all of them.
# --------------------------------------------------------------------------------------

MD_RE = re.compile(r"\d\d-\d\d")
SLUG_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def md_days(start: str, end: str) -> set[int]:
    """Day numbers (0..365, in a leap reference year) covered by [start, end), wrapping."""
    ref = 2024
    s = dt.date(ref, int(start[:2]), int(start[3:]))
    e = dt.date(ref, int(end[:2]), int(end[3:]))
    first, last = dt.date(ref, 1, 1), dt.date(ref, 12, 31)
    if s < e:
        spans = [(s, e)]
    else:
        spans = [(s, last + dt.timedelta(days=1)), (first, e)]
    days: set[int] = set()
    for a, b in spans:
        days.update(range((a - first).days, (b - first).days))
    return days


def check(cat: dict) -> None:
    problems: list[str] = []

    def need(ok: bool, msg: str) -> None:
        if not ok:
            problems.append(msg)

    rows = read_csv()
    dests = {d["slug"]: d for d in cat["destinations"]}
    need(
        len(cat["destinations"]) == len(rows) == len(dests),
        "destinations: not one per CSV row, or slugs repeat",
    )
    need(
        set(DESTINATIONS) == set(dests),
        f"destination tables and CSV differ: {set(DESTINATIONS) ^ set(dests)}",
    )
    need(set(cat["themes"]) == set(THEMES), "themes dictionary incomplete")
    need(set(cat["pilot_kinds"]) == set(PILOT_KINDS), "pilot_kinds dictionary incomplete")
    for d in cat["destinations"]:
        s = d["slug"]
        need(d["pilot_kind"] in PILOT_KINDS, f"{s}: unknown pilot kind {d['pilot_kind']}")
        need(
            bool(d["themes"]) and all(t in THEMES for t in d["themes"]),
            f"{s}: unknown theme in {d['themes']}",
        )
        need(
            all(c in cat["certifications"] for c in d["certifications"]),
            f"{s}: unknown certification",
        )
        need(d["directory_status"] in DIRECTORY_STATUSES, f"{s}: bad directory status")
        need(
            d["is_real_place"] or ("（示例）" in d["name_zh"] and "(demo)" in d["name_en"]),
            f"{s}: demo row lost its (demo) naming",
        )
        f = d["facilities"]
        need(0 < f["nearest_hospital_km"] <= 60, f"{s}: implausible hospital distance")
        if d["pilot_kind"] == "eldercare":
            need(
                f["medical_insurance_station"] and f["elder_friendly_rooms"],
                f"{s}: an elder-care institution needs a medical-insurance station and elder-friendly rooms",
            )
        if "sojourn_eldercare_certified" in d["certifications"]:
            need(
                d["pilot_kind"] in ("eldercare", "community"),
                f"{s}: elder-care certification on a {d['pilot_kind']}",
            )

    # packs
    packs = {}
    for p in cat["packs"]:
        need(p["code"] not in packs, f"pack code repeats: {p['code']}")
        packs[p["code"]] = p
        need(p["destination"] in dests, f"pack {p['code']}: unknown destination")
        need(p["kind"] in PACK_KINDS, f"pack {p['code']}: bad kind")
        need(p["basis"] in PACK_BASES, f"pack {p['code']}: bad basis")
        need(isinstance(p["price_fen"], int) and p["price_fen"] > 0, f"pack {p['code']}: bad price")
        need(bool(SLUG_RE.fullmatch(p["code"])), f"pack {p['code']}: code is not a slug")
    need({p["kind"] for p in packs.values()} == set(PACK_KINDS), "not every pack kind is used")
    need({p["basis"] for p in packs.values()} == set(PACK_BASES), "not every pack basis is used")
    with_packs = {p["destination"] for p in packs.values()}
    need(len(with_packs) * 3 >= len(dests) * 2, "packs at fewer than two thirds of destinations")

    # products
    slugs = set()
    per_dest = dict.fromkeys(dests, 0)
    for p in cat["products"]:
        s = p["slug"]
        need(s not in slugs, f"product slug repeats: {s}")
        slugs.add(s)
        need(bool(SLUG_RE.fullmatch(s)), f"{s}: slug is not a slug")
        d = dests.get(p["destination"])
        if d is None:
            problems.append(f"{s}: unknown destination {p['destination']}")
            continue
        per_dest[d["slug"]] += 1
        need(
            p["theme"] in d["themes"],
            f"{s}: theme {p['theme']} is not one of {d['slug']}'s themes {d['themes']}",
        )
        need(p["unit_type"] in UNIT_TYPES, f"{s}: bad unit type")
        need(1 <= p["base_occupancy"] <= p["max_occupancy"], f"{s}: bad occupancy")
        need(
            p["max_occupancy"] > p["base_occupancy"] or p["extra_guest_fee_fen"] == 0,
            f"{s}: extra-guest fee with no room for extra guests",
        )
        need(
            p["min_nights"] >= 1
            and (p["max_nights"] is None or p["max_nights"] >= p["min_nights"]),
            f"{s}: bad min/max nights",
        )
        mods = p["duration_modules"]
        if mods:
            need(
                mods == sorted(set(mods))
                and p["min_nights"] == mods[0]
                and p["max_nights"] == mods[-1],
                f"{s}: modules and min/max disagree",
            )
        need(p["max_discount_bps"] in (2500, 3000, 3500), f"{s}: unusual max_discount_bps")
        rp = p["refund_policy"]
        days = [t["min_days_before_check_in"] for t in rp]
        need(
            bool(rp) and days == sorted(set(days), reverse=True) and days[-1] == 0,
            f"{s}: refund tiers must be sorted by days descending, unique, ending at 0",
        )
        need(all(0 <= t["refund_bps"] <= 10000 for t in rp), f"{s}: refund bps out of range")
        need(
            [t["refund_bps"] for t in rp] == sorted((t["refund_bps"] for t in rp), reverse=True),
            f"{s}: refunds should not grow as check-in nears",
        )
        covered: set[int] = set()
        for w in p["seasons"]:
            ok = MD_RE.fullmatch(w["start_md"]) and MD_RE.fullmatch(w["end_md"])
            try:
                ok = (
                    ok
                    and "02-29" not in (w["start_md"], w["end_md"])
                    and w["start_md"] != w["end_md"]
                )
                span = md_days(w["start_md"], w["end_md"]) if ok else set()
            except ValueError:
                ok, span = False, set()
            need(bool(ok), f"{s}: bad season window {w['start_md']}..{w['end_md']}")
            need(not (covered & span), f"{s}: season {w['name_en']} overlaps another season")
            covered |= span
        for code in p["packs"]:
            pk = packs.get(code)
            need(pk is not None, f"{s}: unknown pack {code}")
            need(
                pk is None or pk["destination"] == p["destination"],
                f"{s}: pack {code} belongs to another destination",
            )
        need(len(p["packs"]) == len(set(p["packs"])), f"{s}: pack listed twice")
        need(1 <= p["units_per_night"] <= 60, f"{s}: implausible inventory")
        rates = [p["base_rate_fen"]] + [w["nightly_rate_fen"] for w in p["seasons"]]
        (lo, hi), (plo, phi) = RATE_BANDS[p["unit_type"]]
        need(
            all(lo * 100 <= r <= hi * 100 for r in rates),
            f"{s}: a nightly rate outside {lo}-{hi} CNY: {rates}",
        )
        need(
            plo * 100 <= max(rates) <= phi * 100,
            f"{s}: peak rate {max(rates)} outside {plo}-{phi} CNY",
        )
        need(all(r % 100 == 0 for r in rates), f"{s}: rates should be whole yuan")
        if p["theme"] == "summer_retreat":
            peak = max(p["seasons"], key=lambda w: w["nightly_rate_fen"], default=None)
            need(
                peak is not None
                and md_days("07-15", "08-15") <= md_days(peak["start_md"], peak["end_md"]),
                f"{s}: a summer-retreat product should peak in July-August",
            )
        if p["theme"] == "ice_snow":
            peak = max(p["seasons"], key=lambda w: w["nightly_rate_fen"], default=None)
            need(
                peak is not None
                and md_days("12-20", "02-10") <= md_days(peak["start_md"], peak["end_md"]),
                f"{s}: an ice-and-snow product should peak in December-February",
            )
    need(
        len(cat["products"]) >= MIN_PRODUCTS,
        f"only {len(cat['products'])} products, need {MIN_PRODUCTS}",
    )
    thin = [k for k, n in per_dest.items() if n < MIN_PRODUCTS_PER_DESTINATION]
    need(not thin, f"destinations with fewer than {MIN_PRODUCTS_PER_DESTINATION} products: {thin}")
    need({p["theme"] for p in cat["products"]} == set(THEMES), "not every theme has a product")
    need(
        {
            dests[p["destination"]]["pilot_kind"]
            for p in cat["products"]
            if p["destination"] in dests
        }
        == set(PILOT_KINDS),
        "not every pilot kind has a product",
    )
    need(
        {p["unit_type"] for p in cat["products"]} == set(UNIT_TYPES), "not every unit type is used"
    )
    need(
        any(p["duration_modules"] for p in cat["products"])
        and any(not p["duration_modules"] and p["min_nights"] >= 10 for p in cat["products"]),
        "need both module products and >10-night range products",
    )

    # transit
    lines = {}
    for ln in cat["transit_lines"]:
        need(ln["code"] not in lines, f"line code repeats: {ln['code']}")
        lines[ln["code"]] = ln
        need(
            len(ln["stops"]) >= 2 and len(set(ln["stops"])) == len(ln["stops"]),
            f"line {ln['code']}: bad stops",
        )
        need(all(s in dests for s in ln["stops"]), f"line {ln['code']}: unknown stop")
        need(ln["fare_fen"] > 0, f"line {ln['code']}: bad fare")
    need(len(lines) >= MIN_TRANSIT_LINES, "too few transit lines")

    issuers = {}
    for i in cat["stub_issuers"]:
        need(i["code"] not in issuers, f"issuer code repeats: {i['code']}")
        issuers[i["code"]] = i
        need(i["kind"] in ISSUER_KINDS, f"issuer {i['code']}: bad kind")
        if i["kind"] == "transit_line":
            need(
                i["transit_line"] in lines and i["destination"] is None,
                f"issuer {i['code']}: bad line reference",
            )
        else:
            need(
                i["destination"] in dests and i["transit_line"] is None,
                f"issuer {i['code']}: bad destination reference",
            )
            if i["destination"] in dests:
                want = {"resort": "resort"}.get(i["kind"])
                need(
                    want is None or dests[i["destination"]]["pilot_kind"] == want,
                    f"issuer {i['code']}: a resort issuer at a non-resort destination",
                )
    need(
        {i["kind"] for i in issuers.values()} == set(ISSUER_KINDS), "not every issuer kind is used"
    )

    stub_codes = set()
    lo, hi = STUB_OFFSET_RANGE
    for st in cat["ticket_stubs"]:
        need(st["code"] not in stub_codes, f"stub code repeats: {st['code']}")
        stub_codes.add(st["code"])
        need(st["code"] == st["code"].upper(), f"stub {st['code']}: not uppercase")
        need(st["issuer"] in issuers, f"stub {st['code']}: unknown issuer")
        need(lo <= st["visit_offset_days"] <= hi, f"stub {st['code']}: offset out of range")
        need(1 <= st["persons"] <= 4, f"stub {st['code']}: persons out of range")
    need(35 <= len(stub_codes) <= 50, f"{len(stub_codes)} stubs; about 40 wanted")
    need({st["issuer"] for st in cat["ticket_stubs"]} == set(issuers), "an issuer has no stubs")

    # rules
    keys = set()
    for r in cat["discount_rules"]:
        k = r["key"]
        need(k not in keys, f"rule key repeats: {k}")
        keys.add(k)
        need(bool(SLUG_RE.fullmatch(k)), f"rule {k}: key is not a slug")
        need(r["kind"] in RULE_KINDS, f"rule {k}: bad kind")
        need(all(c in CHANNELS for c in r["channels"]), f"rule {k}: bad channel")
        sc = r["scope"]
        need(all(x in dests for x in sc["destinations"]), f"rule {k}: unknown destination in scope")
        need(all(x in THEMES for x in sc["themes"]), f"rule {k}: unknown theme in scope")
        need(all(x in slugs for x in sc["products"]), f"rule {k}: unknown product in scope")
        for a, b in (
            ("booking_from_offset_days", "booking_to_offset_days"),
            ("check_in_from_offset_days", "check_in_to_offset_days"),
        ):
            need(r[a] is None or r[b] is None or r[a] <= r[b], f"rule {k}: {a} after {b}")
        tiers = [t["threshold"] for t in r["tiers"]]
        if r["kind"] in ("long_stay", "advance_booking"):
            need(bool(tiers) and tiers == sorted(set(tiers)), f"rule {k}: tiers must ascend")
            need(all(0 < t["bps"] < 10000 for t in r["tiers"]), f"rule {k}: bad tier bps")
            need("bps" not in r, f"rule {k}: tiered rule with flat bps")
        else:
            need(not tiers and 0 < r.get("bps", 0) <= 10000, f"rule {k}: needs a flat bps")
        need(
            ("min_destinations" in r) == (r["kind"] == "trip_bundle")
            and r.get("min_destinations", 2) >= 2,
            f"rule {k}: min_destinations",
        )
        need(
            ("min_packs" in r) == (r["kind"] == "pack_bundle") and r.get("min_packs", 2) >= 2,
            f"rule {k}: min_packs",
        )
        if r["kind"] == "ticket_stub":
            need(r.get("issuer") in issuers, f"rule {k}: unknown issuer")
            need(all(c in lines for c in r["transit_lines"]), f"rule {k}: unknown line")
            need(all(c in PACK_KINDS for c in r["pack_kinds"]), f"rule {k}: unknown pack kind")
            need(
                bool(r["transit_lines"]) != bool(r["pack_kinds"]),
                f"rule {k}: name lines or pack kinds",
            )
            need(r.get("valid_days", -1) >= 0, f"rule {k}: valid_days")
            need(not any(sc.values()), f"rule {k}: ticket_stub rules carry no scope")
        else:
            need(
                "issuer" not in r
                and not r["transit_lines"]
                and not r["pack_kinds"]
                and "valid_days" not in r,
                f"rule {k}: stub fields on a {r['kind']} rule",
            )
    kinds = [r["kind"] for r in cat["discount_rules"]]
    need(set(kinds) == set(RULE_KINDS), "not every rule kind is present")
    need(kinds.count("ticket_stub") >= MIN_TICKET_STUB_RULES, "too few ticket-stub rules")
    need(
        any(r["channels"] == ["miniprogram"] for r in cat["discount_rules"]),
        "no mini-program-only rule",
    )
    need(
        {r.get("min_destinations") for r in cat["discount_rules"] if r["kind"] == "trip_bundle"}
        >= {2, 3},
        "trip bundles for 2 and 3 destinations wanted",
    )
    stub_rules = [r for r in cat["discount_rules"] if r["kind"] == "ticket_stub"]
    need(
        any(
            issuers[r.get("issuer")]["kind"] != "transit_line" and r["transit_lines"]
            for r in stub_rules
            if r.get("issuer") in issuers
        ),
        "no scenic-area/resort -> line stub deal",
    )
    need(
        any(
            issuers[r.get("issuer")]["kind"] == "transit_line" and r["pack_kinds"]
            for r in stub_rules
            if r.get("issuer") in issuers
        ),
        "no line -> pack stub deal",
    )

    if problems:
        raise SystemExit("catalogue self-check failed:\n  - " + "\n  - ".join(problems))


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def render(cat: dict) -> str:
    return json.dumps(cat, ensure_ascii=False, indent=1) + "\n"


def counts_table(cat: dict) -> str:
    def count(items, key):
        out: dict[str, int] = {}
        for it in items:
            out[key(it)] = out.get(key(it), 0) + 1
        return out

    kind_of = {d["slug"]: d["pilot_kind"] for d in cat["destinations"]}
    rows = [("destinations", len(cat["destinations"]))]
    rows += [
        (f"destinations, {k}", n)
        for k, n in count(cat["destinations"], lambda d: d["pilot_kind"]).items()
    ]
    rows += [
        (f"destinations, {k}", n)
        for k, n in count(cat["destinations"], lambda d: d["directory_status"]).items()
    ]
    rows.append(("products", len(cat["products"])))
    by_theme = count(cat["products"], lambda p: p["theme"])
    rows += [(f"products, theme {k}", by_theme.get(k, 0)) for k in THEMES]
    by_kind = count(cat["products"], lambda p: kind_of[p["destination"]])
    rows += [(f"products, pilot kind {k}", by_kind.get(k, 0)) for k in PILOT_KINDS]
    by_unit = count(cat["products"], lambda p: p["unit_type"])
    rows += [(f"products, unit {k}", by_unit.get(k, 0)) for k in UNIT_TYPES]
    rows.append(
        ("products with duration modules", sum(1 for p in cat["products"] if p["duration_modules"]))
    )
    rows.append(
        (
            "products with a min/max range",
            sum(1 for p in cat["products"] if not p["duration_modules"]),
        )
    )
    rows.append(("packs", len(cat["packs"])))
    by_pk = count(cat["packs"], lambda p: p["kind"])
    rows += [(f"packs, kind {k}", by_pk.get(k, 0)) for k in PACK_KINDS]
    by_basis = count(cat["packs"], lambda p: p["basis"])
    rows += [(f"packs, basis {k}", by_basis.get(k, 0)) for k in PACK_BASES]
    rows.append(("destinations with packs", len({p["destination"] for p in cat["packs"]})))
    rows.append(("transit lines", len(cat["transit_lines"])))
    rows.append(("stub issuers", len(cat["stub_issuers"])))
    by_ik = count(cat["stub_issuers"], lambda i: i["kind"])
    rows += [(f"stub issuers, {k}", by_ik.get(k, 0)) for k in ISSUER_KINDS]
    rows.append(("ticket stubs", len(cat["ticket_stubs"])))
    rows.append(
        (
            "ticket stubs usable on the load day (offset <= 0)",
            sum(1 for s in cat["ticket_stubs"] if s["visit_offset_days"] <= 0),
        )
    )
    rows.append(("discount rules", len(cat["discount_rules"])))
    by_rk = count(cat["discount_rules"], lambda r: r["kind"])
    rows += [(f"discount rules, {k}", by_rk.get(k, 0)) for k in RULE_KINDS]
    width = max(len(r[0]) for r in rows)
    out = [f"| {'what'.ljust(width)} | count |", f"| {'-' * width} | ----: |"]
    out += [f"| {name.ljust(width)} | {n:5d} |" for name, n in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cat = build()
    check(cat)
    text = render(cat)
    if "--check" in argv:
        current = OUT_PATH.read_text(encoding="utf-8") if OUT_PATH.exists() else None
        if current != text:
            print(
                f"{OUT_PATH.name} is out of date: run python -m catalog.demo.build", file=sys.stderr
            )
            return 1
        print(f"{OUT_PATH.name} is up to date")
        return 0
    OUT_PATH.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT_PATH}")
    print(counts_table(cat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
