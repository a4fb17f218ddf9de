r"""Forensic family (v) for (B.5): the uncorrected (Joffrin-Levelut) kernel used downstream.

(B.5) prints four polynomials in alpha (constant part and x(omega) coefficient of the l and t brackets).  The
audit (:mod:`glass_sym.audit.averages`) finds them equal to c x the derived averages with alpha -> -2 alpha.
This module tests the hypothesis that explains such a pattern: the averages were computed with the kernel
Joffrin and Levelut print, (A.1), in place of the corrected tilde Lambda.  It rebuilds the whole (B.5) chain
with that kernel K (symmetrized over the pairs (ij), (kl) and their exchange, the form the contraction with
symmetric strains sees):

    Lambda_K(x) = -K(n)/(8 pi rho c_t^2 |x|^3),  Delta tilde Lambda_K from d/dx (as appendix B does),
    s0, s1 of :func:`glass_sym.physics.absorption.b5_angular` with (Delta tilde Lambda_K, K),

and checks exactly whether printed = c x (the K-averages) with one common rational c for all four printed
polynomials.  Exact polynomial identities in alpha; nothing is fitted.
"""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from glass_sym.algebra.structures import symmetrize_index
from glass_sym.errors import CacheError
from glass_sym.paper.transcriptions import load_equations
from glass_sym.physics import absorption
from glass_sym.physics.displacement import cos_theta, first_order_change
from glass_sym.records import cache
from glass_sym.records.serialize import from_json, to_json
from glass_sym.symbols import DELTA_X, alpha, c_t, r, rho

from .averages import _printed_number
from .compare import _pairs, _rank
from .forensics import FAMILIES, NO_FIT
from .printed import AuditContext, _tag

__all__ = ["jl_kernel_averages", "worker_tasks", "b5_jl_hypothesis", "b5_forensics"]

_COLUMN = {"const": 0, "x": 1}
_ROW = {"l": 0, "t": 1}


def _printed_jl_kernel(version: str = "jpcm2020"):
    eqs = load_equations(version)
    e = next(x for x in eqs if x.defines == "lambda_tilde_jl" and x.part == "tilde")
    value = AuditContext().printed(e, derived_refs=True, equations=eqs)
    pairs = _pairs(_rank(value))
    return (symmetrize_index(value, pairs) if pairs else value), e


@functools.lru_cache(maxsize=2)
def jl_kernel_averages(version: str = "jpcm2020") -> tuple[sp.ImmutableMatrix, str]:
    """((s0, s1) for l and t computed with the printed, symmetrized JL kernel, the kernel's equation tag).

    Shape (2, 2): rows l, t; columns s0, s1 (the derived (B.5) matrix's first two columns, same units).
    The result is kept in the on-disk cache (:mod:`glass_sym.records.cache`: keyed by the hash of every source and
    transcription file, HMAC-verified before use, safe JSON trees of :mod:`glass_sym.records.serialize`); a missing,
    stale or unreadable entry is recomputed.
    """
    entry = _entry(version)
    payload = cache.load_or_take(entry)
    if isinstance(payload, dict):
        try:
            rows = [[from_json(x) for x in row] for row in payload["rows"]]
            if len(rows) == 2 and all(len(r) == 2 for r in rows) and isinstance(payload["tag"], str):
                return sp.ImmutableMatrix(rows), payload["tag"]
        except (CacheError, KeyError, TypeError):
            pass
    avg, tag = _jl_kernel_averages(version)
    payload = _payload(avg, tag)
    if payload is not None:
        cache.store(entry, payload)
    return avg, tag


def _entry(version: str) -> str:
    return f"b5-jl-kernel-averages-{version}"


def _payload(avg, tag: str) -> dict | None:
    try:
        return {"rows": [[to_json(avg[i, j]) for j in range(2)] for i in range(2)], "tag": tag}
    except CacheError:  # a value the serializer does not support: no entry
        return None


