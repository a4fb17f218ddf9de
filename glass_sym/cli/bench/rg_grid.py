"""``glass-sym bench rg``: 13 materials x 50 frequencies (1e5-1e9 Hz) x 10 temperatures (0.1-10 K),
K from the Kramers-Kronig integral (vectorised grid quadrature), all RG flows; target < 10 s.  The closed forms
the flows use (derivation chains, built or read from the cache) are prepared first by a one-point sweep, timed
apart as ``seconds_setup``."""

from __future__ import annotations

import time

import numpy as np

from glass_sym.numerics import kk, rg
from glass_sym.paper.materials import materials

__all__ = ["run", "format"]


def run(args=None) -> dict:
    """Time the K grid (KK integrals) and the full sweep of flows; returns a JSON-able dict."""
    freqs = np.logspace(5, 9, 50)
    temps = np.logspace(-1, 1, 10)
    names = list(materials())
    omega = 2 * np.pi * freqs[:, None] * np.ones_like(temps)[None, :]
    T = np.ones_like(freqs)[:, None] * temps[None, :]
    t0 = time.perf_counter()
    rg.sweep(names[:1], freqs[:1], temps[:1])  # the closed forms the flows use: chains built or read from the cache
    t_setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    K = kk.k_ratio(omega, T, 1e15)
    t_k = time.perf_counter() - t0
    out = {"materials": len(names), "frequencies": len(freqs), "temperatures": len(temps),
           "kk_integrals": int(K.size), "seconds_K": round(t_k, 3), "seconds_setup": round(t_setup, 3), "K_min": float(K.min()), "K_max": float(K.max())}
    t0 = time.perf_counter()
    res = rg.sweep(names, freqs, temps)
    total = time.perf_counter() - t0
    out["seconds_total"] = round(total, 3)
    out["flows"] = int(res["gamma_ratio_R"].size)
    out["status_counts"] = {s: int((res["status"] == c).sum()) for c, s in ((0, "K<0"), (1, "divergent"), (2, "breakdown"))}
    out["within_10s"] = total < 10.0
    return out


def format(result: dict) -> str:
    """Human-readable lines."""
    lines = [f"rg sweep: {result['materials']} materials x {result['frequencies']} f x {result['temperatures']} T",
             f"  setup (closed forms for the flows: derivation chains built in the bench's private cache): "
             f"{result.get('seconds_setup', float('nan')):.3f} s, not in the figure",
             f"  K from {result['kk_integrals']} KK integrals: {result['seconds_K']} s "
             f"(K in [{result['K_min']:.4g}, {result['K_max']:.4g}])"]
    if result.get("seconds_total") is None:
        lines.append("  " + result["note"])
    else:
        lines.append(f"  all {result['flows']} flows incl. K: {result['seconds_total']} s "
                     f"(target < 10 s: {'ok' if result['within_10s'] else 'MISSED'}); status {result['status_counts']}")
    return "\n".join(lines)


def summary(result: dict) -> list[dict]:
    secs = result.get("seconds_total")
    return [{"target": "rg sweep: K grid and all flows", "seconds": secs if secs is not None else result["seconds_K"],
             "goal_s": 10.0}]
