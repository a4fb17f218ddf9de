"""TTLS resonance susceptibility of sections 2.1-2.2: Im chi (2.7), Re chi (2.9) and its limit (2.10).

Units are SI with hbar and k_B explicit (the papers set hbar = 1).  The model is the standard TTLS one
with a constant density of states ``n0`` and a constant coupling ``M``: in (2.7) the sum
(1/N_tot) sum_N M_N^2 gamma_alpha^2 delta(E_N - hbar omega) becomes ``n0M2`` (per energy and volume, times
a squared coupling energy), so ``n0M2`` has the units of a modulus (Pa) and

    Im chi(omega)  = (pi/4) n0M2 tanh(beta hbar omega / 2)                       (2.7)
    Im chi~(omega) = Im chi(omega) / (1 - exp(-beta hbar omega))                  (2.16), (2.17)
                   = (pi/4) n0M2 / (1 + exp(-beta hbar omega))
    Re chi(omega)  = -(n0M2/4) [Re psi(1/2 + beta hbar omega/(2 pi i)) + ln(1/(beta hbar omega))]   (2.9)
                   ~ -(n0M2/4) ln(1/(beta hbar omega))         for beta hbar omega << 1            (2.10)

(2.9) and (2.10) are implemented exactly as printed; :mod:`glass_sym.numerics.kk` computes Re chi from (2.7) by
Kramers-Kronig, and the comparison of the two is a finding, not an assumption.
"""

from __future__ import annotations

import math

import numpy as np

from glass_sym._typing import ArrayLike
from glass_sym.errors import InputError

__all__ = [
    "H_PLANCK", "HBAR", "K_B",
    "beta_hbar_omega", "im_chi", "im_chi_reduced", "re_chi_printed", "re_chi_printed_small",
    "check_positive",
]


#: Planck constant h in J s, exact by definition of the SI (2019); CODATA 2018, Tiesinga et al.,
#: Rev. Mod. Phys. 93, 025010 (2021) (defining constant of the revised SI; scipy.constants.h agrees).
H_PLANCK = 6.62607015e-34
#: reduced Planck constant hbar = h / (2 pi), J s
HBAR = H_PLANCK / (2.0 * math.pi)
#: Boltzmann constant in J/K, exact by definition of the SI (2019); same CODATA 2018 reference.
K_B = 1.380649e-23


def check_positive(name: str, value: ArrayLike, unit: str = "") -> np.ndarray:
    """Return ``value`` as a float array, raising :class:`InputError` unless every entry is finite and > 0.

    >>> float(check_positive("T", 1.0, "K"))
    1.0
    """
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (arr <= 0)
    if np.any(bad):
        first = arr[bad].flat[0] if arr.ndim else float(arr)
        suffix = f" {unit}" if unit else ""
        raise InputError(f"{name} must be finite and > 0{suffix}; got {first!r}")
    return arr


def beta_hbar_omega(omega: ArrayLike, T: ArrayLike) -> np.ndarray:
    """The dimensionless ratio y = hbar omega / (k_B T) (omega in rad/s, T in K).

    >>> round(float(beta_hbar_omega(2 * math.pi * 1e9, 1.0)), 6)
    0.047992
    """
    w = check_positive("omega", omega, "rad/s")
    t = check_positive("T", T, "K")
    return HBAR * w / (K_B * t)


def im_chi(omega: ArrayLike, T: ArrayLike, n0M2: float = 1.0) -> np.ndarray:
    """Im chi_alpha of (2.7) for constant density of states: (pi/4) n0M2 tanh(beta hbar omega / 2).

    >>> round(float(im_chi(1e6, 1e-3)), 12) == round(math.pi / 4 * math.tanh(beta_hbar_omega(1e6, 1e-3) / 2), 12)
    True
    """
    y = beta_hbar_omega(omega, T)
    return (math.pi / 4.0) * n0M2 * np.tanh(y / 2.0)


def im_chi_reduced(omega: ArrayLike, T: ArrayLike, n0M2: float = 1.0) -> np.ndarray:
    """Im chi~ = Im chi / (1 - exp(-beta hbar omega)) of (2.16)-(2.17) for the TTLS model of (2.7).

    For two levels this is (pi/4) n0M2 / (1 + exp(-beta hbar omega)) (the ground-state population).

    >>> round(float(im_chi_reduced(1.0, 1e3)), 12) == round(math.pi / 8, 12)
    True
    """
    y = beta_hbar_omega(omega, T)
    return (math.pi / 4.0) * n0M2 / (1.0 + np.exp(-y))


def _re_psi_half(y: float) -> float:
    import mpmath as mp  # lazy: start-up time (loaded only when this function runs)

    # Re psi(1/2 + y/(2 pi i)) = Re psi(1/2 - i y/(2 pi)) = Re psi(1/2 + i y/(2 pi)) (conjugate symmetry)
    return float(mp.re(mp.digamma(mp.mpf(1) / 2 + mp.mpf(y) / (2 * mp.pi * 1j))))


def re_chi_printed(omega: ArrayLike, T: ArrayLike, n0M2: float = 1.0) -> np.ndarray:
    """Re chi_alpha|TTLS of (2.9) as printed: -(n0M2/4)[Re psi(1/2 + beta hbar omega/(2 pi i)) + ln(1/(beta hbar omega))].

    Digamma from mpmath (double precision result).

    >>> y = float(beta_hbar_omega(1e6, 1.0))
    >>> abs(float(re_chi_printed(1e6, 1.0)) - (-(_re_psi_half(y) + math.log(1 / y)) / 4)) < 1e-15
    True
    """
    y = beta_hbar_omega(omega, T)
    psi = np.array([_re_psi_half(float(v)) for v in y.ravel()]).reshape(y.shape)
    return -(n0M2 / 4.0) * (psi + np.log(1.0 / y))


def re_chi_printed_small(omega: ArrayLike, T: ArrayLike, n0M2: float = 1.0) -> np.ndarray:
    """The small beta hbar omega form (2.10): -(n0M2/4) ln(1/(beta hbar omega)) (negative for y < 1).

    >>> bool(re_chi_printed_small(1e6, 1.0) < 0)
    True
    """
    y = beta_hbar_omega(omega, T)
    return -(n0M2 / 4.0) * np.log(1.0 / y)
