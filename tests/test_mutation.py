"""Every "verified" earns its mark: each check rejects wrong values of what it certifies (the mutation test).

The values injected below are the wrong values a reviewer tried: a between-block term V seven times too large
in the (A.10) split and a u0 three times too large in (A.9) (both passed the former identity-by-construction
checks); the whole-chain test runs ``glass-sym derive all --mutation-test``.
"""

from __future__ import annotations

import json

import pytest
import sympy as sp

from glass_sym.algebra.indexnotation import delta, vec
from glass_sym.algebra.tensor import compare, rational_rotation, rotation_covariance
from glass_sym.cli.main import main
from glass_sym.errors import DerivationError
from glass_sym.physics import elastic
from glass_sym.records.derivation import Derivation, rebuild, residual_of
from glass_sym.records.mutation import (break_covariance, break_pair_symmetries, break_parity, break_trace, differs,
                                        mutation_test, value_mutants)
from glass_sym.symbols import N, alpha

CHAINS = ("appendix-a", "appendix-b", "appendix-c", "appendix-d")


@pytest.fixture(scope="module")
def results():
    return {name: mutation_test(rebuild(name)) for name in CHAINS}


def test_every_check_and_property_rejects_every_mutant(results):
    for name, res in results.items():
        bad = [r.as_dict() for r in res if not r.ok]
        assert not bad, (name, bad)
        # every rejection is a computed residual, not a check that crashed on the mutant
        assert not [r.name for r in res if r.raised], name
        assert all(r.mutants >= (2 if r.kind == "check" else 1) for r in res if r.kind != "definition")


def test_at_most_a_quarter_of_steps_are_definitions(results):
    steps = [r for res in results.values() for r in res]
    definitions = [r for r in steps if r.kind == "definition"]
    assert 4 * len(definitions) <= len(steps)


def test_named_appendix_a_steps_are_checks(results):
    kinds = {(r.label, r.name): r.kind for r in results["appendix-a"]}
    for label, name in (("A.9", "u0"), ("A.10", "U_V"), ("A.11", "lambda_q"), ("A.17", "f1"), ("A.17", "f2"),
                        ("A.18", "lambda_tilde")):
        assert kinds[(label, name)] == "check", (label, name)


def test_A10_V_seven_times_too_large_is_rejected():
    """The reviewer's mutant: V x 7 in the (A.10) split (journal (A.10): V = -1/(8 N m w^2) sum_{s != s'} ...)."""
    bs = elastic.two_block_split()
    right = sp.ImmutableMatrix([[bs.same_block, bs.between_blocks]])
    wrong = sp.ImmutableMatrix([[bs.same_block, 7 * bs.between_blocks]])
    assert residual_of(elastic.check_block_split(right))[0]
    assert not residual_of(elastic.check_block_split(wrong))[0]
    # a U with the wrong block sum is rejected too
    assert not residual_of(elastic.check_block_split(sp.ImmutableMatrix([[2 * bs.same_block, bs.between_blocks]])))[0]


def test_A9_u0_three_times_too_large_is_rejected():
    u0 = elastic.two_block_split().u0
    assert residual_of(elastic.check_u0(u0))[0]
    assert not residual_of(elastic.check_u0(3 * u0))[0]
    assert not residual_of(elastic.check_u0(sp.conjugate(u0)))[0]  # conjugated phases


def test_A11_check_rejects_other_convention_and_stray_symbols():
    lq = elastic.lambda_q()
    assert elastic.check_lambda_q_explicit(lq).equal
    assert not elastic.check_lambda_q_explicit(elastic.lambda_q("jl")).equal
    assert not elastic.check_lambda_q_explicit(lq + delta("i", "j") * delta("k", "l") * alpha).equal


def test_value_mutants_differ_and_have_the_value_structure():
    t = (delta("i", "j") * vec("n", "k") * vec("n", "l")).reorder(("i", "j", "k", "l")) * alpha
    muts = value_mutants(t)
    assert [d for d, _ in muts] == ["value x 7/3", "+ alpha delta_ij delta_kl", "+ alpha n_i n_j n_k n_l"]
    assert all(m.indices == t.indices and differs(m, t) for _, m in muts)
    assert [d for d, _ in value_mutants(sp.Integer(0))] == ["number + 1"]  # a scaled zero is not a mutant
    eq = sp.Eq(sp.Symbol("r"), sp.Integer(3), evaluate=False)
    assert all(isinstance(m, sp.Equality) and m.lhs == eq.lhs and m.rhs != 3 for _, m in value_mutants(eq))


