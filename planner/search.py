"""The exact search for the cheapest plans (see docs/planner.md for why it is exact).

1. **Stay costs.** For each eligible product and each possible stay ``(a, n)`` in the
   window (check-in day index ``a``, ``n`` nights) the stay's net price without ticket
   stubs, for a plan at ``D`` distinct destinations, is computed in bulk with numpy: the
   accommodation from prefix sums of the nightly rates, the chosen packs, then the
   accommodation discounts (long stay, advance booking, trip bundle at ``D``) under the
   product's cap and the pack bundle, in the engine's order and rounding. Stays that
   are not sellable (``catalog.sellability``), too short, or not an allowed length are
   infinite. Without stubs a plan's total is exactly the sum of its stays' costs plus
   its legs' fares (every discount but a stub is decided per item).
2. **Bounds.** Each product gets ``r``, a lower bound of its cost per night of any of
   its stays at the most destinations a plan can have (costs only fall with more
   destinations), from its terms without costing its stays (exact for the products
   that give the lowest, ``r_min``), and ``l`` = its shortest possible stay. A sequence
   of products costs at least its legs + sum(l*r) + (nights_min - sum(l)) * min(r); a
   prefix of a sequence at least its legs + sum(l*r) + (nights_min - sum(l)) * r_min.
3. **Best-first over product sequences.** Prefixes are expanded in order of their
   bound (a product already in the prefix, or a destination it has left, is not a
   child: docs/planner.md, "What a plan is"); a complete sequence is evaluated
   exactly: a min-plus product of its stays' cost matrices over the days finds its
   cheapest dates and split (ties: the earliest first check-in, then the shortest
   first stay, then the next...). Stubs can only
   lower a total, by at most ``B`` (the most each presented stub could save): with
   stubs, every split within ``B`` of the sequence's best is priced by the engine.
4. **Stop.** Once ``limit`` plans are known, the search stops when the next bound,
   less ``B``, is above the ``limit``-th total: nothing left can beat or tie it.
5. **Fitting the dates** (``fill``, ``planner/fill.py``): the same search at each total
   the products' lengths could make, the longest first, until one has a plan.

Every returned plan is priced by the pricing engine (``pricing.price_quote``); without
stubs its total must equal the search's (a mismatch is a bug and raises).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

import numpy as np

import pricing
from catalog.sellability import SaleCalendar, SaleTerms
from planner.budget import WorkBudget
from planner.fill import fill
from planner.kernels import _HALF, INF, _min_plus, _most_bps, _splits, _tiers
from planner.model import (
    Catalogue,
    Offer,
    Plan,
    PlanRequest,
    SearchResult,
    SearchStats,
    build_plan_request,
    choose_packs,
    eligible_offers,
    largest_occupancy,
    line_table,
    rules_open,
    unserved_destinations,
)
from planner.state import PlanningBug, _Found, _Product

# Calendars read at once when the search needs one it has not read (the products it is
# likely to cost next come along): a few round trips for the ~150 of 2,778 candidates
# the no-needs province request costs.
_READ_AHEAD = 128

# Elements of one (products, W, NM+1) block of the batched validity (booleans): bounds the
# memory of the arrays computed for every candidate at once; the costs of a batch are
# computed only for its possible stays (a fraction of the block).
_BATCH = 1 << 19


class Planner:
    """One planning request over one catalogue (build, then ``run``)."""

    def __init__(
        self,
        request: PlanRequest,
        catalogue: Catalogue,
        calendars: Callable[[Sequence[Offer]], Mapping[int, SaleCalendar]] | None = None,
        budget: WorkBudget | None = None,
    ) -> None:
        """``calendars``: when given, the offers of ``catalogue`` may come without their
        sale calendars (``None``): the search reads them through it (offers in, the
        calendars of the window by product id out) only for the products it costs, in
        batches, and bounds the others from what every calendar allows at most."""
        self.request = request
        self.catalogue = catalogue
        self.read_calendars = calendars
        self.budget = budget if budget is not None else WorkBudget()
        self.W = request.window_days
        self.NM = min(request.nights_max, self.W)
        self.rules = rules_open(request, catalogue.rules)
        self.lines = line_table(catalogue.lines)
        self.offers = {o.id: o for o in catalogue.offers}
        self.stats = SearchStats()
        self._matrix_cache: dict[tuple[int, int], np.ndarray] = {}
        self._cost_cache: dict[tuple[int, int], np.ndarray] = {}
        self._masks: dict[tuple[int, int], np.ndarray | None] = {}
        self._lengths: dict[tuple, np.ndarray] = {}
        self.products: list[_Product] = []
        self.empty_stage: str | None = None
        self.engine_products = {o.id: o.terms for o in catalogue.offers}
        self.engine_lines = {line.terms.id: line.terms for line in catalogue.lines}

    # --- stay costs ----------------------------------------------------------------------
    #
    # Computed for a batch of offers at once: which stays are possible as a (P, W, NM+1)
    # boolean array over the offers P, check-in days a and nights n, then the costs of
    # the possible stays only, as flat arrays over those cells (a stay past the window,
    # too short, of a length the product does not sell or not on sale is never costed).
    # The search computes them for every candidate once (to bound it) and keeps only the
    # validity and the two bounds; the costs of the few products it expands are computed
    # again for them alone.

    def _valid(self, offers: Sequence[Offer]) -> np.ndarray:
        """(P, W, NM+1) bool: the stay (a, n) is sellable with the units (the shared
        check, bulk form), at least ``min_nights_per_stay`` and a length allowed. The
        calendars may reach beyond the window (nudges look a week either side)."""
        req = self.request
        W, NM = self.W, self.NM
        start = req.earliest_check_in
        P = len(offers)
        flags = np.ones((P, W), dtype=np.int64)  # days outside a calendar are blocked
        arrival = np.ones((P, W), dtype=bool)
        departure = np.ones((P, W + 1), dtype=bool)
        lengths = np.empty((P, NM + 1), dtype=bool)
        whole: list[int] = []  # the offers whose calendar covers the window: at once
        prefixes: list[list[int]] = []
        for j, offer in enumerate(offers):
            cal = offer.calendar
            off = (start - cal.start).days
            lo_i, hi_i = max(0, -off), min(W, len(cal.left) - off)
            if lo_i == 0 and hi_i == W:
                whole.append(j)
                prefixes.append(cal.blocked_prefix(req.units)[off : off + W + 1])
            elif lo_i < hi_i:
                prefix = np.asarray(cal.blocked_prefix(req.units), dtype=np.int64)
                flags[j, lo_i:hi_i] = np.diff(prefix[off + lo_i : off + hi_i + 1])
            for day, restriction in cal.restrictions.items():
                i = (day - start).days
                if 0 <= i < W and restriction.closed_to_arrival:
                    arrival[j, i] = cal.arrival_ok(day)
                if 0 <= i <= W and restriction.closed_to_departure:
                    departure[j, i] = cal.departure_ok(day)
            t = cal.terms
            key = (t.min_nights, t.max_nights, t.duration_modules)
            allowed = self._lengths.get(key)
            if allowed is None:
                allowed = np.array([terms_allows(cal, n) for n in range(NM + 1)])
                self._lengths[key] = allowed
            lengths[j] = allowed
        if whole:
            flags[whole] = np.diff(np.array(prefixes, dtype=np.int64), axis=1)
        # free[j, a]: nights from day a up to the first blocked one (W - a if none): a
        # stay (a, n) has every night usable iff n <= free[j, a].
        days = np.arange(W)
        first_blocked = np.where(flags > 0, days[None, :], W)
        first_blocked = np.minimum.accumulate(first_blocked[:, ::-1], axis=1)[:, ::-1]
        free = first_blocked - days[None, :]
        a_idx = days[:, None]
        n_idx = np.arange(NM + 1)[None, :]
        t_idx = a_idx + n_idx
        shape = (t_idx <= W) & (n_idx >= max(1, req.min_nights_per_stay))  # (W, NM+1)
        valid = shape[None] & lengths[:, None, :]
        valid &= n_idx[None] <= free[:, :, None]
        if not arrival.all():
            valid &= arrival[:, :, None]
        if not departure.all():
            valid &= departure[:, np.minimum(t_idx, W)]
        for j, offer in enumerate(offers):
            cal = offer.calendar
            for day, restriction in cal.restrictions.items():
                i = (day - start).days
                if not 0 <= i < W:
                    continue
                if restriction.min_stay or restriction.max_stay:
                    for n in range(NM + 1):
                        if valid[j, i, n] and not cal.length_ok(day, n):
                            valid[j, i, n] = False
                if restriction.min_stay_through:
                    # every stay through night i is at least min_stay_through nights
                    valid[j] &= ~(
                        (a_idx <= i) & (t_idx > i) & (n_idx < restriction.min_stay_through)
                    )
        return valid

    def _base(self, offers: Sequence[Offer], cells: tuple[np.ndarray, ...]) -> dict:
        """The arrays the stay costs of ``offers`` are computed from, over ``cells`` =
        ``(j, a, n)``: index arrays of the stays wanted (offer ``offers[j]``, check-in
        day ``a``, ``n`` nights, ``a + n <= W``; only those, never the whole
        ``(offers, W, NM+1)`` box): accommodation, cap, the long-stay and advance
        discounts taken, the packs net of their bundle discount, the trip rules (bps
        and which cells they cover)."""
        req = self.request
        W, NM = self.W, self.NM
        P = len(offers)
        j, a, n = cells
        start = req.earliest_check_in
        rates, fee, max_bps = self._terms(offers)
        packs = np.zeros((P, NM + 1), dtype=np.int64)
        if req.pack_kinds:
            for k, offer in enumerate(offers):
                for nights in range(1, NM + 1):
                    packs[k, nights] = choose_packs(
                        offer.terms, req.pack_kinds, req.guests, nights
                    )[1]
        # The prefix sums of the nightly rates.
        prefix = np.zeros((P, W + 1), dtype=np.int64)
        np.cumsum(rates, axis=1, out=prefix[:, 1:])
        flat = prefix.ravel()
        row = j * (W + 1) + a
        acc = (flat[row + n] - flat[row]) * req.units + fee[j] * n
        # Rules by kind, with the cells they cover (check-in window over a, offers).
        scoped: dict[str, list] = {k: [] for k in pricing.RuleKind}
        for rule, mask, covers in self._scoped(offers):
            scoped[rule.kind].append((rule, covers[j] & mask[a]))
        ls_bps = np.zeros_like(acc)
        for rule, on in scoped[pricing.RuleKind.long_stay]:
            by_n = _tiers(rule, np.arange(NM + 1))
            np.maximum(ls_bps, np.where(on, by_n[n], 0), out=ls_bps)
        adv_bps = np.zeros_like(acc)
        ahead0 = (start - req.booking_date).days
        for rule, on in scoped[pricing.RuleKind.advance_booking]:
            by_a = _tiers(rule, ahead0 + np.arange(W))
            np.maximum(adv_bps, np.where(on, by_a[a], 0), out=adv_bps)
        pb_bps = np.zeros_like(acc)
        m = len(req.pack_kinds)
        for rule, on in scoped[pricing.RuleKind.pack_bundle]:
            if m >= rule.min_packs:
                np.maximum(pb_bps, np.where(on, rule.bps, 0), out=pb_bps)
        trip = [
            (rule.min_destinations, rule.bps, on)
            for rule, on in scoped[pricing.RuleKind.trip_bundle]
        ]
        cap = (acc * max_bps[j] + 5000) // 10000
        running = acc.copy()
        taken = np.zeros_like(acc)
        for bps in (ls_bps, adv_bps):
            raw = (running * bps + 5000) // 10000
            amount = np.minimum(raw, cap - taken)
            taken += amount
            running -= amount
        stay_packs = packs[j, n]
        pack_discount = (stay_packs * pb_bps + 5000) // 10000
        return {
            "acc": acc,
            "cap": cap,
            "taken": taken,
            "running": running,
            "packs": stay_packs - pack_discount,
            "trip": trip,
        }

    def _terms(self, offers: Sequence[Offer]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per offer: the nightly rate of each day of the window (its season's, else the
        base rate; a later season over an earlier one), the extra-guest fee of the party
        per night, and the cap (bps)."""
        req = self.request
        W, start = self.W, req.earliest_check_in
        P = len(offers)
        rates = np.empty((P, W), dtype=np.int64)
        fee = np.empty(P, dtype=np.int64)
        max_bps = np.empty(P, dtype=np.int64)
        for k, offer in enumerate(offers):
            terms = offer.terms
            rates[k] = terms.base_rate_fen
            for season in terms.seasons:
                lo = max((season.start - start).days, 0)
                hi = min((season.end - start).days, W)
                if lo < hi:
                    rates[k, lo:hi] = season.nightly_rate_fen
            extra = max(0, req.guests - terms.base_occupancy * req.units)
            fee[k] = terms.extra_guest_fee_fen * extra
            max_bps[k] = terms.max_discount_bps
        return rates, fee, max_bps

    def _scoped(self, offers: Sequence[Offer]) -> list[tuple]:
        """The rules (no stubs) that can apply to a stay of ``offers`` in the window:
        ``(rule, check-in mask over the window, which offers it covers)``."""
        out = []
        for rule in self.rules:
            if rule.kind == pricing.RuleKind.ticket_stub:
                continue
            mask = self._check_in_mask(rule)
            if mask is None:
                continue
            covers = np.array([pricing.rule_covers(rule, o.terms) for o in offers])
            if covers.any():
                out.append((rule, mask, covers))
        return out

    def _rate_floors(self, offers: Sequence[Offer], valid: np.ndarray) -> np.ndarray:
        """Per offer, a lower bound of its cost per night (floored) of every possible
        stay (``valid``: (P, W, NM+1)) at ``d_max`` destinations, from its terms alone:
        the cheapest night of the window times the units plus the extra-guest fee, less
        the most the discounts could take: the highest bps each kind of rule covering it
        could give (long stay up to its longest possible stay, advance booking up to the
        window's last check-in, trip bundle at ``d_max``) taken one after the other, or
        its cap if that takes less. Each of the three roundings (half up) takes at most
        half a fen more than its exact share and packs cost at least nothing, so the
        floor is below every stay's cost per night (``_exact_rates`` gives the exact
        one)."""
        req = self.request
        W, NM = self.W, self.NM
        rates, fee, max_bps = self._terms(offers)
        cheapest = rates.min(axis=1) * req.units + fee
        longest = np.where(valid.any(axis=1), np.arange(NM + 1)[None, :], 0).max(axis=1)
        ahead = (req.earliest_check_in - req.booking_date).days + W - 1
        P = len(offers)
        most = {kind: np.zeros(P, dtype=np.int64) for kind in pricing.RuleKind}
        for rule, _, covers in self._scoped(offers):
            if rule.kind == pricing.RuleKind.long_stay:
                bps = np.array([_most_bps(rule, n) for n in longest], dtype=np.int64)
            elif rule.kind == pricing.RuleKind.advance_booking:
                bps = np.full(P, _most_bps(rule, ahead), dtype=np.int64)
            elif rule.kind == pricing.RuleKind.trip_bundle:
                bps = np.full(P, rule.bps if self.d_max >= rule.min_destinations else 0)
            else:
                continue  # pack bundle: packs are bounded below by nothing
            np.maximum(most[rule.kind], np.where(covers, bps, 0), out=most[rule.kind])
        keep = np.ones(P)
        for kind in (
            pricing.RuleKind.long_stay,
            pricing.RuleKind.advance_booking,
            pricing.RuleKind.trip_bundle,
        ):
            keep *= (10000 - most[kind]) / 10000
        keep = np.maximum(keep, (10000 - max_bps) / 10000)
        # 1.5 fen for the roundings, 1 more for the float arithmetic.
        return np.floor(cheapest * keep - 2.5).astype(np.int64)

    def _exact_rates(self, products: Sequence[_Product]) -> None:
        """Set each product's ``rate_lb`` to the exact lowest cost per night (floored)
        of its possible stays at ``d_max`` destinations (one batch)."""
        if not products:
            return
        valid = np.stack([p.valid for p in products])
        j, a, n = np.nonzero(valid)
        _, first = np.unique(j, return_index=True)
        net = self.net(self._base([p.offer for p in products], (j, a, n)), self.d_max)
        for p, r in zip(products, np.minimum.reduceat(net // n, first), strict=True):
            p.rate_lb = max(p.rate_lb, int(r))

    def _check_in_mask(self, rule: pricing.DiscountRule) -> np.ndarray | None:
        """Which check-in days of the window the rule's check-in dates allow (None:
        none); the same for every product, so computed once per rule."""
        key = (rule.id, rule.version)
        if key not in self._masks:
            W, start = self.W, self.request.earliest_check_in
            lo = 0 if rule.check_in_from is None else (rule.check_in_from - start).days
            hi = W - 1 if rule.check_in_to is None else (rule.check_in_to - start).days
            days = np.arange(W)
            mask = (days >= lo) & (days <= hi)
            self._masks[key] = mask if mask.any() else None
        return self._masks[key]

    def net(self, base: dict, D: int) -> np.ndarray:
        """The net price without stubs at ``D`` destinations of each cell of ``base``."""
        trip = np.zeros_like(base["acc"])
        for min_destinations, bps, on in base["trip"]:
            if D >= min_destinations:
                np.maximum(trip, np.where(on, bps, 0), out=trip)
        raw = (base["running"] * trip + 5000) // 10000
        amount = np.minimum(raw, base["cap"] - base["taken"])
        return base["acc"] - base["taken"] - amount + base["packs"]

    def costs(self, p: _Product, D: int) -> np.ndarray:
        """(W, NM+1) net cost of each stay without stubs at ``D`` destinations; INF
        where the stay is not possible."""
        key = (p.index, D)
        cached = self._cost_cache.get(key)
        if cached is not None:
            return cached
        self._check([p])
        a, n = np.nonzero(p.valid)
        if p.base is None:
            p.base = self._base([p.offer], (np.zeros_like(a), a, n))
        out = np.full(p.valid.shape, INF, dtype=np.int64)
        out[a, n] = self.net(p.base, D)
        self._cost_cache[key] = out
        return out

    def matrix(self, p: _Product, D: int) -> np.ndarray:
        """(W, W+1): cost of the stay from day a to day t (INF where impossible)."""
        key = (p.index, D)
        cached = self._matrix_cache.get(key)
        if cached is not None:
            return cached
        W = self.W
        c = self.costs(p, D)
        m = np.full((W, W + 1), INF, dtype=np.int64)
        a, n = np.nonzero(c < _HALF)
        m[a, a + n] = c[a, n]
        self._matrix_cache[key] = m
        return m

    def _candidates(self, eligible: Sequence[Offer]) -> None:
        """``self.products``: the eligible offers with a possible stay, each with its
        bounds: ``min_len`` (its shortest possible stay) and ``rate_lb``, a lower bound
        of its cost per night at ``d_max`` destinations (``_rate_floors``, from its
        terms, without costing its stays). An offer whose calendar is not read yet
        counts every night as on sale with the units (``_open``): its possible stays,
        and so its bounds, are those of any calendar at most (``checked`` False until
        ``_check`` reads it). Then, so that ``r_min`` (the lowest rate, which bounds
        every night a plan still needs) is exact, the products are costed in batches in
        the order of their floors until the lowest exact rate found is at most the next
        floor: no product left can be cheaper per night."""
        step = max(1, _BATCH // (self.W * (self.NM + 1)))
        nights = np.arange(self.NM + 1)
        for lo in range(0, len(eligible), step):
            batch = eligible[lo : lo + step]
            valid = self._valid([o if o.calendar is not None else self._open(o) for o in batch])
            possible = valid.any(axis=1)  # (P, NM+1): some check-in day for n nights
            keep = np.nonzero(possible.any(axis=1))[0]
            if not len(keep):
                continue
            valid = valid[keep]
            batch = [batch[j] for j in keep]
            floors = self._rate_floors(batch, valid)
            min_len = np.where(possible[keep], nights[None, :], INF).min(axis=1)
            for k, offer in enumerate(batch):
                product = _Product(offer, len(self.products), valid[k], int(floors[k]))
                product.min_len = int(min_len[k])
                product.checked = offer.calendar is not None
                self.products.append(product)
        order = sorted(self.products, key=lambda p: p.rate_lb)
        best = INF
        size = 16
        i = 0
        while i < len(order) and order[i].rate_lb < best:
            chunk = [p for p in order[i : i + size] if p.rate_lb < best]
            self._check(chunk)
            self._exact_rates([p for p in chunk if p.rate_lb < _HALF])
            best = min(best, *(p.rate_lb for p in chunk))
            i += size
            size = min(size * 2, step)

    def _open(self, offer: Offer) -> Offer:
        """``offer`` with a calendar of the window on which every night is published with
        the request's units and nothing is restricted: what its terms (lengths, sale
        dates) allow at most, before its calendar is read."""
        req = self.request
        left = [req.units] * self.W
        calendar = SaleCalendar(
            SaleTerms.of(offer.terms), req.earliest_check_in, req.latest_check_out, left
        )
        return replace(offer, calendar=calendar)

    def _check(self, wanted: Sequence[_Product]) -> None:
        """Read the calendars of ``wanted`` not read yet (with, in the same read, up to
        ``_READ_AHEAD`` more unchecked products in the order of their bounds: the ones the
        search is likely to cost next), and make their validity and bounds exact: a
        product found with no possible stay gets infinite bounds (the search drops what
        holds it)."""
        todo = [p for p in wanted if not p.checked]
        if not todo:
            return
        taken = {p.index for p in todo}
        more = sorted(
            (p for p in self.products if not p.checked and p.index not in taken),
            key=lambda p: (p.min_len * p.rate_lb, p.index),
        )
        todo += more[: max(0, _READ_AHEAD - len(todo))]
        calendars = self.read_calendars([p.offer for p in todo])
        offers = [replace(p.offer, calendar=calendars[p.offer.id]) for p in todo]
        self.stats.calendars_read += len(offers)
        valid = self._valid(offers)
        possible = valid.any(axis=1)
        nights = np.arange(self.NM + 1)
        min_len = np.where(possible, nights[None, :], INF).min(axis=1)
        for k, p in enumerate(todo):
            p.offer = offers[k]
            p.valid = valid[k]
            p.checked = True
            p.min_len = max(p.min_len, int(min_len[k]))
            if p.min_len >= _HALF:
                p.rate_lb = INF

    def _check_all(self) -> bool:
        """Read every calendar not read yet; whether any product has a possible stay."""
        while any(not p.checked for p in self.products):
            self._check([p for p in self.products if not p.checked][:_READ_AHEAD])
        return any(p.min_len < _HALF for p in self.products)

    # --- the search ----------------------------------------------------------------------

    def run(self) -> SearchResult:
        req = self.request
        eligible = eligible_offers(req, self.catalogue)
        self.stats.candidates = len(eligible)
        if not eligible:
            most = largest_occupancy(req, self.catalogue)
            if most is not None:
                return SearchResult([], self.stats, "party_too_large", most)
            return self._empty("needs")
        if unserved_destinations(req, self.catalogue):
            return self._empty("needs")
        dests = {o.destination_id for o in eligible}
        self.d_max = len(set(req.route)) if req.route else min(req.max_stays, len(dests))
        self._candidates(eligible)
        if not self.products:
            return self._empty("availability")
        self.stub_bound = self._stub_bound()
        result = self._best_first(req.nights_min, req.nights_max)
        if not result.plans and not self._check_all():
            return self._empty("availability")
        if result.plans and req.fill:
            return fill(self, result)
        return result

    def _empty(self, stage: str) -> SearchResult:
        return SearchResult([], self.stats, stage)

    def _stub_bound(self) -> int:
        """The most the presented stubs could save together on any plan: per stub, the
        most any rule of its issuer could take off one leg (the dearest line it names,
        for min(guests, persons) riders) or one pack line (the dearest pack of a wanted
        kind it names, for the longest stay)."""
        req = self.request
        if not req.stubs:
            return 0
        fares = {line.terms.id: line.terms.fare_fen for line in self.catalogue.lines}
        dearest_pack: dict[str, int] = {}
        for p in self.products:
            for pack in p.offer.terms.packs:
                if pack.kind in req.pack_kinds:
                    gross = pack.price_fen * pricing.pack_multiplier(
                        pack.basis, req.guests, self.NM
                    )
                    dearest_pack[pack.kind] = max(dearest_pack.get(pack.kind, 0), gross)
        total = 0
        for stub in req.stubs:
            best = 0
            for rule in self.rules:
                if rule.kind != pricing.RuleKind.ticket_stub or rule.issuer_id != stub.issuer_id:
                    continue
                for line_id in rule.transit_line_ids:
                    base = fares.get(line_id, 0) * min(req.guests, stub.persons)
                    best = max(best, pricing.round_half_up(base, rule.bps))
                for kind in rule.pack_kinds:
                    best = max(best, pricing.round_half_up(dearest_pack.get(kind, 0), rule.bps))
            total += best
        return total

    def _leg_fare(self, a: int, b: int) -> int | None:
        """Fare of the changeover from destination a to b for the party (0 when no leg),
        None when it is not allowed (no line and no self-travel)."""
        if a == b:
            return 0
        line = self.lines.get((a, b))
        if line is not None:
            return line.fare_fen * self.request.guests
        return 0 if self.request.allow_self_travel else None

    def _best_first(
        self, n_min: int, n_max: int, completable: list[np.ndarray] | None = None
    ) -> SearchResult:
        """Best-first over product sequences whose plans have ``n_min..n_max`` nights. A
        heap entry is a sequence with a lower bound of every plan it can grow into
        (``kind`` "child": bound from its parent's costs; "prefix": its own cost matrix
        is known; "complete": a finished sequence to evaluate exactly). The matrices of
        prefixes are built at the most destinations a plan can have, so they never
        exceed the true costs. ``completable`` (``_completable``): the placements of a
        prefix that could still end in a plan, by stays left; the others are dropped."""
        req = self.request
        products = self.products
        W = self.W
        by_dest: dict[int, list[_Product]] = {}
        for p in products:
            by_dest.setdefault(p.offer.destination_id, []).append(p)
        r_min = min(p.rate_lb for p in products)
        # Destinations a stay can move on to: itself and those a line joins it to.
        reachable: dict[int, list[int]] = {
            d: [e for e in by_dest if e == d or (d, e) in self.lines] for d in by_dest
        }
        include = set(req.include_destinations)
        route = req.route
        max_len = len(route) if route else req.max_stays
        span = np.arange(W + 1)[None, :] - np.arange(W)[:, None]  # nights of (a1, t)
        end_ok = (span >= n_min) & (span <= n_max)
        results: list[_Found] = []
        heap: list = []
        counter = 0
        prefix_costs: dict[tuple[int, ...], np.ndarray] = {}

        def push(bound: int, kind: str, seq: tuple[int, ...], legs: int) -> None:
            nonlocal counter
            counter += 1
            heapq.heappush(heap, (bound, counter, kind, seq, legs))
            self.stats.sequences_pushed += 1

        def by_nights(F: np.ndarray) -> np.ndarray:
            """G[s]: cheapest prefix cost with s nights so far (over starts)."""
            G = np.full(W + 1, INF, dtype=np.int64)
            a, t = np.nonzero(F < _HALF)
            if len(a):
                np.minimum.at(G, t - a, F[a, t])
            return G

        def rest_bound(G: np.ndarray, more: int) -> int:
            """min over s of G[s] + (nights still needed after ``more``) * r_min."""
            s = np.arange(W + 1)
            need = np.maximum(0, n_min - s - more)
            return int((G + need * r_min).min())

        first = products if not route else by_dest.get(route[0], [])
        for p in first:
            if p.rate_lb < _HALF:
                bound = p.min_len * p.rate_lb + max(0, n_min - p.min_len) * r_min
                push(bound, "child", (p.index,), 0)

        def limit_total() -> int | None:
            if len(results) < req.limit:
                return None
            return sorted(found.key for found in results)[req.limit - 1][0]

        threshold = None
        over_budget = False
        while heap:
            bound, _, kind, seq, legs = heapq.heappop(heap)
            if threshold is not None and bound - self.stub_bound > threshold:
                break
            if req.max_total_fen is not None and bound - self.stub_bound > req.max_total_fen:
                over_budget = True
                break
            if kind == "complete":
                found = self._evaluate(seq, legs, n_min, n_max)
                if found is not None and req.max_total_fen is not None:
                    if found.key[0] > req.max_total_fen:
                        over_budget = True
                        continue
                if found is not None:
                    results.append(found)
                    threshold = limit_total()
                continue
            if kind == "child":
                p = products[seq[-1]]
                M = self.matrix(p, self.d_max)
                if len(seq) == 1:
                    F = M
                else:
                    F = self._chain(prefix_costs[seq[:-1]][:, :W], M)
                if completable is not None:
                    F = np.where(completable[max_len - len(seq)], F, INF)
                if not (F < _HALF).any():
                    continue
                exact = rest_bound(by_nights(F), 0) + legs
                prefix_costs[seq] = F
                if exact > bound:
                    push(exact, "prefix", seq, legs)
                    continue
            F = prefix_costs[seq]
            dests_seq = [products[i].offer.destination_id for i in seq]
            shape_ok = (not route or len(seq) == len(route)) and include <= set(dests_seq)
            if shape_ok:
                finished = np.where(end_ok, F, INF)
                best = int(finished.min())
                if best < _HALF:
                    push(best + legs, "complete", seq, legs)
            if len(seq) >= max_len:
                prefix_costs.pop(seq, None)
                continue
            G = by_nights(F)
            rests: dict[int, int] = {}
            last = products[seq[-1]]
            a = last.offer.destination_id
            if route:
                targets = [route[len(seq)]]
            elif req.allow_self_travel:
                targets = list(by_dest)
            else:
                targets = reachable.get(a, [])
            left = set(dests_seq) - {a}  # the destinations the plan has moved on from
            for b in targets:
                if b in left and not route:
                    continue  # no coming back to a place left (unless a route asks it)
                fare = self._leg_fare(a, b)
                if fare is None:
                    continue
                for q in by_dest.get(b, ()):
                    if q.index in seq or q.rate_lb >= _HALF:
                        continue  # a product stayed at already, or one with no possible stay
                    rest = rests.get(q.min_len)
                    if rest is None:
                        rest = rests[q.min_len] = rest_bound(G, q.min_len)
                    if rest >= _HALF:
                        continue
                    child = rest + q.min_len * q.rate_lb + legs + fare
                    if threshold is not None and child - self.stub_bound > threshold:
                        continue  # could never be popped before the search stops
                    push(child, "child", seq + (q.index,), legs + fare)
        results.sort(key=lambda found: found.key)
        # Priced by the engine (without stubs, only now: the plans returned).
        plans = [
            found.plan or self._priced(found.ids, found.a1, found.nights, found.key[0])
            for found in results[: req.limit]
        ]
        if not plans:
            return self._empty("budget" if over_budget else "shape")
        return SearchResult(plans, self.stats)

    # --- one sequence --------------------------------------------------------------------

    def _evaluate(self, seq: tuple[int, ...], legs: int, n_min: int, n_max: int) -> _Found | None:
        """The cheapest plan of one product sequence (ties: earliest first check-in,
        then shortest first stay, ...). Without stubs its total is the search's (the
        engine prices it if it is returned, and must agree); with stubs the engine
        prices every split that could win."""
        self.stats.sequences_evaluated += 1
        req = self.request
        products = [self.products[i] for i in seq]
        D = len({p.offer.destination_id for p in products})
        mats = [self.matrix(p, D) for p in products]
        W = self.W
        F = mats[0]
        for m in mats[1:]:
            F = self._chain(F[:, :W], m)
        a_idx = np.arange(W)[:, None]
        t_idx = np.arange(W + 1)[None, :]
        span = t_idx - a_idx
        end_ok = (span >= n_min) & (span <= n_max)
        F = np.where(end_ok, F, INF)
        best = int(F.min())
        if best >= _HALF:
            return None
        ids = tuple(p.offer.id for p in products)
        if self.stub_bound == 0:
            a1 = int(np.nonzero((F == best).any(axis=1))[0][0])
            nights = next(_splits(mats, a1, best, end_ok[a1]))
            check_in = req.earliest_check_in + timedelta(days=a1)
            return _Found((best + legs, len(ids), check_in, ids), ids, a1, nights)
        # With stubs: every split within B of the best, each priced by the engine.
        limit = best + self.stub_bound
        chosen = None
        for a1 in range(W):
            row_min = int(F[a1].min())
            if row_min > limit:
                continue
            for nights in _splits(mats, a1, limit, end_ok[a1], at_most=True):
                plan = self._priced(ids, a1, nights, None)
                key = (plan.total_fen, a1, nights)
                if chosen is None or key < chosen[0]:
                    chosen = (key, plan)
        if chosen is None:
            return None
        (_, a1, nights), plan = chosen
        return _Found(plan.rank_key(), ids, a1, nights, plan)

    def _chain(self, F: np.ndarray, M: np.ndarray) -> np.ndarray:
        """``_min_plus(F, M)``, charged to the work budget before it is computed (its
        element operations, a count of the inputs, plus ``CALL_WORK``: the same on every
        machine; ``WorkBudget.charge``); over budget, ``SearchTooBroad``."""
        return _min_plus(F, M, self._charge)

    def _charge(self, work: int) -> None:
        self.budget.charge(work, self.stats)

    def _priced(self, ids, a1: int, nights, expected: int | None) -> Plan:
        req = self.request
        check_in = req.earliest_check_in + timedelta(days=a1)
        stays, changeovers, quote = build_plan_request(
            req, self.catalogue, self.offers, self.lines, ids, check_in, nights
        )
        priced = pricing.price_quote(quote, self.engine_products, self.engine_lines, self.rules)
        self.stats.engine_quotes += 1
        if expected is not None and priced.total_fen != expected:
            raise PlanningBug(
                f"search total {expected} != engine total {priced.total_fen} for {ids} "
                f"from {check_in} with {nights}"
            )
        return Plan(stays, changeovers, quote, priced)


def terms_allows(calendar, nights: int) -> bool:
    return nights >= 1 and calendar.terms.allows_nights(nights)


def plan(request: PlanRequest, catalogue: Catalogue) -> SearchResult:
    """The ``request.limit`` cheapest plans (see the module docstring)."""
    return Planner(request, catalogue).run()


def stay_prices(request: PlanRequest, offer: Offer, rules) -> list[int]:
    """For each check-in day of ``request``'s window (``latest_check_out`` less
    ``nights_max``), the net price of a one-item quote of ``offer`` for ``nights_max``
    nights (no packs unless ``pack_kinds``, no stubs): the price calendar's totals. The
    caller decides which dates can be quoted (``catalog.sellability``)."""
    planner = Planner(request, Catalogue({}, [offer], [], rules))
    n = request.nights_max
    days = np.arange(request.window_days - n + 1)
    cells = (np.zeros_like(days), days, np.full_like(days, n))
    return [int(x) for x in planner.net(planner._base([offer], cells), 1)]
