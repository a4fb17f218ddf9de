"""The real-space renormalization flow of section 4: recursion (4.1), closed forms (4.3)/(4.4), ratio (4.5),
fixed point (4.6).

The recursion, for alpha = l, t and L_{n+1} = N0 L_n,

    Im chi~_alpha(L_{n+1}) = Im chi~_alpha(L_n) + 2 ln N0 * B_alpha(Im chi~(L_n), Re chi~(L_n)),      (4.1)

takes its coefficient B_alpha from the registered closed forms ``absorption_coefficient_l`` and
``absorption_coefficient_t`` (Appendix C (C.20)-(C.24), derived by the engine; issue 5): each is a SymPy
expression in rho, c_l, c_t, chi_l, chi_t, quadratic in (chi_l, chi_t); B_alpha is its polarization
(the bilinear form with B_alpha(chi, chi) = the registered expression), lambdified at first use.  When the
registered form is chi_alpha^2/(rho c_alpha^2), B_alpha(Im, Re) = Im_alpha Re_alpha/(rho c_alpha^2) and
(4.1) is the printed recursion with Re = K Im (4.2).  Nothing here types that coefficient in.

K_alpha comes from the Kramers-Kronig transform of the TTLS Im chi (:func:`glass_sym.kk.k_ratio`), in the
printed form (C.25) or (3.5), either the full transform with cutoff Omega_c or its T-dependent part only.
Model assumption (stated, as in the paper's (4.5)->(4.6) step): the spectral shape of Im chi~ is kept along
the flow, so K_alpha(omega, L_n) = K_alpha(omega) for every n.

The experimental scale is R_alpha = 2 pi c_alpha / omega; the number of steps is floor(log_N0(R_alpha/L1)).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from .errors import DerivationError, InputError
from .materials import Material, defaults, get_material

__all__ = [
    "COEFFICIENT_NAMES", "Coefficients", "coefficient_functions", "coefficients", "registered",
    "iterate_map", "closed_form_43", "fixed_point_ratio", "steps_to", "FlowResult", "flow",
    "sensitivity", "sweep",
]

COEFFICIENT_NAMES = {"l": "absorption_coefficient_l", "t": "absorption_coefficient_t"}
_ARGS = ("rho", "c_l", "c_t", "chi_l", "chi_t")


# ----------------------------------------------------------------------------- registered coefficients
def registered() -> bool:
    """True when both absorption coefficients are in the registry (issue 5 has landed)."""
    from .derivation import get

    try:
        for name in COEFFICIENT_NAMES.values():
            get(name)
    except InputError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def coefficient_functions() -> dict:
    """Lambdified registered coefficients {alpha: (f(rho, c_l, c_t, chi_l, chi_t), sympy expr, rho degree)}.

    Raises :class:`InputError` when a coefficient is not registered yet and :class:`DerivationError` when it
    is not a quadratic form in (chi_l, chi_t) or uses other symbols.
    """
    import sympy as sp

    from .derivation import get

    out = {}
    for alpha, name in COEFFICIENT_NAMES.items():
        try:
            expr = get(name).value
        except InputError:
            raise InputError(f"{name} is not registered yet (Appendix C, issue 5); the RG coefficient is taken "
                             f"only from the registry") from None
        if not isinstance(expr, sp.Expr):
            raise DerivationError(f"{name} is not a SymPy expression: {type(expr).__name__}")
        syms = {s.name: s for s in expr.free_symbols}
        extra = sorted(set(syms) - set(_ARGS))
        if extra:
            raise DerivationError(f"{name} uses symbols {extra} beyond {_ARGS}")
        args = [syms.get(n, sp.Symbol(n)) for n in _ARGS]
        chis = args[3:]
        poly = sp.Poly(sp.expand(expr), *chis)
        if not (poly.is_homogeneous and poly.total_degree() == 2):
            raise DerivationError(f"{name} is not a quadratic form in chi_l, chi_t: {expr}")
        rho = args[0]
        lam = sp.Symbol("lambda_scale", positive=True)
        ratio = sp.simplify(expr.subs(rho, lam * rho) / expr)
        rho_degree = next((d for d in (-1, 0) if sp.simplify(ratio - lam**d) == 0), None)
        out[alpha] = (sp.lambdify(args, expr, modules="numpy"), expr, rho_degree)
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


def iterate_map(x0, b, steps: int, *, stop_at_breakdown: bool = True) -> np.ndarray:
    """Iterate x_{n+1} = x_n + b x_n^2 (the one-channel form of (4.1), b = 2 ln N0 a K) ``steps`` times.

    Returns x_1 .. x_{steps+1}.  With ``stop_at_breakdown`` the iteration stops (NaN afterwards) when
    |b x_n| >= 1: the increment is then as large as the value itself and the perturbative step (which assumed
    Delta Im chi~ << Im chi~) no longer holds.

    >>> [round(float(v), 6) for v in iterate_map(0.5, -1.0, 2)]
    [0.5, 0.25, 0.1875]
    """
    out = np.full(steps + 1, np.nan)
    x = float(x0)
    out[0] = x
    for n in range(1, steps + 1):
        if stop_at_breakdown and abs(b * x) >= 1.0:
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


def fixed_point_ratio(coef: Coefficients, K_l: float, K_t: float) -> Optional[float]:
    """gamma_l/gamma_t at the fixed point, sqrt(a_t |K_t| / (a_l |K_l|)) ((4.4)-(4.6)); None unless K_l, K_t < 0.

    With a_alpha = 1/(rho c_alpha^2) and K_l = K_t this is c_l/c_t.
    """
    if not (K_l < 0 and K_t < 0):
        return None
    return math.sqrt(coef.a_t * abs(K_t) / (coef.a_l * abs(K_l)))


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
    im_l_R: float = math.nan
    im_t_R: float = math.nan
    closed_l_R: float = math.nan
    closed_t_R: float = math.nan
    gamma_ratio_R: float = math.nan
    fixed_point_ratio: Optional[float] = None
    formal_ratio: float = math.nan
    distance: Optional[float] = None
    breakdown_step: Optional[int] = None
    status: str = ""
    converged: bool = False
    rho: float = 1.0

    @property
    def ratio_flow(self) -> np.ndarray:
        """gamma_l/gamma_t = sqrt(Im chi~_l / Im chi~_t) along the common steps L_n (4.5)."""
        with np.errstate(invalid="ignore"):
            return np.sqrt(self.im_l / self.im_t)

    def as_dict(self) -> dict:
        """The JSON record (documented in docs/rg.md)."""
        def num(v):
            return None if v is None or (isinstance(v, float) and not math.isfinite(v)) else float(v)

        return {
            "material": self.material, "c_l": self.c_l, "c_t": self.c_t,
            "fixed_point_ratio": num(self.fixed_point_ratio), "gamma_ratio_R": num(self.gamma_ratio_R),
            "steps": {"l": self.steps_l, "t": self.steps_t}, "K_l": self.K_l, "K_t": self.K_t,
            "converged": self.converged, "status": self.status, "distance_to_fixed_point": num(self.distance),
            "formal_ratio": num(self.formal_ratio), "velocity_ratio": self.c_l / self.c_t,
            "breakdown_step": self.breakdown_step, "f": self.f, "T": self.T, "L1": self.L1, "N0": self.N0,
            "Omega_c": self.Omega_c, "form": self.form, "part": self.part, "C0": self.C0, "ratio0": self.ratio0,
            "R_l": self.R_l, "R_t": self.R_t, "coef_l": self.a_l, "coef_t": self.a_t,
            "coef_l_times_rho_c_l2": self.a_l * self.rho * self.c_l ** 2,
            "coef_t_times_rho_c_t2": self.a_t * self.rho * self.c_t ** 2,
            "im_l_R": num(self.im_l_R), "im_t_R": num(self.im_t_R),
            "closed_form_l_R": num(self.closed_l_R), "closed_form_t_R": num(self.closed_t_R),
            "coupled_channels": self.coupled,
        }


def _resolve(material) -> Material:
    return material if isinstance(material, Material) else get_material(material)


def flow(material, *, f: float = 1e6, T: float = 1.0, L1: float = 5e-9, N0: int = 2, Omega_c: float = 1e15,
         form: str = "C.25", part: str = "full", C0: Optional[float] = None, ratio0: float = 1.0,
         tol: float = 0.01, K: Optional[tuple[float, float]] = None,
         coef: Optional[Coefficients] = None) -> FlowResult:
    """Run (4.1) for one material from L1 to R_alpha = 2 pi c_alpha/omega (omega = 2 pi f).

    Initial condition: the TTLS value Im chi~_t(L1) = (pi/4) C0 rho c_t^2 / (1 + e^{-beta hbar omega}) and
    Im chi~_l(L1) = ratio0 Im chi~_t(L1).  ``K`` overrides (K_l, K_t)
    (else from :func:`glass_sym.kk.k_ratio`); ``coef`` overrides the registered coefficients (tests of the
    map with explicitly given coefficients).
    status: "converged" (K < 0, gamma ratio at R within ``tol`` of the fixed point), "not_converged"
    (K < 0, farther), "divergent" (some K > 0: no fixed point), "breakdown" (|2 ln N0 a K Im| >= 1 on
    the way: the perturbative recursion fails).
    """
    from .kk import k_ratio

    mat = _resolve(material)
    _check_n0(N0)
    for name, v, unit in (("f", f, "Hz"), ("T", T, "K"), ("Omega_c", Omega_c, "rad/s"), ("ratio0", ratio0, ""),
                          ("tol", tol, "")):
        if not (math.isfinite(v) and v > 0):
            raise InputError(f"{name} must be finite and > 0{(' ' + unit) if unit else ''}; got {v!r}")
    omega = 2.0 * math.pi * f
    if Omega_c <= omega:
        raise InputError(f"Omega_c must be > omega = 2 pi f = {omega!r} rad/s; got {Omega_c!r} rad/s")
    C0 = defaults()["C0"] if C0 is None else C0
    if not (math.isfinite(C0) and C0 > 0):
        raise InputError(f"C0 must be finite and > 0; got {C0!r}")
    R_l, R_t = 2 * math.pi * mat.c_l / omega, 2 * math.pi * mat.c_t / omega
    steps_l, steps_t = steps_to(R_l, L1, N0), steps_to(R_t, L1, N0)
    coef = coefficients(mat.c_l, mat.c_t, mat.rho) if coef is None else coef
    if K is None:
        kv = float(k_ratio(omega, T, Omega_c, form=form, part=part))
        K_l = K_t = kv
    else:
        K_l, K_t = (float(k) for k in K)
    from .ttls import im_chi_reduced

    x_t = float(im_chi_reduced(omega, T, C0 * coef.rho * mat.c_t ** 2))
    x0 = np.array([ratio0 * x_t, x_t])
    hist, brk = _iterate_pair(x0, coef, K_l, K_t, N0, max(steps_l, steps_t))
    im_l, im_t = hist[: steps_l + 1, 0], hist[: steps_t + 1, 1]
    L = L1 * float(N0) ** np.arange(max(steps_l, steps_t) + 1)
    lnN0 = math.log(N0)
    res = FlowResult(
        material=mat.name, c_l=mat.c_l, c_t=mat.c_t, f=f, T=T, L1=L1, N0=int(N0), Omega_c=Omega_c, form=form,
        part=part, C0=C0, ratio0=ratio0, K_l=K_l, K_t=K_t, a_l=coef.a_l, a_t=coef.a_t, rho_note=coef.rho_note,
        coupled=coef.coupled, R_l=R_l, R_t=R_t, steps_l=steps_l, steps_t=steps_t, L=L,
        im_l=hist[:, 0].copy(), im_t=hist[:, 1].copy(),
    )
    res.rho = coef.rho
    res.im_l_R, res.im_t_R = float(im_l[-1]), float(im_t[-1])
    res.closed_l_R = closed_form_43(x0[0], 2 * lnN0 * coef.a_l * K_l * steps_l)
    res.closed_t_R = closed_form_43(x0[1], 2 * lnN0 * coef.a_t * K_t * steps_t)
    res.gamma_ratio_R = math.sqrt(res.im_l_R / res.im_t_R) if res.im_l_R > 0 and res.im_t_R > 0 else math.nan
    res.fixed_point_ratio = fixed_point_ratio(coef, K_l, K_t)
    res.formal_ratio = math.sqrt(coef.a_t * abs(K_t) / (coef.a_l * abs(K_l))) if K_l and K_t else math.nan
    res.breakdown_step = brk
    if brk is not None:
        res.status = "breakdown"
    elif K_l > 0 or K_t > 0:
        res.status = "divergent"
    else:
        res.distance = abs(res.gamma_ratio_R / res.fixed_point_ratio - 1.0)
        res.status = "converged" if res.distance <= tol else "not_converged"
    res.converged = res.status == "converged"
    return res


def _iterate_pair(x0: np.ndarray, coef: Coefficients, K_l: float, K_t: float, N0: int, steps: int):
    """Two-channel (4.1): x' = x + 2 ln N0 (x^T M_alpha (K x)); stops at breakdown (NaN afterwards)."""
    lnN0 = math.log(N0)
    Kv = np.array([K_l, K_t])
    hist = np.full((steps + 1, 2), np.nan)
    x = x0.astype(float)
    hist[0] = x
    for n in range(1, steps + 1):
        v = Kv * x
        inc = 2 * lnN0 * np.array([x @ coef.M_l @ v, x @ coef.M_t @ v])
        if np.any(np.abs(inc) >= np.abs(x)):
            return hist, n
        x = x + inc
        hist[n] = x
    return hist, None


