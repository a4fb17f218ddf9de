"""Numeric audit records for (2.9), (2.10), (3.5), (4.3), (4.6) and the coefficient records of (C.24), (C.25),
(3.4), (4.1) (issue 12): statuses from computation, each numeric record with tolerance and a second method."""

import math

import numpy as np
import pytest

from glass_sym.audit import coefficients as audit_coefficients, numeric as audit_numeric


@pytest.fixture(scope="module")
def numeric():
    return {(f.label, f.details.get("part")): f for f in audit_numeric.records()}


def test_eq_2_9_transform_of_2_7_has_twice_the_printed_T_dependence(numeric):
    """Independent check: for y << 1 the KK transform of (pi/4) tanh(x/2) has d/d ln T = -1/2 (the integrand's
    T-dependence sits at x ~ 1 where tanh(x/2) - 1 ~ -2 e^{-x}), while (2.9) and (2.10) have -1/4."""
    from glass_sym.physics import ttls

    f = numeric[("2.9", None)]
    assert f.status == "differs" and f.details["numeric"] is True
    assert f.details["slope"] == pytest.approx(2.0, abs=1e-6)
    assert f.details["second_method_slope"] == pytest.approx(2.0, abs=1e-6)
    assert f.details["tolerance"] and "mpmath quadrature" in f.details["second_method"]
    w = 2 * math.pi * 1e6
    T = np.array([0.1, 1.0])
    d_printed = np.diff(ttls.re_chi_printed_small(w, T)) / np.diff(np.log(T))
    assert float(d_printed[0]) == pytest.approx(-0.25, rel=1e-12)
    assert f.details["thermal_C25_slope"] == pytest.approx(1.0, abs=1e-5)
    assert numeric[("2.10", "small_beta_hbar_omega")].details["slope"] == pytest.approx(2.0, abs=1e-5)
    assert numeric[("2.10", "small_beta_hbar_omega")].details["sign_negative"] is True


def test_eq_3_5_against_C25(numeric):
    """(3.5) vs (C.25): the thermal K ratio is about 2/y (y = beta hbar omega) at ultrasonic conditions."""
    from glass_sym.physics import ttls

    f = numeric[("3.5", None)]
    y = float(ttls.beta_hbar_omega(2 * math.pi * 1e6, 1.0))
    assert f.status == "differs"
    assert f.details["ratio"]["thermal"] == pytest.approx(2 / y, rel=1e-3)
    assert f.details["methods_agree_to"] < 1e-8


def test_eq_4_3_second_term_does_not_dominate_at_printed_strength(numeric):
    from glass_sym.numerics import rg

    f = numeric[("4.3", None)]
    res = rg.flow("a-SiO2", part="thermal")
    want = 2 * math.log(2) * res.a_l * abs(res.K_l) * 20 * res.im_l[0]
    assert f.details["eq_4_3_terms"]["l"]["second_over_first"] == pytest.approx(want, rel=1e-12)
    assert want < 1 and f.status == "differs"
    assert f.details["methods_agree_to"] < f.details["tolerance"]


def test_eq_4_6_flow_ratio(numeric):
    f = numeric[("4.6", "velocity_ratio")]
    assert f.status == "differs"
    assert f.details["printed"] == pytest.approx((5.8 / 3.8) ** 2)
    assert f.details["flow_limit"] == pytest.approx((5.8 / 3.8) ** 2 * 19 / 20)


def test_coefficient_records_C24_C25_34_41():
    """(C.24) = J3 + J4 and (C.25), (3.4) = J1 + ... + J6 share one block normalization; (4.1)'s coefficient is the
    engine's.  A printed (C.25) with the (C.24) prefactor 2 would differ by 1/2 (the missing J5 + J6)."""
    recs = {(f.label, f.details["part"]): f for f in audit_coefficients.records()}
    for key in (("C.24", "contracted"), ("C.25", "kk_integral"), ("C.25", "re_chi"), ("3.4", None), ("4.1", "recursion")):
        assert recs[key].status == "match", recs[key].explanation
    assert recs[("C.25", "re_chi")].details["normalization_vs_C24"] == "1"
    assert recs[("4.1", "recursion")].details["printed_c"] == "2"


def test_audit_all_has_no_not_derived_for_section_2_to_4_records():
    from glass_sym.audit.printed import audit_all

    fs = audit_all(["jpcm2020"], claims=False, fits=False)
    by = {}
    for f in fs:
        by.setdefault((f.label, f.details.get("part")), []).append(f.status)
    for key in (("2.9", None), ("2.10", "small_beta_hbar_omega"), ("3.5", None), ("4.3", None),
                ("4.6", "velocity_ratio"), ("C.24", "contracted"), ("C.25", "re_chi"), ("3.4", None),
                ("4.1", "recursion")):
        assert by[key] and "not-derived" not in by[key], (key, by.get(key))
