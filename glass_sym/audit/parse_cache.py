"""Parsed transcriptions kept in the on-disk cache: the printed LaTeX of an equation -> its parsed value.

Parsing the transcribed equations (the Lark grammar, then SymPy construction) is a fixed cost of every audit.  A
right-hand side that refers to no tensor is a function of its LaTeX text and of the parser's sources only, so
its value is stored under the SHA-256 of the text in one cache entry (:mod:`glass_sym.records.cache`: the entry's key
hashes every source and data file of the package, its HMAC is checked before use; values are safe JSON trees of
:mod:`glass_sym.records.serialize`, nothing is evaluated or unpickled).  A value is stored only if it reads back as the
identical expression (``srepr`` of every coefficient, the same index order and term order); a parse error is
never stored (it is raised again on the next run).  The comparisons themselves are always recomputed.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.errors import CacheError
from glass_sym.records import cache
from glass_sym.records.serialize import to_json, value_from_json, value_to_json

__all__ = ["parsed", "flush"]

_ENTRY = "parsed-latex"
_state: dict[str, Any] = {"loaded": False, "values": {}, "dirty": False}


def _encode(value) -> Any:

    if isinstance(value, IndexExpr):  # keep the term order (value_to_json sorts the terms)
        return {"type": "IndexExpr", "indices": list(value.indices),
                "terms": [[[list(f) for f in mono], to_json(c)] for mono, c in value.terms.items()]}
    return value_to_json(value)


def _same(a, b) -> bool:
    if isinstance(a, IndexExpr) or isinstance(b, IndexExpr):
        return (isinstance(a, IndexExpr) and isinstance(b, IndexExpr) and tuple(a.indices) == tuple(b.indices)
                and list(a.terms) == list(b.terms)
                and all(sp.srepr(a.terms[m]) == sp.srepr(b.terms[m]) for m in a.terms))
    return sp.srepr(a) == sp.srepr(b)


def _load() -> dict:

    if not _state["loaded"]:
        _state["loaded"] = True
        payload = cache.load(_ENTRY) if cache.enabled() else None
        if isinstance(payload, dict) and isinstance(payload.get("values"), dict):
            _state["values"] = dict(payload["values"])
    return _state["values"]


def parsed(latex: str, parse: Callable[[], Any]):
    """The value of ``parse()`` (the parse of ``latex`` with no tensors), from the cache when it holds it."""

    key = hashlib.sha256(latex.encode("utf-8")).hexdigest()
    values = _load()
    if key in values:
        try:
            return value_from_json(values[key])
        except (CacheError, KeyError, TypeError, ValueError):
            del values[key]
    value = parse()
    try:
        enc = _encode(value)
        if _same(value_from_json(enc), value):
            values[key] = enc
            _state["dirty"] = True
    except Exception:  # noqa: BLE001 - a value the safe JSON trees cannot hold is simply not cached
        pass
    return value


def flush() -> None:
    """Write the entry if values were added in this process."""

    if _state["dirty"] and cache.enabled():
        cache.store(_ENTRY, {"values": _state["values"]})
    _state["dirty"] = False
