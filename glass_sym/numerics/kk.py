"""Kramers-Kronig: Re chi~(omega) from Im chi~(Omega) by a principal-value integral with a cutoff Omega_c.

The two printed forms (journal version):

* (C.25): Re chi~(omega) = (2/pi) P int_0^Omega_c Omega Im chi~(Omega) dOmega / (Omega^2 - omega^2)
  (the Kramers-Kronig transform of the *reduced* imaginary part);
* (3.5):  Re chi~(omega) = (2/pi) P int_0^Omega_c Omega Im chi(Omega) dOmega / ((1 - e^{-beta hbar omega})
  (Omega^2 - omega^2)) (the transform of the *unreduced* Im chi, divided by the factor at the external omega).

For the TTLS input of :mod:`glass_sym.physics.ttls` (Im chi = (pi/4) n0M2 tanh(x/2), x = beta hbar Omega) the
integrands depend on Omega only through x, so everything is computed in x with y = beta hbar omega and
x_c = beta hbar Omega_c.  With F the integrand profile (Im / ((pi/4) n0M2)) the result is
Re = (n0M2/2) I [/(1 - e^{-y}) for (3.5)], I = P int_0^{x_c} x F(x) dx/(x^2 - y^2), split as

* ``cutoff``:  F -> 1 (its large-x limit): I = ln((x_c^2 - y^2)/y^2)/2, T-independent at fixed omega/Omega_c;
* ``thermal``: F - 1 integrated to infinity: the temperature-dependent part, independent of the cutoff;
* ``full``:    F integrated to x_c (= cutoff + thermal - the thermal tail beyond x_c).

The principal value uses the subtraction P int_0^X x F/(x^2-y^2) = int_0^X [x F(x) - y F(y)]/(x^2-y^2) dx
+ (F(y)/2) ln((X-y)/(X+y)) (exact, since P int_0^X dx/(x^2-y^2) = ln((X-y)/(X+y))/(2y)), evaluated either
with mpmath (reference, ``method="mpmath"``), with SciPy's Cauchy-weight QUADPACK routine
(``method="scipy"``, optional import) or with vectorised Gauss-Legendre panels that have y as an edge,
geometric in x/y (``method="grid"``, the fast path used by the RG).
"""

from __future__ import annotations

import math
import warnings
from typing import Callable

import numpy as np

from glass_sym.errors import InputError
from glass_sym.physics.ttls import beta_hbar_omega, check_positive, im_chi_reduced as _imr

__all__ = [
    "FORMS", "PARTS", "METHODS",
    "principal_value", "ttls_profile", "re_chi_reduced", "im_chi_reduced", "k_ratio",
]

FORMS = ("C.25", "3.5")
PARTS = ("full", "thermal", "cutoff")
METHODS = ("grid", "mpmath", "scipy")

#: thermal profiles are below 1e-43 beyond x = y + 100
_THERMAL_SPAN = 100.0
#: largest beta hbar omega accepted by the TTLS transforms (e^-700 ~ 1e-304: the profile is saturated; larger
#: values would only make the unit-step panels of the grid, and its memory, grow without bound)
_MAX_Y = 700.0
_GL_ORDER = 20
_GL_X, _GL_W = np.polynomial.legendre.leggauss(_GL_ORDER)


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InputError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


# ----------------------------------------------------------------------------- profiles
def ttls_profile(form: str, part: str, lib: str = "numpy") -> Callable:
    """The integrand profile F(x) of the TTLS model (Im chi~ or Im chi divided by (pi/4) n0M2).

    ``form`` "C.25": F = 1/(1 + e^-x) (reduced Im chi~); "3.5": F = tanh(x/2) (unreduced Im chi).
    ``part`` "full": F; "thermal": F - 1; "cutoff": 1.  ``lib`` "numpy" or "mpmath".

    >>> round(float(ttls_profile("C.25", "thermal")(0.0)), 12)
    -0.5
    """
    _check_choice("form", form, FORMS)
    _check_choice("part", part, PARTS)
    if lib == "mpmath":
        import mpmath as mp  # lazy: start-up time (loaded only when this function runs)

        exp, tanh, one = mp.exp, mp.tanh, mp.mpf(1)
    else:
        exp, tanh, one = np.exp, np.tanh, 1.0
    if part == "cutoff":
        return lambda x: one + 0 * x
    if form == "C.25":
        return (lambda x: one / (one + exp(-x))) if part == "full" else (lambda x: -one / (one + exp(x)))
    return (lambda x: tanh(x / 2)) if part == "full" else (lambda x: -2 * one / (one + exp(x)))


