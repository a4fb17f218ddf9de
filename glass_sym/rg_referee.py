"""The numbers a referee asks of the RG flow (4.1): the (4.3) terms, step sizes, and the TTLS strength n0 M^2
that would bring gamma_l/gamma_t at R within 1 % or 5 % of c_l/c_t while every step stays perturbative.

:func:`strength_for_target` scans C0 = n0M^2/(rho c_l^2) on a logarithmic grid (all flows iterated together,
:func:`glass_sym.rg._run`) and refines the smallest passing value by bisection; :func:`referee_numbers` collects
everything for one flow.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from . import rg

__all__ = ["batch_flows", "strength_for_target", "referee_numbers", "TARGETS"]

#: relative distances of gamma_l/gamma_t at R to c_l/c_t asked for
TARGETS = (0.01, 0.05)


def batch_flows(res: rg.FlowResult, C0s: Sequence[float], coef: Optional[rg.Coefficients] = None) -> dict:
    """The flow of ``res`` (same material, f, T, K, steps, ratio0, max_step) for every C0 in ``C0s`` at once.

    Returns arrays over C0: ``gamma_ratio_R`` (NaN after a breakdown), ``perturbative`` (no step above
    max_step) and ``max_step_relative_change``.
    """
    from .ttls import im_chi_reduced

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


def strength_for_target(res: rg.FlowResult, target: float, *, grid: Optional[np.ndarray] = None,
                        coef: Optional[rg.Coefficients] = None) -> dict:
    """The smallest C0 (and n0 M^2 in Pa where rho is known) for which gamma_l/gamma_t at R is within
    ``target`` (relative) of c_l/c_t with every step within max_step; or a statement that none on the grid
    (C0 from 1e-9 to 10) does, with the closest perturbative approach."""
    vr = res.c_l / res.c_t
    if res.K_l > 0 or res.K_t > 0:
        return {"C0": None, "n0M2_Pa": None,
                "statement": "none: K > 0, Im chi~ grows along the flow and (4.1) has no fixed point"}
    grid = np.logspace(-9, 1, 401) if grid is None else np.asarray(grid, dtype=float)
    b = batch_flows(res, grid, coef)
    dist = np.abs(b["gamma_ratio_R"] / vr - 1.0)
    good = b["perturbative"] & (dist <= target)
    limit = res.flow_limit_ratio
    if not good.any():
        ok = b["perturbative"] & np.isfinite(dist)
        if not ok.any():
            return {"C0": None, "n0M2_Pa": None, "statement": "none: no C0 on the grid gives a perturbative flow"}
        i = int(np.nanargmin(np.where(ok, dist, np.nan)))
        return {"C0": None, "n0M2_Pa": None, "closest_C0": float(grid[i]),
                "closest_gamma_ratio_R": float(b["gamma_ratio_R"][i]), "closest_distance": float(dist[i]),
                "statement": (f"none: with every step within max_step = {res.max_step:g} the closest approach is "
                              f"gamma_l/gamma_t = {b['gamma_ratio_R'][i]:.6g} ({dist[i]:.3%} from c_l/c_t = "
                              f"{vr:.6g}) at C0 = {grid[i]:.3g}; the flow's own limit (c_l/c_t) sqrt(n_t/n_l) = "
                              f"{limit:.6g} is {abs(limit / vr - 1):.3%} from c_l/c_t")}
    j = int(np.argmax(good))
    lo, hi = (grid[j - 1], grid[j]) if j > 0 else (grid[0], grid[0])
    for _ in range(60 if j > 0 else 0):
        mid = math.sqrt(lo * hi)
        bm = batch_flows(res, [mid], coef)
        if bm["perturbative"][0] and abs(bm["gamma_ratio_R"][0] / vr - 1.0) <= target:
            hi = mid
        else:
            lo = mid
    bh = batch_flows(res, [hi], coef)
    mod = res.rho * res.c_l ** 2 if not res.rho_note.startswith("rho cancels") else None
    return {"C0": float(hi), "n0M2_Pa": None if mod is None else float(hi * mod),
            "gamma_ratio_R": float(bh["gamma_ratio_R"][0]),
            "max_step_relative_change": float(bh["max_step_relative_change"][0]),
            "statement": (f"C0 = n0M^2/(rho c_l^2) >= {hi:.4g} ({hi / res.C0:.3g} times the input) brings "
                          f"gamma_l/gamma_t within {target:.0%} of c_l/c_t with every step within "
                          f"max_step = {res.max_step:g}")}


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
