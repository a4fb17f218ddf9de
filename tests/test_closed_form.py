"""A registered closed form carries its label, free indices, arguments (symbols, units, ranges) and becomes a
NumPy function itself; kernels and the RG flow take their symbols from it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import sympy as sp

from glass_sym import symbols as S
from glass_sym.errors import DerivationError
from glass_sym.numerics import kernels, rg
from glass_sym.records.closed_form import arguments_of, free_indices
from glass_sym.records.derivation import get


def test_lambda_tilde_record():
    """tilde Lambda_ijkl(n; alpha), (A.18) of the journal: four free indices, arguments n and alpha."""
    cf = get("lambda_tilde")
    assert (cf.label, cf.indices) == ("A.18", "ijkl")
    assert [(a.name, a.unit) for a in cf.arguments] == [("n", "1"), ("alpha", "1")]
    assert cf.symbols == (*S.N, S.alpha)
    assert cf.argument(S.N[1]).vector and cf.argument(S.alpha).symbol is S.alpha
    assert cf.argument(S.alpha).range == sp.Interval.open(0, 1)
    with pytest.raises(KeyError):
        cf.argument(S.rho)


def test_lambda_x_arguments_carry_units():
    """Lambda_ijkl(x) = -tilde Lambda/(8 pi rho c_t^2 r^3), (A.13)/(A.18): lengths in m, speeds in m/s."""
    units = {a.name: a.unit for a in get("lambda_x").arguments}
    assert units == {"n": "1", "r": "m", "rho": "kg/m^3", "c_t": "m/s", "alpha": "1"}


def test_argument_order_and_unknown_symbols():
    z = sp.Symbol("zeta")
    args = arguments_of(z * S.c_l * S.rho + S.X[0] * S.r)
    assert [a.name for a in args] == ["x", "r", "rho", "c_l", "zeta"]
    assert args[-1].unit == "" and free_indices(S.alpha) == ""


def test_numeric_of_the_record_matches_the_printed_value():
    """f2 = (delta_jl - 3 n_j n_l)/(4 pi r^3) (A.17 route): at n = z, r = 1 the (3,3) component is -2/(4 pi)."""
    f = get("f2").numeric()
    assert f.args == ("n", "r")
    assert f(n=[0.0, 0.0, 1.0], r=1.0)[2, 2] == pytest.approx(-2 / (4 * np.pi), rel=1e-14)


def test_numeric_of_lambda_tilde_equals_the_generated_kernel():
    """Two routes from the same record: lambdify of the components and the CSE-generated kernel."""
    rng = np.random.default_rng(15)
    n = rng.normal(size=(50, 3))
    alpha = rng.uniform(0.1, 0.9, size=50)
    via_record = get("lambda_tilde").numeric()(n=n, alpha=alpha)
    via_kernel = kernels.tilde_lambda(n, alpha)
    assert np.max(np.abs(via_record - via_kernel)) < 1e-12


def _patched_get(monkeypatch, name, extra):
    import glass_sym.records.derivation as derivation

    real = derivation.get

    def fake(n):
        cf = real(n)
        return dataclasses.replace(cf, value=cf.value * extra) if n == name else cf

    monkeypatch.setattr(derivation, "get", fake)


def test_kernel_refuses_a_form_with_other_arguments(monkeypatch):
    _patched_get(monkeypatch, "lambda_tilde", S.omega)
    with pytest.raises(DerivationError, match="has arguments .*omega"):
        kernels.kernel.__wrapped__("lambda_tilde")


def test_rg_refuses_a_coefficient_with_other_arguments(monkeypatch):
    _patched_get(monkeypatch, rg.COEFFICIENT_NAMES["l"], S.omega)
    with pytest.raises(DerivationError, match="omega"):
        rg.coefficient_functions.__wrapped__()


def test_matrix_valued_forms_become_numeric_functions_of_their_shape():
    """(B.5) and (D.6) averages are 2 x 3 / 2 x 4 matrices: .numeric() gives that shape, entry by entry equal to
    the exact matrix at a rational point (SymPy's own evaluation, not the lambdified code)."""
    import numpy as np
    import sympy as sp

    from glass_sym.records.derivation import get
    from glass_sym.symbols import alpha

    for name in ("b5_angular_averages", "d6_angular_averages"):
        form = get(name)
        f = form.numeric()
        assert f.shape == form.value.shape
        kwargs = {"alpha": 0.25} if "alpha" in f.args else {}
        exact = np.array(form.value.subs(alpha, sp.Rational(1, 4)).evalf(20).tolist(), dtype=float)
        assert np.array_equal(f(**kwargs).shape, exact.shape)
        assert np.allclose(f(**kwargs), exact, rtol=1e-14, atol=0)


def test_one_name_for_two_symbols_is_refused():
    """A mass m and the unit vector m would share the keyword 'm' (the vector silently fed the mass): refused."""
    import sympy as sp

    from glass_sym.errors import InputError
    from glass_sym.records.closed_form import numeric_function_of
    from glass_sym.symbols import M

    with pytest.raises(InputError, match="argument name 'm' stands for two different symbols"):
        numeric_function_of(sp.Symbol("m", positive=True) * M[0], "x")
    assert numeric_function_of(sp.Symbol("mass", positive=True) * M[0], "x").args == ("m", "mass")


@pytest.mark.parametrize("alpha", [1.5, 1.0, 0.0, -0.1])
def test_alpha_outside_its_physical_range_is_refused(alpha):
    """alpha = 1 - c_t^2/c_l^2 lies in (0, 1) (0 < c_t < c_l); a numeric function refuses other values."""
    from glass_sym.errors import InputError
    from glass_sym.records.derivation import get

    f = get("lambda_tilde").numeric()
    with pytest.raises(InputError, match=r"argument 'alpha' must lie in \(0, 1\)"):
        f(n=[0.0, 0.0, 1.0], alpha=alpha)
    assert f(n=[0.0, 0.0, 1.0], alpha=0.5).shape == (3, 3, 3, 3)