def test_breakers_break_exactly_their_property():
    """Each breaker violates its property and keeps the others that the symmetry group allows."""
    lt = rebuild("appendix-a").step_named("lambda_tilde").value.to_tensor()
    flip = {s: -s for s in N}
    R = rational_rotation(1, 2, -1, 3)
    ij, kl, pairs = (1, 0, 2, 3), (0, 1, 3, 2), (2, 3, 0, 1)

    def has(t, perm):
        return compare(t.permute(perm), t).equal

    def covariant(t):
        return rotation_covariance(t, R).equal

    def even(t):
        return compare(t.xreplace(flip), t).equal

    assert covariant(lt) and even(lt) and has(lt, ij) and has(lt, kl) and has(lt, pairs)  # control
    (_, b_ij), = break_pair_symmetries("ij")(lt)
    assert not has(b_ij, ij) and has(b_ij, kl)
    (_, b_kl), = break_pair_symmetries("kl")(lt)
    assert not has(b_kl, kl) and has(b_kl, ij)
    (_, b_pairs), = break_pair_symmetries("pairs")(lt)
    assert not has(b_pairs, pairs) and has(b_pairs, ij) and has(b_pairs, kl)
    (_, odd), = break_parity()(lt)
    assert not even(odd) and covariant(odd) and has(odd, ij) and has(odd, kl)  # a rotation check would accept it
    (_, tied), = break_covariance()(lt)
    assert not covariant(tied) and even(tied) and has(tied, ij) and has(tied, kl) and has(tied, pairs)
    (_, traced), = break_trace(lt)
    assert traced.contract(0, 1).contract(0, 1).canonical()[()] != lt.contract(0, 1).contract(0, 1).canonical()[()]
    assert covariant(traced) and even(traced)


def test_a_tautological_check_is_caught():
    d = Derivation("demo", "demo")
    d.step(None, "tautology", "anything", lhs="t", value=sp.Integer(5), how="typed", check=lambda v: 0,
           check_text="0 = 0")
    (r,) = mutation_test(d)
    assert r.rejected is False and len(r.accepted) == r.mutants == 2 and not r.ok


def test_a_check_that_rejects_its_own_value_is_not_ok():
    d = Derivation("demo", "demo")
    d.step(None, "wrong", "2 = 5", lhs="t", value=sp.Integer(2), how="typed", check=lambda v: v - 5, check_text="")
    (r,) = mutation_test(d)
    assert r.rejected and not r.verified and not r.ok


def test_step_kinds_are_validated():
    d = Derivation("demo", "demo")
    with pytest.raises(DerivationError):
        d.step(None, "x", "x", lhs="x", value=1, how="", check=None, check_text="")  # a check needs a check
    with pytest.raises(DerivationError):
        d.step(None, "x", "x", lhs="x", value=1, how="", check=None, check_text="", kind="definition")  # no why
    with pytest.raises(DerivationError):
        d.step(None, "x", "x", lhs="x", value=1, how="", check=lambda v: 0, check_text="", kind="property",
               of="nothing", breakers=value_mutants)


def test_cli_mutation_test_json(capsys):
    assert main(["derive", "appendix-c", "--mutation-test", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"chain", "label", "name", "kind", "rejected", "mutants", "accepted", "raised", "verified"} <= set(records[0])
    assert {r["kind"] for r in records} == {"check", "property", "definition"}
    assert all(r["rejected"] for r in records if r["kind"] != "definition")


def test_cli_mutation_test_exit_code_one_on_an_accepted_mutant(monkeypatch, capsys):
    import glass_sym.records.derivation as derivation

    def weak(name):
        d = Derivation(name, "weak")
        d.step(None, "weak", "weak", lhs="t", value=sp.Integer(5), how="typed", check=lambda v: 0, check_text="none")
        return d

    monkeypatch.setattr(derivation, "rebuild", weak)
    assert main(["derive", "appendix-c", "--mutation-test"]) == 1
    assert "accepted: number x 7/3" in capsys.readouterr().out