def worker_tasks(version: str = "jpcm2020") -> list:
    """A :mod:`glass_sym.worker` task computing the :func:`jl_kernel_averages` entry (payload as cached), when
    the cache does not hold it."""
    return cache.worker_task(_entry(version), lambda: _payload(*_jl_kernel_averages(version)))


def _jl_kernel_averages(version: str) -> tuple[sp.ImmutableMatrix, str]:
    """:func:`jl_kernel_averages` computed (no cache)."""
    K, e = _printed_jl_kernel(version)
    K = K.map_coefficients(sp.expand)
    lx = (K * (-1 / (8 * sp.pi * rho * c_t**2 * r**3))).map_coefficients(sp.factor)
    dlx = (first_order_change(lx) * DELTA_X).map_coefficients(sp.factor)
    dlt = (dlx * (-8 * sp.pi * rho * c_t**2 * r**4 / DELTA_X) + K * (3 * cos_theta())).map_coefficients(sp.expand)
    rows = []
    for pol in absorption.POLARIZATIONS:
        res = absorption.b5_angular(pol, dlt, K, with_full=False)
        rows.append([sp.expand(res.s0), sp.expand(res.s1)])
    return sp.ImmutableMatrix(rows), _tag(e)


def b5_jl_hypothesis(printed: dict[tuple[str, str], sp.Expr], version: str = "jpcm2020") -> dict[str, Any]:
    """Does printed (B.5) = c x the JL-kernel averages, one c for all four polynomials?

    ``printed``: {(polarization "l"/"t", part "const"/"x"): polynomial in alpha}.  Returns ``{"holds": bool,
    "c": str | None, "per_polynomial": {...}, "kernel": tag}``.
    """
    avg, tag = jl_kernel_averages(version)
    ratios = {}
    for (pol, part), p in sorted(printed.items()):
        q = avg[_ROW[pol], _COLUMN[part]]
        ratio = sp.cancel(sp.expand(p) / q) if q != 0 else None
        ratios[f"{pol} {part}"] = None if ratio is None or ratio.has(alpha) else ratio
    vals = set(ratios.values())
    holds = len(vals) == 1 and None not in vals
    c = next(iter(vals)) if holds else None
    return {"holds": holds, "c": None if c is None else sp.sstr(c), "kernel": tag,
            "per_polynomial": {k: (None if v is None else sp.sstr(v)) for k, v in ratios.items()}}


def b5_forensics(version: str, details: dict) -> dict[str, Any] | None:
    """The forensic record of one differing (B.5) part: family (v) (the JL kernel used downstream) and the
    audit's own alpha -> g alpha relation (family (i)); None when (B.5) is not transcribed for ``version``."""
    printed = {(e.defines.rsplit("_", 1)[1], e.part): _printed_number(e.latex)
               for e in load_equations(version) if e.defines.startswith("b5_bracket_")}
    if not printed:
        return None
    fits = []
    h = b5_jl_hypothesis(printed)
    if h["holds"]:
        fits.append({"family": "related-form", "hypothesis": (
            f"printed = {h['c']} × the (B.5) averages computed with Joffrin-Levelut's printed kernel {h['kernel']} "
            f"(symmetrized) in place of the corrected tilde Λ: the uncorrected kernel used downstream, the same "
            f"factor for all {len(printed)} printed polynomials"), "factor": h["c"], "check": h["per_polynomial"]})
    if details.get("g") not in (None, "1") and details.get("same_relation_for_all"):
        fits.append({"family": "symbol-swap", "hypothesis": (
            f"printed = {details['c']} × derived with alpha -> {details['g']} alpha, the same for all printed "
            f"polynomials"), "factor": details["c"]})
    return {"fits": fits, "conclusion": "; ".join(f["hypothesis"] for f in fits) if fits else NO_FIT,
            "searched": ["related-form", "symbol-swap"], "families_known": list(FAMILIES), "other_copies": [],
            "other_copy_agrees": False, "printed_readable": True, "jl_kernel": h}
