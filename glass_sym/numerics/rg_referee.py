"""The numbers a referee asks of the RG flow (4.1): the (4.3) terms, step sizes, and the TTLS strength n0 M^2
that would bring gamma_l/gamma_t at R within 1 % or 5 % of c_l/c_t while every step stays perturbative.

:func:`strength_for_target` scans C0 = n0M^2/(rho c_l^2) on a logarithmic grid (all flows iterated together,
:func:`glass_sym.numerics.rg._run`) and refines the smallest passing value by bisection; :func:`referee_numbers` collects
everything for one flow.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from glass_sym.physics.ttls import im_chi_reduced

from . import rg

__all__ = ["batch_flows", "strength_for_target", "referee_numbers", "TARGETS"]

#: relative distances of gamma_l/gamma_t at R to c_l/c_t asked for
TARGETS = (0.01, 0.05)


def batch_flows(res: rg.FlowResult, C0s: Sequence[float], coef: Optional[rg.Coefficients] = None) -> dict:
    """The flow of ``res`` (same material, f, T, K, steps, ratio0, max_step) for every C0 in ``C0s`` at once.

    Returns arrays over C0: ``gamma_ratio_R`` (NaN after a breakdown), ``perturbative`` (no step above
    max_step) and ``max_step_relative_change``.
    """
    coef = coef or rg.coefficients(res.c_l, res.c_t, None if res.rho_note.startswith("rho cancels") else res.rho)
    C0s = np.asarray(C0s, dtype=float)
    x_l = np.asarray(im_chi_reduced(2 * math.pi * res.f, res.T, C0s * coef.rho * res.c_l ** 2), dtype=float)
    x = np.stack([x_l, x_l / res.ratio0])
    B = C0s.size
    steps = np.array([[res.steps_l] * B, [res.steps_t] * B])
    K = np.array([[res.K_l] * B, [res.K_t] * B])
    hist, rel, bad = rg._run(x, coef.M_l, coef.M_t, K, res.N0, steps, res.max_step)
    cols = np.arange(B)
    final = np.stack([hist[res.steps_l, 0, cols], hist[res.steps_t, 1, cols]])
    with np.errstate(invalid="ignore"):
        gamma = np.sqrt(final[0] / final[1])
    ok = ~(bad > 0).any(axis=0)
    maxrel = np.nanmax(np.abs(rel), axis=(0, 1)) if rel.size else np.zeros(B)
    return {"gamma_ratio_R": np.where(ok, gamma, np.nan), "perturbative": ok, "max_step_relative_change": maxrel}


def _dist(res: rg.FlowResult, C0s, coef) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distance of gamma_l/gamma_t at R from c_l/c_t, perturbative flag, gamma ratio) over ``C0s``."""
    b = batch_flows(res, C0s, coef)
    with np.errstate(invalid="ignore"):
        dist = np.abs(b["gamma_ratio_R"] / (res.c_l / res.c_t) - 1.0)
    ok = b["perturbative"] & np.isfinite(dist)
    return np.where(ok, dist, np.nan), ok, b["gamma_ratio_R"]


def _edge(res, coef, target, inside: float, outside: float) -> float:
    """Bisection (in log C0, 60 halvings) for the edge between a C0 that meets the target and one that does not."""
    for _ in range(60):
        mid = math.sqrt(inside * outside)
        d, ok, _ = _dist(res, [mid], coef)
        if ok[0] and d[0] <= target:
            inside = mid
        else:
            outside = mid
    return inside


