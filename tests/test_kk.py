"""Kramers-Kronig (journal (3.5), (C.25)) against analytic pairs and the printed TTLS result (2.9)."""

import math

import mpmath as mp
import numpy as np
import pytest

from glass_sym.errors import InputError
from glass_sym.numerics import kk
from glass_sym.physics import ttls


def _lorentz_im(x):
    # damped oscillator chi = 1/(1 - x^2 - i g x), g = 0.3: Im and Re known in closed form
    return 0.3 * x / ((1 - x**2) ** 2 + (0.3 * x) ** 2)


def _lorentz_re(x):
    return (1 - x**2) / ((1 - x**2) ** 2 + (0.3 * x) ** 2)


@pytest.mark.parametrize("method", ["grid", "scipy"])
@pytest.mark.parametrize("y", [0.05, 0.7, 1.0 + 1e-3, 2.5])
def test_lorentzian_pair(method, y):
    """Re chi(y) = (2/pi) P int_0^inf x Im chi(x)/(x^2 - y^2) for the damped oscillator (cutoff 1e7:
    truncation (2/pi) g/X^2 ~ 2e-15)."""
    if method == "scipy":
        pytest.importorskip("scipy")
    got = kk.principal_value(_lorentz_im, y, 1e7, method=method)
    assert float(got) == pytest.approx(_lorentz_re(y), rel=1e-9, abs=1e-12)


def test_lorentzian_pair_mpmath():
    def f(x):
        return 0.3 * x / ((1 - x**2) ** 2 + (0.3 * x) ** 2)

    got = kk.principal_value(f, 0.7, 1e7, method="mpmath")
    assert float(got) == pytest.approx(_lorentz_re(0.7), rel=1e-10)


def _h_matsubara(y):
    """Independent closed form of P int_0^inf x (tanh(x/2) - 1)/(x^2 - y^2) dx from the Matsubara sum
    tanh(x/2) = sum_k 4x/(x^2 + (2k+1)^2 pi^2): = ln(y/(2 pi)) - Re psi(1/2 + i y/(2 pi))."""
    y = mp.mpf(y)
    return float(mp.log(y / (2 * mp.pi)) - mp.re(mp.digamma(mp.mpf(1) / 2 + 1j * y / (2 * mp.pi))))


YS = [1e-6, 1e-4, 1e-2, 0.3, 1.0, 3.0, 10.0]


@pytest.mark.parametrize("y", YS)
def test_thermal_part_vs_matsubara_closed_form(y):
    """The T-dependent part of the KK transform of (2.7) to >= 10 significant digits."""
    T = 1.0
    w = y * ttls.K_B * T / ttls.HBAR
    re = kk.re_chi_reduced(w, T, 1e20, form="3.5", part="thermal") * (-math.expm1(-y))  # undo 1/(1-e^-y)
    assert float(re) == pytest.approx(_h_matsubara(y) / 2, rel=1e-10)  # (2/pi)(pi/4) = 1/2


def test_thermal_part_vs_eq_2_9_y_dependence():
    """Finding: the y-dependence of KK[(2.7)] is that of (2.9) with twice the printed prefactor n0M2/4;
    the remainder is the constant -(n0M2/2) ln(2 pi) (T-independent), to 1e-10."""
    T = 1.0
    ws = np.array(YS) * ttls.K_B * T / ttls.HBAR
    kkv = kk.re_chi_reduced(ws, T, 1e25, form="3.5", part="thermal") * (-np.expm1(-np.array(YS)))
    printed = ttls.re_chi_printed(ws, T)
    rest = kkv - 2 * printed
    assert np.allclose(rest, -math.log(2 * math.pi) / 2, rtol=1e-10, atol=0)


def test_eq_2_10_limit_of_the_kk_result():
    """For y -> 0, KK[(2.7)] thermal part = -(n0M2/2)[ln(1/y) + psi(1/2) + ln 2 pi] + O(y^2)."""
    y = 1e-6
    w = y * ttls.K_B / ttls.HBAR
    kkv = float(kk.re_chi_reduced(w, 1.0, 1e20, form="3.5", part="thermal")) * (-math.expm1(-y))
    psi_half = -float(mp.euler) - 2 * math.log(2)
    assert kkv == pytest.approx(-(math.log(1 / y) + psi_half + math.log(2 * math.pi)) / 2, rel=1e-10)


