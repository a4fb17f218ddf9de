"""The einsum baseline of ``glass-sym bench kernels``: tilde Lambda_ijkl(n) of (A.18) typed by hand in NumPy.

The one place where (A.18) is written by hand, the way a physicist would type it in NumPy from delta and n
outer products; it is the benchmark's reference, never used by the package's computations.  It ships with the
package so that ``glass-sym bench kernels`` works from an installed copy; ``benchmarks/bench_kernels.py`` calls
it.

>>> import numpy as np
>>> float(einsum_tilde_lambda(np.array([[0.0, 0.0, 1.0]]), 0.5)[0, 2, 2, 2, 2])   # kernels docstring: -2
-2.0
"""

from __future__ import annotations

import numpy as np

__all__ = ["einsum_tilde_lambda", "einsum_tilde_lambda_components"]


def einsum_tilde_lambda(n: np.ndarray, alpha: float) -> np.ndarray:
    """tilde Lambda_ijkl(n) of (A.18), shape (points, 3, 3, 3, 3), from einsum outer products."""
    d = np.eye(3)
    nn = np.einsum("pi,pj->pij", n, n)

    def dd(spec):
        return np.einsum(spec, d, d)

    def dn(spec):
        return np.einsum(spec, d, nn)

    part1 = 0.25 * (dd("jl,ik->ijkl") - 3 * dn("ik,pjl->pijkl")
                    + dd("jk,il->ijkl") - 3 * dn("il,pjk->pijkl")
                    + dd("ik,jl->ijkl") - 3 * dn("jl,pik->pijkl")
                    + dd("il,jk->ijkl") - 3 * dn("jk,pil->pijkl"))
    part2 = 0.5 * alpha * (-(dd("ij,kl->ijkl") + dd("ik,jl->ijkl") + dd("jk,il->ijkl"))
                           + 3 * (dn("kl,pij->pijkl") + dn("jl,pik->pijkl") + dn("jk,pil->pijkl")
                                  + dn("il,pjk->pijkl") + dn("ik,pjl->pijkl") + dn("ij,pkl->pijkl"))
                           - 15 * np.einsum("pi,pj,pk,pl->pijkl", n, n, n, n))
    return part1 + part2


def einsum_tilde_lambda_components(n: np.ndarray, alpha: float, independent, chunk: int = 100_000) -> np.ndarray:
    """The 21 components listed in ``independent`` from the einsum baseline (in chunks: 81 doubles per point)."""
    idx = tuple(np.array(c) for c in zip(*independent))
    out = np.empty((n.shape[0], len(independent)))
    for s in range(0, n.shape[0], chunk):
        full = einsum_tilde_lambda(n[s:s + chunk], alpha)
        out[s:s + chunk] = full[:, idx[0], idx[1], idx[2], idx[3]]
    return out
