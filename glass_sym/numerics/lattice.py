"""Exact lattice sums of tilde Lambda over a super block, next to what Appendix C states for them.

A super block holds N0 x N0 x N0 elementary blocks of side L = 1 on a cubic lattice (``shape="cube"``), or
only the blocks whose centres lie within radius N0 L/2 of its centre (``shape="sphere"``).  This module
computes exactly

    T_abcd(N0, k) = (1/N_b) sum_{u != u'} tilde Lambda_abcd(n_uu') / |x_uu'|^3 exp(-i k.x_uu'),

N_b the number of blocks (N0^3 for the cube), x_uu' = x_u - x_u', n_uu' = x_uu'/|x_uu'|, by summing over
displacements d = x_uu' with their pair multiplicities (cube: (N0-|dx|)(N0-|dy|)(N0-|dz|); sphere: the
autocorrelation of the block indicator, by FFT, rounded to exact integers).  tilde Lambda comes from the
kernel generated from the registered closed form (:func:`glass_sym.numerics.kernels.kernel`).  Since the multiplicities and tilde Lambda
are even in d, T is real: exp(-i k.d) -> cos(k.d), and only half of the displacements are visited.  At k = 0
both super blocks are also symmetric under the 6 permutations of the axes, so only the wedge
dx >= dy >= dz >= 0 is visited: each point stands for its 2^(nonzero coordinates) sign images (components odd
in an axis cancel exactly and are set to 0) and for the |orbit| points of its permutation orbit, entering with
weight |orbit|/6 before the partial tensor is summed over the 6 axis permutations (tilde Lambda(P n) =
P^(x4) tilde Lambda(n)).  The generated NumPy kernel (:func:`glass_sym.numerics.kernels.kernel`) is evaluated in
chunks, without a JIT compile.

Contractions: C_l = e^l_ab T_abcd e^l_cd with e^l = khat khat, C_t with e^t = (ahat khat + khat ahat)/2,
ahat perpendicular to khat (k = 0: khat = z, ahat = x; see :func:`strain_modes`).

The journal's evaluation of the same sum ((C.20)-(C.23), J. Phys.: Condens. Matter 32, 055704) is converted
to the units of T with Lambda = -tilde Lambda/(8 pi rho c_t^2 |x|^3):
sum_{u != u'} [-Lambda e^{-ik.x}] = (N0^3 / (8 pi rho c_t^2)) T, so T_paper = (8 pi rho c_t^2/N0^3) x (C.23)
(:func:`paper_tensor`; derivation in docs/lattice.md).

>>> res = lattice_sum(2)
>>> res.blocks, round(res.C_l, 6) == round(float(res.T[2, 2, 2, 2]), 6)
(8, True)
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from glass_sym.errors import DerivationError, InputError
from glass_sym.paper.materials import get_material  # InputError listing the known names for an unknown one
from glass_sym.paper.transcriptions import find_equation

from .kernels import CHUNK, FULL_INDEX, INDEPENDENT, alpha_from_speeds, contract_pairs, expand_components, kernel

__all__ = [
    "SHAPES", "MAX_N0", "DEFAULT_MATERIAL", "LatticeResult", "resolve_material", "strain_modes",
    "pair_counts_sphere", "pair_counts_sphere_octant", "block_indicator", "lattice_sum", "lattice_sums", "paper_tensor", "check_n0",
    "parse_k",
]

SHAPES = ("cube", "sphere")
#: largest N0 accepted (the sphere's FFT grid is (2 N0)^3 doubles)
MAX_N0 = 256
DEFAULT_MATERIAL = "a-SiO2"


# ---------------------------------------------------------------------- inputs
def check_n0(n0) -> int:
    """N0 as an int in [2, MAX_N0] or InputError.

    >>> check_n0(4)
    4
    """
    if isinstance(n0, bool) or not isinstance(n0, (int, np.integer)) or not 2 <= int(n0) <= MAX_N0:
        raise InputError(f"N0: expected an integer 2 <= N0 <= {MAX_N0}, got {n0!r}")
    return int(n0)


def parse_k(text: str) -> tuple[float, float, float]:
    """Parse ``"KX,KY,KZ"`` (wave vector in units of 1/L) into three finite floats.

    >>> parse_k("0,0,0.5")
    (0.0, 0.0, 0.5)
    """
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 3 or not all(math.isfinite(v) for v in values):
        raise InputError(f"--k: expected three finite numbers KX,KY,KZ (units 1/L), got {text!r}")
    return values  # type: ignore[return-value]


def _check_k(k) -> tuple[float, float, float]:
    arr = np.asarray(k, dtype=float)
    if arr.shape != (3,) or not np.isfinite(arr).all():
        raise InputError(f"k: expected three finite numbers (units 1/L), got {k!r}")
    return tuple(float(v) for v in arr)  # type: ignore[return-value]


def resolve_material(material: str | None = None, c_l: float | None = None, c_t: float | None = None):
    """(name, c_l, c_t) in m/s: explicit speeds, else a material of :mod:`glass_sym.paper.materials` (a-SiO2 default).

    >>> resolve_material()
    ('a-SiO2', 5800.0, 3800.0)
    """
    if (c_l is None) != (c_t is None):
        raise InputError(f"c_l and c_t: give both or neither, got c_l = {c_l!r}, c_t = {c_t!r}")
    if c_l is not None:
        alpha_from_speeds(c_l, c_t)  # validates 0 < c_t < c_l, finite
        return (material or "custom", float(c_l), float(c_t))

    m = get_material(material or DEFAULT_MATERIAL)
    return (m.name, float(m.c_l), float(m.c_t))


def strain_modes(k) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(khat, ahat, e^l, e^t): khat = k/|k| (z for k = 0), ahat the unit projection perpendicular to khat of
    the first axis among x, y with |axis . khat| < 0.9; e^l = khat khat, e^t = (ahat khat + khat ahat)/2.

    >>> khat, ahat, el, et = strain_modes((0, 0, 0))
    >>> khat.tolist(), ahat.tolist(), float(et[0, 2])
    ([0.0, 0.0, 1.0], [1.0, 0.0, 0.0], 0.5)
    """
    kv = np.asarray(_check_k(k))
    norm = float(np.linalg.norm(kv))
    khat = np.array([0.0, 0.0, 1.0]) if norm == 0 else kv / norm
    for axis in np.eye(3)[:2]:
        if abs(axis @ khat) < 0.9:
            a = axis - (axis @ khat) * khat
            ahat = a / np.linalg.norm(a)
            break
    e_l = np.outer(khat, khat)
    e_t = 0.5 * (np.outer(ahat, khat) + np.outer(khat, ahat))
    return khat, ahat, e_l, e_t


