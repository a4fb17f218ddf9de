r"""Audit of the absorption coefficients (C.24), (C.25), (3.4) and of the recursion (4.1) against the registry.

The printed displays are read from the transcription (:mod:`glass_sym.paper.transcriptions`) with two textual rewrites
before parsing, both stated in every record:

* function arguments ``(\omega)``, ``(\Omega)``, ``(\omega, L)``, ``(\omega, L_n)``, ``(\omega, R)`` are
  dropped (Im chi~_alpha(omega, L) is read as the symbol Im chi~_alpha; the grammar has no function calls);
* the Kramers-Kronig bracket ``\left(\frac{2}{\pi}\mathcal{P}\int ... \right)`` is replaced by
  Re chi~_alpha, its printed definition after (C.25) (journal line 756).

Each of (C.24), (C.25), (3.4) is then P Im chi~_alpha Re chi~_alpha.  The engine derives the coefficient of
Im Re per (A k)^2: 1/(2 rho c_alpha^2) for J3 + J4 (``absorption_coefficient_l/t``) and 1/(rho c_alpha^2)
for J1 + ... + J6 (``absorption_coefficient_total_l/t``).  What it does not rebuild is the block
normalization N (the lattice sum (C.20)-(C.22) and the L^3 factors of (2.16)).  A record therefore says
``match`` when N = P / coefficient is free of c_l, c_t, c_alpha (the polarization dependence is the derived
one) and the same N for every statement of the first-order absorption; ``differs`` otherwise, with the factor.

(4.1): the printed recursion is Im + c ln N0 K Im^2/(rho c_alpha^2); the engine's recursion (``glass_sym.numerics.rg``)
is Im + 2 ln N0 B_alpha(Im, K Im) with B the registered total, so its c is 2 rho c_alpha^2 B(1, 1).
"""

from __future__ import annotations

import re

import sympy as sp

from glass_sym.errors import GlassSymError
from glass_sym.paper.transcriptions import load_equations
from glass_sym.parse.parser import parse_latex
from glass_sym.records.derivation import get
from glass_sym.symbols import c_l, c_t, chi_l, chi_t, rho

from .compare import Finding

__all__ = ["printed_value", "printed_recursion_coefficient", "engine_recursion_coefficient", "records",
           "REWRITES"]

_ARG = re.compile(r"\((?:\\omega|\\Omega)\s*(?:,\s*(?:L_\{[^}]*\}|L_\w|L|R|\\mathbf\{R\}))?\)")
_KK = re.compile(r"\\left\(\s*\\frac\{2\}\{\\pi\}\s*\\mathcal\{P\}\s*\\int.*?\\right\)")
REWRITES = ("function arguments (omega), (Omega), (omega, L), (omega, L_n), (omega, R) dropped",
            "the bracket (2/pi) P int_0^inf Omega Im chi~(Omega) dOmega/(Omega^2 - omega^2) read as Re chi~_alpha "
            "(its printed definition after (C.25), journal line 756)")


def _eq(label: str, part=None, version: str = "jpcm2020"):
    for e in load_equations(version):
        if e.label == label and (part is None or e.part == part):
            return e
    raise GlassSymError(f"no transcribed equation ({label}) part {part!r} in {version}")


def printed_value(label: str, part=None, version: str = "jpcm2020") -> sp.Expr:
    """The printed right-hand side of (label) after the two rewrites of :data:`REWRITES`, parsed."""
    e = _eq(label, part, version)
    text = _KK.sub(r"\\operatorname{Re} \\tilde{\\chi}_{\\alpha}", _ARG.sub("", e.latex))
    return parse_latex(text)


def _named(expr, name):
    for s in expr.free_symbols:
        if s.name == name:
            return s
    return sp.Symbol(name)


def _im_re(expr):
    im = [a for a in expr.atoms(sp.im)]
    re_ = [a for a in expr.atoms(sp.re)]
    return (im[0] if im else None), (re_[0] if re_ else None)