# ----------------------------------------------------------------------------- principal values
def _edges(y: float, X: float) -> np.ndarray:
    """Panel edges on [0, X]: geometric around y (y itself an edge) plus unit steps where thermal profiles live."""
    jlo = np.arange(-40, 0)
    jhi = np.arange(0, int(math.ceil(math.log2(max(X / y, 2.0)))) + 1)
    pts = np.concatenate(([0.0, X], y * 2.0 ** jlo, y * 2.0 ** jhi, np.arange(1.0, min(X, y + _THERMAL_SPAN), 1.0)))
    pts = np.unique(pts[(pts >= 0) & (pts <= X)])
    return pts


def _gl_sum(F: Callable, y: float, Fy: float, e: np.ndarray) -> tuple[float, float]:
    a, b = e[:-1], e[1:]
    half = (b - a) / 2.0
    x = (a + b)[:, None] / 2.0 + half[:, None] * _GL_X[None, :]
    H = half[:, None] * _GL_W[None, :] * (x * F(x) - y * Fy) / ((x - y) * (x + y))
    return float(np.sum(H)), float(np.sum(np.abs(H)))


def _pv_grid_one(F: Callable, y: float, X: float, rtol: float = 1e-13, max_split: int = 64) -> float:
    """Gauss-Legendre on the panels of :func:`_edges`, each split into 1, 2, 4, ... parts until two
    successive totals agree to ``rtol`` (relative to the integral of |integrand|)."""
    e = _edges(y, X)
    Fy = float(F(np.asarray(y)))
    prev, _ = _gl_sum(F, y, Fy, e)
    split = 1
    while split < max_split:
        split *= 2
        t = np.linspace(0.0, 1.0, split + 1)[:-1]
        fine = np.append((e[:-1, None] + (e[1:] - e[:-1])[:, None] * t[None, :]).ravel(), e[-1])
        cur, scale = _gl_sum(F, y, Fy, fine)
        if abs(cur - prev) <= rtol * max(scale, 1e-300):
            prev = cur
            break
        prev = cur
    return prev + 0.5 * Fy * math.log((X - y) / (X + y))


def _pv_mpmath_one(F: Callable, y: float, X: float, dps: int) -> float:
    import mpmath as mp  # lazy: start-up time (loaded only when this function runs)

    with mp.workdps(dps):
        ym, Xm = mp.mpf(y), mp.mpf(X)
        Fy = F(ym)

        def H(x):
            if x == ym:
                return mp.diff(lambda t: t * F(t), ym) / (2 * ym)
            return (x * F(x) - ym * Fy) / ((x - ym) * (x + ym))

        cand = {mp.mpf(0), ym / 2, ym, 2 * ym, 10 * ym, Xm} | {mp.mpf(v) for v in (1, 10, 40, _THERMAL_SPAN)}
        cand |= {mp.mpf(10) ** k for k in range(-12, 16)}
        pts = sorted(p for p in cand if p <= Xm)
        body = mp.quad(H, pts)
        return float(body + Fy / 2 * mp.log((Xm - ym) / (Xm + ym)))


def _pv_scipy_one(F: Callable, y: float, X: float) -> float:

    from scipy.integrate import IntegrationWarning, quad  # lazy: start-up time (loaded only when this function runs)

    # P int_0^b G(x)/(x - y) dx with G = x F(x)/(x + y) by QAWC on [0, b], b = min(X, 4y + 50), then the
    # regular rest (QAWC alone misses narrow features on long intervals).  Accuracy is checked against
    # mpmath in the tests, so QUADPACK's roundoff warnings are silenced here.
    b = min(X, 4.0 * y + 50.0)
    opts = dict(limit=500, epsabs=0.0, epsrel=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IntegrationWarning)
        val, _err = quad(lambda x: x * F(x) / (x + y), 0.0, b, weight="cauchy", wvar=y, **opts)
        if b < X:
            rest, _err = quad(lambda x: x * F(x) / ((x - y) * (x + y)), b, X, **opts)
            val += rest
    return float(val)


