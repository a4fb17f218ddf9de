"""Display texts of coefficients kept in the on-disk cache: the tree of an expression -> its :func:`pretty` text.

:func:`glass_sym.algebra.structures.pretty` factors every coefficient it shows (``sympy.factor`` of the
alpha-restored and of the alpha-expanded form), a fixed cost of every audit that decides nothing.  The text is
a function of the expression's tree (:func:`glass_sym.algebra.structures.text_key`), of the package sources and of the SymPy version, so the texts are kept
in one cache entry (:mod:`glass_sym.records.cache`: the entry's key hashes every source and data file, its HMAC
is checked before use; the SymPy version is stored with the texts and must match; only ``str -> str`` pairs are
read, nothing is evaluated or unpickled).  The comparisons themselves (zero tests, factors, statuses) are
always recomputed; only the strings shown for their results come from the cache.
"""

from __future__ import annotations

import sympy as sp

from glass_sym.algebra import structures
from glass_sym.records import cache

__all__ = ["load", "flush"]

_ENTRY = "display-texts"
_state = {"loaded": False}


def load() -> None:
    """Fill :data:`glass_sym.algebra.structures.PRETTY_KNOWN` from the verified entry (once per process)."""

    if _state["loaded"] or not cache.enabled():
        return
    _state["loaded"] = True
    payload = cache.load(_ENTRY)
    if not isinstance(payload, dict) or payload.get("sympy") != sp.__version__:
        return
    texts = payload.get("texts")
    if isinstance(texts, dict):
        structures.PRETTY_KNOWN.update({k: v for k, v in texts.items() if isinstance(k, str) and isinstance(v, str)})


def flush() -> None:
    """Write the entry if texts were computed in this process."""

    if structures.PRETTY_NEW and cache.enabled():
        cache.store(_ENTRY, {"sympy": sp.__version__, "texts": dict(sorted(structures.PRETTY_KNOWN.items()))})
        structures.PRETTY_NEW.clear()