def strength_for_target(res: rg.FlowResult, target: float, *, grid: Optional[np.ndarray] = None,
                        coef: Optional[rg.Coefficients] = None) -> dict:
    """The window of C0 (and n0 M^2 in Pa where rho is known) for which gamma_l/gamma_t at R is within ``target``
    (relative) of c_l/c_t with every step within max_step; or a statement that none does, with the closest
    perturbative approach.

    C0 is scanned on a logarithmic grid from 1e-9 to 10 (401 points), refined around the four best local
    minima of the distance (two levels of 201 points between neighbours), and the edges of the first window
    are located by bisection.  The ratio need not be monotonic in C0: a window has a lower and an upper edge.
    """
    vr = res.c_l / res.c_t
    if res.K_l > 0 or res.K_t > 0:
        return {"C0": None, "n0M2_Pa": None,
                "statement": "none: K > 0, Im chi~ grows along the flow and (4.1) has no fixed point"}
    pts = np.logspace(-9, 1, 401) if grid is None else np.asarray(grid, dtype=float)
    for _ in range(2):  # refine around the best local minima
        dist, ok, _ = _dist(res, pts, coef)
        finite = np.where(ok, dist, np.inf)
        minima = [i for i in range(len(pts)) if ok[i] and (i == 0 or finite[i] <= finite[i - 1])
                  and (i == len(pts) - 1 or finite[i] <= finite[i + 1])]
        extra = [np.logspace(math.log10(pts[max(i - 1, 0)]), math.log10(pts[min(i + 1, len(pts) - 1)]), 201)
                 for i in sorted(minima, key=lambda i: finite[i])[:4]]
        pts = np.unique(np.concatenate([pts, *extra])) if extra else pts
    dist, ok, gamma = _dist(res, pts, coef)
    good = ok & (dist <= target)
    limit = res.flow_limit_ratio
    if not good.any():
        if not ok.any():
            return {"C0": None, "n0M2_Pa": None, "statement": "none: no C0 tried gives a perturbative flow"}
        i = int(np.nanargmin(dist))
        return {"C0": None, "n0M2_Pa": None, "closest_C0": float(pts[i]),
                "closest_gamma_ratio_R": float(gamma[i]), "closest_distance": float(dist[i]),
                "statement": (f"none: with every step within max_step = {res.max_step:g} the closest approach is "
                              f"gamma_l/gamma_t = {gamma[i]:.6g} ({dist[i]:.3%} from c_l/c_t = "
                              f"{vr:.6g}) at C0 = {pts[i]:.4g}; the flow's own limit (c_l/c_t) sqrt(n_t/n_l) = "
                              f"{limit:.6g} is {abs(limit / vr - 1):.3%} from c_l/c_t")}
    j = int(np.argmax(good))
    k = j
    while k + 1 < len(pts) and good[k + 1]:
        k += 1
    lo = _edge(res, coef, target, pts[j], pts[j - 1]) if j > 0 else float(pts[j])
    open_top = k == len(pts) - 1
    hi = float(pts[k]) if open_top else _edge(res, coef, target, pts[k], pts[k + 1])
    more = bool(good[k + 1:].any())
    _, _, g_lo = _dist(res, [lo], coef)
    mod = res.rho * res.c_l ** 2 if not res.rho_note.startswith("rho cancels") else None
    window = (f"C0 = n0M^2/(rho c_l^2) from {lo:.4g} to {hi:.4g}" + (" (the largest C0 tried)" if open_top else "")
              + f" ({lo / res.C0:.3g} to {hi / res.C0:.3g} times the input)")
    return {"C0": float(lo), "C0_upper": float(hi), "n0M2_Pa": None if mod is None else float(lo * mod),
            "n0M2_Pa_upper": None if mod is None else float(hi * mod),
            "gamma_ratio_R": float(g_lo[0]), "more_windows": more,
            "statement": (f"{window} brings gamma_l/gamma_t within {target:.0%} of c_l/c_t with every step within "
                          f"max_step = {res.max_step:g}" + ("; further windows at larger C0" if more else ""))}


def referee_numbers(res: rg.FlowResult, targets: Sequence[float] = TARGETS,
                    coef: Optional[rg.Coefficients] = None) -> dict:
    """{"eq_4_3_terms", "max_step_relative_change", "total_relative_change", "coefficient_normalization_vs_4_1",
    "n0M2_for_target": {"1%": ..., "5%": ...}, "limits": ...} for one flow."""
    d = res.as_dict()
    return {
        "eq_4_3_terms": d["eq_4_3_terms"],
        "max_step_relative_change": d["max_step_relative_change"],
        "total_relative_change": d["total_relative_change"],
        "coefficient_normalization_vs_4_1": d["coefficient_normalization_vs_4_1"],
        "limits": {"velocity_ratio": res.c_l / res.c_t, "flow_limit_ratio": d["flow_limit_ratio"],
                   "distance_to_fixed_point": d["distance_to_fixed_point"],
                   "distance_to_flow_limit": d["distance_to_flow_limit"]},
        "n0M2_for_target": {f"{t:.0%}": strength_for_target(res, t, coef=coef) for t in targets},
    }