def principal_value(F: Callable, y, X, *, method: str = "grid", dps: int = 30) -> np.ndarray:
    """(2/pi) P int_0^X x F(x) dx / (x^2 - y^2), elementwise over arrays ``y`` and ``X`` (0 < y < X).

    ``F`` must accept NumPy arrays for ``method="grid"``/``"scipy"`` and mpmath numbers for ``"mpmath"``.

    >>> # F = 1: (2/pi) * ln((X^2 - y^2)/y^2)/2
    >>> v = principal_value(lambda x: 1.0 + 0 * x, 0.5, 10.0)
    >>> abs(float(v) - math.log((100 - 0.25) / 0.25) / math.pi) < 1e-13
    True
    """
    _check_choice("method", method, METHODS)
    ya = check_positive("y", y)
    Xa = check_positive("X", X)
    ya, Xa = np.broadcast_arrays(ya, Xa)
    if np.any(Xa <= ya):
        bad = ya[Xa <= ya].flat[0]
        raise InputError(f"cutoff must exceed the frequency (Omega_c > omega); got beta*hbar*omega = {bad!r} >= cutoff")
    out = np.empty(ya.shape, dtype=float)
    for idx in np.ndindex(ya.shape):
        yv, Xv = float(ya[idx]), float(Xa[idx])
        if method == "grid":
            out[idx] = _pv_grid_one(F, yv, Xv)
        elif method == "mpmath":
            out[idx] = _pv_mpmath_one(F, yv, Xv, dps)
        else:
            out[idx] = _pv_scipy_one(F, yv, Xv)
    return (2.0 / math.pi) * out


# ----------------------------------------------------------------------------- TTLS Re chi~ and K
def _validate(omega, T, Omega_c):
    w = check_positive("omega", omega, "rad/s")
    t = check_positive("T", T, "K")
    wc = check_positive("Omega_c", Omega_c, "rad/s")
    w, t, wc = np.broadcast_arrays(w, t, wc)
    if np.any(wc <= w):
        raise InputError(f"Omega_c must be > omega; got Omega_c = {float(wc[wc <= w].flat[0])!r} rad/s <= "
                         f"omega = {float(w[wc <= w].flat[0])!r} rad/s")
    y = beta_hbar_omega(w, t)
    if np.any(y > _MAX_Y):
        raise InputError(f"hbar omega/(k_B T) must be <= {_MAX_Y:g} (T too low for omega: the TTLS profile is saturated "
                         f"beyond double precision); got {float(y[y > _MAX_Y].flat[0])!r} (T = {float(t[y > _MAX_Y].flat[0])!r} K)")
    xc = beta_hbar_omega(wc, t)
    return y, xc


def re_chi_reduced(omega, T, Omega_c, *, form: str = "C.25", part: str = "full", n0M2: float = 1.0,
                   method: str = "grid") -> np.ndarray:
    """Re chi~_alpha(omega) by Kramers-Kronig from the TTLS Im chi (2.7), in the printed form ``form``.

    ``part`` selects the full transform with cutoff Omega_c, its T-dependent (``thermal``) part or its
    cutoff (``cutoff``) part; full = cutoff + thermal - (thermal tail beyond Omega_c).  Units of n0M2 (Pa).

    >>> y_full = re_chi_reduced(2e6 * math.pi, 1.0, 1e15)
    >>> bool(y_full > 0)
    True
    """
    _check_choice("form", form, FORMS)
    _check_choice("part", part, PARTS)
    y, xc = _validate(omega, T, Omega_c)
    if part == "cutoff":
        I = np.log((xc - y) * (xc + y) / y**2) / math.pi
    else:
        X = xc if part == "full" else y + _THERMAL_SPAN
        lib = "mpmath" if method == "mpmath" else "numpy"
        I = principal_value(ttls_profile(form, part, lib), y, X, method=method)
    re = (math.pi / 4.0) * n0M2 * I
    if form == "3.5":
        re = re / (-np.expm1(-y))
    return re


def im_chi_reduced(omega, T, *, n0M2: float = 1.0) -> np.ndarray:
    """Im chi~ of the TTLS model (same for both forms): (pi/4) n0M2 / (1 + e^{-beta hbar omega}).

    >>> round(float(im_chi_reduced(1.0, 1e9)), 12) == round(math.pi / 8, 12)
    True
    """
    return _imr(omega, T, n0M2)


def k_ratio(omega, T, Omega_c, *, form: str = "C.25", part: str = "full", method: str = "grid") -> np.ndarray:
    """K_alpha (4.2) = Re chi~_alpha / Im chi~_alpha for the TTLS model (independent of n0M2, hence equal
    for alpha = l and t when both share the profile of (2.8)).

    >>> bool(k_ratio(2e6 * math.pi, 1.0, 1e15, part="thermal") < 0)
    True
    """
    return re_chi_reduced(omega, T, Omega_c, form=form, part=part, method=method) / im_chi_reduced(omega, T)
