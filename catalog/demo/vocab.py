"""The demo catalogue's closed vocabularies, price bands and the minimums its self-checks
enforce (see ``build.py``)."""

from __future__ import annotations

from catalog.vocab import (
    CERTIFICATION_NAMES,
    PILOT_KIND_NAMES,
    THEME_NAMES,
    Channel,
    DirectoryStatus,
    IssuerKind,
    PackBasis,
    PackKind,
    RuleKind,
    UnitType,
)

# --------------------------------------------------------------------------------------
# Closed vocabularies
# --------------------------------------------------------------------------------------

# The domain's vocabularies are defined once, in ``catalog.vocab``; the demo reads them.
THEMES = THEME_NAMES
PILOT_KINDS = PILOT_KIND_NAMES

CERTIFICATIONS = CERTIFICATION_NAMES

UNIT_TYPES = tuple(UnitType)
PACK_KINDS = tuple(PackKind)
PACK_BASES = tuple(PackBasis)
CHANNELS = tuple(Channel)
RULE_KINDS = tuple(RuleKind)
ISSUER_KINDS = tuple(IssuerKind)
DIRECTORY_STATUSES = tuple(DirectoryStatus)

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
