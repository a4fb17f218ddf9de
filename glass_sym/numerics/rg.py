"""The real-space renormalization flow of section 4: recursion (4.1), closed forms (4.3)/(4.4), ratio (4.5),
fixed point (4.6).

The recursion, for alpha = l, t and L_{n+1} = N0 L_n,

    Im chi~_alpha(L_{n+1}) = Im chi~_alpha(L_n) + 2 ln N0 * B_alpha(Im chi~(L_n), Re chi~(L_n)),      (4.1)

takes its coefficient B_alpha from the registered closed forms ``absorption_coefficient_total_l`` and
``absorption_coefficient_total_t`` (Appendix C (C.10)-(C.25), derived by the engine): each is a SymPy
expression in rho, c_l, c_t, chi_l, chi_t, quadratic in (chi_l, chi_t); B_alpha is its polarization
(the bilinear form with B_alpha(chi, chi) = the registered expression), lambdified at first use.  When the
registered form is chi_alpha^2/(rho c_alpha^2), B_alpha(Im, Re) = Im_alpha Re_alpha/(rho c_alpha^2) and
(4.1) is the printed recursion with Re = K Im (4.2).  Nothing here types that coefficient in.

K_alpha comes from the Kramers-Kronig transform of the TTLS Im chi (:func:`glass_sym.numerics.kk.k_ratio`), in the
printed form (C.25) or (3.5), either the full transform with cutoff Omega_c or its T-dependent part only.
Model assumption (stated, as in the paper's (4.5)->(4.6) step): the spectral shape of Im chi~ is kept along
the flow, so K_alpha(omega, L_n) = K_alpha(omega) for every n.

The experimental scale is R_alpha = 2 pi c_alpha / omega; each channel takes its own number of steps
n_alpha = floor(log_N0(R_alpha/L1)) and is never iterated past R_alpha, so the flow's own limit is
(c_l/c_t) sqrt(n_t/n_l), not c_l/c_t (both are reported).  The coefficient is the total J1 + ... + J6
(``absorption_coefficient_total_l/t``, journal (C.25) = (3.4)): 1/(rho c_alpha^2), the normalization of (4.1).
The initial condition is the TTLS strength n0 M^2 in Pa (:func:`strength`), C0 = n0 M^2/(rho c_l^2).
Statuses are defined by computed criteria (:data:`STATUSES`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from glass_sym.errors import DerivationError, InputError
from glass_sym.paper.materials import Material, defaults, get_material
from glass_sym.physics.ttls import im_chi_reduced

from .kk import k_ratio

__all__ = [
    "COEFFICIENT_NAMES", "Coefficients", "coefficient_functions", "coefficients",
    "iterate_map", "closed_form_43", "fixed_point_ratio", "steps_to", "FlowResult", "flow",
    "sensitivity", "sweep", "STATUSES", "strength", "flow_limit_ratio",
]

COEFFICIENT_NAMES = {"l": "absorption_coefficient_total_l", "t": "absorption_coefficient_total_t"}


# ----------------------------------------------------------------------------- registered coefficients
@functools.lru_cache(maxsize=1)
def coefficient_functions() -> dict:
    """Lambdified registered coefficients {alpha: (f(rho, c_l, c_t, chi_l, chi_t), sympy expr, rho degree)}.

    Raises :class:`DerivationError` when a registered coefficient is not a quadratic form in (chi_l, chi_t) or
    depends on arguments other than rho, c_l, c_t, chi_l, chi_t (taken from the closed form's arguments).
    """
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)

    from glass_sym import symbols as S  # lazy, with the SymPy import above (this module loads without SymPy)
    from glass_sym.records.derivation import get  # lazy: keeps start-up light (this module is imported without SymPy)

    # the lambdified argument order: (rho, c_l, c_t, chi_l, chi_t), as Symbols of glass_sym.symbols
    params = (S.rho, S.c_l, S.c_t, S.chi_l, S.chi_t)
    chis = params[3:]
    out = {}
    for alpha, name in COEFFICIENT_NAMES.items():
        form = get(name)  # the appendix-c chain registers both
        expr = form.value
        if not isinstance(expr, sp.Expr):
            raise DerivationError(f"{name} is not a SymPy expression: {type(expr).__name__}")
        extra = sorted(a.name for a in form.arguments if not set(a.symbols) <= set(params))
        if extra:
            raise DerivationError(f"{name} uses symbols {extra} beyond {tuple(p.name for p in params)}")
        poly = sp.Poly(sp.expand(expr), *chis)
        if not (poly.is_homogeneous and poly.total_degree() == 2):
            raise DerivationError(f"{name} is not a quadratic form in chi_l, chi_t: {expr}")
        scale = sp.Dummy("lambda_scale", positive=True)
        ratio = sp.simplify(expr.subs(S.rho, scale * S.rho) / expr)
        rho_degree = next((d for d in (-1, 0) if sp.simplify(ratio - scale**d) == 0), None)
        out[alpha] = (sp.lambdify(params, expr, modules="numpy"), expr, rho_degree)
    return out


@dataclass(frozen=True)
class Coefficients:
    """The bilinear forms B_alpha(u, v) = u^T M_alpha v of (4.1) for one material (SI units)."""

    M_l: np.ndarray
    M_t: np.ndarray
    rho: float
    rho_note: str

    @property
    def a_l(self) -> float:
        """Diagonal coefficient of Im chi~_l Re chi~_l in the l channel (1/(rho c_l^2) in the paper)."""
        return float(self.M_l[0, 0])

    @property
    def a_t(self) -> float:
        """Diagonal coefficient of Im chi~_t Re chi~_t in the t channel (1/(rho c_t^2) in the paper)."""
        return float(self.M_t[1, 1])

    @property
    def coupled(self) -> bool:
        """True when a channel's increment involves the other channel's susceptibility."""
        return bool(self.M_l[0, 1] != 0 or self.M_l[1, 1] != 0 or self.M_t[0, 1] != 0 or self.M_t[0, 0] != 0)


def coefficients(c_l: float, c_t: float, rho: Optional[float] = None) -> Coefficients:
    """Evaluate the registered coefficients for sound speeds (m/s) and density (kg/m^3).

    ``rho`` may be omitted when the registered forms are homogeneous of degree -1 in rho (then the flow in
    terms of Im chi~ / rho does not depend on it; rho = 1 kg/m^3 is used and the initial condition scales
    with it).
    """
    _check_speeds(c_l, c_t)
    if rho is not None and not (math.isfinite(rho) and rho > 0):
        raise InputError(f"rho must be finite and > 0 kg/m^3; got {rho!r}")
    funcs = coefficient_functions()
    note = "material value"
    if rho is None:
        degrees = {f[2] for f in funcs.values()}
        if degrees != {-1}:
            raise InputError("rho is needed: the registered absorption coefficients are not proportional to 1/rho")
        rho, note = 1.0, "rho cancels (coefficients proportional to 1/rho): flow computed with rho = 1 kg/m^3"
    mats = {}
    for alpha, (f, _expr, _deg) in funcs.items():
        q = lambda x1, x2: float(f(rho, c_l, c_t, x1, x2))  # noqa: E731
        m11, m22 = q(1.0, 0.0), q(0.0, 1.0)
        m12 = (q(1.0, 1.0) - m11 - m22) / 2.0
        mats[alpha] = np.array([[m11, m12], [m12, m22]])
    return Coefficients(mats["l"], mats["t"], float(rho), note)


def _check_speeds(c_l: float, c_t: float) -> None:
    for name, v in (("c_l", c_l), ("c_t", c_t)):
        if not (math.isfinite(v) and v > 0):
            raise InputError(f"{name} must be > 0 m/s; got {v!r}")
    if c_t >= c_l:
        raise InputError(f"c_t must be < c_l; got c_t = {c_t!r} m/s >= c_l = {c_l!r} m/s")


# ----------------------------------------------------------------------------- the map and its closed forms
def steps_to(R: float, L1: float, N0: int) -> int:
    """Number of block steps floor(log_N0(R/L1)) from L1 to R (L1 < R, N0 >= 2 integer).

    >>> steps_to(1e-3, 5e-9, 2)
    17
    """
    _check_n0(N0)
    if not (L1 > 0 and math.isfinite(L1)):
        raise InputError(f"L1 must be > 0 m; got {L1!r}")
    if L1 >= R:
        raise InputError(f"L1 must be < R = 2 pi c/omega = {R!r} m; got L1 = {L1!r} m")
    if not math.isfinite(R / L1):
        raise InputError(f"R/L1 = 2 pi c/(omega L1) must be finite (frequency too low); got R = {R!r} m, L1 = {L1!r} m")
    return int(math.floor(math.log(R / L1) / math.log(N0) + 1e-12))


def _check_n0(N0) -> None:
    if isinstance(N0, bool) or not isinstance(N0, (int, np.integer)) or N0 < 2:
        raise InputError(f"N0 must be an integer >= 2 (N0^3 blocks form a super block); got {N0!r}")


def fixed_point_ratio(coef: Coefficients, K_l: float, K_t: float) -> Optional[float]:
    """gamma_l/gamma_t at the fixed point, sqrt(a_t |K_t| / (a_l |K_l|)) ((4.4)-(4.6)); None unless K_l, K_t < 0.

    With a_alpha = 1/(rho c_alpha^2) and K_l = K_t this is c_l/c_t.  It assumes the same number of steps in both
    channels; the flow's own limit with n_l and n_t steps is this times sqrt(n_t/n_l) (:func:`flow_limit_ratio`).
    """
    if not (K_l < 0 and K_t < 0):
        return None
    return math.sqrt(coef.a_t * abs(K_t) / (coef.a_l * abs(K_l)))


def flow_limit_ratio(coef: Coefficients, K_l: float, K_t: float, steps_l: int, steps_t: int) -> Optional[float]:
    """The limit of sqrt(Im chi~_l(R_l)/Im chi~_t(R_t)) when the second term of (4.3) dominates, with the
    channels' own step counts: sqrt(a_t |K_t| n_t/(a_l |K_l| n_l)); None unless K_l, K_t < 0.

    >>> import numpy as np
    >>> c = Coefficients(np.diag([1.0, 0.0]), np.diag([0.0, 4.0]), 1.0, "")
    >>> flow_limit_ratio(c, -1.0, -1.0, 20, 5)
    1.0
    """
    fp = fixed_point_ratio(coef, K_l, K_t)
    return None if fp is None else fp * math.sqrt(steps_t / steps_l)


# ----------------------------------------------------------------------------- TTLS strength (initial condition)
def strength(material, *, n0M2: Optional[float] = None, C0: Optional[float] = None) -> dict:
    """The TTLS strength of the initial condition: n0 M^2 (Pa) and C0 = n0 M^2/(rho c_l^2), with their source.

    Order of precedence: ``n0M2`` given (needs the material's rho), ``C0`` given, the material's printed n0 M^2
    (a-SiO2, BK7: preprint, data of Hunklinger and v. Schickfus), else the reference material's C0
    (``defaults()["strength_reference"]``, a-SiO2) with this material's own rho and c_l.  Returns
    {"n0M2": Pa or None (rho not printed), "C0", "C0_definition", "source"}.  Raises :class:`InputError` for a
    non-positive value or ``n0M2`` without a density.

    >>> round(strength("a-SiO2")["C0"], 7)
    0.0002756
    """
    mat = _resolve(material)
    for name, v in (("n0M2", n0M2), ("C0", C0)):
        if v is not None and not (math.isfinite(v) and v > 0):
            raise InputError(f"{name} must be finite and > 0; got {v!r}")
    definition = "C0 = n0M^2/(rho c_l^2) (preprint: c = 5.8e5 cm/s = c_l of a-SiO2)"
    mod = mat.rho * mat.c_l ** 2 if mat.rho else None
    if n0M2 is not None:
        if mod is None:
            raise InputError(f"n0M2 needs the density of {mat.name!r}, which no paper prints; give C0 "
                             f"(= n0M^2/(rho c_l^2)) instead")
        return {"n0M2": n0M2, "C0": n0M2 / mod, "C0_definition": definition, "source": "given n0M2"}
    if C0 is not None:
        return {"n0M2": None if mod is None else C0 * mod, "C0": C0, "C0_definition": definition,
                "source": "given C0"}
    if mat.n0M2 is not None and mod is not None:
        return {"n0M2": mat.n0M2, "C0": mat.n0M2 / mod, "C0_definition": definition, "source": mat.n0M2_source}
    ref = get_material(defaults()["strength_reference"])
    c0 = ref.n0M2 / (ref.rho * ref.c_l ** 2)
    return {"n0M2": None if mod is None else c0 * mod, "C0": c0, "C0_definition": definition,
            "source": (f"no printed n0M^2 for {mat.name}: {ref.name}'s dimensionless strength n0M^2/(rho c_l^2) = "
                       f"{c0:.6g} with {mat.name}'s own rho and c_l"
                       + ("" if mod is not None else " (rho not printed: it cancels in the flow, n0M^2 in Pa "
                          "unknown)"))}


# ----------------------------------------------------------------------------- the iteration
#: statuses of a flow, each defined by a computed criterion (docs/rg.md)
STATUSES = {
    "breakdown": "a step changes Im chi~ by more than max_step (relative) before R: the recursion, derived for "
                 "Delta Im chi~ << Im chi~ (text before (4.3)), is outside its validity; iteration stops there",
    "divergent": "K > 0 in some channel and every step within max_step: Im chi~ grows, no fixed point; "
                 "blowup_length = L1 N0^{1/(2 ln N0 a K Im(L1))} is where the continuum (4.3) diverges",
    "frozen": "K < 0, every step within max_step, and Im chi~ changes by less than frozen_tol (relative) over "
              "the whole flow in both channels: gamma_l/gamma_t stays at its initial value",
    "converged": "K < 0, every step within max_step, not frozen, and gamma_l/gamma_t at R within tol of the "
                 "flow's own limit sqrt(a_t|K_t| n_t/(a_l|K_l| n_l))",
    "not_converged": "K < 0, every step within max_step, not frozen, farther than tol from the flow's own limit",
}


def _run(x0: np.ndarray, M_l: np.ndarray, M_t: np.ndarray, K: np.ndarray, N0: int, steps: np.ndarray,
         max_step: float):
    """Two-channel (4.1) for a batch: x' = x + 2 ln N0 (x^T M_alpha (K x)), channel alpha updated for its own
    ``steps[alpha]`` steps only and stopped at its first step with |increment|/|x| > max_step.

    x0 (2, B), K (2, B), steps (2, B) integers.  Returns hist (nmax+1, 2, B) (NaN where a channel stopped or is
    past its R), rel (nmax, 2, B) relative increments of the steps taken or refused (NaN otherwise) and bad
    (2, B): the first non-perturbative step (0: none).
    """
    lnN0 = math.log(N0)
    x = np.array(x0, dtype=float)
    nmax = int(steps.max()) if steps.size else 0
    hist = np.full((nmax + 1,) + x.shape, np.nan)
    rel = np.full((nmax,) + x.shape, np.nan)
    bad = np.zeros(x.shape, dtype=int)
    hist[0] = x
    alive = np.ones(x.shape, dtype=bool)
    for n in range(1, nmax + 1):
        active = alive & (n <= steps)
        v = K * x
        inc = 2 * lnN0 * np.stack([np.einsum("ib,ij,jb->b", x, M_l, v), np.einsum("ib,ij,jb->b", x, M_t, v)])
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.abs(inc) / np.abs(x)
        rel[n - 1] = np.where(active, r, np.nan)
        # a step beyond max_step, or one that would make Im chi~ non-positive or non-finite, leaves (4.1)
        with np.errstate(invalid="ignore", over="ignore"):
            broke = active & (~(r <= max_step) | ~(x + inc > 0) | ~np.isfinite(x + inc))
        bad[broke] = n
        alive &= ~broke
        x = np.where(active & alive, x + inc, x)
        hist[n] = np.where(alive & (n <= steps), x, np.nan)
    return hist, rel, bad


def iterate_map(x0, b, steps: int, *, stop_at_breakdown: bool = True, max_step: float = 1.0) -> np.ndarray:
    """Iterate x_{n+1} = x_n + b x_n^2 (the one-channel form of (4.1), b = 2 ln N0 a K) ``steps`` times.

    Returns x_1 .. x_{steps+1}.  With ``stop_at_breakdown`` the iteration stops (NaN afterwards) when
    |b x_n| > ``max_step`` (default 1: the increment is as large as the value itself).

    >>> [round(float(v), 6) for v in iterate_map(0.5, -1.0, 2)]
    [0.5, 0.25, 0.1875]
    """
    out = np.full(steps + 1, np.nan)
    x = float(x0)
    out[0] = x
    for n in range(1, steps + 1):
        if stop_at_breakdown and abs(b * x) >= max_step:
            break
        x = x + b * x * x
        out[n] = x
    return out


def closed_form_43(x1: float, b_sum: float) -> float:
    """(4.3) with signed K: 1/x_R = 1/x_1 - sum_n 2 ln N0 a K_n (= 1/x_1 + ... |K_n| for K < 0).

    Returns inf when the right-hand side is <= 0 (the continuum flow blows up before R when K > 0).

    >>> closed_form_43(0.5, -2.0)
    0.25
    """
    inv = 1.0 / x1 - b_sum
    return math.inf if inv <= 0 else 1.0 / inv


# ----------------------------------------------------------------------------- one flow
@dataclass
class FlowResult:
    """The flow of one material at one (f, T) with all diagnostics (SI units; lengths in m)."""

    material: str
    c_l: float
    c_t: float
    f: float
    T: float
    L1: float
    N0: int
    Omega_c: float
    form: str
    part: str
    C0: float
    ratio0: float
    K_l: float
    K_t: float
    a_l: float
    a_t: float
    rho_note: str
    coupled: bool
    R_l: float
    R_t: float
    steps_l: int
    steps_t: int
    L: np.ndarray = field(repr=False)
    im_l: np.ndarray = field(repr=False)
    im_t: np.ndarray = field(repr=False)
    rel_l: np.ndarray = field(default=None, repr=False)
    rel_t: np.ndarray = field(default=None, repr=False)
    im_l_R: float = math.nan
    im_t_R: float = math.nan
    closed_l_R: float = math.nan
    closed_t_R: float = math.nan
    gamma_ratio_R: float = math.nan
    fixed_point_ratio: Optional[float] = None
    flow_limit_ratio: Optional[float] = None
    formal_ratio: float = math.nan
    distance: Optional[float] = None
    distance_flow_limit: Optional[float] = None
    breakdown_step: Optional[int] = None
    breakdown_channel: Optional[str] = None
    status: str = ""
    converged: bool = False
    rho: float = 1.0
    n0M2: Optional[float] = None
    strength_source: str = ""
    C0_definition: str = ""
    max_step: float = 0.1
    tol: float = 0.01
    frozen_tol: float = 0.01
    blowup_length: dict = field(default_factory=dict)
    referee: dict = field(default_factory=dict)

    @property
    def ratio_flow(self) -> np.ndarray:
        """gamma_l/gamma_t = sqrt(Im chi~_l / Im chi~_t) along the common steps L_n (4.5)."""
        with np.errstate(invalid="ignore"):
            return np.sqrt(self.im_l / self.im_t)

    @property
    def relative_change(self) -> dict:
        """Im chi~_alpha(L_n)/Im chi~_alpha(L1) - 1 along the flow, per channel (NaN past R_alpha or a breakdown)."""
        return {"l": self.im_l / self.im_l[0] - 1.0, "t": self.im_t / self.im_t[0] - 1.0}

    def terms_43(self) -> dict:
        """The two terms of (4.3) per channel, 1/Im chi~(L1) and 2 ln N0 a_alpha sum_n |K| (1/Pa), their ratio."""
        out = {}
        for ch, x1, a, K, n in (("l", self.im_l[0], self.a_l, self.K_l, self.steps_l),
                                ("t", self.im_t[0], self.a_t, self.K_t, self.steps_t)):
            first, second = 1.0 / x1, 2 * math.log(self.N0) * a * abs(K) * n
            out[ch] = {"first_term": first, "second_term": second, "second_over_first": second / first}
        return out

    def as_dict(self) -> dict:
        """The JSON record (documented in docs/rg.md)."""
        def num(v):
            return None if v is None or (isinstance(v, float) and not math.isfinite(v)) else float(v)

        def finite_max(a):
            a = np.asarray(a, dtype=float)
            a = a[np.isfinite(a)]
            return float(a.max()) if a.size else None

        rc = self.relative_change
        total = {"l": num(self.im_l_R / self.im_l[0] - 1.0), "t": num(self.im_t_R / self.im_t[0] - 1.0)}
        return {
            "material": self.material, "c_l": self.c_l, "c_t": self.c_t,
            "fixed_point_ratio": num(self.fixed_point_ratio), "flow_limit_ratio": num(self.flow_limit_ratio),
            "gamma_ratio_R": num(self.gamma_ratio_R),
            "steps": {"l": self.steps_l, "t": self.steps_t}, "K_l": self.K_l, "K_t": self.K_t,
            "converged": self.converged, "status": self.status, "status_definition": STATUSES[self.status],
            "distance_to_fixed_point": num(self.distance), "distance_to_flow_limit": num(self.distance_flow_limit),
            "formal_ratio": num(self.formal_ratio), "velocity_ratio": self.c_l / self.c_t,
            "breakdown_step": self.breakdown_step, "breakdown_channel": self.breakdown_channel,
            "f": self.f, "T": self.T, "L1": self.L1, "N0": self.N0,
            "Omega_c": self.Omega_c, "form": self.form, "part": self.part, "ratio0": self.ratio0,
            "C0": self.C0, "C0_definition": self.C0_definition, "n0M2_Pa": num(self.n0M2),
            "strength_source": self.strength_source,
            "R_l": self.R_l, "R_t": self.R_t, "coef_l": self.a_l, "coef_t": self.a_t,
            "coef_l_times_rho_c_l2": self.a_l * self.rho * self.c_l ** 2,
            "coef_t_times_rho_c_t2": self.a_t * self.rho * self.c_t ** 2,
            "coefficient_normalization_vs_4_1": {"l": self.a_l * self.rho * self.c_l ** 2,
                                                 "t": self.a_t * self.rho * self.c_t ** 2},
            "im_l_R": num(self.im_l_R), "im_t_R": num(self.im_t_R),
            "closed_form_l_R": num(self.closed_l_R), "closed_form_t_R": num(self.closed_t_R),
            "coupled_channels": self.coupled,
            "max_step": self.max_step, "tol": self.tol, "frozen_tol": self.frozen_tol,
            "eq_4_3_terms": self.terms_43(),
            "max_step_relative_change": {"l": finite_max(np.abs(self.rel_l)), "t": finite_max(np.abs(self.rel_t))},
            "total_relative_change": total,
            "blowup_length": {k: num(v) for k, v in self.blowup_length.items()},
            "relative_change_along_flow": {k: [num(x) for x in v] for k, v in rc.items()},
            "L": [float(x) for x in self.L],
            **({"referee": self.referee} if self.referee else {}),
        }


def _resolve(material) -> Material:
    return material if isinstance(material, Material) else get_material(material)


def _check_inputs(f, T, Omega_c, ratio0, tol, max_step, frozen_tol, N0):
    _check_n0(N0)
    for name, v, unit in (("f", f, "Hz"), ("T", T, "K"), ("Omega_c", Omega_c, "rad/s"), ("ratio0", ratio0, ""),
                          ("tol", tol, ""), ("max_step", max_step, ""), ("frozen_tol", frozen_tol, "")):
        if not (math.isfinite(v) and v > 0):
            raise InputError(f"{name} must be finite and > 0{(' ' + unit) if unit else ''}; got {v!r}")
    if max_step > 1:
        raise InputError(f"max_step must be <= 1 (a relative change of Im chi~ per step; (4.1) is a perturbative "
                         f"recursion, a step of more than 100 % is outside it); got {max_step!r}")
    omega = 2.0 * math.pi * f
    if Omega_c <= omega:
        raise InputError(f"Omega_c must be > omega = 2 pi f = {omega!r} rad/s; got {Omega_c!r} rad/s")
    return omega


def flow(material, *, f: float = 1e6, T: float = 1.0, L1: float = 5e-9, N0: int = 2, Omega_c: float = 1e15,
         form: str = "C.25", part: str = "full", n0M2: Optional[float] = None, C0: Optional[float] = None,
         ratio0: float = 1.0, tol: float = 0.01, max_step: float = 0.1, frozen_tol: float = 0.01,
         K: Optional[tuple[float, float]] = None, coef: Optional[Coefficients] = None) -> FlowResult:
    """Run (4.1) for one material from L1 to R_alpha = 2 pi c_alpha/omega (omega = 2 pi f), each channel for its
    own number of steps floor(log_N0(R_alpha/L1)).

    Initial condition: the TTLS value Im chi~_l(L1) = (pi/4) n0M^2/(1 + e^{-beta hbar omega}) with
    n0M^2 = C0 rho c_l^2 (:func:`strength`: printed n0 M^2 in Pa, or a-SiO2's C0), Im chi~_t(L1) =
    Im chi~_l(L1)/ratio0.  ``K`` overrides (K_l, K_t) (else from :func:`glass_sym.numerics.kk.k_ratio`); ``coef`` overrides
    the registered coefficients (tests of the map with explicitly given coefficients).  ``status`` is one of
    :data:`STATUSES` (criteria there, thresholds ``max_step``, ``frozen_tol``, ``tol``).  Raises
    :class:`InputError` for bad input.
    """
    mat = _resolve(material)
    omega = _check_inputs(f, T, Omega_c, ratio0, tol, max_step, frozen_tol, N0)
    st = strength(mat, n0M2=n0M2, C0=C0)
    R_l, R_t = 2 * math.pi * mat.c_l / omega, 2 * math.pi * mat.c_t / omega
    steps_l, steps_t = steps_to(R_l, L1, N0), steps_to(R_t, L1, N0)
    if min(steps_l, steps_t) < 1:
        raise InputError(f"L1 = {L1!r} m leaves the {'t' if steps_t < 1 else 'l'} channel with no step before "
                         f"R_t = {R_t:.3g} m (N0 = {N0}): L1 must be <= R_t/N0 = {R_t / N0:.3g} m")
    coef = coefficients(mat.c_l, mat.c_t, mat.rho) if coef is None else coef
    if K is None:
        kv = float(k_ratio(omega, T, Omega_c, form=form, part=part))
        K_l = K_t = kv
    else:
        K_l, K_t = (float(k) for k in K)
    x_l = float(im_chi_reduced(omega, T, st["C0"] * coef.rho * mat.c_l ** 2))
    x0 = np.array([x_l, x_l / ratio0])
    steps = np.array([[steps_l], [steps_t]])
    hist, rel, bad = _run(x0[:, None], coef.M_l, coef.M_t, np.array([[K_l], [K_t]]), N0, steps, max_step)
    L = L1 * float(N0) ** np.arange(max(steps_l, steps_t) + 1)
    lnN0 = math.log(N0)
    res = FlowResult(
        material=mat.name, c_l=mat.c_l, c_t=mat.c_t, f=f, T=T, L1=L1, N0=int(N0), Omega_c=Omega_c, form=form,
        part=part, C0=st["C0"], ratio0=ratio0, K_l=K_l, K_t=K_t, a_l=coef.a_l, a_t=coef.a_t,
        rho_note=coef.rho_note, coupled=coef.coupled, R_l=R_l, R_t=R_t, steps_l=steps_l, steps_t=steps_t, L=L,
        im_l=hist[:, 0, 0].copy(), im_t=hist[:, 1, 0].copy(), rel_l=rel[:, 0, 0].copy(), rel_t=rel[:, 1, 0].copy(),
        rho=coef.rho, n0M2=st["n0M2"], strength_source=st["source"], C0_definition=st["C0_definition"],
        max_step=max_step, tol=tol, frozen_tol=frozen_tol)
    res.im_l_R, res.im_t_R = float(hist[steps_l, 0, 0]), float(hist[steps_t, 1, 0])
    res.closed_l_R = closed_form_43(x0[0], 2 * lnN0 * coef.a_l * K_l * steps_l)
    res.closed_t_R = closed_form_43(x0[1], 2 * lnN0 * coef.a_t * K_t * steps_t)
    res.gamma_ratio_R = math.sqrt(res.im_l_R / res.im_t_R) if res.im_l_R > 0 and res.im_t_R > 0 else math.nan
    res.fixed_point_ratio = fixed_point_ratio(coef, K_l, K_t)
    res.flow_limit_ratio = flow_limit_ratio(coef, K_l, K_t, steps_l, steps_t)
    res.formal_ratio = math.sqrt(coef.a_t * abs(K_t) / (coef.a_l * abs(K_l))) if K_l and K_t else math.nan
    for ch, x1, a, Kc in (("l", x0[0], coef.a_l, K_l), ("t", x0[1], coef.a_t, K_t)):
        b = 2 * lnN0 * a * Kc * x1  # continuum (4.3): 1/x(n) = 1/x1 - n b/x1 vanishes at n* = 1/b
        res.blowup_length[ch] = (L1 * math.exp(lnN0 / b) if lnN0 / b < 700 else math.inf) if b > 0 else None
    if bad.any():
        ch = int(np.argmin(np.where(bad[:, 0] > 0, bad[:, 0], 10**9)))
        res.breakdown_step, res.breakdown_channel = int(bad[ch, 0]), "lt"[ch]
    res.status = _status(res)
    res.converged = res.status == "converged"
    if res.fixed_point_ratio is not None and math.isfinite(res.gamma_ratio_R):
        res.distance = abs(res.gamma_ratio_R / res.fixed_point_ratio - 1.0)
        res.distance_flow_limit = abs(res.gamma_ratio_R / res.flow_limit_ratio - 1.0)
    return res


def _status(res: FlowResult) -> str:
    if res.breakdown_step is not None:
        return "breakdown"
    if res.K_l > 0 or res.K_t > 0:
        return "divergent"
    change = max(abs(res.im_l_R / res.im_l[0] - 1.0), abs(res.im_t_R / res.im_t[0] - 1.0))
    if change < res.frozen_tol:
        return "frozen"
    if abs(res.gamma_ratio_R / res.flow_limit_ratio - 1.0) <= res.tol:
        return "converged"
    return "not_converged"


def sensitivity(material, *, L1: float = 5e-9, N0: int = 2, ratio0: float = 1.0, f: float = 1e6, T: float = 1.0,
                C0: Optional[float] = None,
                L1_values: Sequence[float] = (5e-10, 5e-9, 5e-8), N0_values: Sequence[int] = (2, 3, 4),
                ratio0_values: Sequence[float] = (0.5, 1.0, 2.0, 4.0),
                C0_factors: Sequence[float] = (0.01, 0.1, 1.0, 10.0, 100.0),
                f_values: Sequence[float] = (1e5, 1e6, 1e7, 1e8), T_values: Sequence[float] = (0.1, 1.0, 10.0),
                **kw) -> dict:
    """gamma_l/gamma_t at R and the status when one input is varied alone (the rest as in :func:`flow`).

    Varied: L1, N0, the initial ratio, the TTLS strength C0 = n0M^2/(rho c_l^2) (``C0_factors`` times the
    material's value), f and T.  Returns {"L1": {value: {"gamma_ratio_R", "status"}}, ..., "C0": ..., "f": ...,
    "T": ...} (gamma_ratio_R NaN where the flow broke down).
    """
    base = strength(material, C0=C0)["C0"]
    common = dict(L1=L1, N0=N0, ratio0=ratio0, f=f, T=T, C0=base)

    def run(**over):
        r = flow(material, **{**common, **over, **kw})
        return {"gamma_ratio_R": r.gamma_ratio_R, "status": r.status}

    return {
        "L1": {v: run(L1=v) for v in L1_values},
        "N0": {v: run(N0=v) for v in N0_values},
        "ratio0": {v: run(ratio0=v) for v in ratio0_values},
        "C0": {base * v: run(C0=base * v) for v in C0_factors},
        "f": {v: run(f=v) for v in f_values},
        "T": {v: run(T=v) for v in T_values},
    }


# ----------------------------------------------------------------------------- vectorised sweep
def sweep(material_names: Sequence[str], freqs: Sequence[float], temps: Sequence[float], *, L1: float = 5e-9,
          N0: int = 2, Omega_c: float = 1e15, form: str = "C.25", part: str = "full", C0: Optional[float] = None,
          ratio0: float = 1.0, max_step: float = 0.1) -> dict:
    """gamma_l/gamma_t at R for every (material, f, T): K from one vectorised KK pass over the (f, T) grid
    (K does not depend on the material), then all flows iterated together, each channel for its own steps.

    Returns arrays of shape (materials, freqs, temps): ``gamma_ratio_R``, ``status`` codes
    (0 K < 0 and every step within ``max_step``, 1 divergent, 2 breakdown) and ``K`` of shape (freqs, temps).
    """
    _check_n0(N0)
    mats = [get_material(n) for n in material_names]
    fr = np.asarray(freqs, dtype=float)
    te = np.asarray(temps, dtype=float)
    omega = 2 * math.pi * fr[:, None] * np.ones_like(te)[None, :]
    Tg = np.ones_like(fr)[:, None] * te[None, :]
    Kg = k_ratio(omega, Tg, Omega_c, form=form, part=part)
    lnN0 = math.log(N0)
    shape = (len(mats), len(fr), len(te))
    gamma = np.full(shape, np.nan)
    status = np.zeros(shape, dtype=int)
    for i, m in enumerate(mats):
        coef = coefficients(m.c_l, m.c_t, m.rho)
        R = {"l": 2 * math.pi * m.c_l / omega, "t": 2 * math.pi * m.c_t / omega}
        if np.any(L1 >= R["t"]):
            raise InputError(f"L1 must be < R = 2 pi c_t/omega = {float(R['t'].min())!r} m; got L1 = {L1!r} m")
        steps = np.stack([np.floor(np.log(R[a] / L1) / lnN0 + 1e-12).astype(int) for a in ("l", "t")])
        c0 = strength(m, C0=C0)["C0"]
        x_l = im_chi_reduced(omega, Tg, c0 * coef.rho * m.c_l ** 2)
        x = np.stack([x_l, x_l / ratio0]).reshape(2, -1)
        st = steps.reshape(2, -1)
        Kb = np.stack([Kg, Kg]).reshape(2, -1)
        hist, _rel, bad = _run(x, coef.M_l, coef.M_t, Kb, N0, st, max_step)
        cols = np.arange(x.shape[1])
        final = np.stack([hist[st[j], j, cols] for j in (0, 1)])
        broke = (bad > 0).any(axis=0)
        g = np.where(broke, np.nan, np.sqrt(np.abs(final[0] / final[1])))
        code = np.where(broke, 2, np.where(Kb[0] > 0, 1, 0))
        gamma[i] = g.reshape(omega.shape)
        status[i] = code.reshape(omega.shape)
    return {"gamma_ratio_R": gamma, "status": status, "K": Kg, "materials": [m.name for m in mats],
            "freqs": fr, "temps": te}
