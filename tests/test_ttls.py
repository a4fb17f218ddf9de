"""TTLS susceptibility, journal section 2.1: (2.7), (2.9), (2.10)."""

import math

import mpmath as mp
import numpy as np
import pytest

from glass_sym.errors import InputError
from glass_sym.physics import ttls


def test_constants_are_si_defining_values():
    """hbar = h/(2 pi) with h = 6.62607015e-34 J s and k_B = 1.380649e-23 J/K (exact in the 2019 SI)."""
    assert ttls.HBAR == pytest.approx(1.054571817e-34, rel=1e-9)
    assert ttls.K_B == 1.380649e-23


def test_eq_2_7_im_chi_is_tanh_and_positive():
    """(2.7): Im chi proportional to tanh(beta hbar omega/2), positive for omega > 0; (2.8)."""
    w = np.logspace(5, 12, 8)
    y = ttls.HBAR * w / (ttls.K_B * 0.5)
    assert np.allclose(ttls.im_chi(w, 0.5, 2.0), math.pi / 2 * np.tanh(y / 2), rtol=1e-14)
    assert np.all(ttls.im_chi(w, 0.5) > 0)


def test_eq_2_16_reduced_is_ground_state_population():
    """Im chi~ = Im chi/(1 - e^{-y}) = (pi/4) n0M2/(1 + e^{-y}) (2.16): 1/2 at y -> 0, 1 at y -> inf."""
    w = np.array([1.0, 1e13, 1e15])
    red = ttls.im_chi_reduced(w, 1.0)
    y = ttls.HBAR * w / ttls.K_B
    assert np.allclose(red, ttls.im_chi(w, 1.0) / (-np.expm1(-y)), rtol=1e-12)
    assert red[0] == pytest.approx(math.pi / 8, rel=1e-9)


def test_eq_2_9_printed_form_against_mpmath_digamma():
    """(2.9) evaluated independently with mpmath at y = 0.3."""
    T = 1.0
    w = 0.3 * ttls.K_B * T / ttls.HBAR
    ref = -(mp.re(mp.digamma(0.5 + 0.3 / (2 * mp.pi * 1j))) + mp.log(1 / mp.mpf(0.3))) / 4
    assert float(ttls.re_chi_printed(w, T)) == pytest.approx(float(ref), rel=1e-13)


def test_eq_2_10_is_the_small_y_limit_of_2_9():
    """(2.9) - (2.10) -> -(n0M2/4) psi(1/2) = (gamma_E + 2 ln 2)/4 as beta hbar omega -> 0 (O(y^2))."""
    T = 1.0
    const = (float(mp.euler) + 2 * math.log(2)) / 4
    for y in (1e-6, 1e-4):
        w = y * ttls.K_B * T / ttls.HBAR
        diff = float(ttls.re_chi_printed(w, T) - ttls.re_chi_printed_small(w, T))
        assert diff == pytest.approx(const, abs=1e-7)
    assert float(ttls.re_chi_printed_small(1e6, 1.0)) < 0


@pytest.mark.parametrize("omega,T", [(0.0, 1.0), (-1.0, 1.0), (1.0, 0.0), (1.0, -2.0), (math.nan, 1.0)])
def test_bad_input(omega, T):
    with pytest.raises(InputError, match="must be finite and > 0"):
        ttls.im_chi(omega, T)
