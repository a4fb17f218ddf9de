"""Safe JSON serialization of closed forms (SymPy expressions and IndexExpr) for the on-disk cache.

Expressions become nested JSON lists ``[node, ...]`` over a fixed whitelist of node types; reading them back
only calls SymPy constructors.  Nothing is ever passed to ``eval``, ``sympify`` of strings or ``pickle``:
an unknown node or malformed tree raises :class:`~glass_sym.errors.CacheError`.

>>> import sympy as sp
>>> from glass_sym.symbols import alpha, N
>>> e = sp.Rational(3, 2) * alpha * N[0]**2 - sp.pi / 4
>>> from_json(to_json(e)) == e
True
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.errors import CacheError

__all__ = ["to_json", "from_json", "value_to_json", "value_from_json"]

_FUNCS = {"exp": sp.exp, "sin": sp.sin, "cos": sp.cos, "sinh": sp.sinh, "cosh": sp.cosh, "log": sp.log,
          "tanh": sp.tanh, "atan": sp.atan}
_CONSTS = {"pi": sp.pi, "I": sp.I, "E": sp.E}
_ASSUMPTIONS = ("real", "positive", "nonnegative", "integer", "nonzero")
_MAX_DEPTH = 200


def to_json(e: sp.Expr) -> Any:
    """Encode a SymPy expression as a JSON tree (raises CacheError for unsupported nodes)."""
    e = sp.sympify(e)
    if e.is_Integer:
        return ["int", str(int(e))]
    if e.is_Rational:
        return ["rat", str(int(e.p)), str(int(e.q))]
    if e.is_Symbol:
        flags = sorted(a for a in _ASSUMPTIONS if e.assumptions0.get(a) is True)
        return ["sym", e.name, flags]
    for name, c in _CONSTS.items():
        if e == c:
            return ["const", name]
    if e.is_Add:
        return ["add", [to_json(a) for a in sp.Add.make_args(e)]]
    if e.is_Mul:
        return ["mul", [to_json(a) for a in sp.Mul.make_args(e)]]
    if e.is_Pow:
        return ["pow", to_json(e.base), to_json(e.exp)]
    for name, f in _FUNCS.items():
        if isinstance(e, f):
            return ["fn", name, [to_json(a) for a in e.args]]
    raise CacheError(f"cannot serialize {type(e).__name__} node {e}")


def from_json(tree: Any, _depth: int = 0) -> sp.Expr:
    """Decode a tree made by :func:`to_json`; only whitelisted constructors are called."""
    if _depth > _MAX_DEPTH:
        raise CacheError("expression tree too deep")
    if not isinstance(tree, list) or not tree or not isinstance(tree[0], str):
        raise CacheError(f"malformed expression node {str(tree)[:60]!r}")
    kind = tree[0]
    try:
        if kind == "int":
            return sp.Integer(int(tree[1]))
        if kind == "rat":
            return sp.Rational(int(tree[1]), int(tree[2]))
        if kind == "sym":
            flags = tree[2]
            if not isinstance(tree[1], str) or any(f not in _ASSUMPTIONS for f in flags):
                raise CacheError(f"bad symbol node {tree!r}")
            return sp.Symbol(tree[1], **{f: True for f in flags})
        if kind == "const":
            return _CONSTS[tree[1]]
        if kind == "add":
            return sp.Add(*[from_json(a, _depth + 1) for a in tree[1]])
        if kind == "mul":
            return sp.Mul(*[from_json(a, _depth + 1) for a in tree[1]])
        if kind == "pow":
            return sp.Pow(from_json(tree[1], _depth + 1), from_json(tree[2], _depth + 1))
        if kind == "fn":
            return _FUNCS[tree[1]](*[from_json(a, _depth + 1) for a in tree[2]])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise CacheError(f"malformed expression node {str(tree)[:60]!r}: {exc}") from None
    raise CacheError(f"unknown expression node type {kind!r}")


def value_to_json(value: Any) -> Any:
    """Encode a closed form: an IndexExpr, a SymPy matrix (e.g. a table of angular averages) or a SymPy
    expression."""
    if isinstance(value, sp.MatrixBase):
        return {"type": "matrix", "shape": list(value.shape), "entries": [to_json(x) for x in value]}
    if isinstance(value, IndexExpr):
        terms = [[[list(f) for f in mono], to_json(c)] for mono, c in sorted(value.terms.items(), key=lambda kv: kv[0])]
        return {"type": "IndexExpr", "indices": list(value.indices), "terms": terms}
    return {"type": "expr", "value": to_json(value)}


def value_from_json(obj: Any) -> Any:
    """Decode :func:`value_to_json` output."""
    if not isinstance(obj, dict) or obj.get("type") not in ("IndexExpr", "expr", "matrix"):
        raise CacheError("malformed closed-form record")
    if obj["type"] == "expr":
        return from_json(obj["value"])
    if obj["type"] == "matrix":
        try:
            rows, cols = (int(x) for x in obj["shape"])
            entries = [from_json(x) for x in obj["entries"]]
            if rows < 0 or cols < 0 or len(entries) != rows * cols:
                raise CacheError(f"matrix record: {len(entries)} entries for shape {rows}x{cols}")
            return sp.ImmutableMatrix(rows, cols, entries)
        except (KeyError, TypeError, ValueError) as exc:
            raise CacheError(f"malformed matrix record: {exc}") from None
    try:
        terms = {}
        for mono, c in obj["terms"]:
            factors = []
            for f in mono:
                if f[0] == "d" and len(f) == 3 or f[0] == "v" and len(f) == 3:
                    factors.append(tuple(str(x) for x in f))
                else:
                    raise CacheError(f"bad factor {f!r}")
            terms[tuple(factors)] = from_json(c)
        return IndexExpr(terms, [str(i) for i in obj["indices"]])
    except (KeyError, TypeError, ValueError) as exc:
        raise CacheError(f"malformed IndexExpr record: {exc}") from None
