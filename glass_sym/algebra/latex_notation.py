r"""LaTeX of index notation as a physicist writes it (no files: :mod:`glass_sym.output.latex` writes them).

:func:`index_latex` prints an :class:`~glass_sym.algebra.indexnotation.IndexExpr` the way the papers typeset their
tensors (journal Appendix A, (A.17)-(A.19)): a common scalar factor in front, then the index structures that
share a coefficient gathered into one parenthesised permutation sum, e.g. ::

    \frac{1}{8 \pi r^{3}} \Bigl\{ (\delta_{ij} \delta_{kl} + \delta_{ik} \delta_{jl} + \delta_{il} \delta_{jk})
      - 3 (n_{i} n_{j} \delta_{kl} + ...) + 15 n_{i} n_{j} n_{k} n_{l} \Bigr\}

never the 81 explicit components.  The algorithm, deterministic by construction:

1. every coefficient is expanded (``expand_mul``) into terms ``rational x parameter monomial`` (the monomial
   holds alpha, rho, c_t, r, pi ...; ``r`` always means :math:`|\vec x|`);
2. terms are grouped by parameter monomial (groups ordered: pure numbers first, then SymPy's sort key); a
   factor common to all groups (e.g. :math:`1/(\pi r^3)`) is pulled in front;
3. inside a group the positive rational content (gcd of the rationals) is pulled out, and structures with
   equal remaining integer coefficient form one permutation sum;
4. structures are ordered by (number of vector factors, vector factors, deltas), pieces by their first
   structure.  Vector factors are written first, in index order, then the deltas: ``n_{i} n_{j} \delta_{kl}``.

Delimiters are the fixed-size ``\Bigl\{ ... \Bigr\}`` and ``\biggl[ ... \biggr]`` (not ``\left ... \right``), so an equation can be broken
after any term, also inside braces; :func:`glass_sym.records.latex_steps.derivation_latex_body` does that in an ``align`` environment.

>>> from glass_sym.algebra.indexnotation import delta, vec
>>> index_latex(delta("j", "l") - 3 * vec("n", "j") * vec("n", "l"))
'\\delta_{jl} - 3 n_{j} n_{l}'
"""


from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import sympy as sp

__all__ = ["index_latex", "scalar_latex", "vector_text", "VECTOR_LATEX", "Chunks", "index_chunks", "wrap_chunks",
           "join_signed", "sympy_latex"]

#: LaTeX of the vector names used in index notation
VECTOR_LATEX = {"n": "n", "m": "m", "qhat": r"\hat{q}", "x": "x", "q": "q", "e": "e"}


# ============================================================================ index notation
def _index_text(indices: Sequence[str]) -> str:
    return "".join(indices) if all(len(i) == 1 for i in indices) else ",".join(indices)


def vector_text(name: str) -> str:
    if name in VECTOR_LATEX:
        return VECTOR_LATEX[name]
    if name.endswith("hat") and len(name) > 3:     # unit vectors the parser registers: phat -> \hat{p}
        base = name[:-3]
        primes = len(base) - len(base.rstrip("'"))
        base = base.rstrip("'")
        core = base if len(base) == 1 else "\\" + base
        return r"\hat{" + core + "}" + "'" * primes
    if len(name.rstrip("'")) == 1:                 # n', m'': further unit vectors
        return name
    return name if len(name) == 1 else r"\mathrm{" + name + "}"


def _structure_key(mono: tuple) -> tuple:
    vecs = tuple(sorted((f[2], f[1]) for f in mono if f[0] == "v"))
    dels = tuple(sorted((f[1], f[2]) for f in mono if f[0] == "d"))
    return (len(vecs), vecs, dels)


def _structure_text(mono: tuple) -> str:
    """``n_{i} n_{j} \\delta_{kl}``: vectors in index order, then deltas."""
    _, vecs, dels = _structure_key(mono)
    parts = [f"{vector_text(name)}_{{{_index_text((a,))}}}" for a, name in vecs]
    parts += [rf"\delta_{{{_index_text((a, b))}}}" for a, b in dels]
    return " ".join(parts) if parts else "1"


def _factor_dict(expr: sp.Expr) -> dict:
    """``{base: exponent}`` of a product (exponent a Number; other factors count with exponent 1)."""
    out: dict = {}
    for f in sp.Mul.make_args(expr):
        if f.is_Pow and f.exp.is_Number:
            base, e = f.base, f.exp
        else:
            base, e = f, sp.S.One
        out[base] = out.get(base, sp.S.Zero) + e
    return out


