"""OpenAPI examples of the catalogue responses (json_schema_extra)."""

DEST_EXAMPLE = {
    "id": 1,
    "slug": "changbaishan-north",
    "name": "长白山北景区·二道白河",
    "name_zh": "长白山北景区·二道白河",
    "name_en": "Changbai Mountain North (Erdaobaihe)",
    "pilot_kind": "resort",
    "pilot_kind_name": "度假区",
    "prefecture": "长白山管委会",
    "prefecture_name": "长白山管委会",
    "lat": 42.4,
    "lon": 128.11,
    "themes": ["forest_healing", "hot_spring"],
    "theme_names": ["森林疗愈", "温泉养生"],
    "corridors": ["changbai"],
    "directory_status": "mature",
    "product_count": 4,
    "nearest_hospital_km": 3.5,
    "distance_km": None,
}

FACILITIES_EXAMPLE = {
    "nearest_hospital_km": 3.5,
    "medical_insurance_station": True,
    "cross_province_settlement": True,
    "elder_friendly_rooms": True,
    "has_5g": True,
}

DEST_REF_EXAMPLE = {
    "id": 1,
    "slug": "changbaishan-north",
    "name": "长白山北景区·二道白河",
    "pilot_kind": "resort",
    "prefecture": "长白山管委会",
    "prefecture_name": "长白山管委会",
}

PRODUCT_EXAMPLE = {
    "id": 7,
    "slug": "changbai-forest-cabin",
    "name": "长白山森林疗愈木屋",
    "name_zh": "长白山森林疗愈木屋",
    "name_en": "Changbai forest-healing cabin",
    "theme": "forest_healing",
    "theme_name": "森林疗愈",
    "unit_type": "cabin",
    "unit_type_name": "木屋",
    "base_occupancy": 2,
    "max_occupancy": 3,
    "base_rate_fen": 38000,
    "extra_guest_fee_fen": 8000,
    "durations": {"min_nights": None, "max_nights": None, "modules": [7, 14, 21, 28]},
    "accessibility": {
        "step_free": False,
        "lift": False,
        "grab_bars": False,
        "twin_beds": False,
        "accessible_bathroom": False,
    },
    "destination": DEST_REF_EXAMPLE,
}

# A refund policy, highest tier first (the product's, and each stay of a quote's).
REFUND_POLICY_EXAMPLE = [
    {"min_days_before_check_in": 30, "refund_bps": 10000},
    {"min_days_before_check_in": 7, "refund_bps": 5000},
    {"min_days_before_check_in": 0, "refund_bps": 0},
]

LINE_EXAMPLE = {
    "id": 1,
    "code": "L1",
    "name": "长白山旅游专线",
    "name_zh": "长白山旅游专线",
    "name_en": "Changbai tourist shuttle",
    "fare_fen": 5600,
    "stops": [
        {
            "seq": 0,
            "destination_id": 1,
            "destination_slug": "changbaishan-north",
            "destination_name": "长白山北景区·二道白河",
        }
    ],
}

ISSUER_EXAMPLE = {
    "id": 1,
    "code": "CBS-NORTH",
    "kind": "scenic_area",
    "name": "长白山北景区",
    "destination": DEST_REF_EXAMPLE,
    "transit_line": None,
}

STUB_DEAL_EXAMPLE = {
    "rule_id": 4,
    "key": "stub-changbai-l1",
    "version": 1,
    "name": "长白山票根乘专线半价",
    "description": "",
    "issuer": ISSUER_EXAMPLE,
    "transit_lines": [{"id": 1, "code": "L1", "name": "长白山旅游专线"}],
    "pack_kinds": [],
    "bps": 5000,
    "valid_days": 3,
    "channels": [],
    "booking_from": None,
    "booking_to": None,
}

RULE_EXAMPLE = {
    "id": 1,
    "key": "long-stay-2027",
    "kind": "long_stay",
    "kind_name": "长住折扣",
    "version": 2,
    "name": "长住优惠",
    "name_zh": "长住优惠",
    "name_en": "Long-stay discount",
    "description": "住满10晚起享折扣。",
    "tiers": [{"threshold": 10, "bps": 500}, {"threshold": 21, "bps": 1000}],
    "bps": 0,
    "min_destinations": 0,
    "min_packs": 0,
    "scope": {"destinations": [], "themes": ["forest_healing"], "products": []},
    "channels": [],
    "booking_from": "2027-01-01",
    "booking_to": None,
    "check_in_from": None,
    "check_in_to": "2027-12-31",
    "issuer": None,
    "transit_lines": [],
    "pack_kinds": [],
    "valid_days": 0,
}
