"""A second, independent CAS: Cadabra2 rebuilds tilde Lambda and the Joffrin-Levelut relations.

Cadabra2 does the tensor algebra with its own machinery: pattern substitution (the Fourier transform of
Lambda(q) term by term), Kronecker-delta elimination over dummy indices, index canonicalisation of products
of symmetric deltas and commuting vectors, term collection; SymPy only serves as its scalar back end
(``map_sympy``).  The inputs are the journal's printed forms, read from the transcription
(``glass_sym/paper/transcriptions/jpcm2020.toml``) and turned into Cadabra2 input by :func:`to_cadabra`:

* (A.11): Lambda_ijkl(q) = 1/(2 rho c_t^2) [alpha q_iq_jq_kq_l/q^4 - 1/4 (q_jq_l delta_ik + ...)/q^2] (the
  bracket is transcribed; the prefactor 1/(2 rho c_t^2) is the one of (A.11));
* (A.17): f1, f2 as printed (Cadabra2 has no Fourier transform, so these are taken as given);
* (A.1): Joffrin-Levelut's tilde Lambda; (A.18): tilde Lambda.

Cadabra2's results are compared with glass-sym's registered closed forms component by component; the
differences are reduced modulo n.n = 1 by SymPy's multivariate division (``sp.reduced``), not by
:func:`glass_sym.algebra.tensor.canonical`.  No skip: Cadabra2 is part of the test extra.
"""

from __future__ import annotations

import itertools
import re

import cadabra2
import sympy as sp

from glass_sym.paper.transcriptions import find_equation
from glass_sym.records.derivation import get
from glass_sym.symbols import M, N, alpha

IJKL = ("i", "j", "k", "l")

# Cadabra2 keeps its properties in the kernel named __cdbkernel__ in the calling module's globals
__cdbkernel__ = cadabra2.create_scope()
cadabra2.Indices(cadabra2.Ex(r"{i,j,k,l,a,b,c,d}"), cadabra2.Ex(r"vector"))
cadabra2.Integer(cadabra2.Ex(r"{i,j,k,l,a,b,c,d}"), cadabra2.Ex(r"1..3"))
cadabra2.KroneckerDelta(cadabra2.Ex(r"\delta{#}"))
cadabra2.Symmetric(cadabra2.Ex(r"\delta{#}"))


def to_cadabra(latex: str) -> str:
    """The transcribed LaTeX of a delta/n tensor as Cadabra2 input (brackets, numeric fractions, delta_{ab},
    n_a, x^3 -> r**3).  A form it cannot convert fails to parse in Cadabra2: the test then fails."""
    s = latex.replace(r"\left", "").replace(r"\right", "").replace(r"\{", "(").replace(r"\}", ")")
    s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", s)
    s = re.sub(r"\\delta_\{(\w)(\w)\}", r" \\delta_{\1 \2} ", s)
    s = re.sub(r"n_\{?(\w)\}?", r" n_{\1} ", s)
    s = re.sub(r"x\^(\d)", r" r**\1 ", s)
    s = s.replace(r"\alpha", r" \alpha ").replace(r"\pi", r" \pi ")
    return " ".join(s.split())


def printed(label: str, defines: str) -> str:
    return to_cadabra(find_equation(label, "jpcm2020", defines=defines).latex)


def simplify(e):
    """Cadabra2's canonical form of a sum of tensor monomials."""
    cadabra2.distribute(e)
    cadabra2.eliminate_kronecker(e)
    cadabra2.substitute(e, cadabra2.Ex(r"n_{a} n_{a} -> 1"))
    cadabra2.canonicalise(e)
    cadabra2.collect_factors(e)
    cadabra2.collect_terms(e)
    cadabra2.map_sympy(e, "expand")
    cadabra2.collect_terms(e)
    return e


def is_zero(text: str) -> bool:
    return simplify(cadabra2.Ex(text)).input_form().strip() == "0"


def relabel(text: str, mapping: dict) -> str:
    """Rename free indices in a Cadabra2 input string (index slots only)."""
    def swap(m):
        return m.group(1) + " ".join(mapping.get(i, i) for i in m.group(2).split()) + "}"

    return re.sub(r"(_\{)([a-z ]+)\}", swap, text)