# ---------------------------------------------------------------------- printed values
@functools.lru_cache(maxsize=1)
def _paper_function():
    """Function (khat1, khat2, khat3, alpha, N0, before_log) -> 81 components of T_paper (floats), generated
    from the transcription of (C.23) (journal line 741), parsed, never retyped.

    (C.23): sum_{u != u'} [-Lambda e^{-ik.x}] = 2 pi N0^3 ln N0/(rho c_t^2) [-alpha k^4/k^4 + (1/4) k k delta/k^2];
    T is (1/N0^3) sum Lambda~/|x|^3 = (8 pi rho c_t^2/N0^3) x (C.23), evaluated at |k| = 1, k = khat.
    ``before_log``: the first line of (C.22), (4 pi/3)(N0^3 - 1), in place of its final 4 pi ln N0, i.e.
    ln N0 -> (N0^3 - 1)/3.  Each component is evaluated by substituting the numbers into the SymPy expression
    (one point per call, so no code is generated).
    """
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)

    from glass_sym.parse.parser import parse_latex  # lazy: keeps start-up light (this module is imported without SymPy)
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.records.closed_form import arguments_of
    # lazy: start-up time (this module is imported without SymPy)
    from glass_sym.symbols import (N0, QHAT, Q,  # lazy: keeps start-up light (this module is imported without SymPy)
                                   alpha as S_alpha, c_t, q, rho)

    printed = parse_latex(find_equation("C.23", "jpcm2020", defines="minus_lambda_lattice_sum").latex,
                          indices=("a", "b", "c", "d"))
    # the printed form's arguments, as the shared symbols (the parser reads N_0 and alpha as these objects)
    arguments = {s for a in arguments_of(printed) for s in a.symbols}
    n0, alpha = N0, S_alpha
    if not {n0, alpha} <= arguments:
        raise DerivationError(f"transcribed (C.23) does not depend on N_0 and alpha: arguments "
                              f"{sorted(map(str, arguments))}")
    k = sp.symbols("k1:4", real=True)
    comps, comps_before = [], []
    for c in printed.to_tensor().components:
        c = sp.expand(c * 8 * sp.pi * rho * c_t**2 / n0**3).subs({q: 1, **dict(zip(Q, k)), **dict(zip(QHAT, k))})
        comps.append(c)
        comps_before.append(c.subs(sp.log(n0), (n0**3 - 1) / 3))

    def evaluate(k1, k2, k3, a, n, before_log):
        at = {k[0]: sp.Float(k1), k[1]: sp.Float(k2), k[2]: sp.Float(k3), alpha: sp.Float(a), n0: sp.Integer(n)}
        return [float(c.xreplace(at).evalf()) if c != 0 else 0.0 for c in (comps_before if before_log else comps)]

    return evaluate


