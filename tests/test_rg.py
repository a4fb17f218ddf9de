"""RG flow of journal section 4: the map (4.1), closed forms (4.3)/(4.4), fixed point (4.6); materials."""

import math

import numpy as np
import pytest

from glass_sym import materials, rg
from glass_sym.errors import InputError


def _needs_registry():
    # appendix-c registers these (issue 5 has landed): a missing registration is a failure, not a skip
    assert rg.registered(), "absorption_coefficient_l/_t are not registered (derivations/appendix_c.py)"


def _paper_coefficients(m):
    """Test-only coefficients a_alpha = 1/(rho c_alpha^2), as printed in (4.1), to exercise the map."""
    return rg.Coefficients(np.array([[1 / (m.rho * m.c_l**2), 0.0], [0.0, 0.0]]),
                           np.array([[0.0, 0.0], [0.0, 1 / (m.rho * m.c_t**2)]]), m.rho, "test")


@pytest.mark.parametrize("a,x0", [(0.3, 1.0), (0.01, 2.0), (1e-4, 5.0)])
def test_map_x_minus_a_x2_bounds(a, x0):
    """x -> x - a x^2 (0 < a x0 < 1): 1/(1/x0 + n a/(1 - a x0)) <= x_n <= 1/(1/x0 + n a), since
    1/x_{n+1} = 1/x_n + a/(1 - a x_n) and x_n <= x0."""
    xs = rg.iterate_map(x0, -a, 50)
    n = np.arange(51)
    assert np.all(xs <= 1 / (1 / x0 + n * a) * (1 + 1e-14))
    assert np.all(xs >= 1 / (1 / x0 + n * a / (1 - a * x0)) * (1 - 1e-14))


def test_map_breakdown_stops():
    xs = rg.iterate_map(1.0, -2.0, 3)
    assert xs[0] == 1.0 and np.all(np.isnan(xs[1:]))


def test_eq_4_3_closed_form_vs_iteration():
    """(4.3) is the small-increment solution: for b x1 = 1e-3 over 20 steps the iterated map agrees to 1e-3."""
    x1, b, n = 1.0, -1e-3, 20
    xs = rg.iterate_map(x1, b, n)
    assert rg.closed_form_43(x1, b * n) == pytest.approx(1 / (1 + 1e-3 * n))
    assert xs[-1] == pytest.approx(rg.closed_form_43(x1, b * n), rel=1e-3)
    assert rg.closed_form_43(1.0, 2.0) == math.inf


def test_steps():
    """log_N0(R/L1) steps: R = 1 mm, L1 = 50 A, N0 = 2 -> floor(log2(2e5)) = 17."""
    assert rg.steps_to(1e-3, 5e-9, 2) == 17
    assert rg.steps_to(8.0, 1.0, 2) == 3
    with pytest.raises(InputError, match="L1 must be < R"):
        rg.steps_to(1e-9, 5e-9, 2)
    with pytest.raises(InputError, match="N0 must be an integer >= 2"):
        rg.steps_to(1e-3, 5e-9, 1)


def test_eq_4_6_fixed_point_with_paper_coefficients():
    """With a_alpha = 1/(rho c_alpha^2) and K_l = K_t < 0: fixed point sqrt(c_l^2/c_t^2) = c_l/c_t (4.6)."""
    m = materials.get_material("a-SiO2")
    coef = _paper_coefficients(m)
    assert rg.fixed_point_ratio(coef, -3.0, -3.0) == pytest.approx(5.80 / 3.80, rel=1e-14)
    assert rg.fixed_point_ratio(coef, 3.0, 3.0) is None


