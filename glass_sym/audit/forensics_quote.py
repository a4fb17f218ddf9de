r"""A quoted kernel as the paper's own parts times factors: printed = a x part (1) + b x part (2), exactly.

The journal's (A.1) and the preprint's (A1) quote Joffrin and Levelut's kernel.  The paper states that its
corrected kernel tilde Lambda = tilde Lambda^(1) + tilde Lambda^(2) differs from JL's part by part
((A.19): -1/2 after symmetrization, and 1/4).  :func:`part_factors` decomposes the printed, quoted kernel
(symmetrized over (ij), (kl) and their exchange) into the derived parts: a from its alpha^0 structures against
part (1), b from its alpha^1 structures against part (2), then checks printed = a part(1) + b part(2)
component by component (the audit's exact test).  When it holds, that is the exact decomposition the
forensic wording uses ("printed = -2 x part (1) + 4 x part (2)") instead of one overall hypothesis.

The quantity names follow the registry: a quoted ``X_jl`` is decomposed into ``X_1`` and ``X_2``.
"""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from glass_sym.algebra.structures import symmetrize_index
from glass_sym.errors import GlassSymError
from glass_sym.paper.transcriptions import load_equations
from glass_sym.symbols import alpha

from .compare import _align, _pairs, _rank
from .forensics import equal_exactly, overall_factor
from .printed import AuditContext

__all__ = ["part_factors"]


@functools.lru_cache(maxsize=16)
def part_factors(version: str, label: str, defines: str, part: str | None) -> dict[str, Any] | None:
    """{"a", "b", "parts": (name1, name2), "text"} when the printed quoted kernel equals a x part 1 + b x part 2
    (symmetrized) exactly; None when it does not, or when the names or values are not available."""
    if not defines.endswith("_jl"):
        return None
    base = defines[: -len("_jl")]
    names = (f"{base}_1", f"{base}_2")
    try:
        eqs = load_equations(version)
        e = next((x for x in eqs if x.label == label and x.defines == defines and x.part == part), None)
        if e is None:
            return None
        ctx = AuditContext()
        p1, p2 = ctx.derived(names[0]), ctx.derived(names[1])
        if p1 is None or p2 is None:
            return None
        printed = _align(ctx.printed(e, derived_refs=False if part == "split" else True, equations=eqs), p1)
        pairs = _pairs(_rank(printed))

        def sym(x):
            return symmetrize_index(x, pairs) if pairs else x

        ps = sym(printed)
        p0 = ps.map_coefficients(lambda c: sp.expand(c).coeff(alpha, 0))
        a, b = overall_factor(p0, sym(p1)), overall_factor(ps - p0, sym(p2))
        if a is None or b is None or not equal_exactly(ps, sym(p1) * a + sym(p2) * b):
            return None
    except (GlassSymError, StopIteration):
        return None
    text = (f"printed (symmetrized) = {sp.sstr(a)} × part (1) + {sp.sstr(b)} × part (2) of the corrected kernel, "
            f"i.e. the corrected parts are {sp.sstr(1 / a)} and {sp.sstr(1 / b)} times the quoted ones")
    return {"a": sp.sstr(a), "b": sp.sstr(b), "parts": list(names), "text": text}