def paper_tensor(n0: int, khat, alpha: float, *, before_log: bool = False) -> np.ndarray:
    """What (C.20)-(C.23) state for T_abcd(N0, k), converted to T's units (3x3x3x3 array).

    T_paper = (8 pi rho c_t^2 / N0^3) x (C.23) = 16 pi^2 ln N0 [-alpha khat^4 + (1/4)(khat khat delta)], generated
    from the transcribed (C.23).  ``before_log=True``: the first line of (C.22), (4 pi/3)(N0^3 - 1), in place of
    its final 4 pi ln N0.

    >>> t = paper_tensor(2, [0, 0, 1], 0.5)
    >>> round(float(t[2, 2, 2, 2] / (16 * np.pi**2 * np.log(2))), 12)   # -alpha + 4/4
    0.5
    """
    k = np.asarray(khat, dtype=float)
    k = k / np.linalg.norm(k)
    vals = _paper_function()(k[0], k[1], k[2], float(alpha), int(n0), 1 if before_log else 0)
    return np.array([float(v) for v in vals]).reshape(3, 3, 3, 3)


# ---------------------------------------------------------------------- geometry
def block_indicator(n0: int, shape: str) -> np.ndarray:
    """Boolean (N0, N0, N0) array of the blocks in the super block (sphere: |centre - middle| <= N0/2).

    Centres at (i + 1/2) L; the test uses doubled integer coordinates, so it is exact.

    >>> int(block_indicator(4, "sphere").sum())
    32
    """
    n0 = check_n0(n0)
    if shape not in SHAPES:
        raise InputError(f"shape: expected one of {', '.join(SHAPES)}, got {shape!r}")
    if shape == "cube":
        return np.ones((n0, n0, n0), dtype=bool)
    c = 2 * np.arange(n0) + 1 - n0  # 2 (centre - middle)
    r2 = c[:, None, None] ** 2 + c[None, :, None] ** 2 + c[None, None, :] ** 2
    return r2 <= n0 * n0


def pair_counts_sphere(n0: int) -> np.ndarray:
    """Exact ordered-pair counts per displacement for the spherical super block, indexed [dx % P, dy % P, dz % P]
    with P = 2 N0 (FFT autocorrelation of the indicator, rounded; rounding error checked).

    >>> c = pair_counts_sphere(2)
    >>> int(c[0, 0, 0]), int(c[1, 1, 1]), int(c.sum())
    (8, 1, 64)
    """
    ind = block_indicator(n0, "sphere").astype(np.float64)
    p = 2 * n0
    f = np.fft.rfftn(ind, s=(p, p, p), axes=(0, 1, 2))
    auto = np.fft.irfftn(f * np.conj(f), s=(p, p, p), axes=(0, 1, 2))
    counts = np.rint(auto)
    err = float(np.max(np.abs(auto - counts)))
    blocks = int(ind.sum())
    if err > 0.25 or int(counts.sum()) != blocks * blocks:
        raise ArithmeticError(f"FFT pair counts not integral for N0 = {n0} (max rounding {err})")
    return counts.astype(np.int64)


