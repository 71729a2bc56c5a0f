"""The demo catalogue's closed vocabularies, price bands and the minimums its self-checks
enforce (see ``build.py``)."""

from __future__ import annotations

from catalog.vocab import CERTIFICATION_NAMES

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

CERTIFICATIONS = CERTIFICATION_NAMES

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