def test_flow_against_independent_iteration_and_fixed_point():
    """Large K: the second term of (4.3) dominates.  The flow equals a plain per-channel loop of (4.1)
    written here, and gamma_l/gamma_t at R approaches c_l/c_t (within the R_l/R_t step mismatch)."""
    m = materials.get_material("BK7")
    K, C0, f = -20.0, 0.05, 1e3
    res = rg.flow("BK7", coef=_paper_coefficients(m), K=(K, K), C0=C0, f=f, T=1.0)
    R = {"l": m.c_l / f, "t": m.c_t / f}
    n = {a: math.floor(math.log(R[a] / 5e-9, 2) + 1e-12) for a in R}
    assert (res.steps_l, res.steps_t) == (n["l"], n["t"])
    final = {}
    for a, c in (("l", m.c_l), ("t", m.c_t)):
        x = res.im_t[0]
        for _ in range(n[a]):
            x = x + 2 * math.log(2) / (m.rho * c**2) * K * x * x
        final[a] = x
    assert res.im_l_R == pytest.approx(final["l"], rel=1e-12)
    assert res.im_t_R == pytest.approx(final["t"], rel=1e-12)
    assert res.gamma_ratio_R == pytest.approx(6.2 / 3.8, rel=0.05)
    assert res.fixed_point_ratio == pytest.approx(6.2 / 3.8)


def test_positive_k_is_divergent():
    m = materials.get_material("a-SiO2")
    res = rg.flow("a-SiO2", coef=_paper_coefficients(m), K=(5.0, 5.0))
    assert res.status == "divergent" and not res.converged and res.fixed_point_ratio is None


def test_registered_coefficients_give_paper_form():
    """When issue 5 has landed: rho c_alpha^2 * coefficient of chi_alpha^2 is a pure number, the same for l, t."""
    _needs_registry()
    coef = rg.coefficients(5800.0, 3800.0, 2200.0)
    assert coef.a_l * 2200.0 * 5800.0**2 == pytest.approx(coef.a_t * 2200.0 * 3800.0**2, rel=1e-12)


def test_registered_flow_fixed_point_is_velocity_ratio():
    _needs_registry()
    res = rg.flow("a-SiO2", part="thermal")
    assert res.fixed_point_ratio == pytest.approx(5.80 / 3.80, rel=1e-12)


def test_materials_table():
    ms = materials.materials()
    assert len(ms) == 13
    for m in ms.values():
        assert m.c_t < m.c_l and m.source
        assert round(m.c_l / m.c_t, 2) == pytest.approx(m.ratio_theo_printed, abs=0.011)
    with pytest.raises(InputError, match="unknown material 'glass'; known materials: a-SiO2, BK7"):
        materials.get_material("glass")


def test_preprint_fits_reproduced():
    """Preprint: 13 materials y = 1.102 x, r = 0.261; 10 materials y = 1.061 x, r = 0.745 (printed theo column)."""
    ms = materials.materials()
    for fit in materials.fits():
        if fit.version != "preprint":
            continue
        x = [ms[n].ratio_exp for n in fit.members]
        y = [ms[n].ratio_theo_printed for n in fit.members]
        slope, r = materials.fit_through_origin(x, y)
        assert slope == pytest.approx(fit.slope_printed, abs=1e-3)  # printed 1.102 for 1.10272
        assert r == pytest.approx(fit.r_printed, abs=1e-3)


@pytest.mark.parametrize("kw,msg", [
    (dict(f=-1.0), "f must be finite and > 0"),
    (dict(T=0.0), "T must be finite and > 0"),
    (dict(Omega_c=1e3), "Omega_c must be > omega"),
    (dict(N0=1), "N0 must be an integer >= 2"),
    (dict(L1=1.0), "L1 must be < R"),
])
def test_bad_input(kw, msg):
    m = materials.get_material("a-SiO2")
    with pytest.raises(InputError, match=msg):
        rg.flow("a-SiO2", coef=_paper_coefficients(m), K=(-1.0, -1.0), **kw)


def test_c_t_not_below_c_l_rejected():
    with pytest.raises(InputError, match="c_t must be < c_l"):
        rg._check_speeds(3000.0, 3000.0)
