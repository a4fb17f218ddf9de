r"""Is a difference of two expressions with functions (sin, cosh, exp, log ...) zero?  Exact, or proven not.

:func:`glass_sym.audit.printed.audit_expressions` compares polynomial-rational forms (modulo n.n = 1); a difference
that contains non-polynomial functions (``\sin^2 t + \cos^2 t - 1``) is not reduced there.  This module
decides such a difference, for :mod:`glass_sym.audit.typed` (``glass-sym audit --latex ... --against-latex``):

* **zero** when an exact rewrite reaches 0: ``rewrite(exp)`` then ``expand``/``powsimp``/``simplify``,
  ``trigsimp``, ``expand_trig``, ``simplify`` (each followed by the unit-vector reduction
  :func:`glass_sym.algebra.tensor.canonical`);
* **nonzero** only when evaluating it at a point (rational values for every symbol, unit vectors on the unit
  sphere) to 50 significant digits gives a value far above the evaluation error (``|d| > 1e-20``): one such
  point proves the expressions differ;
* **undecided** otherwise.  Equality is never decided by sampling.

>>> import sympy as sp
>>> t = sp.Symbol("t")
>>> decide(sp.sin(t)**2 + sp.cos(t)**2 - 1)
'zero'
>>> decide(sp.sin(2*t) - sp.sin(t))
'nonzero'
"""

from __future__ import annotations

import itertools
import random

import sympy as sp

from glass_sym import symbols as S

from .indexnotation import IndexExpr
from .tensor import canonical

__all__ = ["has_functions", "decide", "decide_components", "PRECISION", "THRESHOLD"]

#: significant digits of the evaluation that proves a difference nonzero
PRECISION = 50
#: a value above this at some point proves the difference nonzero (the evaluation error is ~10^-PRECISION)
THRESHOLD = sp.Float("1e-20")
#: above this many operations only the cheap exact rewrite (exp form, expand) is tried before evaluation
MAX_OPS = 400
#: rational points on the unit sphere (Pythagorean quadruples a^2 + b^2 + c^2 = d^2)
_SPHERE = ((2, 3, 6, 7), (1, 4, 8, 9), (2, 6, 9, 11), (1, 2, 2, 3), (4, 4, 7, 9))


def has_functions(expr) -> bool:
    """True when ``expr`` contains a function application or a power with a non-integer exponent (a root
    such as sqrt(t^2), whose branch the polynomial comparison does not decide)."""
    expr = sp.sympify(expr)
    if expr.atoms(sp.Function) - expr.atoms(sp.Derivative):
        return True
    return any(not p.exp.is_Integer for p in expr.atoms(sp.Pow)) or bool(expr.atoms(sp.exp))


def _rewrites(d):
    attempts = (
        lambda e: sp.expand(e.rewrite(sp.exp)),
        lambda e: sp.simplify(sp.powsimp(sp.expand(e.rewrite(sp.exp)))),
        sp.trigsimp,
        lambda e: sp.expand(sp.expand_trig(e)),
        lambda e: sp.simplify(sp.expand_trig(e)),
        sp.simplify,
    )
    if sp.count_ops(d) > MAX_OPS:     # simplify on a large expression can take minutes: the cheap rewrite only
        attempts = attempts[:1]
    for f in attempts:
        try:
            out = f(d)
        except Exception:        # noqa: BLE001 - a rewrite SymPy cannot do is simply not a proof
            continue
        if out == 0:
            return True
        try:
            if canonical(out) == 0:
                return True
        except Exception:        # noqa: BLE001
            continue
    return False


def _point(symbols, rng: random.Random, k: int) -> dict:
    """Rational values for ``symbols`` (respecting sign/integer assumptions), unit vectors on the sphere."""
    values: dict = {}
    units = {}
    for u in S.UNIT_VECTORS:
        comps = S.VECTOR_SYMBOLS.get(u)
        if comps and set(comps) & set(symbols):
            a, b, c, dd = _SPHERE[(k + len(units)) % len(_SPHERE)]
            signs = [rng.choice((1, -1)) for _ in range(3)]
            perm = rng.sample(range(3), 3)
            trip = [sp.Rational(x, dd) for x in (a, b, c)]
            for comp, j, s in zip(comps, perm, signs):
                values[comp] = s * trip[j]
            units[u] = True
    for x in sorted(symbols - set(values), key=str):
        if getattr(x, "is_integer", False):
            v = sp.Integer(rng.randint(1, 5))
        else:
            v = sp.Rational(rng.randint(3, 40), rng.randint(7, 23))
        values[x] = -v if getattr(x, "is_negative", False) else v
    return values


def decide(d, points: int = 5, seed: int = 20260101) -> str:
    """``'zero'``, ``'nonzero'`` or ``'undecided'`` for the scalar difference ``d`` (see the module text)."""
    d = sp.sympify(d)
    try:
        if canonical(d) == 0:
            return "zero"
    except Exception:            # noqa: BLE001
        pass
    if _rewrites(d):
        return "zero"
    symbols = d.free_symbols
    rng = random.Random(seed)
    for k in range(points):
        try:
            v = d.xreplace(_point(symbols, rng, k)).evalf(PRECISION, maxn=400)
        except Exception:        # noqa: BLE001 - a point where d cannot be evaluated proves nothing
            continue
        if not v.is_number or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            continue
        try:
            mag = abs(complex(v))
        except (TypeError, ValueError):
            continue
        if mag > THRESHOLD:
            return "nonzero"
    return "undecided"


def decide_components(a, b) -> tuple[str, int]:
    """Decide ``a - b`` for two scalars or two aligned :class:`IndexExpr` (explicit components).

    Returns (status, number of components proven nonzero); status ``'zero'`` when every component is zero,
    ``'nonzero'`` when one is proven nonzero, else ``'undecided'``.
    """
    if isinstance(a, IndexExpr):

        diff = a - b
        comps = [canonical(diff.component(dict(zip(diff.indices, idx))))
                 for idx in itertools.product(range(3), repeat=len(diff.indices))]
    else:
        comps = [sp.sympify(a) - sp.sympify(b)]
    seen: dict = {}
    results = []
    for c in comps:
        if c == 0:
            continue
        if c not in seen:
            seen[c] = decide(c)
        results.append(seen[c])
    nonzero = results.count("nonzero")
    if nonzero:
        return "nonzero", nonzero
    if results.count("undecided"):
        return "undecided", 0
    return "zero", 0