@pytest.mark.parametrize("form", kk.FORMS)
def test_full_is_cutoff_plus_thermal(form):
    """full = cutoff + thermal when the thermal tail beyond Omega_c is negligible (x_c = 1e4)."""
    T, w = 1.0, 1e5
    wc = 1e4 * ttls.K_B * T / ttls.HBAR
    parts = {p: float(kk.re_chi_reduced(w, T, wc, form=form, part=p)) for p in kk.PARTS}
    assert parts["full"] == pytest.approx(parts["cutoff"] + parts["thermal"], rel=1e-11)
    assert parts["full"] > 0 and parts["thermal"] < 0  # sign finding at ultrasonic y ~ 1e-6


@pytest.mark.parametrize("form", kk.FORMS)
def test_methods_agree(form):
    y, xc = 1e-3, 50.0
    F = kk.ttls_profile(form, "full")
    Fm = kk.ttls_profile(form, "full", "mpmath")
    ref = float(kk.principal_value(Fm, y, xc, method="mpmath"))
    assert float(kk.principal_value(F, y, xc)) == pytest.approx(ref, rel=1e-12)


def _h(y: float) -> float:
    """ln(y/2pi) - Re psi(1/2 + i y/2pi): the thermal part of the (C.25) transform times 4 (Matsubara sum)."""
    return float(mp.log(mp.mpf(y) / (2 * mp.pi)) - mp.re(mp.digamma(mp.mpf(1) / 2 + 1j * mp.mpf(y) / (2 * mp.pi))))


def test_cutoff_parts_of_both_forms_against_the_closed_form():
    """The cutoff part of the principal value is ln((x_c^2 - y^2)/y^2)/4 (P int_y^x_c 2x dx/(x^2 - y^2) / 4 ... with
    Im chi~ = 1 beyond the thermal window); form (3.5) divides the reduced input by (1 - e^{-y})."""
    T, w, wc = 1.0, 1e6, 1e15
    y = float(ttls.beta_hbar_omega(w, T))
    xc = float(ttls.beta_hbar_omega(wc, T))
    closed = math.log((xc**2 - y**2) / y**2) / 4
    assert float(kk.re_chi_reduced(w, T, wc, form="C.25", part="cutoff")) == pytest.approx(closed, rel=1e-10)
    assert float(kk.re_chi_reduced(w, T, wc, form="3.5", part="cutoff")) == pytest.approx(
        closed / -math.expm1(-y), rel=1e-10)


def test_k_ratio_against_the_closed_form():
    """K = Re chi~/Im chi~ for (C.25) at x_c = beta hbar Omega_c >> y (tail ~ e^{-7600}): Re chi~ =
    [ln((x_c^2 - y^2)/y^2) + h(y)]/4 and Im chi~ = (pi/4)/(1 + e^{-y}), h from the digamma function."""
    w, T, wc = 2e6 * math.pi, 1.0, 1e15
    y = float(ttls.beta_hbar_omega(w, T))
    xc = float(ttls.beta_hbar_omega(wc, T))
    closed = (math.log((xc**2 - y**2) / y**2) + _h(y)) / 4 / ((math.pi / 4) / (1 + math.exp(-y)))
    assert float(kk.k_ratio(w, T, wc)) == pytest.approx(closed, rel=1e-12)
    assert float(kk.k_ratio(w, T, wc, form="3.5")) != pytest.approx(closed, rel=1e-3)  # the other form differs


def test_bad_input():
    with pytest.raises(InputError, match="Omega_c must be > omega"):
        kk.re_chi_reduced(1e6, 1.0, 1e6)
    with pytest.raises(InputError, match="T must be finite and > 0"):
        kk.k_ratio(1e6, 0.0, 1e9)
    with pytest.raises(InputError, match="omega must be finite and > 0"):
        kk.k_ratio(-1e6, 1.0, 1e9)
    with pytest.raises(InputError, match="form must be one of"):
        kk.k_ratio(1e6, 1.0, 1e9, form="2.9")
