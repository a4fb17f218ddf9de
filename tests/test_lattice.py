"""Lattice sums T_abcd(N0, k) over super blocks (journal Appendix C, (C.20)-(C.23)).

The fast sum (displacement multiplicities, octant / half-space symmetry) is compared with a plain all-pairs
double loop written here; T at k = 0 must be invariant under the 48 symmetries of the cube; the sphere's
T(k) must tend to T(0) as k -> 0; the journal's numbers come from (C.23) converted by hand (docstrings).
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from glass_sym.cli.main import main
from glass_sym.errors import InputError
from glass_sym.numerics import kernels, lattice

ALPHA_SIO2 = 1 - (3.80 / 5.80) ** 2


def _direct(n0: int, shape: str, k) -> np.ndarray:
    """(1/N_b) sum over ordered pairs u != u' of tildeLambda(n)/|x|^3 exp(-i k.x), as a complex tensor."""
    centres = []
    for i in range(n0):
        for j in range(n0):
            for l in range(n0):
                c = np.array([i + 0.5, j + 0.5, l + 0.5])
                if shape == "cube" or np.sum((c - n0 / 2) ** 2) <= (n0 / 2) ** 2:
                    centres.append(c)
    total = np.zeros((3, 3, 3, 3), dtype=complex)
    for xu in centres:
        for xv in centres:
            d = xu - xv
            if not d.any():
                continue
            dist = math.sqrt(d @ d)
            total += kernels.tilde_lambda(d, ALPHA_SIO2) / dist**3 * np.exp(-1j * np.dot(k, d))
    return total / len(centres)


@pytest.mark.parametrize("n0", [2, 3])
@pytest.mark.parametrize("shape", ["cube", "sphere"])
@pytest.mark.parametrize("k", [(0.0, 0.0, 0.0), (0.7, -0.3, 0.2)])
def test_against_all_pairs(n0, shape, k):
    ref = _direct(n0, shape, np.array(k))
    res = lattice.lattice_sum(n0, shape=shape, k=k)
    assert np.max(np.abs(ref.imag)) < 1e-12
    assert np.allclose(res.T, ref.real, rtol=1e-12, atol=1e-12)
    assert res.blocks == (n0**3 if shape == "cube" else {2: 8, 3: 19}[n0])


def _signed_permutations():
    for perm in itertools.permutations(range(3)):
        for signs in itertools.product((1, -1), repeat=3):
            R = np.zeros((3, 3))
            for row, (col, s) in enumerate(zip(perm, signs)):
                R[row, col] = s
            yield R


@pytest.mark.parametrize("shape", ["cube", "sphere"])
def test_cube_symmetry_at_k0(shape):
    """T_abcd(N0, 0) = R_ai R_bj R_ck R_dl T_ijkl for all 48 signed permutations R."""
    T = lattice.lattice_sum(5, shape=shape).T
    count = 0
    for R in _signed_permutations():
        rotated = np.einsum("ai,bj,ck,dl,ijkl->abcd", R, R, R, R, T)
        assert np.allclose(rotated, T, rtol=0, atol=1e-13 * np.max(np.abs(T)))
        count += 1
    assert count == 48


def test_sphere_k_to_zero_is_continuous():
    """For the sphere, T(k khat) -> T(0) as k -> 0 (quadratically: the sum is finite and even in k)."""
    t0 = lattice.lattice_sum(6, shape="sphere")
    diffs = []
    for eps in (1e-1, 1e-2, 1e-3):
        tk = lattice.lattice_sum(6, shape="sphere", k=(0.0, 0.0, eps))
        diffs.append(np.max(np.abs(tk.T - t0.T)))
        assert np.allclose([tk.C_l, tk.C_t], [t0.C_l, t0.C_t], rtol=10 * eps**2, atol=0)
    assert diffs[2] < 1e-5 * np.max(np.abs(t0.T))
    assert diffs[0] / diffs[1] > 50 and diffs[1] / diffs[2] > 50


def test_contractions_are_the_stated_components():
    """k = 0: khat = z, ahat = x, so C_l = T_zzzz and C_t = (T_xzxz + T_xzzx + T_zxxz + T_zxzx)/4 = T_xzxz."""
    r = lattice.lattice_sum(4)
    assert r.khat.tolist() == [0.0, 0.0, 1.0] and r.ahat.tolist() == [1.0, 0.0, 0.0]
    assert r.C_l == pytest.approx(r.T[2, 2, 2, 2], rel=1e-14)
    assert r.C_t == pytest.approx(r.T[0, 2, 0, 2], rel=1e-14)