def symmetrized(text: str) -> str:
    """(1/4)(X_ijkl + X_jikl + X_ijlk + X_jilk): the part seen by symmetric stresses."""
    swaps = [{}, {"i": "j", "j": "i"}, {"k": "l", "l": "k"}, {"i": "j", "j": "i", "k": "l", "l": "k"}]
    return "1/4 (" + " + ".join("(" + relabel(text, s) + ")" for s in swaps) + ")"


def tilde_lambda_from_A11() -> str:
    """-8 pi rho c_t^2 r^3 F[Lambda(q)](x) with F[q_iq_jq_kq_l/q^4] = f1 and F[q_aq_b/q^2] = f2 substituted by
    Cadabra2's pattern matching into the printed (A.11) (cT stands for c_t)."""
    lq = cadabra2.Ex(r"1/(2 \rho cT**2) ( \alpha Q_{i j k l} - 1/4 ( P_{j l} \delta_{i k} + P_{j k} \delta_{i l} "
                     r"+ P_{i l} \delta_{j k} + P_{i k} \delta_{j l} ) )")
    f1 = relabel(printed("A.17", "f1"), {"i": "a", "j": "b", "k": "c", "l": "d"})
    f2 = relabel(printed("A.17", "f2"), {"j": "a", "l": "b"})
    cadabra2.substitute(lq, cadabra2.Ex(rf"Q_{{a b c d}} -> {f1}"))
    cadabra2.substitute(lq, cadabra2.Ex(rf"P_{{a b}} -> {f2}"))
    e = cadabra2.Ex(rf"-8 \pi \rho cT**2 r**3 ({lq.input_form()})")
    return simplify(e).input_form()


def components(text: str, indices=IJKL) -> dict:
    """Explicit components {(i,...): SymPy expr} of a Cadabra2 expression in delta and n (Cadabra2's own SymPy
    bridge gives delta(DNa, DNb) and n(DNa); the indices are then given values)."""
    expr = cadabra2.Ex(text)._sympy_()
    out = {}
    for vals in itertools.product(range(3), repeat=len(indices)):
        at = {f"DN{a}": v for a, v in zip(indices, vals)}
        val = expr.replace(lambda f: isinstance(f, sp.core.function.AppliedUndef) and f.func.__name__ == "delta",
                           lambda f: sp.Integer(int(at[str(f.args[0])] == at[str(f.args[1])])))
        val = val.replace(lambda f: isinstance(f, sp.core.function.AppliedUndef) and f.func.__name__ == "n",
                          lambda f: N[at[str(f.args[0])]])
        out[vals] = sp.expand(val.subs(sp.Symbol("alpha"), alpha))
    return out


def reduced_zero(expr) -> bool:
    """expr == 0 on the unit sphere(s): SymPy's multivariate division by v.v - 1 (lex), no glass-sym code."""
    expr = sp.expand(expr)
    if expr == 0:
        return True
    gens = sorted([*N, *M], key=lambda g: g.name)
    rels = [sum(v**2 for v in N) - 1, sum(v**2 for v in M) - 1]
    return sp.reduced(expr, rels, *gens, order="lex")[1] == 0


def assert_components_equal(text: str, tensor, indices=IJKL):
    comps = components(text, indices)
    bad = [idx for idx in comps if not reduced_zero(comps[idx] - tensor[idx])]
    assert not bad, bad[:3]


# ------------------------------------------------------------------------ tests
def test_cadabra_A18_from_printed_A11_and_A17():
    """Cadabra2: -8 pi rho c_t^2 r^3 F[Lambda(q)] with the printed f1, f2 gives the printed (A.18) exactly, and
    glass-sym's registered tilde Lambda component by component."""
    ours = tilde_lambda_from_A11()
    assert is_zero(f"{ours} - ({printed('A.18', 'lambda_tilde')})")
    assert_components_equal(ours, get("lambda_tilde").value.to_tensor())
    # the comparison can fail: one wrong term is seen, by Cadabra2 and in the components
    wrong = f"{ours} + \\alpha n_{{i}} n_{{j}} \\delta_{{k l}}"
    assert not is_zero(f"{wrong} - ({printed('A.18', 'lambda_tilde')})")
    assert not reduced_zero(components(wrong)[(0, 0, 1, 1)] - get("lambda_tilde").value.to_tensor()[0, 0, 1, 1])


