"""Suggestions for mistyped names ("did you mean ...?"), by :mod:`difflib` similarity.

Used by every error that names an unknown closed form, chain or material, so that a typo such as
``lamda_tilde`` gets a one-line hint instead of a list to read through.

>>> did_you_mean("lamda_tilde", ["lambda_tilde", "lambda_x", "mu"])
" (did you mean 'lambda_tilde' or 'lambda_x'?)"
>>> did_you_mean("zzz", ["lambda_tilde"])
''
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["close_names", "did_you_mean"]


def close_names(name: str, candidates: Iterable[str], *, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` candidates closest to ``name`` (case-insensitive), best first (:func:`difflib.get_close_matches`)."""
    cands = sorted(set(candidates))
    lower = {c.lower(): c for c in cands}
    hits = difflib.get_close_matches(str(name).lower(), list(lower), n=n, cutoff=cutoff)
    return [lower[h] for h in hits]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` or ``" (did you mean 'x' or 'y'?)"``, or ``''`` when nothing is close."""
    hits = close_names(name, candidates)
    if not hits:
        return ""
    return " (did you mean " + " or ".join(repr(h) for h in hits) + "?)"
