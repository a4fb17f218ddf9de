r"""Calculus in printed equations: Fourier integrals over q, x-derivatives of radial functions, lambda -> 0.

The papers define the building blocks of Appendix A with calculus the index-notation grammar alone cannot
evaluate (journal (A.14), (A.16), (A.17); preprint (A11), (A13), (A14))::

    f^{(1)}_{ijkl} = \int \frac{d^3q}{(2\pi)^3} \frac{q_i q_j q_k q_l}{q^4} e^{i\vec q\cdot\vec x}
    f^{(2)}_{jl}(\lambda) = -\left(\frac{\partial}{\partial x_j}\frac{\partial}{\partial x_l}\right)
                             \frac{1}{4\pi x} e^{-\lambda x}
    \lim_{\lambda \to 0} ...

This module reads and evaluates them, exactly, with the engine's own tools:

* ``\int \frac{d^3q}{(2\pi)^3} F(q) \times phase`` (also ``\mathrm{d}^3 q``, ``d^{3}q``, ``\int d^3q``): the
  phase is ``e^{\pm i\vec q\cdot\vec x}``, ``\cos(\vec q\cdot\vec x)`` or a sum such as
  ``(e^{iqx} + e^{-iqx})/2``; F is a sum of terms (q-monomials with free indices) x q^{2m}/(q^2)^p or
  /(q^2+\lambda^2)^p x (q-independent factors).  Each term goes to :func:`glass_sym.algebra.fourier.fourier_transform`:
  ``.value`` (lambda -> 0, the x != 0 distribution) for 1/(q^2)^p, ``.regulated`` (lambda kept) for
  1/(q^2+\lambda^2)^p.  Terms with no negative power of q^2 are polynomials in q: their transform is supported
  at x = 0 only and is 0 at x != 0.
* ``\frac{\partial}{\partial x_i}``, ``\partial_i``, ``\partial_{x_i}``, ``\frac{\partial^2}{\partial x_j
  \partial x_l}`` applied to a function of x = |x| and of n = x/|x|: n is written as x/r, the chain rule of
  :meth:`glass_sym.algebra.indexnotation.IndexExpr.diff` differentiates, and x = r n is put back.
* ``\lim_{\lambda \to 0}`` (also ``\rightarrow``, ``0^+``): the limit of every coefficient
  (:func:`glass_sym.algebra.fourier._limit_lambda`); a divergent coefficient is an error.

The parser (:mod:`glass_sym.parse.parser`) recognises these constructs in its post-lexer (:func:`lex_calculus`) and
builds operator values (:class:`_Op`) that apply to everything after them in the same product, as in TeX.
The public functions below work on :class:`IndexExpr` / SymPy values directly.  Nothing is evaluated from text:
the operands are values the parser built.

>>> from glass_sym.parse.parser import parse_latex
>>> f2 = parse_latex(r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j q_l}{q^2} e^{i\vec q\cdot\vec x}")
>>> sp.factor(f2.to_tensor()[2, 2])
-(3*n3**2 - 1)/(4*pi*r**3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp
from lark import Token

from glass_sym.algebra.fourier import _limit_lambda, fourier_transform, scalar_kernel
from glass_sym.algebra.indexnotation import IndexExpr, index_string, scalar
from glass_sym.errors import DivergenceError, DivergentExpressionError, InputError
from glass_sym.symbols import QHAT, N, Q, X, lam, q, r

from .core import _add, _contract_renamed, _describe, _is_index, _pairs_of, _PosError, _settle, _Tens, _tok

__all__ = ["Measure", "fourier_integral", "x_derivative", "limit_lambda_to_zero", "split_phase", "lex_calculus",
           "apply_op"]

_ROMAN_D = {"mathrm", "rm", "text", "textrm", "mathit"}
_VEC_ACCENTS = {"vec", "mathbf", "boldsymbol", "bm"}
_DOT = sum(a * b for a, b in zip(QHAT, N))       # qhat . n, as the parser writes \vec q \cdot \vec x / (q r)


# ---------------------------------------------------------------------------------------------- evaluation
def _as_index(value) -> IndexExpr:
    return value if isinstance(value, IndexExpr) else scalar(sp.sympify(value))


def _back(expr: IndexExpr, like):
    if isinstance(like, IndexExpr):
        return expr
    return expr.terms.get((), sp.S.Zero)


def split_phase(term: sp.Expr) -> tuple[str, sp.Expr]:
    """term = phase x rest with phase e^{+iq.x} ('+'), e^{-iq.x} ('-') or cos(q.x) ('cos')."""
    factors = sp.Mul.make_args(term)
    phases = [f for f in factors if f.has(*QHAT)]
    if not phases:
        raise InputError(f"integrand term {term}: expected a phase factor e^{{+-i q.x}} or cos(q.x), found none")
    if len(phases) > 1:
        raise InputError(f"integrand term {term}: expected one phase factor, found {len(phases)}")
    f = phases[0]
    arg = f.args[0] if f.func in (sp.exp, sp.cos) else None
    kind = None
    if f.func == sp.exp:
        for sign, name in ((1, "+"), (-1, "-")):
            if sp.expand(arg - sign * sp.I * q * r * _DOT) == 0:
                kind = name
    elif f.func == sp.cos and (sp.expand(arg - q * r * _DOT) == 0 or sp.expand(arg + q * r * _DOT) == 0):
        kind = "cos"
    if kind is None:
        raise InputError(f"phase factor {f}: expected e^{{i q.x}}, e^{{-i q.x}} or cos(q.x) with x = r n")
    return kind, sp.Mul(*[g for g in factors if g is not f])


def _powers(h: sp.Expr) -> tuple[int, int, bool, sp.Expr]:
    """h = const q^a (q^2 + lambda^2)^(-p): (a, p, regulated, const); const is every q-independent factor."""
    a, p, reg, const = 0, 0, False, sp.S.One
    for f in sp.Mul.make_args(h):
        if not f.has(q):
            const *= f
            continue
        base, ex = f.as_base_exp()
        if not ex.is_Integer:
            raise InputError(f"integrand factor {f}: expected an integer power")
        if base == q:
            a += int(ex)
        elif sp.expand(base - (q**2 + lam**2)) == 0:
            p -= int(ex)
            reg = True
        else:
            raise InputError(f"integrand factor {f}: expected powers of q and of (q^2 + lambda^2) times "
                             "q-independent factors")
    return a, p, reg, const


def _regulated(indices: tuple[str, ...], p: int) -> IndexExpr:
    """int d^3q/(2pi)^3 q_{i..}/(q^2+lambda^2)^p e^{iq.x}, lambda kept (the engine's ``.regulated``)."""
    try:
        return fourier_transform(indices, p).regulated
    except DivergenceError:  # finite at lambda > 0 although its limit diverges: same route, no limit taken
        expr = scalar(scalar_kernel(p).value)
        for i in indices:
            expr = expr.diff(i, "x", r)
        return (expr * (-sp.I) ** len(indices)).substitute_vector("x", "n", r).map_coefficients(sp.factor)


#: largest operands the engine is asked to transform or differentiate (the number of index structures grows
#: factorially: rank 7 under \int takes ~25 s, 12 derivatives ~40 s; printed equations need rank <= 4)
_MAX_INT_RANK, _MAX_INT_POWER, _MAX_DERIV_RANK = 6, 8, 8


def _transform(indices: tuple[str, ...], a: int, p: int, reg: bool) -> IndexExpr:
    """int d^3q/(2pi)^3 q_{indices} q^a/(q^2[+lambda^2])^p e^{iq.x} at x != 0."""
    if len(indices) > _MAX_INT_RANK or abs(a) > 2 * _MAX_INT_POWER or abs(p) > _MAX_INT_POWER:
        raise InputError(f"integrand q_(rank {len(indices)}) q^{a}/(q^2)^{p} is outside the supported range "
                         f"(rank <= {_MAX_INT_RANK}, powers |p| <= {_MAX_INT_POWER})")
    zero = IndexExpr.zero(indices)
    if a % 2:
        raise InputError(f"odd power q^{a} in the integrand: expected q^(2m)")
    if not reg:
        p -= a // 2
        return fourier_transform(indices, p).value if p >= 1 else zero
    if a < 0:
        raise InputError(f"q^{a} next to (q^2 + lambda^2)^(-{p}): expected a regulated denominator alone")
    m, out = a // 2, zero
    for j in range(m + 1):      # q^{2m} = sum_j C(m, j) (q^2 + lambda^2)^j (-lambda^2)^(m-j)
        if p - j >= 1:
            out = out + _regulated(indices, p - j) * (sp.binomial(m, j) * (-lam**2) ** (m - j))
    return out


def fourier_integral(integrand, *, normalization: sp.Expr = sp.S.One):
    r"""``normalization x (2 pi)^3 x`` int d^3q/(2pi)^3 of ``integrand`` (a function of q with its phase), x != 0.

    Parameters
    ----------
    integrand : IndexExpr or sympy.Expr
        Components of the vector q (``vec('q', i)``, or ``vec('qhat', i)`` = q_i/q) times coefficients in the
        scalar q, the phase ``exp(+-I q r qhat.n)`` or ``cos(q r qhat.n)`` (qhat.n written out in components,
        as the parser writes ``\vec q\cdot\vec x``), powers of q and of (q^2 + lambda^2), and q-independent
        factors.
    normalization : sympy.Expr
        Factor of the measure relative to d^3q (``1/(2 pi)^3`` for ``\frac{d^3q}{(2\pi)^3}``).

    Returns
    -------
    IndexExpr or sympy.Expr
        The same free indices, in n = x/|x| with coefficients in r = |x| (and lambda when regulated).

    Raises
    ------
    InputError
        An integrand term without phase, a phase other than e^{+-iq.x} / cos(q.x), or powers of q the engine
        does not transform.
    DivergenceError
        A term diverges at small q (from :func:`glass_sym.algebra.fourier.fourier_transform`).

    Examples
    --------
    >>> from glass_sym.algebra.indexnotation import vec
    >>> from glass_sym.symbols import QHAT, N
    >>> phase = sp.exp(sp.I * q * r * sum(a * b for a, b in zip(QHAT, N)))
    >>> f = fourier_integral(vec("q", "j") * vec("q", "l") * phase / q**2, normalization=1 / (2 * sp.pi)**3)
    >>> f.indices
    ('j', 'l')
    """
    expr = _as_index(integrand)
    out = IndexExpr.zero(expr.indices)
    scale = (2 * sp.pi) ** 3 * normalization
    for mono, c in expr.terms.items():
        qidx, rest, extra = [], [], sp.S.One
        for f in mono:
            if f[0] == "v" and f[1] in ("q", "qhat"):
                qidx.append(f[2])
                extra = extra / q if f[1] == "qhat" else extra
            else:
                rest.append(f)
        spect = IndexExpr({tuple(rest): 1}, [i for i in expr.indices if i not in qidx])
        coeff = sp.expand(c * extra, power_exp=False, power_base=False, log=False)
        for t in sp.Add.make_args(coeff):
            kind, g = split_phase(t)
            if g.has(*QHAT, *Q):
                raise InputError(f"integrand term {t}: components of q outside the phase must carry an index "
                                 "(q_i, \\hat q_i)")
            amp, h = sp.factor(g).as_independent(q, as_Add=False)
            a, p, reg, const = _powers(sp.factor(h))
            amp = amp * const
            k = len(qidx)
            if kind == "cos" and k % 2:
                continue    # cos(q.x) = (e^{iq.x} + e^{-iq.x})/2 kills odd monomials
            sign = (-1) ** k if kind == "-" else 1
            ft = _transform(tuple(qidx), a, p, reg)
            out = out + (ft * spect).reorder(expr.indices) * (amp * sign * scale)
    return _back(out, integrand)


def x_derivative(expr, indices: Sequence[str]):
    r"""d/dx_{i1} ... d/dx_{ik} of a function of r = |x| and n = x/|x| (an IndexExpr in n, or a scalar in r).

    n is written as x/r, :meth:`IndexExpr.diff` applies the chain rule, and x = r n is put back.  The
    derivative indices must be new (not free in ``expr``).

    >>> from glass_sym.symbols import lam
    >>> d = x_derivative(sp.exp(-lam * r) / (4 * sp.pi * r), ["j", "l"])
    >>> d.indices
    ('j', 'l')
    """
    e = _as_index(expr)
    bad = {s for c in e.coefficients() for s in c.free_symbols} & (set(N) | set(X))
    if bad:
        raise InputError(f"derivative of a coefficient with explicit components {sorted(map(str, bad))}: "
                         "write them with indices (n_i, x_i)")
    for i in indices:
        if i in e.indices:
            raise InputError(f"derivative index {i!r} is already a free index of {index_string(e.indices)}")
    order = e.indices + tuple(indices)
    e = e.substitute_vector("n", "x", 1 / r)
    for i in reversed(list(indices)):
        e = e.diff(i, "x", r)
    e = e.substitute_vector("x", "n", r).map_coefficients(sp.factor)
    return _back(e.reorder(order), expr if not indices else e)


def limit_lambda_to_zero(expr):
    r"""lim_{lambda -> 0+} of every coefficient (:func:`glass_sym.algebra.fourier._limit_lambda`).

    Raises :class:`DivergenceError` when a coefficient diverges.

    >>> from glass_sym.symbols import lam
    >>> limit_lambda_to_zero(sp.exp(-lam * r) / (4 * sp.pi * r))
    1/(4*pi*r)
    """
    def lim(c):
        return _limit_lambda(c) if c.has(lam) else c

    e = _as_index(expr).map_coefficients(lim)
    return _back(e, expr)


# ---------------------------------------------------------------------------------------------- measures
@dataclass(frozen=True)
class Measure:
    """A printed q-measure: ``kind`` 'sum' or 'integral', the variable, the normalization relative to
    sum_q / d^3q, and the printed range (text, for sums) if any."""

    kind: str
    variable: str = "q"
    normalization: sp.Expr = sp.S.One
    range: str = ""
    extras: dict = field(default_factory=dict)


@dataclass
class _Op:
    """An operator written before its operand: ``steps`` applied right to left, each ('int', normalization),
    ('deriv', indices) or ('lim', 'lambda'); ``pos`` of its first token."""

    steps: list
    pos: int
    factor: sp.Expr = sp.S.One
    is_scalar = False

    def then(self, other: "_Op") -> "_Op":
        return _Op(self.steps + other.steps, self.pos, self.factor * other.factor)


@dataclass
class _Open:
    """``prefix x op(operand)`` while the product it stands in is still being read."""

    prefix: object
    op: _Op
    operand: object
    is_scalar = False


def _to_index(t: _Tens) -> IndexExpr:
    return IndexExpr(t.terms, tuple(sorted(t.free)))


_WHAT = {"int": "\\int", "deriv": "\\partial", "lim": "\\lim_{\\lambda \\to 0}"}


def _linear(kind: str, data, value: _Tens, pos: int) -> _Tens:
    """\\int or \\partial applied to an operand whose contractions are kept in index form (p_a n_a, m_a qhat_a)
    or with a derivative index that is also free in it (\\partial_i x_i, \\partial_i\\partial_i): each such
    pair is opened into two free indices, the operator acts (it is linear), and the pair is contracted again."""
    groups: dict[tuple, dict] = {}
    for m, c in value.terms.items():
        groups.setdefault(tuple(_pairs_of(m)), {})[m] = c
    out = None
    for pairs, terms in groups.items():
        opened: dict[str, str] = {}
        tt: dict = {}
        for m, c in terms.items():
            fs, seen = [], set()
            for f in m:
                if f[0] == "v" and f[2] in pairs:
                    if f[2] in seen:
                        f = ("v", f[1], f[2] + "*")
                    seen.add(f[2])
                fs.append(f)
            tt[tuple(sorted(fs))] = tt.get(tuple(sorted(fs)), sp.S.Zero) + c
        for a in pairs:
            opened[a + "*"] = a
        free = sorted(value.free) + sorted(pairs) + sorted(opened)
        e = IndexExpr(tt, free)
        if kind == "int":
            e = fourier_integral(e, normalization=data)
        else:
            if len(data) + len(free) > _MAX_DERIV_RANK:     # contractions kept in index form count twice
                raise InputError(f"{len(data)} derivatives of a rank-{len(free)} operand (free indices and "
                                 f"contracted pairs): outside the supported range (result rank <= {_MAX_DERIV_RANK})")
            clash = set(data) & value.dummies
            if clash:
                raise InputError(f"derivative index {sorted(clash)[0]!r} is already summed in the operand")
            names, used = [], set(free)
            for k, a in enumerate(data):
                b = a if a not in used else f"{a}*{k}"
                if b != a:
                    opened[b] = a
                used.add(b)
                names.append(b)
            e = x_derivative(e, names)
        t = _Tens({m: c for m, c in e.terms.items() if c != 0}, frozenset(e.indices), value.dummies)
        t = _contract_renamed(t, opened, pos) if opened else t
        out = t if out is None else _add(out, t, pos)
    if out is None:
        free = value.free | (frozenset(a for a in data if list(data).count(a) == 1 and a not in value.free)
                             if kind == "deriv" else frozenset())
        return _Tens({}, free, value.dummies)
    return out


def apply_op(op: _Op, value, pos: int) -> _Tens:
    """op(value) for a parsed operand (:class:`_Tens`); errors become positioned parse errors."""
    if not isinstance(value, _Tens):
        raise _PosError(pos, "an operator (\\int, \\partial, \\lim) applied to a vector without index")
    for kind, data, where in reversed(op.steps):
        try:
            if kind in ("int", "deriv"):
                value = _linear(kind, data, value, where)
                continue
            value = _settle(value)
            e = limit_lambda_to_zero(_to_index(value))
        except DivergenceError as exc:
            raise _PosError(where, f"{_WHAT[kind]} diverges: {exc}", DivergentExpressionError) from None
        except InputError as exc:
            raise _PosError(where, f"{_WHAT[kind]}: {exc}") from None
        value = _Tens({m: c for m, c in e.terms.items() if c != 0}, frozenset(e.indices), value.dummies)
    if op.factor != 1:
        value = _Tens({m: c * op.factor for m, c in value.terms.items()}, value.free, value.dummies)
    return value


# ---------------------------------------------------------------------------------------------- tokens
def _at(toks: list[Token], j: int) -> Token | None:
    return toks[j] if j < len(toks) else None


def _pos(toks: list[Token], j: int) -> int:
    t = _at(toks, j)
    return t.start_pos if t is not None else (toks[-1].end_pos if toks else 0)


def _is(t: Token | None, kind: str, value: str | None = None) -> bool:
    return t is not None and t.type == kind and (value is None or str(t) == value)


def _braced_or_single(toks, j, kinds):
    """One token of ``kinds`` or ``{token}``: (token, index after)."""
    if _is(_at(toks, j), "LBRACE") and _at(toks, j + 1) is not None and toks[j + 1].type in kinds \
            and _is(_at(toks, j + 2), "RBRACE"):
        return toks[j + 1], j + 3
    if _at(toks, j) is not None and toks[j].type in kinds:
        return toks[j], j + 1
    return None, j


def _differential(toks: list[Token], j: int) -> tuple[str, int] | None:
    """``d^3q``, ``\\mathrm{d}^3 q``, ``d^{3}\\vec{q}`` at toks[j]: (variable, index after) or None."""
    t = _at(toks, j)
    if _is(t, "LETTER", "d"):
        j += 1
    elif _is(t, "MACRO") and t[1:] in _ROMAN_D and _is(_at(toks, j + 1), "LBRACE") and \
            _is(_at(toks, j + 2), "LETTER", "d") and _is(_at(toks, j + 3), "RBRACE"):
        j += 4
    else:
        return None
    if not _is(_at(toks, j), "CARET"):
        raise _PosError(_pos(toks, j), f"expected d^3q (a 3D measure), found {_describe(_at(toks, j))} after d")
    dim, j2 = _braced_or_single(toks, j + 1, ("NUMBER",))
    if dim is None or str(dim) != "3":
        raise _PosError(_pos(toks, j + 1), f"expected the dimension 3 in d^3q, found {_describe(dim or _at(toks, j + 1))}")
    j = j2
    t = _at(toks, j)
    if _is(t, "MACRO") and t[1:] in _VEC_ACCENTS:
        var, j = _braced_or_single(toks, j + 1, ("LETTER",))
    else:
        var, j = _braced_or_single(toks, j, ("LETTER",))
    if var is None or str(var) not in ("q", "k"):
        raise _PosError(_pos(toks, j), f"expected the integration variable q (or k) in d^3q, found {_describe(var or _at(toks, j))}")
    return "q", j


def _deriv_denominator(toks, j, end) -> tuple[list[str], int]:
    """``\\partial x_i \\partial x_j`` up to toks[end] ('}'): the index letters."""
    idx = []
    while j < end:
        if not _is(toks[j], "MACRO", "\\partial"):
            raise _PosError(toks[j].start_pos, f"expected \\partial x_i in the denominator, found {_describe(toks[j])}")
        if not _is(_at(toks, j + 1), "LETTER", "x") or not _is(_at(toks, j + 2), "UNDERSCORE"):
            raise _PosError(_pos(toks, j + 1), f"expected x_i after \\partial, found {_describe(_at(toks, j + 1))}")
        a, j = _braced_or_single(toks, j + 3, ("LETTER",))
        if a is None or not _is_index(str(a)):
            raise _PosError(_pos(toks, j), "expected an index letter in \\partial x_i")
        idx.append(str(a))
        if _is(_at(toks, j), "CARET"):
            raise _PosError(toks[j].start_pos, "\\partial x_i^2: write the indices separately, \\partial x_i \\partial x_j")
    return idx, j


def lex_calculus(toks: list[Token], i: int, t: Token) -> tuple[Token, int]:
    r"""Post-lexer hook: the macro ``t`` (at toks[i-1]) starts a calculus construct; return (token, next index).

    ``\int`` -> INT (and the differential d^3q in toks replaced by one DIFF token); ``\frac{\partial}{\partial
    x_i}``, ``\partial_i`` -> DERIV (value: the index letters); ``\lim_{\lambda \to 0}`` -> LIM.
    """
    name = str(t)[1:]
    if name == "int":
        if _at(toks, i) is not None and toks[i].type in ("UNDERSCORE", "CARET"):
            raise _PosError(toks[i].start_pos, "definite integrals (limits on \\int) are not supported: the "
                            "integral runs over all q")
        j = i + 2 if _is(_at(toks, i), "MACRO") and toks[i][1:] in ("frac", "dfrac", "tfrac") and \
            _is(_at(toks, i + 1), "LBRACE") else i
        found = _differential(toks, j)
        if found is None:
            raise _PosError(_pos(toks, j), "expected the measure d^3q or \\frac{d^3q}{(2\\pi)^3} after \\int, "
                            f"found {_describe(_at(toks, j))}")
        var, end = found
        if j != i and not _is(_at(toks, end), "RBRACE"):
            raise _PosError(_pos(toks, end), f"expected '}}' after d^3q in the numerator, found {_describe(_at(toks, end))}")
        toks[j:end] = [_tok("DIFF", var, toks[j])]
        return _tok("INT", "int", t), i
    if name == "lim":
        if not (_is(_at(toks, i), "UNDERSCORE") and _is(_at(toks, i + 1), "LBRACE")):
            raise _PosError(_pos(toks, i), "expected \\lim_{\\lambda \\to 0}")
        j, body = i + 2, []
        while j < len(toks) and toks[j].type != "RBRACE":
            body.append(toks[j])
            j += 1
        text = "".join(str(b) for b in body)
        if text not in ("\\lambda\\to0", "\\lambda\\rightarrow0", "\\lambda\\to0^+", "\\lambda\\rightarrow0^+",
                        "\\lambda\\to0^{+}", "\\lambda\\rightarrow0^{+}"):
            raise _PosError(toks[i + 2].start_pos if body else _pos(toks, j),
                            f"only \\lim_{{\\lambda \\to 0}} is supported, found \\lim_{{{text}}}")
        return _tok("LIM", "lambda", t), j + 1
    if name == "partial":     # \partial_i, \partial_{i}, \partial_{x_i}
        if not _is(_at(toks, i), "UNDERSCORE"):
            raise _PosError(_pos(toks, i), "expected \\partial_i or \\frac{\\partial}{\\partial x_i} (an operator "
                            f"before its operand), found {_describe(_at(toks, i))} after \\partial")
        j = i + 1
        if _is(_at(toks, j), "LBRACE") and _is(_at(toks, j + 1), "LETTER", "x") and _is(_at(toks, j + 2), "UNDERSCORE"):
            a, k = _braced_or_single(toks, j + 3, ("LETTER",))
            if not _is(_at(toks, k), "RBRACE"):
                raise _PosError(_pos(toks, k), "expected '}' after \\partial_{x_i")
            k += 1
        else:
            a, k = _braced_or_single(toks, j, ("LETTER",))
        if a is None or not _is_index(str(a)):
            raise _PosError(_pos(toks, j), "expected an index letter in \\partial_i")
        return _tok("DERIV", str(a), t), k
    # \frac{\partial^n}{\partial x_i ...}: t is \frac, toks[i] = '{', toks[i+1] = \partial
    j = i + 2
    order = 1
    if _is(_at(toks, j), "CARET"):
        nt, j = _braced_or_single(toks, j + 1, ("NUMBER",))
        if nt is None:
            raise _PosError(_pos(toks, j + 1), "expected the order n in \\partial^n")
        order = int(str(nt))
    if not _is(_at(toks, j), "RBRACE"):
        raise _PosError(_pos(toks, j), "\\frac{\\partial f}{\\partial x_i} is not supported: write the operator "
                        "before its operand, \\frac{\\partial}{\\partial x_i} f")
    if not _is(_at(toks, j + 1), "LBRACE"):
        raise _PosError(_pos(toks, j + 1), "expected '{\\partial x_i}' as the denominator")
    end = j + 2
    while end < len(toks) and toks[end].type != "RBRACE":
        end += 1
    idx, _ = _deriv_denominator(toks, j + 2, end)
    if len(idx) != order:
        raise _PosError(toks[i + 1].start_pos, f"\\partial^{order} over {len(idx)} derivatives \\partial x_i")
    return _tok("DERIV", "".join(idx), t), end + 1