def sensitivity(material, *, L1: float = 5e-9, N0: int = 2, ratio0: float = 1.0,
                L1_values: Sequence[float] = (5e-10, 5e-9, 5e-8), N0_values: Sequence[int] = (2, 3, 4),
                ratio0_values: Sequence[float] = (0.5, 1.0, 2.0, 4.0), **kw) -> dict:
    """gamma_l/gamma_t at R when L1, N0 or the initial ratio is varied alone (the rest as in :func:`flow`).

    Returns {"L1": {value: ratio}, "N0": {...}, "ratio0": {...}} (NaN where the flow broke down).
    """
    return {
        "L1": {v: flow(material, L1=v, N0=N0, ratio0=ratio0, **kw).gamma_ratio_R for v in L1_values},
        "N0": {v: flow(material, L1=L1, N0=v, ratio0=ratio0, **kw).gamma_ratio_R for v in N0_values},
        "ratio0": {v: flow(material, L1=L1, N0=N0, ratio0=v, **kw).gamma_ratio_R for v in ratio0_values},
    }


# ----------------------------------------------------------------------------- vectorised sweep
def sweep(material_names: Sequence[str], freqs: Sequence[float], temps: Sequence[float], *, L1: float = 5e-9,
          N0: int = 2, Omega_c: float = 1e15, form: str = "C.25", part: str = "full", C0: Optional[float] = None,
          ratio0: float = 1.0) -> dict:
    """gamma_l/gamma_t at R for every (material, f, T): K from one vectorised KK pass over the (f, T) grid
    (K does not depend on the material), then all flows iterated together.

    Returns arrays of shape (materials, freqs, temps): ``gamma_ratio_R``, ``status`` codes
    (0 converged-or-not with K < 0, 1 divergent, 2 breakdown) and ``K`` of shape (freqs, temps).
    """
    from .kk import k_ratio
    from .ttls import im_chi_reduced

    _check_n0(N0)
    C0 = defaults()["C0"] if C0 is None else C0
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
        steps = {a: np.floor(np.log(R[a] / L1) / lnN0 + 1e-12).astype(int) for a in R}
        x_t = im_chi_reduced(omega, Tg, C0 * coef.rho * m.c_t ** 2)
        x = np.stack([ratio0 * x_t, x_t])
        final = x.copy()
        alive = np.ones(omega.shape, dtype=bool)
        nmax = int(max(steps["l"].max(), steps["t"].max()))
        for n in range(1, nmax + 1):
            v = Kg[None] * x
            inc = 2 * lnN0 * np.stack([np.einsum("i...,ij,j...->...", x, coef.M_l, v),
                                       np.einsum("i...,ij,j...->...", x, coef.M_t, v)])
            broke = alive & np.any(np.abs(inc) >= np.abs(x), axis=0)
            alive &= ~broke
            x = np.where(alive[None], x + inc, x)
            for j, a in enumerate(("l", "t")):
                done = alive & (steps[a] == n)
                final[j] = np.where(done, x[j], final[j])
            status[i][broke] = 2
        ok = status[i] != 2
        gamma[i] = np.where(ok, np.sqrt(np.abs(final[0] / final[1])), np.nan)
        status[i] = np.where(ok & (Kg > 0), 1, status[i])
    return {"gamma_ratio_R": gamma, "status": status, "K": Kg, "materials": [m.name for m in mats],
            "freqs": fr, "temps": te}
