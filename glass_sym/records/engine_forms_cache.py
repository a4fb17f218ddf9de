"""The Fourier engine's regulated forms (``f1_regulated``, ``f2_regulated``) kept in the on-disk cache.

:func:`glass_sym.records.named_forms.derived_value` computes these two closed forms with the Fourier engine
(:func:`glass_sym.algebra.fourier.fourier_transform`, lambda kept) rather than by a registered chain, about
0.7 s per process.  Like the derivation chains they are a function of the package sources only, so they are
kept in one entry of :mod:`glass_sym.records.cache` (key over every source and data file, HMAC checked before
use; safe JSON trees of :mod:`glass_sym.records.serialize`, nothing evaluated or unpickled).  A value is stored
only if it reads back as the identical expression (the same indices, term order, structurally equal
coefficients with the same text), the SymPy version is stored with it and must match.
"""

from __future__ import annotations

from typing import Any, Callable

import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.errors import CacheError

from . import cache
from .serialize import to_json, value_from_json

__all__ = ["regulated"]

_ENTRY = "engine-regulated-forms"
_state: dict[str, Any] = {"loaded": False, "values": {}}


def _encode(value: IndexExpr) -> dict:
    return {"type": "IndexExpr", "indices": list(value.indices),
            "terms": [[[list(f) for f in mono], to_json(c)] for mono, c in value.terms.items()]}


def _same(a, b) -> bool:
    """The same indices and terms in the same order, every coefficient structurally equal (SymPy ``==``: the same
    tree, symbols with the same names and assumptions) with the same text.  (``srepr`` is not used: SymPy's global
    cache may hand back an equal symbol that spells out its implied assumptions, e.g. after closed forms were read
    from the cache.)"""
    return (isinstance(a, IndexExpr) and isinstance(b, IndexExpr) and tuple(a.indices) == tuple(b.indices)
            and list(a.terms) == list(b.terms)
            and all(a.terms[m] == b.terms[m] and sp.sstr(a.terms[m]) == sp.sstr(b.terms[m]) for m in a.terms))


def regulated(name: str, compute: Callable[[], IndexExpr]) -> IndexExpr:
    """``compute()`` (the regulated form ``name``), from the verified cache entry when it holds it."""
    st = _state
    if not st["loaded"]:
        st["loaded"] = True
        payload = cache.load(_ENTRY) if cache.enabled() else None
        if isinstance(payload, dict) and payload.get("sympy") == sp.__version__ \
                and isinstance(payload.get("values"), dict):
            st["values"] = dict(payload["values"])
    if name in st["values"]:
        try:
            value = value_from_json(st["values"][name])
            if isinstance(value, IndexExpr):
                return value
        except (CacheError, KeyError, TypeError, ValueError):
            pass
        del st["values"][name]
    value = compute()
    try:
        enc = _encode(value)
        ok = _same(value_from_json(enc), value)
    except Exception:  # noqa: BLE001 - a value the safe JSON trees cannot hold is simply not cached
        ok = False
    if ok and cache.enabled():
        st["values"][name] = enc
        cache.store(_ENTRY, {"sympy": sp.__version__, "values": st["values"]})
    return value
