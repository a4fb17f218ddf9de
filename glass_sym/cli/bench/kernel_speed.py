"""``glass-sym bench kernels``: the generated tilde Lambda kernel against an einsum baseline and SymPy.

On ``points`` random unit vectors (default 1,000,000, fixed seed) the 21 independent components of
tilde Lambda_ijkl(n; alpha) (alpha of a-SiO2) are computed three ways in the same run: the generated kernel
(:func:`glass_sym.numerics.kernels.tilde_lambda_components`, best of 3), the straightforward ``numpy.einsum``
implementation of :mod:`glass_sym.cli.bench.einsum_baseline` (the baseline, shipped with the package), and SymPy evaluation of the
registered expressions point by point on a sample (extrapolated).  The result also records the largest
difference between the three.

>>> sorted(KEYS)[:4]
['alpha', 'backend', 'baseline_s', 'chunk']
"""

from __future__ import annotations

import os
import time

import numpy as np
import sympy as sp

from glass_sym.errors import InputError
from glass_sym.numerics import kernels
from glass_sym.paper.materials import get_material
from glass_sym.records.derivation import get
from glass_sym.symbols import N, alpha as alpha_sym

from . import einsum_baseline

__all__ = ["run", "format", "summary", "KEYS", "load_baseline"]

KEYS = ("points", "components", "alpha", "kernel_s", "baseline_s", "ratio", "target_ratio", "meets_target",
        "sympy_sample", "sympy_s_per_point", "sympy_s_extrapolated", "sympy_ratio", "max_rel_diff_baseline",
        "max_rel_diff_sympy", "kernel_build_s", "chunk", "backend", "numpy_backend_s", "numpy_backend_ratio")


def load_baseline():
    """The einsum baseline module (:mod:`glass_sym.cli.bench.einsum_baseline`, shipped with the package)."""
    return einsum_baseline


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run(args=None) -> dict:
    """Run the benchmark; ``args`` may carry ``points`` (default 1e6) and ``sample`` (default 100)."""

    points = int(getattr(args, "points", None) or 1_000_000)
    sample = int(getattr(args, "sample", None) or 100)
    if points < 1 or sample < 1:
        raise InputError(f"points and sample: expected integers >= 1, got {points}, {sample}")
    sample = min(sample, points)
    baseline = load_baseline()
    silica = get_material("a-SiO2")
    alpha = float(kernels.alpha_from_speeds(silica.c_l, silica.c_t))
    rng = np.random.default_rng(20200101)
    n = rng.normal(size=(points, 3))
    n /= np.linalg.norm(n, axis=1)[:, None]

    t0 = time.perf_counter()
    kernels.tilde_lambda_components(n[:1], alpha)  # registry, CSE, compile (and numba JIT) once
    build_s = time.perf_counter() - t0
    used = kernels.backend()
    out = np.empty((points, 21))
    kernel_s = _best(lambda: kernels.tilde_lambda_components(n, alpha, out=out), 3)
    saved = os.environ.get("GLASS_SYM_KERNEL_BACKEND")
    os.environ["GLASS_SYM_KERNEL_BACKEND"] = "numpy"
    try:
        out_np = np.empty((points, 21))
        numpy_s = _best(lambda: kernels.tilde_lambda_components(n, alpha, out=out_np), 3)
    finally:
        if saved is None:
            del os.environ["GLASS_SYM_KERNEL_BACKEND"]
        else:
            os.environ["GLASS_SYM_KERNEL_BACKEND"] = saved

    t0 = time.perf_counter()
    ref = baseline.einsum_tilde_lambda_components(n, alpha, kernels.INDEPENDENT)
    baseline_s = time.perf_counter() - t0

    lt = get("lambda_tilde").value.to_tensor()
    exprs = [lt[idx] for idx in kernels.INDEPENDENT]
    t0 = time.perf_counter()
    sym = np.array([[float(e.xreplace({N[0]: sp.Float(p[0]), N[1]: sp.Float(p[1]), N[2]: sp.Float(p[2]),
                                       alpha_sym: sp.Float(alpha)}))
                     for e in exprs] for p in n[:sample]])
    sympy_s = time.perf_counter() - t0

    scale = float(np.max(np.abs(ref)))
    per_point = sympy_s / sample
    return {
        "points": points,
        "components": 21,
        "alpha": alpha,
        "kernel_s": kernel_s,
        "baseline_s": baseline_s,
        "ratio": baseline_s / kernel_s,
        "target_ratio": 100.0,
        "meets_target": baseline_s / kernel_s >= 100.0,
        "sympy_sample": sample,
        "sympy_s_per_point": per_point,
        "sympy_s_extrapolated": per_point * points,
        "sympy_ratio": per_point * points / kernel_s,
        "max_rel_diff_baseline": float(np.max(np.abs(out - ref))) / scale,
        "max_rel_diff_sympy": float(np.max(np.abs(out[:sample] - sym))) / scale,
        "kernel_build_s": build_s,
        "chunk": kernels.CHUNK,
        "backend": used,
        "numpy_backend_s": numpy_s,
        "numpy_backend_ratio": baseline_s / numpy_s,
        "max_rel_diff_backends": float(np.max(np.abs(out - out_np))) / scale,
    }


def format(result: dict) -> str:  # noqa: A001 - the bench protocol's name
    """A small table of the timings."""
    p = result["points"]
    lines = [
        f"tilde Lambda, 21 components, {p:,} random unit vectors, alpha = {result['alpha']:.4f}",
        f"  generated kernel  {result['kernel_s']:10.4f} s   ({result['kernel_s'] / p * 1e9:8.1f} ns/point)",
        f"  einsum baseline   {result['baseline_s']:10.4f} s   ratio {result['ratio']:8.1f}x "
        f"(target >= {result['target_ratio']:.0f}x: {'met' if result['meets_target'] else 'NOT met'})",
        f"  SymPy per point   {result['sympy_s_per_point'] * 1e3:10.3f} ms  ({result['sympy_sample']} points; "
        f"{result['sympy_s_extrapolated']:.0f} s extrapolated, {result['sympy_ratio']:.0f}x the kernel)",
        f"  max |kernel - einsum| / max|einsum| = {result['max_rel_diff_baseline']:.2e}; "
        f"vs SymPy on the sample = {result['max_rel_diff_sympy']:.2e}",
        f"  backend {result['backend']}; chunked NumPy backend {result['numpy_backend_s']:.4f} s "
        f"(ratio {result['numpy_backend_ratio']:.1f}x)",
        f"  kernel generation (registry + CSE + compile + JIT): {result['kernel_build_s']:.2f} s",
    ]
    return "\n".join(lines)


def summary(result: dict) -> list[dict]:
    """One row: the kernel time at ``points`` points, judged by its own baseline, the einsum implementation
    (goal: einsum time / kernel time >= ``target_ratio``, printed as the goal text); no ratio to the SymPy
    baseline, which times a different computation (``"ratio": False``)."""
    return [{"target": f"kernels: tilde Lambda at {result['points']:,} points ({result['ratio']:.0f}x einsum)",
             "seconds": result["kernel_s"], "goal_s": None, "goal_text": f">= {result['target_ratio']:.0f}x einsum",
             "met": result["meets_target"], "ratio": False}]
