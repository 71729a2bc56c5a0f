"""Every problem ``code`` of the API with what it means (``PROBLEM_CODES``): the
OpenAPI document's ``ProblemCode`` enum, read by ``service.errors``."""

# Every ``code`` a problem of this API can carry, with what it means. The OpenAPI
# document lists them as the enum ``ProblemCode``; a test finds every code the source can
# raise and fails if one is missing here.
PROBLEM_CODES: dict[str, str] = {
    # request shape and protocol
    "bad_request": "The request cannot be understood.",
    "validation_error": "A field is missing, malformed or out of range (see `errors`).",
    "malformed_json": "The body is not JSON: truncated, not UTF-8, nested too deeply, or "
    "holding `NaN` or `Infinity` (`field` the value's path).",
    "payload_too_large": "The body is larger than the server accepts.",
    "unsupported_media_type": "A body whose `Content-Type` is not `application/json`, "
    "or that is sent with a `Content-Encoding` (only `identity` is taken).",
    "uri_too_long": "The query string is longer than the server accepts.",
    "malformed_request": "The server cannot read the request as HTTP: a space or control "
    "character in its address, a malformed header or method (`field`: `query`, `path`, "
    "`headers`, `method` or `request`). Raw UTF-8 in the address is read as if "
    "percent-encoded.",
    "not_found": "No such resource or route.",
    "method_not_allowed": "The route exists but not with this method.",
    "http_error": "Another HTTP-level refusal.",
    "internal_error": "A failure on our side; nothing was changed.",
    "not_ready": "The server cannot serve yet: database unreachable or not migrated.",
    "unprocessable": "The request is well-formed but cannot be carried out.",
    "conflict": "The request conflicts with the current state.",
    "invalid_cursor": "The `cursor` is not one this API issued for this list and these filters.",
    "unknown_parameter": "A query parameter the operation does not take (named in `field`).",
    "repeated_parameter": "A one-value query parameter or header given more than once (`field`).",
    # callers
    "unauthorized": "Not allowed without valid credentials.",
    "missing_api_key": "The operation needs `Authorization: Bearer <key>`.",
    "invalid_api_key": "The API key is malformed, unknown or revoked.",
    "invalid_metrics_token": "`/metrics` without `Authorization: Bearer <JL_METRICS_TOKEN>`, "
    "where the server has a metrics token.",
    "rate_limited": "Too many requests this minute for this API key (or login attempts, or "
    "anonymous trip searches from one client address: this minute, or at once; see "
    "`Retry-After`).",
    # catalogue
    "invalid_date_range": "A half-open range of nights is empty: `to` (or `end_date`) is not "
    "after `from` (`start_date`).",
    "invalid_range": "The minimum of a range is above its maximum (an inclusive date range: "
    "`to` before `from`).",
    "range_too_long": "The date range is longer than the API serves at once.",
    # quotes (and the pricing engine's refusals of a request)
    "no_items": "A quote needs at least one stay item.",
    "invalid_dates": "check_out is not after check_in.",
    "stay_too_long": "The stay is longer than any product sells.",
    "check_in_in_past": "The stay starts before today (Asia/Shanghai).",
    "travel_date_in_past": "The transit leg travels before today.",
    "leg_outside_trip": "A transit leg travels outside the trip (first check-in to last out).",
    "overlapping_stays": "Two stays at different destinations share a night.",
    "duration_not_allowed": "The product does not sell stays of this many nights.",
    "not_on_sale": "A night of the stay is not on sale.",
    "too_many_units": (
        "More units than the product has in all on a night of the stay (`night`, "
        "`product_id`, `limit`, `asked_units`): it can never be booked."
    ),
    "unknown_product": "No product with this id is on sale.",
    "unknown_transit_line": "No transit line with this id.",
    "leg_stop_missing": "A transit leg gives where it boards or where it alights, not both "
    "(`field`: the one missing).",
    "leg_stops_same": "A transit leg boards and alights at the same destination.",
    "stop_not_on_line": "A transit leg's `from_destination_id` or `to_destination_id` is not "
    "a stop of its line.",
    "too_many_guests": (
        "More guests than the units or the quote allow (a stay's: `limit`, the most guests "
        "its `asked_units` take)."
    ),
    "lead_not_among_guests": (
        "A booking's `guests`, the party who stay, list as many names as the quote is for "
        "and none is the lead traveller's, who stays too: one guest too many. List the "
        "lead traveller among them, or one name fewer."
    ),
    "more_rooms_than_guests": (
        "More units (rooms or beds) than guests in a stay (`asked_units`, `guests`): each "
        "unit needs at least one guest."
    ),
    "invalid_guests": "The number of guests is not valid.",
    "invalid_units": "The number of units is not valid.",
    "invalid_riders": "The number of riders is not valid.",
    "too_many_riders": (
        "A transit leg carries more riders than the trip's party (`limit`: the most guests "
        "its stays hold at once): a transfer carries the party."
    ),
    "pack_not_offered": "The product does not offer this pack.",
    "duplicate_pack": "A pack is listed twice for one item.",
    "duplicate_key": "A key is given twice in one object of the JSON body (its path named).",
    "invalid_stub": "The ticket stub is not valid for this trip.",
    "unknown_stub": "The ticket stub is not in the register (`stub`: its code).",
    "duplicate_stub": "A ticket stub is listed twice (`stub`: its code).",
    "stub_already_used": "The ticket stub was used by another booking (`stub` at `stubs[i]`).",
    "quote_not_found": "No quote with this id for this caller.",
    "quote_expired": "The quote's price guarantee ran out; ask for a new quote.",
    "quote_already_booked": "The quote already backs a live booking.",
    "quote_total_not_positive": "The quote's total is 0 fen or less: a night is never free.",
    "rule_version_missing": "A discount rule version the quote used is gone.",
    "catalogue_error": "Catalogue data cannot be priced (our fault; logged).",
    # the trip planner (POST /v1/plans)
    "window_in_past": "The planning window starts before today (Asia/Shanghai).",
    "invalid_window": "latest_check_out is not after earliest_check_in.",
    "window_too_long": "The planning window is longer than the planner searches (`limit` days).",
    "nights_exceed_window": "More nights than the window holds.",
    "planner_busy": "Too many trip searches are running on the server now: none could start "
    "in time; retry after `Retry-After` seconds.",
    "plan_too_broad": (
        "Too many possible plans to search in full: narrow `field` to `suggested` "
        "(min_nights_per_stay, max_stays, then nights)."
    ),
    "window_too_short": ("The window is shorter than the shortest stay (`shortest_stay_nights`)."),
    "nights_below_shortest_stay": ("Fewer nights than the shortest stay (`shortest_stay_nights`)."),
    "contradictory": "Two constraints of the request contradict each other (`field`).",
    "unknown_route": "No curated route with this id or slug.",
    "unknown_destination": "No destination with this id or slug (a plan's, a product filter's, "
    "a transit leg's stop).",
    "unknown_certification": "No destination publishes this certification.",
    "unknown_prefecture": "The prefecture filter names no prefecture (by code, Chinese or "
    "English name).",
    "unknown_corridor": "No destination lies on this corridor and no route follows it.",
    # bookings
    "booking_not_found": "No booking with this reference for this caller.",
    "sold_out": "A night has fewer units left than asked (`night`, `product_id`).",
    "inventory_busy": "The inventory is locked by another booking; retry (`Retry-After`).",
    "database_busy": "503: the database was busy with other changes (a deadlock or a lock "
    "waited on too long); nothing was changed; retry (`Retry-After`).",
    "hold_limit_reached": "Too many unpaid units (`held_units` + `asked_units` > `limit`).",
    "not_cancellable": "The booking's status does not allow cancelling.",
    "stay_started": "A stay of the booking is checked in or out: it cannot be cancelled.",
    "stay_no_show": "A stay of the booking is marked a no-show by the front desk: it cannot "
    "be cancelled (its nights stay sold) unless that front desk undoes the no-show, which "
    "it can before the stay's check-out day.",
    "missing_idempotency_key": "The operation needs an `Idempotency-Key` header.",
    "invalid_idempotency_key": "The `Idempotency-Key` is too long or not printable ASCII.",
    "idempotency_key_reused": "The `Idempotency-Key` was used with another request.",
    "idempotency_in_progress": "A request with this `Idempotency-Key` is still running.",
    # payments and partner webhooks
    "payments_unavailable": "Online payment cannot be started now; nothing was booked.",
    "payment_provider_unavailable": "The payment provider did not answer; retry.",
    "refund_exceeds_payment": "A refund would exceed what was paid.",
    "refund_not_failed": "The booking has no failed refund to retry (none, pending or made).",
    "invalid_signature": "The Stripe-Signature header does not verify.",
    "invalid_payload": "The signed body is not a Stripe event.",
    "retry_later": "The event cannot be processed now; Stripe retries it.",
    "invalid_url": "The webhook URL is not acceptable.",
    "too_many_endpoints": "The partner has the most webhook endpoints allowed.",
    "webhook_endpoint_not_found": "No webhook endpoint with this id for this partner.",
    "webhook_endpoint_paused": "The webhook endpoint is paused (`active` false): it is sent "
    "nothing, a ping or a resent delivery included, until it is enabled again.",
    "webhook_delivery_not_found": "No webhook delivery with this id for this partner.",
    "webhook_delivery_pending": "The webhook delivery is pending (the worker tries it at "
    "`next_attempt_at`): only a delivered or failed one is resent.",
    "webhook_endpoint_removed": "The delivery's webhook endpoint was removed: nothing is "
    "sent to it again.",
    "unknown_event_type": "A webhook endpoint's `event_types` names a type that is not a "
    "booking event type (`field`: which one).",
    # operators (admin API)
    "missing_token": "An admin endpoint was called without an operator token.",
    "invalid_token": "The operator token is wrong or revoked, or its account is disabled.",
    "invalid_credentials": "Wrong operator login or password.",
    "login_taken": "An operator account with that login exists.",
    "cannot_deactivate_self": "An operator may not disable its own account.",
    "last_active_admin": "The account is the last active operator admin of a destination.",
    "forbidden_role": "The operator's role may not do this within its destinations.",
    "rule_key_taken": "A discount rule with that key exists.",
    "rule_retired": "The discount rule is retired: it takes no new version.",
    "units_below_taken": "A calendar edit would set fewer units than are already taken.",
    "above_filed_price": "A nightly rate above the night's filed list price (备案价).",
    "no_inventory": "A calendar edit names a night without inventory and sets no units.",
    "min_stay_above_max_stay": "A night's minimum stay would be above its maximum stay "
    "(no stay could arrive).",
    "nights_in_past": "A calendar edit, a season or a stub batch starts before today, a "
    "season or a discount rule would end before it, or a change would move a running "
    "season's first night (Asia/Shanghai). Every one comes with `today` and the date "
    "refused (`first_night`, `first_day` or `last_day`); a running season's also with its "
    "`season_id`.",
    "rule_unchanged": "A new version of a discount rule would restate the current one.",
    "invalid_transition": "That front-desk status cannot follow the stay's current one.",
    "too_early": "The stay has not begun: it cannot be checked in or marked no-show yet.",
    "too_late": "The stay's check-out day has come: its no-show can no longer be undone.",
    "booking_spans_other_destinations": "The trip also stays at another operator's destination.",
    "slug_taken": "A product with that slug exists.",
    "pack_code_taken": "An add-on pack with that code exists.",
    "invalid_product": "The product's terms cannot be priced consistently (the field named).",
    "invalid_rule": "The discount rule's terms cannot be applied consistently (the field named).",
    "invalid_refund_policy": "The refund policy's tiers repeat a day or refund more later.",
    "invalid_certification": "A certification code that is not in the vocabulary.",
    "season_overlap": "The season's nights overlap another season of the product.",
    "season_ended": "The season's last night is before today: its nights are history, so it "
    "is neither changed nor removed.",
    "season_started": "The season began before today: it is not removed (its past nights keep "
    "their rate); end it today instead.",
    "pack_not_at_destination": "A product can only offer packs of its own destination.",
    "invalid_role": "An operator account's role is not one of the roles.",
    "province_has_no_destinations": "A province account sees every destination: name none.",
    "destinations_required": "An operator account or rule must name at least one destination.",
    "weak_password": "The new password is too short, only spaces, known (the demo "
    "password, a common one), repeated or sequential characters, or the login.",
    "wrong_password": "Changing your password: the current password given is wrong.",
    "password_unchanged": "Changing your password: the new password is the current one.",
    "nothing_to_set": "An edit that sets no field: a calendar edit, a webhook endpoint's "
    "`PATCH` with an empty body.",
    "not_nullable": "A calendar edit sets a field to null that cannot be empty.",
    "product_outside_rule": "A rule names a product that is not at one of its destinations.",
    # the province's reports and the satisfaction survey
    "unknown_dimension": "A `by` value is not a report dimension (named in `field`).",
    "too_many_dimensions": "A report groups by at most two dimensions.",
    "period_open": "The year has not ended: it cannot be closed yet.",
    "survey_not_open": "The stay cannot be rated: not ended, cancelled or a no-show.",
    "survey_answered": "The stay has been rated already (one answer per stay).",
    "unknown_item": "The booking has no stay with this index.",
}
