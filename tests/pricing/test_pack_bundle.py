"""pack_bundle: bps of the item's gross add-on subtotal once it has min_packs packs."""

from pricing import RuleKind, Tier

from .factories import discount_lines, item, quote, request, rule

BUNDLE = RuleKind.pack_bundle


def test_pack_bundle_starts_at_exactly_min_packs():
    q = quote(request(item(pack_ids=(101, 103))), [rule(BUNDLE, min_packs=2, bps=1000)])
    (line,) = discount_lines(q)
    assert (line.base_fen, line.amount_fen, line.applies_to) == (85_000, 8_500, "packs")
    assert line.label_zh == "组合优惠（2个增值包，10.00%）"


def test_pack_bundle_needs_min_packs():
    q = quote(request(item(pack_ids=(101,))), [rule(BUNDLE, min_packs=2)])
    assert discount_lines(q) == []


def test_pack_bundle_is_taken_on_gross_packs_whatever_the_accommodation_discounts():
    rules = [rule(RuleKind.long_stay, id=1), rule(BUNDLE, id=2, min_packs=1, bps=1000)]
    q = quote(request(item(pack_ids=(101,))), rules)
    assert discount_lines(q, BUNDLE)[0].base_fen == 60_000


def test_pack_bundle_does_not_count_toward_the_accommodation_cap():
    rules = [rule(RuleKind.long_stay, id=1, tiers=(Tier(7, 3000),))]
    rules.append(rule(BUNDLE, id=2, min_packs=1, bps=5000))
    q = quote(request(item(pack_ids=(101,))), rules)
    (priced,) = q.items
    assert priced.accommodation_discount_fen == priced.cap_fen
    assert priced.packs_discount_fen == 30_000


def test_of_two_pack_bundles_the_larger_saving_applies_ties_to_lower_id():
    rules = [
        rule(BUNDLE, id=5, bps=1000),
        rule(BUNDLE, id=3, bps=1000),
        rule(BUNDLE, id=1, bps=900),
    ]
    (line,) = discount_lines(quote(request(item(pack_ids=(101,))), rules))
    assert line.rule_id == 3


def test_item_without_packs_gets_no_pack_bundle_line():
    assert discount_lines(quote(request(item()), [rule(BUNDLE, min_packs=1)])) == []
