"""The naive baseline of ``glass-sym bench``: Lambda(q), tilde Lambda and the Joffrin-Levelut (JL) relations in
plain SymPy, the obvious way (explicit components, ``simplify``/``cancel`` component by component).  It imports nothing from
glass_sym, so its time is what the same physics costs without the engine.

Steps (J. Phys.: Condens. Matter 32, 055704 (2020), Appendix A):

1. Lambda_ijkl(q) = -(1/(8 rho)) [q_j q_l P_ik + q_j q_k P_il + q_i q_l P_jk + q_i q_k P_jl] with the mode sum
   P_ik = sum_mu e_mu,i e_mu,k / omega_mu^2 over one longitudinal and two explicit transverse polarization
   vectors (omega = c q), every component simplified (``sympy.simplify``, most of the time);
2. Lambda_ijkl(x) from the Fourier pairs q_i q_j/q^2 -> -d_i d_j 1/(4 pi r) and q_i q_j q_k q_l/q^4 ->
   -d_i d_j d_k d_l r/(8 pi), differentiated component by component in Cartesian x;
3. tilde Lambda = -8 pi rho c_t^2 r^3 Lambda(x) written in n = x/r (|x|^2 -> r^2, x = r n, cancel, expand);
4. the JL form (strain e_ij = d u_i/d x_j): Lambda^JL(q) = -(1/(2 rho)) q_j q_l P_ik, its tilde form by the
   same route, and the relation "the (ij), (kl) symmetrization of tilde Lambda^JL is tilde Lambda", checked
   component by component.

Run: ``python -m glass_sym.cli.bench.baseline_sympy`` (prints the seconds; exit status 1 if a relation fails).

>>> "lambda_q" in STEPS
True
"""

from __future__ import annotations

import itertools
import sys
import time

__all__ = ["STEPS", "run", "main"]

STEPS = ("lambda_q", "lambda_x", "lambda_tilde", "jl_relation")