def _common_factor(params: Sequence[sp.Expr]) -> sp.Expr:
    """The factor shared by all parameter monomials (smallest |exponent| of bases present in all with one sign)."""
    dicts = [_factor_dict(p) for p in params]
    common = sp.S.One
    for base in sorted(set.intersection(*(set(d) for d in dicts)), key=sp.default_sort_key):
        exps = [d[base] for d in dicts]
        if all(e.is_Number and e > 0 for e in exps):
            common *= base ** min(exps)
        elif all(e.is_Number and e < 0 for e in exps):
            common *= base ** max(exps)
    return common


def _rational_content(values: Iterable[sp.Rational]) -> sp.Rational:
    """Positive gcd of rationals: gcd(numerators) / lcm(denominators)."""
    nums, dens = [], []
    for v in values:
        v = sp.Rational(v)
        nums.append(abs(v.p))
        dens.append(v.q)
    return sp.Rational(sp.igcd(*nums) if len(nums) > 1 else nums[0], sp.ilcm(*dens) if len(dens) > 1 else dens[0])


def _split_term(term: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """``(rational, rest)`` of one additive term; non-rational numeric coefficients stay in ``rest``."""
    coeff, rest = term.as_coeff_Mul()
    if not coeff.is_Rational:
        return sp.S.One, term
    return coeff, rest


# A printed sum is a list of *chunks*: strings whose concatenation is the LaTeX text, with a line break
# allowed between any two consecutive chunks (always just before a " + " or " - ").
Chunks = list


def join_signed(items: Sequence[tuple[bool, Chunks]]) -> Chunks:
    out: Chunks = []
    for n, (neg, chunks) in enumerate(items):
        sign = ("- " if neg else "") if n == 0 else (" - " if neg else " + ")
        out.append(sign + chunks[0])
        out.extend(chunks[1:])
    return out


def wrap_chunks(prefix: str, chunks: Chunks, suffix: str) -> Chunks:
    chunks = list(chunks)
    chunks[0] = prefix + chunks[0]
    chunks[-1] = chunks[-1] + suffix
    return chunks


def _piece_chunks(structs: Sequence[tuple]) -> Chunks:
    texts = [_structure_text(m) for m in sorted(structs, key=_structure_key)]
    if len(texts) == 1:
        return texts
    return wrap_chunks("(", [texts[0]] + [" + " + t for t in texts[1:]], ")")


def _group_items(factor: sp.Expr, entries: dict) -> list[tuple[bool, Chunks]]:
    """Signed items of one parameter group: ``factor x sum(rational x structure)``.

    ``entries`` maps structure -> rational.  The positive rational content is pulled out with the sign that
    makes the first piece positive; index factors common to every structure (``\\delta_{ik}``) are written
    once after the bracket.  Returns items to be joined by the caller.
    """
    common = set.intersection(*(set(m) for m in entries)) if len(entries) > 1 else set()
    if common:
        entries = {tuple(f for f in m if f not in common): c for m, c in entries.items()}
    content = _rational_content(entries.values())
    by_coeff: dict = {}
    for mono, rat in entries.items():
        by_coeff.setdefault(rat / content, []).append(mono)
    pieces = sorted(by_coeff.items(), key=lambda kv: min(_structure_key(m) for m in kv[1]))
    if pieces[0][0] < 0:
        content = -content
        pieces = [(-k, s) for k, s in pieces]
    prefix_value = factor * abs(content)
    negative = bool(content < 0)
    tail = " " + _structure_text(tuple(sorted(common))) if common else ""
    if len(pieces) == 1:
        k, structs = pieces[0]
        body = _piece_chunks(structs)
        if tail:
            body = wrap_chunks("", body, tail)  # "(a + b) c" or "a c"
        mag = k * prefix_value
        if mag != 1:
            body = wrap_chunks(sympy_latex(mag) + " ", body, "")
        return [(negative, body)]
    items = []
    for k, structs in pieces:
        body = _piece_chunks(structs)
        if abs(k) != 1:
            body = wrap_chunks(sympy_latex(abs(k)) + " ", body, "")
        items.append((bool(k < 0), body))
    if prefix_value == 1 and not tail and not negative:
        return items
    simple = all(len(s) == 1 for _, s in pieces)
    left, right = (r"\Bigl( ", r" \Bigr)") if simple else (r"\Bigl\{ ", r" \Bigr\}")
    lead = "" if prefix_value == 1 else sympy_latex(prefix_value) + " "
    return [(negative, wrap_chunks(lead + left, join_signed(items), right + tail))]


def index_chunks(expr) -> Chunks:
    """The printed form of an IndexExpr as breakable chunks (see :func:`index_latex`)."""
    if not expr.terms:
        return ["0"]
    if not expr.indices:
        return [scalar_latex(sum(expr.terms.values(), sp.S.Zero))]
    groups: dict = {}  # parameter monomial -> {structure: rational}
    for mono in sorted(expr.terms, key=_structure_key):
        for term in sp.Add.make_args(sp.expand_mul(expr.terms[mono])):
            rat, param = _split_term(term)
            g = groups.setdefault(param, {})
            g[mono] = g.get(mono, sp.S.Zero) + rat
    groups = {p: {m: c for m, c in g.items() if c != 0} for p, g in groups.items()}
    groups = {p: g for p, g in groups.items() if g}
    if not groups:
        return ["0"]
    order = sorted(groups, key=lambda p: (p != 1, sp.default_sort_key(p)))
    if len(order) == 1:
        return join_signed(_group_items(order[0], groups[order[0]]))
    common = _common_factor(order)
    items = []
    for p in order:
        items.extend(_group_items(sp.simplify(p / common) if common != 1 else p, groups[p]))
    if common == 1:
        return join_signed(items)
    lead = sympy_latex(common) + r" \biggl[ "
    if items[0][0]:  # a leading minus goes in front of the common factor
        items = [(not neg, chunks) for neg, chunks in items]
        lead = "- " + lead
    return wrap_chunks(lead, join_signed(items), r" \biggr]")


def index_latex(expr) -> str:
    r"""LaTeX of an index-notation tensor, grouped as in the paper.

    Parameters
    ----------
    expr : IndexExpr
        The tensor.  Rank 0 prints its coefficient (:func:`scalar_latex`); the zero tensor prints ``0``.
        The symbol ``r`` in coefficients means :math:`|\vec x|`.

    Returns
    -------
    str
        One line of LaTeX (math mode, no delimiters); deterministic.

    Examples
    --------
    >>> from glass_sym.algebra.indexnotation import delta, vec
    >>> from glass_sym.symbols import alpha
    >>> index_latex(alpha * vec("n", "i") * vec("n", "j") * delta("k", "l") / 2)
    '\\frac{\\alpha}{2} n_{i} n_{j} \\delta_{kl}'
    """
    if not (hasattr(expr, "terms") and hasattr(expr, "indices")):  # an IndexExpr (not imported: it imports us)
        raise TypeError(f"index_latex needs an IndexExpr, got {type(expr).__name__}")
    return "".join(index_chunks(expr))


_PRIMED = re.compile(r"^([A-Za-z])\1(\d)$")


def _symbol_names(expr) -> dict:
    """LaTeX names for symbols the default printer gets wrong: ``pp1`` (component 1 of p') -> ``p'_{1}``."""
    out = {}
    for s in getattr(expr, "free_symbols", ()):
        m = _PRIMED.match(s.name)
        if m:
            out[s] = f"{m.group(1)}'_{{{m.group(2)}}}"
    return out


def sympy_latex(expr) -> str:
    """``sympy.latex`` with :func:`_symbol_names` (primes rendered)."""
    expr = sp.sympify(expr)
    names = _symbol_names(expr)
    return sp.latex(expr, symbol_names=names) if names else sp.latex(expr)


def scalar_latex(expr) -> str:
    r"""LaTeX of a SymPy expression (``sympy.latex``); an equation prints both sides.

    >>> import sympy as sp
    >>> from glass_sym.symbols import alpha, c_t
    >>> scalar_latex(sp.Eq(alpha, c_t**2 / 2))
    '\\alpha = \\frac{c_{t}^{2}}{2}'
    """
    if isinstance(expr, bool):
        return r"\text{true}" if expr else r"\text{false}"
    if isinstance(expr, int):
        expr = sp.Integer(expr)
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"scalar_latex needs a SymPy expression, got {type(expr).__name__}")
    if isinstance(expr, sp.Equality):
        return f"{sympy_latex(expr.lhs)} = {sympy_latex(expr.rhs)}"
    return sympy_latex(expr)
