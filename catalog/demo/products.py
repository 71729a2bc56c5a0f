"""The demo stay products, one ``P(...)`` call each (see ``build.py`` for how they are
expanded into catalogue rows)."""

# ruff: noqa: E501  (bilingual data tables read better unwrapped)

from __future__ import annotations

# fmt: off

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


# 长白山北景区·二道白河 — the forest cabin is the worked example of docs/pricing.md.
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

# fmt: on