def run(simplify: bool = True, keep: bool = False) -> dict:
    """Compute the four steps; returns {"seconds": ..., "steps": {name: seconds}, "ok": bool} (with ``keep``
    also "lambda_tilde": {(i, j, k, l): expression in n1, n2, n3, alpha}).  ``simplify=False`` reduces the
    Lambda(q) components with ``cancel`` instead of ``simplify`` (same values, faster; for tests)."""
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)

    t_start = time.perf_counter()
    times = {}
    q1, q2, q3 = q = sp.symbols("q1:4", real=True)
    x = sp.symbols("x1:4", real=True)
    n = sp.symbols("n1:4", real=True)
    rho, c_l, c_t, r = sp.symbols("rho c_l c_t r", positive=True)
    alpha = sp.Symbol("alpha", positive=True)
    qq = sp.sqrt(q1**2 + q2**2 + q3**2)
    ix = range(3)

    # 1. Lambda(q) by the mode sum with explicit polarization vectors
    t0 = time.perf_counter()
    el = [c / qq for c in q]
    t1 = [-q2, q1, sp.S.Zero]
    t2 = [q[1] * t1[2] - q[2] * t1[1], q[2] * t1[0] - q[0] * t1[2], q[0] * t1[1] - q[1] * t1[0]]
    modes = [(el, c_l), ([c / sp.sqrt(sum(v**2 for v in t1)) for c in t1], c_t),
             ([c / sp.sqrt(sum(v**2 for v in t2)) for c in t2], c_t)]
    P = [[sp.simplify(sum(e[i] * e[k] / (c * qq) ** 2 for e, c in modes)) for k in ix] for i in ix]

    def sym_q(i, j, k, l, Pm):
        return -(q[j] * q[l] * Pm[i][k] + q[j] * q[k] * Pm[i][l] + q[i] * q[l] * Pm[j][k]
                 + q[i] * q[k] * Pm[j][l]) / (8 * rho)

    reduce_q = sp.simplify if simplify else sp.cancel
    lam_q = {idx: reduce_q(sym_q(*idx, P)) for idx in itertools.product(ix, repeat=4)}
    times["lambda_q"] = time.perf_counter() - t0

    # 2. Lambda(x) by the Fourier pairs, Cartesian derivatives of 1/(4 pi r) and r/(8 pi)
    t0 = time.perf_counter()
    R = sp.sqrt(x[0]**2 + x[1]**2 + x[2]**2)
    coul, lin = 1 / (4 * sp.pi * R), R / (8 * sp.pi)
    d2 = {(i, j): -sp.diff(coul, x[i], x[j]) for i in ix for j in ix}
    d4 = {idx: -sp.diff(lin, *(x[a] for a in idx)) for idx in itertools.product(ix, repeat=4)}
    delta = lambda a, b: 1 if a == b else 0  # noqa: E731
    a_q = 1 / c_t**2 - 1 / c_l**2  # coefficient of qhat^4: -(4/(8 rho))(1/c_l^2 - 1/c_t^2) = a_q/(2 rho)

    def lam_x_comp(i, j, k, l):
        return (a_q / (2 * rho) * d4[(i, j, k, l)]
                - (delta(i, k) * d2[(j, l)] + delta(i, l) * d2[(j, k)] + delta(j, k) * d2[(i, l)]
                   + delta(j, l) * d2[(i, k)]) / (8 * rho * c_t**2))

    lam_x = {idx: lam_x_comp(*idx) for idx in itertools.product(ix, repeat=4)}
    times["lambda_x"] = time.perf_counter() - t0

    # 3. tilde Lambda in n = x/r, alpha = 1 - c_t^2/c_l^2
    t0 = time.perf_counter()
    to_n = {x[a]: r * n[a] for a in ix}
    norm2 = x[0]**2 + x[1]**2 + x[2]**2

    def tilde(c):
        v = (-8 * sp.pi * rho * c_t**2 * r**3 * c).subs(norm2, r**2).subs(to_n)
        return sp.expand(sp.cancel(v.subs(c_l, c_t / sp.sqrt(1 - alpha))))

    lam_t = {idx: tilde(c) for idx, c in lam_x.items()}
    times["lambda_tilde"] = time.perf_counter() - t0

    # 4. JL convention and its relation to the symmetric form
    t0 = time.perf_counter()

    def lam_x_jl(i, j, k, l):
        return a_q / (2 * rho) * d4[(i, j, k, l)] - delta(i, k) * d2[(j, l)] / (2 * rho * c_t**2)

    jl = {idx: tilde(lam_x_jl(*idx)) for idx in itertools.product(ix, repeat=4)}
    ok = True
    for i, j, k, l in itertools.product(ix, repeat=4):
        sym = (jl[(i, j, k, l)] + jl[(j, i, k, l)] + jl[(i, j, l, k)] + jl[(j, i, l, k)]) / 4
        ok &= sp.expand(sym - lam_t[(i, j, k, l)]) == 0
    times["jl_relation"] = time.perf_counter() - t0
    # a known value: tilde Lambda_zzzz(n = z) = -2 for every alpha (kernels docstring: 1 - 3 + alpha (-15 + 18 - 3)/2)
    zzzz = lam_t[(2, 2, 2, 2)].subs({n[0]: 0, n[1]: 0, n[2]: 1})
    ok &= sp.simplify(zzzz + 2) == 0
    out = {"seconds": time.perf_counter() - t_start, "steps": times, "ok": bool(ok)}
    if keep:
        out["lambda_tilde"] = lam_t
        out["symbols"] = {"n": n, "alpha": alpha}
    return out


def main() -> int:
    res = run()
    steps = ", ".join(f"{k} {v:.2f} s" for k, v in res["steps"].items())
    print(f"plain SymPy baseline: {res['seconds']:.2f} s ({steps}); relations {'hold' if res['ok'] else 'FAIL'}")
    return 0 if res["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
