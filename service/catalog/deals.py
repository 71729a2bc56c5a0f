"""Use cases of the transit and discount part of the catalogue: transit lines with their
stops, ticket-stub deals and the published discount rules (明码标价)."""

from sqlmodel import Session

from catalog import queries as q
from catalog.models import StubIssuer, TransitLine
from service.catalog import schemas as out
from service.catalog.service import dest_ref, page_of
from service.i18n import Lang, pick
from service.pagination import Listing

RULE_KIND_NAMES: dict[str, tuple[str, str]] = {
    "long_stay": ("长住折扣", "Long-stay discount"),
    "advance_booking": ("预订优惠", "Advance-booking discount"),
    "trip_bundle": ("组合优惠（多目的地）", "Bundle discount (several destinations)"),
    "pack_bundle": ("组合优惠（增值包）", "Bundle discount (add-on packs)"),
    "ticket_stub": ("票根联动优惠", "Ticket-stub deal"),
}


# --- transit lines, stub deals, published rules ------------------------------------


def list_transit_lines(
    s: Session, lang: Lang, *, cursor: str | None, limit: int
) -> out.TransitLinePage:
    listing = Listing("/v1/transit-lines")
    rows = q.list_transit_lines(s, after_id=listing.after_id(cursor), limit=limit + 1)
    page, nxt = page_of(rows, limit, lambda x: [x.id], listing)
    stops = q.stops_of(s, (x.id for x in page))
    return out.TransitLinePage(
        items=[
            out.TransitLineOut(
                id=x.id,
                code=x.code,
                name=pick(lang, x.name_zh, x.name_en),
                name_zh=x.name_zh,
                name_en=x.name_en,
                fare_fen=x.fare_fen,
                stops=[
                    out.TransitStopOut(
                        seq=seq,
                        destination_id=d.id,
                        destination_slug=d.slug,
                        destination_name=pick(lang, d.name_zh, d.name_en),
                    )
                    for seq, d in stops.get(x.id, [])
                ],
            )
            for x in page
        ],
        next=nxt,
    )


class _RuleContext:
    """Batch-loaded rows that a page of rules refers to."""

    def __init__(self, s: Session, lang: Lang, rules: list[q.PublishedRule]) -> None:
        self.lang = lang
        terms = [r.terms for r in rules]
        self.issuers = q.issuers_by_ids(s, (t.issuer_id for t in terms if t.issuer_id))
        line_ids = {i for t in terms for i in t.transit_line_ids or []}
        line_ids |= {i.transit_line_id for i in self.issuers.values() if i.transit_line_id}
        self.lines = q.lines_by_ids(s, line_ids)
        dest_ids = {i for t in terms for i in t.destination_ids or []}
        dest_ids |= {i.destination_id for i in self.issuers.values() if i.destination_id}
        self.dests = q.destinations_by_ids(s, dest_ids)
        self.product_slugs = q.product_slugs(s, (i for t in terms for i in t.product_ids or []))

    def line(self, line: TransitLine) -> out.LineRef:
        return out.LineRef(
            id=line.id, code=line.code, name=pick(self.lang, line.name_zh, line.name_en)
        )

    def lines_of(self, ids: list[int] | None) -> list[out.LineRef]:
        return [self.line(self.lines[i]) for i in sorted(ids or []) if i in self.lines]

    def issuer(self, issuer_id: int | None) -> out.IssuerOut | None:
        i: StubIssuer | None = self.issuers.get(issuer_id) if issuer_id else None
        if i is None:
            return None
        dest = self.dests.get(i.destination_id) if i.destination_id else None
        line = self.lines.get(i.transit_line_id) if i.transit_line_id else None
        return out.IssuerOut(
            id=i.id,
            code=i.code,
            kind=i.kind,
            name=pick(self.lang, i.name_zh, i.name_en),
            destination=dest_ref(self.lang, dest) if dest else None,
            transit_line=self.line(line) if line else None,
        )


def list_stub_deals(s: Session, lang: Lang, *, cursor: str | None, limit: int) -> out.StubDealPage:
    listing = Listing("/v1/stub-deals")
    after = listing.after_id(cursor)
    rows = q.published_rules(s, kinds=[q.TICKET_STUB], after_id=after, limit=limit + 1)
    page, nxt = page_of(rows, limit, lambda r: [r.rule.id], listing)
    ctx = _RuleContext(s, lang, page)
    return out.StubDealPage(
        items=[
            out.StubDealOut(
                rule_id=r.rule.id,
                key=r.rule.key,
                version=t.version,
                name=pick(lang, t.name_zh, t.name_en),
                description=pick(lang, t.description_zh, t.description_en),
                issuer=ctx.issuer(t.issuer_id),
                transit_lines=ctx.lines_of(t.transit_line_ids),
                pack_kinds=sorted(t.pack_kinds or []),
                bps=t.bps,
                valid_days=t.valid_days,
                channels=sorted(t.channels or []),
                booking_from=t.booking_from,
                booking_to=t.booking_to,
            )
            for r in page
            for t in [r.terms]
        ],
        next=nxt,
    )


def _rule_tiers(tiers: list[dict] | None) -> list[out.RuleTier]:
    result = []
    for t in tiers or []:
        if not isinstance(t, dict):
            continue
        threshold = next((t[k] for k in ("threshold", "min_nights", "min_days_ahead") if k in t), 0)
        result.append(out.RuleTier(threshold=int(threshold), bps=int(t.get("bps", 0))))
    return sorted(result, key=lambda x: x.threshold)


def list_discount_rules(
    s: Session, lang: Lang, *, kind: str | None, cursor: str | None, limit: int
) -> out.DiscountRulePage:
    listing = Listing("/v1/discount-rules", {"kind": kind})
    rows = q.published_rules(
        s, kinds=[kind] if kind else None, after_id=listing.after_id(cursor), limit=limit + 1
    )
    page, nxt = page_of(rows, limit, lambda r: [r.rule.id], listing)
    ctx = _RuleContext(s, lang, page)
    items = []
    for r in page:
        t = r.terms
        kind_zh, kind_en = RULE_KIND_NAMES.get(r.rule.kind, (r.rule.kind, r.rule.kind))
        items.append(
            out.DiscountRuleOut(
                id=r.rule.id,
                key=r.rule.key,
                kind=r.rule.kind,
                kind_name=pick(lang, kind_zh, kind_en),
                version=t.version,
                name=pick(lang, t.name_zh, t.name_en),
                name_zh=t.name_zh,
                name_en=t.name_en,
                description=pick(lang, t.description_zh, t.description_en),
                tiers=_rule_tiers(t.tiers),
                bps=t.bps,
                min_destinations=t.min_destinations,
                min_packs=t.min_packs,
                scope=out.RuleScope(
                    destinations=[
                        ctx.dests[i].slug for i in sorted(t.destination_ids or []) if i in ctx.dests
                    ],
                    themes=sorted(t.themes or []),
                    products=[
                        ctx.product_slugs[i]
                        for i in sorted(t.product_ids or [])
                        if i in ctx.product_slugs
                    ],
                ),
                channels=sorted(t.channels or []),
                booking_from=t.booking_from,
                booking_to=t.booking_to,
                check_in_from=t.check_in_from,
                check_in_to=t.check_in_to,
                issuer=ctx.issuer(t.issuer_id),
                transit_lines=ctx.lines_of(t.transit_line_ids),
                pack_kinds=sorted(t.pack_kinds or []),
                valid_days=t.valid_days,
            )
        )
    return out.DiscountRulePage(items=items, next=nxt)