def pair_counts_sphere_octant(n0: int) -> np.ndarray:
    """The ordered-pair counts of :func:`pair_counts_sphere` for displacements d >= 0 in every axis, indexed
    [dx, dy, dz] (shape (N0, N0, N0)), about six times faster.

    The ball is symmetric under the reflection of each axis about its centre, so |FFT|^2 of the indicator is
    even in each frequency: only frequencies 0..N0 per axis are formed, and the inverse transforms are real
    (``irfft``) and keep only d = 0..N0-1.  Checked: rounding error < 0.25 and the counts of all d (sign
    images included) add up to N_b^2.

    >>> c = pair_counts_sphere_octant(3)
    >>> bool((c == pair_counts_sphere(3)[:3, :3, :3]).all())
    True
    """
    n0 = check_n0(n0)
    ind = block_indicator(n0, "sphere").astype(np.float64)
    p = 2 * n0
    f = np.fft.rfft(ind, n=p, axis=2)
    f = np.fft.fft(f, n=p, axis=1)
    f = np.fft.fft(f[:, : n0 + 1], n=p, axis=0)[: n0 + 1]
    power = f.real**2 + f.imag**2
    del f
    g = np.fft.irfft(power, n=p, axis=0)[:n0]
    g = np.fft.irfft(g, n=p, axis=1)[:, :n0]
    auto = np.fft.irfft(g, n=p, axis=2)[:, :, :n0]
    counts = np.rint(auto)
    err = float(np.max(np.abs(auto - counts)))
    blocks = int(ind.sum())
    images = np.ones(n0)
    images[1:] = 2.0
    total = int(np.einsum("ijk,i,j,k->", counts, images, images, images))
    if err > 0.25 or total != blocks * blocks or int(counts[0, 0, 0]) != blocks:
        raise ArithmeticError(f"FFT pair counts not integral for N0 = {n0} (max rounding {err})")
    return counts.astype(np.int64)


# ---------------------------------------------------------------------- the sum
@dataclass
class LatticeResult:
    """One lattice sum: T (3x3x3x3, real), its contractions and the journal's values for the same sum."""

    n0: int
    shape: str
    k: tuple[float, float, float]
    material: str
    c_l: float
    c_t: float
    alpha: float
    blocks: int
    T: np.ndarray
    khat: np.ndarray
    ahat: np.ndarray
    C_l: float
    C_t: float
    paper_C_l: float
    paper_C_t: float
    paper_C_l_before_log: float
    paper_C_t_before_log: float
    seconds: float = 0.0

    def as_dict(self, digits: int | None = None) -> dict:
        """The JSON object of ``glass-sym lattice --json`` (docs/lattice.md); ``digits``: significant digits."""
        def num(x):
            x = float(x)
            return float(f"{x:.{digits}g}") if digits else x

        return {
            "n0": self.n0, "shape": self.shape, "k": [num(v) for v in self.k],
            "C_l": num(self.C_l), "C_t": num(self.C_t),
            "paper_C_l": num(self.paper_C_l), "paper_C_t": num(self.paper_C_t),
            "paper_C_l_before_log": num(self.paper_C_l_before_log),
            "paper_C_t_before_log": num(self.paper_C_t_before_log),
            "T": [[[[num(self.T[a, b, c, d]) for d in range(3)] for c in range(3)] for b in range(3)]
                  for a in range(3)],
            "seconds": self.seconds,
            "material": self.material, "c_l": self.c_l, "c_t": self.c_t, "alpha": num(self.alpha),
            "blocks": self.blocks, "khat": [num(v) for v in self.khat], "ahat": [num(v) for v in self.ahat],
        }


def _parity_mask() -> np.ndarray:
    """1 for components with an even number of each axis among (i, j, k, l), else 0 (21 entries)."""
    return np.array([all(idx.count(a) % 2 == 0 for a in range(3)) for idx in INDEPENDENT], dtype=float)