def test_eq_C23_paper_values():
    """(C.23): sum_{u!=u'}[-Lambda e^{-ik.x}] = (2 pi N0^3 ln N0/(rho c_t^2)) [-alpha khat^4 + (1/4)(kk delta)].

    With -Lambda = tildeLambda/(8 pi rho c_t^2 |x|^3), T = (8 pi rho c_t^2/N0^3) x (C.23)
    = 16 pi^2 ln N0 [...]. Contracting by hand: e^l = kk gives -alpha + 1; e^t = (ak + ka)/2 gives
    0 + (1/4)(4 x 1/4) = 1/4.  So paper C_l = 16 pi^2 ln N0 (1 - alpha), paper C_t = 4 pi^2 ln N0;
    the first line of (C.22), (4 pi/3)(N0^3 - 1) for 4 pi ln N0, multiplies both by (N0^3 - 1)/(3 ln N0).
    """
    for n0, k in ((2, (0, 0, 0)), (8, (0.3, 0.4, 0.0))):
        r = lattice.lattice_sum(n0, k=k)
        assert r.paper_C_l == pytest.approx(16 * math.pi**2 * math.log(n0) * (1 - ALPHA_SIO2), rel=1e-13)
        assert r.paper_C_t == pytest.approx(4 * math.pi**2 * math.log(n0), rel=1e-13)
        factor = (n0**3 - 1) / (3 * math.log(n0))
        assert r.paper_C_l_before_log == pytest.approx(r.paper_C_l * factor, rel=1e-13)
        assert r.paper_C_t_before_log == pytest.approx(r.paper_C_t * factor, rel=1e-13)


def test_alpha_from_material_and_speeds():
    a = lattice.lattice_sum(2, c_l=6.2, c_t=3.8)
    assert a.alpha == pytest.approx(1 - (3.8 / 6.2) ** 2, rel=1e-15)
    assert lattice.lattice_sum(2).alpha == pytest.approx(ALPHA_SIO2, rel=1e-15)


def test_bad_inputs():
    for bad in (1, 0, -3, 2.5, True, lattice.MAX_N0 + 1):
        with pytest.raises(InputError, match="N0"):
            lattice.lattice_sum(bad)
    with pytest.raises(InputError, match="shape"):
        lattice.lattice_sum(2, shape="ball")
    for text in ("1,2", "a,b,c", "nan,0,0", "1,2,3,4", ""):
        with pytest.raises(InputError, match="--k"):
            lattice.parse_k(text)
    with pytest.raises(InputError, match="k"):
        lattice.lattice_sum(2, k=(np.inf, 0, 0))
    with pytest.raises(InputError, match="c_t must be smaller"):
        lattice.lattice_sum(2, c_l=3.0, c_t=3.0)
    with pytest.raises(InputError):
        lattice.lattice_sum(2, c_l=3.0)
    with pytest.raises(InputError):
        lattice.lattice_sum(2, material="unobtainium")


def test_cli_json(capsys):
    assert main(["lattice", "--n0", "2,3", "--shape", "sphere", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["n0"] for d in data] == [2, 3]
    for d in data:
        assert {"n0", "shape", "k", "C_l", "C_t", "paper_C_l", "paper_C_t", "T", "seconds"} <= set(d)
        assert np.array(d["T"]).shape == (3, 3, 3, 3)
        assert d["shape"] == "sphere" and d["k"] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("argv", [["--n0", "1"], ["--n0", "2,x"], ["--k", "1,2"], ["--material", "Foo"],
                                  ["--shape", "ball"], ["--cl", "3", "--ct", "4"]])
def test_cli_errors(argv, capsys):
    assert main(["lattice", "--n0", "2", *argv] if "--n0" not in argv else ["lattice", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("glass-sym lattice: error:")


# ---------------------------------------------------------------------- issue 14: the k = 0 wedge and the octant counts
@pytest.mark.parametrize("n0", [2, 5, 8, 11])
def test_octant_pair_counts_equal_the_full_fft(n0):
    full = lattice.pair_counts_sphere(n0)
    assert np.array_equal(lattice.pair_counts_sphere_octant(n0), full[:n0, :n0, :n0])


@pytest.mark.parametrize("shape", ["cube", "sphere"])
@pytest.mark.parametrize("n0", [4, 7, 10])
def test_wedge_equals_half_space_sum_at_k0(n0, shape):
    """Independent routes at k = 0: the wedge dx >= dy >= dz >= 0 with orbit weights and the permutation sum,
    against the half space dz >= 0 visited point by point (no permutation or sign symmetry used)."""
    alpha = 0.57
    wedge, blocks_w = lattice._sum_wedge(n0, shape, alpha, None)
    half, blocks_h = lattice._sum_planes(n0, shape, (0.0, 0.0, 0.0), alpha, None)
    assert blocks_w == blocks_h
    assert np.allclose(wedge, half, rtol=1e-12, atol=1e-13 * np.max(np.abs(half)))


def test_progress_bar_only_on_a_terminal():
    import io

    from glass_sym.cli.progress import progress_bar

    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet, loud = io.StringIO(), Tty()
    for stream in (quiet, loud):
        bar = progress_bar("lattice N0=9", 4, delay=0, stream=stream)
        for i in range(1, 5):
            bar(i, 4)
        bar.close()
    assert quiet.getvalue() == ""
    assert "lattice N0=9" in loud.getvalue() and "/4 [" in loud.getvalue()
