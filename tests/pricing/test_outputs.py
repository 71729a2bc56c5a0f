"""The engine's outputs are genuine instances of the public frozen classes: equal to the
same values built through each class's own ``__init__``, hashable and immutable."""

import copy
import pickle
from dataclasses import FrozenInstanceError, fields, replace

import pytest

from pricing import PricedItem, PricedLeg, PricedQuote, QuoteLine, StubUse

from .factories import EXAMPLE_REQUEST, EXAMPLE_RULES, quote


def _rebuilt(obj):
    """``obj`` rebuilt field by field through its class's own (frozen) ``__init__``."""
    return type(obj)(**{f.name: getattr(obj, f.name) for f in fields(obj)})


def _outputs(q):
    return [q, *q.items, *q.legs, *q.lines, *q.stubs_applied]


def test_every_output_is_of_its_public_class_and_equals_one_built_by_its_init():
    q = quote(EXAMPLE_REQUEST, EXAMPLE_RULES)
    assert type(q) is PricedQuote
    assert {type(x) for x in q.items} == {PricedItem}
    assert {type(x) for x in q.legs} == {PricedLeg}
    assert {type(x) for x in q.lines} == {QuoteLine}
    assert {type(x) for x in q.stubs_applied} == {StubUse}
    for obj in _outputs(q):
        assert obj == _rebuilt(obj)
        assert hash(obj) == hash(_rebuilt(obj))
        assert repr(obj) == repr(_rebuilt(obj))


def test_outputs_cannot_be_changed_and_survive_copy_and_pickle():
    q = quote(EXAMPLE_REQUEST, EXAMPLE_RULES)
    for obj in _outputs(q):
        name = fields(obj)[0].name
        with pytest.raises(FrozenInstanceError):
            setattr(obj, name, None)
        with pytest.raises(FrozenInstanceError):
            delattr(obj, name)
        assert not hasattr(obj, "__dict__")
        assert copy.deepcopy(obj) == obj
        assert pickle.loads(pickle.dumps(obj)) == obj
    assert replace(q.lines[0], amount_fen=1).amount_fen == 1
    assert q.lines[0].amount_fen == 612_000


def test_two_quotes_of_one_input_share_no_mutable_state():
    a = quote(EXAMPLE_REQUEST, EXAMPLE_RULES)
    b = quote(EXAMPLE_REQUEST, EXAMPLE_RULES)
    assert a == b
    assert a.lines is not b.lines
    assert all(isinstance(part.lines, tuple) for part in (*a.items, *a.legs))
