"""Reward allocation from Python: hand-worked amounts and, for any input, the invariants."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

import exemplar


def test_three_way_tie_goes_to_the_smallest_id():
    a = exemplar.allocate(100, {"c": 1, "a": 1, "b": 1})
    assert a.amounts_fen == {"a": 34, "b": 33, "c": 33} and a.rest_fen == 0 and a.paid_fen == 100


def test_cap_frees_money_and_policies():
    a = exemplar.allocate(1000, {"a": 6, "b": 2, "c": 2}, cap_fen=500)
    assert a.amounts_fen == {"a": 500, "b": 250, "c": 250}
    assert exemplar.allocate(10, {"a": 5, "b": 1}, policy="equal").amounts_fen == {"a": 5, "b": 5}
    t = exemplar.allocate(5000, {"a": 5, "b": 4}, policy="tiered", tiers={5: 3000, 4: 1000})
    assert t.amounts_fen == {"a": 3000, "b": 1000} and t.rest_fen == 1000
    # Below the threshold: nothing, and listed with the reason (as core's reward policy does).
    low = exemplar.allocate(100, {"a": 90, "b": 50}, threshold=60)
    assert low.amounts_fen == {"a": 100, "b": 0}
    assert [a["landing"] for a in low.awards] == ["share", "excluded"]
    assert exemplar.allocate(100, {"a": 90.5, "b": 50, "c": 70}, threshold=60.25, policy="equal").amounts_fen == {"a": 50, "b": 0, "c": 50}
    frame = t.to_frame()
    assert list(frame["amount_fen"]) == [3000, 1000]


def test_program_reward_pays_the_whole_pool(program, sample):
    year = exemplar.load_year(sample, program)
    s = exemplar.select(program, year)
    pay = s.reward()
    assert (len(s.named), pay.paid_fen, pay.rest_fen) == (200, 200_000_000, 0)
    assert all(isinstance(v, int) for v in pay.amounts_fen.values())


@settings(max_examples=200, deadline=None)
@given(
    pool=st.integers(0, 2_000_000_000),
    weights=st.lists(st.integers(0, 1_000_000), max_size=30),
    floor=st.integers(0, 100_000),
    cap=st.one_of(st.none(), st.integers(0, 50_000_000)),
    seed=st.integers(0, 2**32),
)
def test_allocation_invariants(pool, weights, floor, cap, seed):
    ids = {f"r{i:03}": w for i, w in enumerate(weights)}
    cap = None if cap is None else max(cap, floor)
    try:
        a = exemplar.allocate(pool, ids, floor_fen=floor, cap_fen=cap)
    except exemplar.PolicyError:
        assert floor * len(ids) > pool
        return
    assert a.paid_fen + a.rest_fen == pool and sum(a.amounts_fen.values()) == a.paid_fen
    for k, v in a.amounts_fen.items():
        assert v >= floor and (cap is None or cap >= pool or v <= cap)
    for x in ids:
        for y in ids:
            if ids[x] > ids[y]:
                assert a.amounts_fen[x] >= a.amounts_fen[y]
    items = list(ids.items())
    random.Random(seed).shuffle(items)
    assert exemplar.allocate(pool, dict(items), floor_fen=floor, cap_fen=cap).amounts_fen == a.amounts_fen