def _evaluate(n: np.ndarray, alpha: float) -> np.ndarray:
    """The 21 components of tilde Lambda at unit vectors ``n`` (m, 3), shape (21, m): the generated NumPy
    kernel of :func:`glass_sym.numerics.kernels.kernel` in chunks of :data:`glass_sym.numerics.kernels.CHUNK` points."""
    kern = kernel("lambda_tilde")
    out = np.empty((21, n.shape[0]))
    for s in range(0, n.shape[0], CHUNK):
        e = min(n.shape[0], s + CHUNK)
        kern.func(*(np.ascontiguousarray(n[s:e, i]) for i in range(3)), alpha, out[:, s:e])
    return out


def _axis_permutations_sum(t: np.ndarray) -> np.ndarray:
    """sum over the 6 permutations P of the axes of P^(x4) t (t a 3x3x3x3 array)."""

    return sum(t[np.ix_(p, p, p, p)] for p in itertools.permutations(range(3)))


def _sum_wedge(n0: int, shape: str, alpha: float, progress: Callable | None) -> tuple[np.ndarray, int]:
    """k = 0: (1/N_b) sum over d != 0 via the wedge dx >= dy >= dz >= 0 (module docstring), 21 components."""
    g = np.arange(n0)
    dx, dy, dz = (a.ravel() for a in np.meshgrid(g, g, g, indexing="ij", sparse=False))
    keep = (dx >= dy) & (dy >= dz) & (dx > 0)
    dx, dy, dz = dx[keep], dy[keep], dz[keep]
    if shape == "cube":
        w = (n0 - dx) * (n0 - dy) * (n0 - dz)
        blocks = n0**3
    else:
        counts = pair_counts_sphere_octant(n0)
        w = counts[dx, dy, dz]
        blocks = int(counts[0, 0, 0])
    nonzero = (dx > 0).astype(np.int64) + (dy > 0) + (dz > 0)
    distinct = 1 + (dx != dy) + (dy != dz)  # 3 distinct -> 3, two equal -> 2, all equal -> 1
    orbit = np.array([0, 1, 3, 6])[distinct]
    keep = w != 0
    # exact integer weights: pair count x sign images x orbit size (the 1/6 is applied to the sum)
    w_int = (w * (1 << nonzero) * orbit)[keep]
    fx, fy, fz = (a[keep].astype(np.float64) for a in (dx, dy, dz))
    r2 = fx * fx + fy * fy + fz * fz
    r = np.sqrt(r2)
    n = np.stack([fx / r, fy / r, fz / r], axis=1)
    scale = w_int.astype(np.float64) / (r2 * r)
    acc = np.zeros(21)

    step = 16 * CHUNK
    total = max(1, -(-n.shape[0] // step))
    for i, s in enumerate(range(0, n.shape[0], step)):
        acc += _evaluate(n[s:s + step], alpha) @ scale[s:s + step]
        if progress is not None:
            progress(i + 1, total)
    full = _axis_permutations_sum((acc * _parity_mask())[FULL_INDEX]) / 6.0
    return full[tuple(np.array(c) for c in zip(*INDEPENDENT))] / blocks, blocks


def _sum_planes(n0: int, shape: str, k: tuple, alpha: float, progress: Callable | None) -> tuple[np.ndarray, int]:
    """k != 0: half space dz >= 0, d and -d together (factor 2 for dz > 0), exp(-ik.d) -> cos(k.d)."""
    span = np.arange(-(n0 - 1), n0)
    dx, dy = (a.ravel() for a in np.meshgrid(span, span, indexing="ij"))
    line = (n0 - np.abs(np.arange(-(n0 - 1), n0))).astype(np.float64)  # cube: line[d + n0 - 1] = n0 - |d|
    if shape == "cube":
        base_w = line[dx + n0 - 1] * line[dy + n0 - 1]
        counts, p, blocks = None, 0, n0**3
    else:
        base_w = None
        counts = pair_counts_sphere(n0)
        p, blocks = 2 * n0, int(counts[0, 0, 0])
    fx, fy = dx.astype(np.float64), dy.astype(np.float64)
    r2_xy = fx * fx + fy * fy
    acc = np.zeros(21)
    kx, ky, kz = k
    for iz, dz in enumerate(range(0, n0)):
        if counts is None:
            w = base_w * line[dz + n0 - 1]
        else:
            w = counts[dx % p, dy % p, dz].astype(np.float64)
        w = w * (2.0 if dz > 0 else 1.0) * np.cos(kx * fx + ky * fy + kz * dz)
        keep = w != 0
        if dz == 0:
            keep &= r2_xy > 0  # the self-interaction d = 0 is excluded
        r2 = r2_xy[keep] + float(dz * dz)
        r = np.sqrt(r2)
        n = np.empty((r.size, 3))
        n[:, 0], n[:, 1], n[:, 2] = fx[keep] / r, fy[keep] / r, dz / r
        acc += _evaluate(n, alpha) @ (w[keep] / (r2 * r))
        if progress is not None:
            progress(iz + 1, n0)
    return acc / blocks, blocks


def lattice_sum(n0: int, *, shape: str = "cube", k=(0.0, 0.0, 0.0), material: str | None = None,
                c_l: float | None = None, c_t: float | None = None,
                progress: Callable[[int, int], None] | None = None) -> LatticeResult:
    """T_abcd(N0, k) for a cubic or spherical super block, its contractions and the journal's values.

    ``k`` in units of 1/L; the material (default a-SiO2) or explicit ``c_l``, ``c_t`` fix alpha.
    ``progress(done, total)`` is called after each block of points (k = 0) or lattice plane (k != 0).

    >>> r = lattice_sum(3, shape="sphere")
    >>> r.blocks, r.T.shape
    (19, (3, 3, 3, 3))
    """
    n0 = check_n0(n0)
    if shape not in SHAPES:
        raise InputError(f"shape: expected one of {', '.join(SHAPES)}, got {shape!r}")
    kk = _check_k(k)
    name, cl, ct = resolve_material(material, c_l, c_t)
    alpha = float(alpha_from_speeds(cl, ct))
    _evaluate(np.array([[0.0, 0.0, 1.0]]), alpha)  # kernel generated before timing
    t0 = time.perf_counter()
    if any(kk):
        t21, blocks = _sum_planes(n0, shape, kk, alpha, progress)
    else:
        t21, blocks = _sum_wedge(n0, shape, alpha, progress)
    T = expand_components(t21)
    seconds = time.perf_counter() - t0
    khat, ahat, e_l, e_t = strain_modes(kk)
    paper = paper_tensor(n0, khat, alpha)
    paper0 = paper_tensor(n0, khat, alpha, before_log=True)
    return LatticeResult(
        n0=n0, shape=shape, k=kk, material=name, c_l=cl, c_t=ct, alpha=alpha, blocks=blocks, T=T,
        khat=khat, ahat=ahat, C_l=float(contract_pairs(T, e_l)), C_t=float(contract_pairs(T, e_t)),
        paper_C_l=float(contract_pairs(paper, e_l)), paper_C_t=float(contract_pairs(paper, e_t)),
        paper_C_l_before_log=float(contract_pairs(paper0, e_l)),
        paper_C_t_before_log=float(contract_pairs(paper0, e_t)), seconds=seconds,
    )


def lattice_sums(n0s: Sequence[int], *, shape: str = "cube", k=(0.0, 0.0, 0.0), material: str | None = None,
                 c_l: float | None = None, c_t: float | None = None,
                 progress: Callable | None = None) -> list[LatticeResult]:
    """:func:`lattice_sum` for several N0 (inputs checked first).  ``progress``: ``None``, or a factory
    ``progress(label, total)`` returning an ``update(done, total)`` callable with ``.close()`` (the command line
    passes :func:`glass_sym.cli.progress.progress_bar`).

    >>> [r.n0 for r in lattice_sums([2, 3])]
    [2, 3]
    """
    n0s = [check_n0(n) for n in n0s]
    if not n0s:
        raise InputError("N0: expected at least one value, got none")
    resolve_material(material, c_l, c_t)
    out = []
    for n in n0s:
        bar = progress(f"lattice N0={n} {shape}", 1) if progress is not None else None
        try:
            out.append(lattice_sum(n, shape=shape, k=k, material=material, c_l=c_l, c_t=c_t, progress=bar))
        finally:
            if bar is not None:
                bar.close()
    return out
