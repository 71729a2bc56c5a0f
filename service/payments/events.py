"""What this service reads from a Stripe event: typed values, parsed once at the edge.

A webhook body (after its signature is checked) and an event or PaymentIntent that the
reconciler lists at Stripe both become a :class:`ReceivedEvent` here, or ``None`` when
they are not something this service can read. Past this module nothing looks into a
Stripe dict: settling a payment takes a :class:`ReceivedIntent` whose fields have the
types Stripe documents (``amount`` an integer in the smallest currency unit, fen for
CNY; ``metadata`` string values), so a body that is signed but carries, say, a string
amount is refused as ``invalid_payload`` instead of failing half-way through settling.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from service import json_body

ID_MAX = 255  # the stored columns' width (stripe_event.event_id, payment_intent_id)


class ReceivedIntent(BaseModel):
    """The facts of a PaymentIntent that settling a payment needs."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: StrictStr = Field(min_length=1, max_length=ID_MAX)
    amount: StrictInt = 0
    amount_received: StrictInt | None = None
    currency: StrictStr | None = None
    status: StrictStr | None = None
    metadata: dict[str, StrictStr] = {}

    @property
    def received_fen(self) -> int:
        """What Stripe took: ``amount_received``, or ``amount`` where that is not set."""
        return self.amount_received or self.amount

    @property
    def is_cny(self) -> bool:
        return (self.currency or "").lower() == "cny"

    @property
    def booking_id(self) -> str | None:
        """The booking our PaymentIntent was created for (its ``metadata.booking_id``)."""
        return self.metadata.get("booking_id")


class ReceivedRefund(BaseModel):
    """The facts of a Stripe Refund that moving our refund's status needs."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: StrictStr = Field(min_length=1, max_length=ID_MAX)
    amount: StrictInt = 0
    status: StrictStr | None = None
    metadata: dict[str, StrictStr] = {}

    @property
    def refund_key(self) -> str | None:
        """Our refund's idempotency key (its ``metadata.refund_key``)."""
        return self.metadata.get("refund_key")


@dataclass(frozen=True)
class ReceivedEvent:
    """A Stripe event: its id and type, the PaymentIntent it is about (if any), the
    refunds it reports (a ``refund.*`` event's Refund; a ``charge.refunded`` event's
    Charge's ``refunds`` when Stripe included them), and the whole payload as received
    (stored for audit, never read again)."""

    id: str
    type: str
    intent: ReceivedIntent | None
    payload: dict[str, Any]
    refunds: tuple[ReceivedRefund, ...] = ()


def event_from_text(text: str) -> ReceivedEvent | None:
    """The event in a verified webhook body, or ``None`` when it is not one."""
    try:
        raw = json_body.loads(text)
    except (ValueError, RecursionError):
        return None
    return event_from_dict(raw)


def event_from_dict(raw: object) -> ReceivedEvent | None:
    """A Stripe event object (JSON-decoded), or ``None`` when it is not one this service
    can read: not an object, no string ``id`` (1 to 255 characters) or ``type``,
    ``data`` or ``data.object`` not objects, or a ``payment_intent`` object whose fields
    have the wrong types."""
    if not isinstance(raw, dict) or not _is_id(raw.get("id")):
        return None
    kind = raw.get("type", "")
    data = raw.get("data")
    if not isinstance(kind, str) or (data is not None and not isinstance(data, dict)):
        return None
    obj = (data or {}).get("object") or {}
    if not isinstance(obj, dict):
        return None
    intent = None
    if obj.get("object") == "payment_intent":
        intent = intent_from_dict(obj)
        if intent is None:
            return None
    refunds = _refunds_in(obj)
    if refunds is None:
        return None
    return ReceivedEvent(id=raw["id"], type=kind, intent=intent, payload=raw, refunds=refunds)


def _refunds_in(obj: dict[str, Any]) -> tuple[ReceivedRefund, ...] | None:
    """The Refunds an event's object is or holds (a Refund; a Charge's ``refunds.data``),
    or ``None`` when one of them has fields of the wrong types."""
    if obj.get("object") == "refund":
        found: list[object] = [obj]
    elif obj.get("object") == "charge" and isinstance(obj.get("refunds"), dict):
        found = obj["refunds"].get("data") or []
        if not isinstance(found, list):
            return None
    else:
        return ()
    try:
        return tuple(ReceivedRefund.model_validate(r) for r in found)
    except ValidationError:
        return None


def intent_from_dict(raw: object) -> ReceivedIntent | None:
    """A PaymentIntent object (JSON-decoded), or ``None`` when its fields are wrong."""
    try:
        return ReceivedIntent.model_validate(raw)
    except ValidationError:
        return None


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= ID_MAX