def test_cadabra_trace_of_tilde_lambda():
    """delta_ij tilde Lambda_ijkl by Cadabra2's delta elimination over the dummy index and n_a n_a = 1:
    (1 - alpha)(delta_kl - 3 n_k n_l), against glass-sym's explicit contraction of the registered form."""
    trace = simplify(cadabra2.Ex(rf"\delta_{{i j}} ({tilde_lambda_from_A11()})")).input_form()
    assert is_zero(rf"{trace} - (1 - \alpha) (\delta_{{k l}} - 3 n_{{k}} n_{{l}})")
    glass = get("lambda_tilde").value.to_tensor().contract(0, 1)
    assert_components_equal(trace, glass, indices=("k", "l"))
    assert not is_zero(rf"{trace} - (1 + \alpha) (\delta_{{k l}} - 3 n_{{k}} n_{{l}})")


def _jl_parts() -> tuple[str, str]:
    """(part (1), part (2)) of the printed (A.1): alpha -> 0, and the rest."""
    jl = printed("A.1", "lambda_tilde_jl")
    part1 = cadabra2.Ex(jl)
    cadabra2.substitute(part1, cadabra2.Ex(r"\alpha -> 0"))
    part1 = simplify(part1).input_form()
    part2 = simplify(cadabra2.Ex(f"{jl} - ({part1})")).input_form()
    return part1, part2


def _our_parts() -> tuple[str, str]:
    ours = tilde_lambda_from_A11()
    part1 = cadabra2.Ex(ours)
    cadabra2.substitute(part1, cadabra2.Ex(r"\alpha -> 0"))
    part1 = simplify(part1).input_form()
    return part1, simplify(cadabra2.Ex(f"{ours} - ({part1})")).input_form()


def test_cadabra_jl_part2_is_four_times_ours():
    """(A.19) claim: our part (2) = 1/4 of JL's printed part (2), as it stands (no symmetrization needed)."""
    (_, ours2), (_, jl2) = _our_parts(), _jl_parts()
    assert is_zero(f"{ours2} - 1/4 ({jl2})")
    assert not is_zero(f"{ours2} - 1/2 ({jl2})")
    assert_components_equal(simplify(cadabra2.Ex(f"1/4 ({jl2})")).input_form(),
                            get("lambda_tilde_2").value.to_tensor())


def test_cadabra_jl_part1_is_minus_half_after_symmetrization():
    """(A.19) claim: our part (1) = -1/2 of JL's printed part (1) after (ij), (kl) symmetrization, but not
    component by component."""
    (ours1, _), (jl1, _) = _our_parts(), _jl_parts()
    assert is_zero(f"{ours1} + 1/2 ({symmetrized(jl1)})")
    assert not is_zero(f"{ours1} + 1/2 ({jl1})")  # not proportional before symmetrizing
    assert_components_equal(simplify(cadabra2.Ex(f"-1/2 ({symmetrized(jl1)})")).input_form(),
                            get("lambda_tilde_1").value.to_tensor())


def _delta_lambda_tilde_in_cadabra():
    """glass-sym's registered Delta tilde Lambda (B.3) as a Cadabra2 expression: every distinct coefficient becomes
    a scalar placeholder c0, c1, ... (so Cadabra2 sees only the index structures)."""
    value = get("delta_lambda_tilde").value
    placeholders: dict = {}
    terms = []
    for mono, coeff in value.terms.items():
        key = sp.srepr(sp.expand(coeff))
        name = placeholders.setdefault(key, f"c{len(placeholders)}")
        factors = [rf"\delta_{{{f[1]} {f[2]}}}" if f[0] == "d" else rf"{f[1]}_{{{f[2]}}}" for f in mono]
        terms.append(name + " " + " ".join(factors))
    return " + ".join(terms), len(placeholders)


def test_cadabra_delta_lambda_tilde_symmetries():
    """Delta tilde Lambda_ijkl = Delta tilde Lambda_jikl = Delta tilde Lambda_ijlk = Delta tilde Lambda_klij,
    decided by Cadabra2's canonicalisation of the index structures."""
    text, n_coeff = _delta_lambda_tilde_in_cadabra()
    assert n_coeff >= 2
    for swap in ({"i": "j", "j": "i"}, {"k": "l", "l": "k"}, {"i": "k", "k": "i", "j": "l", "l": "j"}):
        assert is_zero(f"{text} - ({relabel(text, swap)})"), swap
    # a non-symmetric structure is seen
    extra = text + " + m_{i} n_{j} n_{k} n_{l}"
    assert not is_zero(f"{extra} - ({relabel(extra, {'i': 'j', 'j': 'i'})})")