def printed_recursion_coefficient(version: str = "jpcm2020") -> sp.Expr:
    """c of the printed (4.1) Im + c ln N0 K Im^2/(rho c_alpha^2) (journal: 2)."""
    v = sp.expand(printed_value("4.1", "recursion", version))
    im, _ = _im_re(v)
    K, N0, rho, ca = (_named(v, n) for n in ("K_alpha", "N_0", "rho", "c_alpha"))
    quad = v.coeff(im, 2)
    return sp.simplify(quad * rho * ca**2 / (K * sp.log(N0)))


def engine_recursion_coefficient() -> dict:
    """c of the engine's recursion per channel: 2 rho c_alpha^2 B_alpha(1, 1) from the registered totals."""
    out = {}
    for pol, c in (("l", c_l), ("t", c_t)):
        expr = get(f"absorption_coefficient_total_{pol}").value
        chi = {"l": chi_l, "t": chi_t}[pol]
        out[pol] = sp.simplify(2 * rho * c**2 * expr.coeff(chi, 2))
    return out


def records(version: str = "jpcm2020") -> list:
    """Audit findings for (C.24), (C.25) (both parts), (3.4) and (4.1) of the journal."""
    if version != "jpcm2020":
        return []
    coef = {}
    for key, name in (("j34", "absorption_coefficient_l"), ("total", "absorption_coefficient_total_l")):
        expr = get(name).value
        coef[key] = sp.simplify(expr.coeff(chi_l, 2) * c_l**2)  # 1/(2 rho), 1/rho
    items = (("C.24", "contracted", "j34", "absorption_coefficient_l/t (J3 + J4)"),
             ("C.25", "kk_integral", "total", "absorption_coefficient_total_l/t (J1 + ... + J6)"),
             ("C.25", "re_chi", "total", "absorption_coefficient_total_l/t (J1 + ... + J6)"),
             ("3.4", None, "total", "absorption_coefficient_total_l/t (J1 + ... + J6)"))
    norms, out = {}, []
    for label, part, key, against in items:
        v = printed_value(label, part)
        im, re_ = _im_re(v)
        ca = _named(v, "c_alpha")
        P = sp.simplify(v / (im * re_))
        derived = coef[key] / ca**2
        N = sp.simplify(P / derived)
        norms[(label, part)] = N
        alpha_free = not (N.free_symbols & {ca, c_l, c_t})
        out.append([label, part, against, N, alpha_free, sp.sstr(P)])
    ref = norms[("C.24", "contracted")]
    findings = []
    for label, part, against, N, alpha_free, P in out:
        ratio = sp.simplify(N / ref)
        ok = alpha_free and ratio == 1
        expl = (f"printed coefficient of Im chi~ Re chi~ is {P}; against {against}: block normalization "
                f"N = {sp.sstr(N)} ({'free of' if alpha_free else 'depends on'} c_alpha), "
                + ("the same N as (C.24)" if ratio == 1 else f"{sp.sstr(ratio)} times the N of (C.24)"))
        findings.append(Finding(label, version, "match" if ok else "differs", expl, {
            "check": "coefficient", "part": part, "against": against, "printed_coefficient": P,
            "block_normalization": sp.sstr(N), "normalization_vs_C24": sp.sstr(ratio),
            "rewrites": list(REWRITES),
            "not_rebuilt": "the block normalization N (lattice sum (C.20)-(C.22), L^3 factors of (2.16))"}))
    c_print = printed_recursion_coefficient(version)
    c_eng = engine_recursion_coefficient()
    ok = all(sp.simplify(c - c_print) == 0 for c in c_eng.values())
    findings.append(Finding("4.1", version, "match" if ok else "differs",
                            f"printed recursion coefficient c = {sp.sstr(c_print)} in Im + c ln N0 K Im^2/(rho c_alpha^2); "
                            f"engine (2 ln N0 times the registered J1 + ... + J6 coefficient): l {sp.sstr(c_eng['l'])}, "
                            f"t {sp.sstr(c_eng['t'])}", {
                                "check": "coefficient", "part": "recursion", "printed_c": sp.sstr(c_print),
                                "engine_c": {k: sp.sstr(v) for k, v in c_eng.items()},
                                "normalization_vs_4_1": {k: sp.sstr(sp.simplify(v / c_print)) for k, v in c_eng.items()},
                                "rewrites": list(REWRITES[:1])}))
    return findings
