"""Fast NumPy kernels generated from the registered closed forms (never retyped).

The symbolic results of the ``appendix-a`` chain (``lambda_tilde`` = tilde Lambda_ijkl(n; alpha) of (A.18)
and ``lambda_x`` = Lambda_ijkl(x) of (A.13)/(A.18)) are turned into Python source: common-subexpression
elimination (:func:`sympy.cse`) over all requested components at once, printed with SymPy's Python code
printer (integer powers as products, rationals as float literals) and compiled with :func:`compile`.  The
text compiled is generated here from the registry, never read from a user or a file.  Inputs are processed
in chunks of :data:`CHUNK` points so that the temporaries of the generated code stay in cache.

Kernels
-------
``tilde_lambda_components(n, alpha)``   the 21 independent components of tilde Lambda, shape (..., 21)
``tilde_lambda(n, alpha)``              all 81 components, shape (..., 3, 3, 3, 3)
``lambda_x_components(x, rho, c_l, c_t)`` / ``lambda_x(...)``   Lambda_ijkl(x), alpha = 1 - c_t^2/c_l^2
``tilde_lambda_contraction(n, e, alpha)``   e_ab tilde Lambda_abcd(n) e_cd, shape (...)
``lambda_x_contraction(x, e, rho, c_l, c_t)``  e_ab Lambda_abcd(x) e_cd

Vectors have shape (..., 3) (directions need not be normalised; zero, infinite or NaN vectors raise
:class:`~glass_sym.errors.InputError`), strains (..., 3, 3); parameters broadcast against the batch shape.
Everything is float64; ``out=`` takes a C-contiguous float64 array of the result's shape.

The 21 independent components are the pairs (ij) <= (kl) of the Voigt pairs 11, 22, 33, 23, 13, 12
(:data:`INDEPENDENT`); the symmetries i<->j, k<->l, (ij)<->(kl) that make this enough are checked in the
``appendix-a`` chain (steps ``symmetry_ij``, ``symmetry_kl``, ``symmetry_pairs``) and again when a kernel is
built (:func:`kernel`).

>>> import numpy as np
>>> t = tilde_lambda(np.array([0.0, 0.0, 2.0]), 0.5)    # n along z (normalised internally)
>>> t.shape, float(t[2, 2, 2, 2])                         # 1 - 3 + alpha (-15 + 18 - 3)/2 = -2
((3, 3, 3, 3), -2.0)
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from glass_sym.errors import DerivationError, InputError

__all__ = [
    "CHUNK", "VOIGT", "BACKENDS", "backend", "loop_source", "INDEPENDENT", "FULL_INDEX", "KERNEL_NAMES", "Kernel", "kernel", "generated_source",
    "alpha_from_speeds", "tilde_lambda_components", "tilde_lambda", "lambda_x_components", "lambda_x",
    "tilde_lambda_contraction", "lambda_x_contraction", "expand_components", "contract_pairs",
]

#: points per chunk of the generated NumPy code (temporaries of 16k doubles stay in L2 cache)
CHUNK = 16384
#: Voigt order of the index pairs
VOIGT: tuple[tuple[int, int], ...] = ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))
#: the 21 independent components (i, j, k, l), (ij) <= (kl) in Voigt order
INDEPENDENT: tuple[tuple[int, int, int, int], ...] = tuple(
    VOIGT[p] + VOIGT[q] for p in range(6) for q in range(p, 6)
)


def _full_index() -> np.ndarray:
    voigt = {pair: v for v, pair in enumerate(VOIGT)}
    pos = {(p, q): c for c, (p, q) in enumerate((p, q) for p in range(6) for q in range(p, 6))}
    idx = np.empty((3, 3, 3, 3), dtype=np.intp)
    for i, j, k, l in np.ndindex(3, 3, 3, 3):
        p, q = voigt[tuple(sorted((i, j)))], voigt[tuple(sorted((k, l)))]
        idx[i, j, k, l] = pos[(min(p, q), max(p, q))]
    return idx


#: FULL_INDEX[i, j, k, l] = position of component ijkl among the 21 independent ones
FULL_INDEX: np.ndarray = _full_index()
FULL_INDEX.setflags(write=False)

#: kernel names accepted by :func:`kernel`
KERNEL_NAMES = ("lambda_tilde", "lambda_x", "lambda_tilde_contraction", "lambda_x_contraction")


@dataclass(frozen=True, eq=False)
class Kernel:
    """A compiled kernel: argument names, output count, the symbolic outputs it was generated from, its source.

    ``func(*args, out)`` evaluates every output for 1-D argument arrays (or scalars) and writes row c of
    ``out`` (shape (outputs, m)).
    """

    name: str
    args: tuple[str, ...]
    exprs: tuple  # SymPy expressions, one per output, in the argument symbols
    source: str
    func: Callable
    loop_source: str = ""

    @property
    def outputs(self) -> int:
        return len(self.exprs)

    @functools.cached_property
    def loop(self) -> Callable:
        """The point-by-point loop version of the same code, compiled with numba (on first use)."""
        import numba  # lazy: start-up time (loaded only when this function runs)

        namespace: dict = {"math": math, "__builtins__": {"range": range}}
        exec(compile(self.loop_source, f"<glass_sym.numerics.kernels:{self.name}:loop>", "exec"), namespace)
        return numba.njit(nogil=True, error_model="numpy")(namespace[f"_loop_{self.name}"])


# ---------------------------------------------------------------------- code generation
def _printer():
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)
    from sympy.printing.pycode import PythonCodePrinter  # lazy: start-up time (loaded only when this function runs)

    class _Printer(PythonCodePrinter):
        """Python printer for array code: small integer powers as products, rationals as float literals."""

        def _print_Pow(self, expr, rational=False):
            base, exp = expr.as_base_exp()
            if exp.is_Integer and 1 <= abs(int(exp)) <= 6:
                prod = "*".join([self.parenthesize(base, sp.printing.precedence.PRECEDENCE["Mul"] + 1)]
                                * abs(int(exp)))
                return prod if exp > 0 else f"1.0/({prod})"
            return super()._print_Pow(expr, rational=rational)

        def _print_Rational(self, expr):
            return repr(float(expr))

        def _print_Integer(self, expr):
            return repr(float(expr))

    return _Printer({"standard": "python3"})


@functools.lru_cache(maxsize=16)
def _cse(exprs: tuple):
    """sympy.cse of the outputs, shared by :func:`generated_source` and :func:`loop_source` (one CSE per kernel)."""
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)

    return sp.cse(list(exprs), symbols=sp.numbered_symbols("_t"), optimizations="basic")


def generated_source(func_name: str, arg_names, exprs) -> str:
    """Python source of ``def func_name(*arg_names, out)`` evaluating ``exprs`` with CSE into ``out[c]``.

    >>> import sympy as sp
    >>> a, b = sp.symbols("a b")
    >>> print(generated_source("f", ["a", "b"], [a**2 + b, (a**2 + b) * b]))
    def f(a, b, out):
        _t0 = a*a + b
        out[0] = _t0
        out[1] = _t0*b
        return out
    <BLANKLINE>
    """
    printer = _printer()
    reps, reduced = _cse(tuple(exprs))
    lines = [f"def {func_name}({', '.join(arg_names)}, out):"]
    lines += [f"    {sym} = {printer.doprint(val)}" for sym, val in reps]
    lines += [f"    out[{c}] = {printer.doprint(e)}" for c, e in enumerate(reduced)]
    lines.append("    return out")
    return "\n".join(lines) + "\n"


def loop_source(func_name: str, arg_names, exprs, with_r: bool, n_params: int, strains: bool) -> str:
    """Source of a point-by-point loop (for numba) computing the same outputs as :func:`generated_source`.

    Signature ``f(v, params, steps, e, normalize, out) -> int``: rows of v (m, 3) are the vectors
    (normalised in the loop when ``normalize``; r = |v|), ``params`` (n_params, m') with ``steps[j]`` = 0
    (broadcast scalar) or 1, ``e`` (m, 9) strains.  Returns -1, or the first row that is zero or not finite.
    """
    printer = _printer()
    reps, reduced = _cse(tuple(exprs))
    body = [
        "v0 = v[i, 0]", "v1 = v[i, 1]", "v2 = v[i, 2]",
        "s = max(abs(v0), abs(v1), abs(v2))",
        "if not (s > 0.0 and s < math.inf):",
        "    return i",
        "if normalize:",
        "    inv = 1.0 / s", "    w0 = v0 * inv", "    w1 = v1 * inv", "    w2 = v2 * inv",
        "    rw = math.sqrt(w0*w0 + w1*w1 + w2*w2)", "    q = 1.0 / rw",
        "    n1 = w0 * q", "    n2 = w1 * q", "    n3 = w2 * q", "    r = s * rw",
        "else:",
        "    n1 = v0", "    n2 = v1", "    n3 = v2", "    r = math.sqrt(v0*v0 + v1*v1 + v2*v2)",
    ]
    names = list(arg_names)
    first_param = 4 if with_r else 3
    for j in range(n_params):
        body.append(f"{names[first_param + j]} = params[{j}, i * steps[{j}]]")
    if strains:
        for j in range(9):
            body.append(f"{names[first_param + n_params + j]} = e[i, {j}]")
    body += [f"{sym} = {printer.doprint(val)}" for sym, val in reps]
    body += [f"out[i, {c}] = {printer.doprint(x)}" for c, x in enumerate(reduced)]
    lines = [f"def {func_name}(v, params, steps, e, normalize, out):",
             "    for i in range(v.shape[0]):"]
    lines += [f"        {b}" for b in body]
    lines.append("    return -1")
    return "\n".join(lines) + "\n"


def _compile(name: str, arg_names, exprs, with_r: bool, n_params: int, strains: bool) -> Kernel:
    source = generated_source(f"_kernel_{name}", arg_names, exprs)
    namespace: dict = {"math": math, "__builtins__": {}}
    exec(compile(source, f"<glass_sym.numerics.kernels:{name}>", "exec"), namespace)  # our generated text only
    loop = loop_source(f"_loop_{name}", arg_names, exprs, with_r, n_params, strains)
    return Kernel(name, tuple(arg_names), tuple(exprs), source, namespace[f"_kernel_{name}"], loop)


def _strain_symbols():
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)

    return [sp.Symbol(f"e{a + 1}{b + 1}", real=True) for a in range(3) for b in range(3)]


def _symmetry_defect(t) -> list:
    """Components violating i<->j, k<->l, (ij)<->(kl) (must be empty for 21 components to suffice)."""
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)

    bad = []
    for i, j, k, l in np.ndindex(3, 3, 3, 3):
        c = t[i, j, k, l]
        for o in ((j, i, k, l), (i, j, l, k), (k, l, i, j)):
            if sp.expand(c - t[o]) != 0:
                bad.append(((i, j, k, l), o))
    return bad


@functools.lru_cache(maxsize=None)
def _alpha_definition():
    from glass_sym.symbols import c_l, c_t  # lazy: keeps start-up light (this module is imported without SymPy)

    return 1 - c_t**2 / c_l**2  # the project's convention (glass_sym.symbols.alpha): alpha = 1 - c_t^2/c_l^2


def _parameters() -> dict:
    from glass_sym.symbols import alpha, c_l, c_t, r, rho  # lazy: start-up time (this module is imported without SymPy)

    #: closed form -> the scalar arguments its kernels take after the direction n (in this order)
    return {"lambda_tilde": (alpha,), "lambda_x": (r, rho, c_l, c_t)}


@functools.lru_cache(maxsize=None)
def kernel(name: str) -> Kernel:
    """Build (once per process) the kernel ``name`` from the registry; see :data:`KERNEL_NAMES`.

    >>> kernel("lambda_tilde").args
    ('n1', 'n2', 'n3', 'alpha')
    """
    import sympy as sp  # lazy: start-up time (loaded only when this function runs)

    from glass_sym.algebra.tensor import Tensor  # lazy: keeps start-up light (this module is imported without SymPy)
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.records.closed_form import arguments_of
    from glass_sym.records.derivation import get  # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.symbols import N, alpha, r  # lazy: keeps start-up light (this module is imported without SymPy)

    if name not in KERNEL_NAMES:
        raise InputError(f"unknown kernel {name!r}; expected one of {', '.join(KERNEL_NAMES)} (any registered "
                         "closed form, e.g. 'f1': glass_sym.numerics.functions.numeric_function)")
    base = "lambda_tilde" if name.startswith("lambda_tilde") else "lambda_x"
    form = get(base)
    t = form.value.to_tensor()
    if base == "lambda_x":
        t = t.xreplace({alpha: _alpha_definition()})
    if name.endswith("_contraction"):
        es = _strain_symbols()
        strain = Tensor(2, es)
        exprs = [sp.expand(t.contract_with(strain, strain))]
    else:
        bad = _symmetry_defect(t)
        if bad:
            raise DerivationError(f"registered {base} lacks the pair symmetries: {bad[:3]}")
        exprs = [sp.expand(t[idx]) for idx in INDEPENDENT]
        es = []
    # the kernel's arguments are those of the closed form (alpha eliminated for lambda_x), in the form's
    # argument order; the wrappers pass the direction, then the parameters of _parameters()[base], then strains
    arguments = arguments_of(tuple(exprs))
    syms = [s for a in arguments for s in a.symbols if s not in es]
    params = _parameters()[base]
    if tuple(syms) != tuple(N) + params:
        raise DerivationError(f"registered {base} ({form.label}) has arguments {[a.name for a in arguments]}; "
                              f"the kernel passes n, {', '.join(s.name for s in params)}")
    args = tuple(s.name for s in syms + es)
    with_r = r in params  # the loop computes r = |x| itself and passes n = x/r
    return _compile(name, args, exprs, with_r, len(params) - with_r, name.endswith("_contraction"))


# ---------------------------------------------------------------------- input checking
def _as_array(value, name: str) -> np.ndarray:
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:     # np.asarray("0.5", float) converts
        raise InputError(f"{name}: expected real numbers, got {type(value).__name__} {value!r}")
    raw = np.asarray(value)
    if raw.dtype.kind not in "iuf":
        raise InputError(f"{name}: expected real numbers, got an array of {raw.dtype}")
    return raw.astype(np.float64)


def _first_bad(mask: np.ndarray, batch: tuple) -> tuple:
    flat = int(np.flatnonzero(mask)[0])
    return tuple(int(i) for i in np.unravel_index(flat, batch)) if batch else ()


def _param(value, name: str, *, positive: bool = True) -> np.ndarray:
    arr = _as_array(value, name)
    bad = ~np.isfinite(arr) | (arr <= 0) if positive else ~np.isfinite(arr)
    if bad.any():
        at = _first_bad(bad, arr.shape)
        raise InputError(f"{name}: expected a finite number > 0, got {arr[at] if at else float(arr)!r}"
                         + (f" at index {at}" if at else ""))
    return arr


def _alpha_param(value) -> np.ndarray:
    arr = _as_array(value, "alpha")
    bad = ~(np.isfinite(arr) & (arr > 0) & (arr < 1))
    if bad.any():
        at = _first_bad(bad, arr.shape)
        raise InputError("alpha = 1 - c_t^2/c_l^2: expected 0 < alpha < 1 (0 < c_t < c_l), got "
                         f"{float(arr[at]) if at else float(arr)!r}" + (f" at index {at}" if at else ""))
    return arr


def alpha_from_speeds(c_l, c_t) -> np.ndarray:
    """alpha = 1 - c_t^2/c_l^2 for sound speeds with 0 < c_t < c_l (any consistent unit).

    >>> float(alpha_from_speeds(5.80, 3.80))
    0.5707491082045184
    """
    cl, ct = _param(c_l, "c_l"), _param(c_t, "c_t")
    bad = np.broadcast_to(ct >= cl, np.broadcast_shapes(cl.shape, ct.shape))
    if bad.any():
        at = _first_bad(bad, bad.shape)
        raise InputError(f"c_t must be smaller than c_l (alpha = 1 - c_t^2/c_l^2 > 0), got c_l = "
                         f"{float(np.broadcast_to(cl, bad.shape)[at])!r}, c_t = {float(np.broadcast_to(ct, bad.shape)[at])!r}")
    return 1.0 - (ct / cl) ** 2


def _vectors(value, name: str, width: int = 3) -> np.ndarray:
    arr = _as_array(value, name)
    if arr.ndim < 1 or arr.shape[-1] != width:
        raise InputError(f"{name}: expected an array of shape (..., {width}), got shape {arr.shape}")
    return arr


def _unit_rows(v: np.ndarray, name: str, offset: int, batch: tuple, zero_text: str):
    """(n1, n2, n3, r) of the rows of v (m, 3); robust to overflow/underflow of the squared norm."""
    s = np.abs(v).max(axis=1)
    bad = ~np.isfinite(s)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        at = tuple(int(x) for x in np.unravel_index(offset + i, batch)) if batch else ()
        raise InputError(f"{name}: expected finite vectors, got {v[i].tolist()} at index {at}")
    if (s == 0).any():
        i = int(np.flatnonzero(s == 0)[0])
        at = tuple(int(x) for x in np.unravel_index(offset + i, batch)) if batch else ()
        raise InputError(f"{name}: {zero_text}, got {v[i].tolist()} at index {at}")
    w = v / s[:, None]
    rw = np.sqrt(np.einsum("ij,ij->i", w, w))
    n = w / rw[:, None]
    return n[:, 0].copy(), n[:, 1].copy(), n[:, 2].copy(), s * rw


def _output(out, shape: tuple, name: str) -> np.ndarray:
    if out is None:
        return np.empty(shape, dtype=np.float64)
    if not isinstance(out, np.ndarray) or out.dtype != np.float64 or out.shape != shape \
            or not out.flags.c_contiguous or not out.flags.writeable:
        got = f"{type(out).__name__} {getattr(out, 'dtype', '')} {getattr(out, 'shape', '')}".strip()
        raise InputError(f"out ({name}): expected a writeable C-contiguous float64 array of shape {shape}, got {got}")
    return out


def _flat_param(p: np.ndarray, batch: tuple):
    """A 0-d parameter as a Python float (cheap scalar arithmetic), else flattened to the batch."""
    if p.ndim == 0:
        return float(p)
    return np.broadcast_to(p, batch).reshape(-1)


BACKENDS = ("numba", "numpy")


@functools.lru_cache(maxsize=1)
def _numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def backend() -> str:
    """The backend in use: ``numba`` (point loop, JIT-compiled once per process) when numba is installed,
    else ``numpy`` (chunked array code); the environment variable GLASS_SYM_KERNEL_BACKEND=numpy forces
    the latter.

    >>> backend() in BACKENDS
    True
    """

    forced = os.environ.get("GLASS_SYM_KERNEL_BACKEND", "").strip().lower()
    if forced and forced not in BACKENDS:
        raise InputError(f"GLASS_SYM_KERNEL_BACKEND: expected one of {', '.join(BACKENDS)}, got {forced!r}")
    if forced == "numpy" or not _numba_available():
        return "numpy"
    return "numba"


def _run(kern: Kernel, vec, vec_name: str, params: list, strains, batch: tuple, out: np.ndarray,
         zero_text: str, with_r: bool, normalize: bool) -> None:
    m_total = int(np.prod(batch, dtype=np.int64))
    if m_total == 0:
        return
    if backend() == "numba":
        _run_loop(kern, vec, vec_name, params, strains, batch, out, zero_text, normalize, m_total)
        return
    flat_out = out.reshape(m_total, -1) if out.ndim > len(batch) else out.reshape(m_total, 1)
    v = np.broadcast_to(vec, batch + (3,)).reshape(m_total, 3)
    flat_params = [_flat_param(p, batch) for p in params]
    e = None if strains is None else np.broadcast_to(strains, batch + (3, 3)).reshape(m_total, 9)
    buf = np.empty((kern.outputs, min(CHUNK, max(m_total, 1))))
    for s in range(0, m_total, CHUNK):
        stop = min(m_total, s + CHUNK)
        chunk = v[s:stop]
        if normalize:
            n1, n2, n3, r = _unit_rows(chunk, vec_name, s, batch, zero_text)
        else:
            n1, n2, n3 = (np.ascontiguousarray(chunk[:, i]) for i in range(3))
            r = None
        args = [n1, n2, n3] + ([r] if with_r else [])
        args += [p if isinstance(p, float) else p[s:stop] for p in flat_params]
        if e is not None:
            args += [np.ascontiguousarray(e[s:stop, i]) for i in range(9)]
        b = buf[:, : stop - s]
        kern.func(*args, b)
        flat_out[s:stop] = b.T


def _run_loop(kern: Kernel, vec, vec_name, params, strains, batch, out, zero_text, normalize, m_total) -> None:
    v = np.ascontiguousarray(np.broadcast_to(vec, batch + (3,)).reshape(m_total, 3))
    steps = np.array([0 if p.size == 1 else 1 for p in params], dtype=np.int64)
    width = m_total if steps.any() else 1
    table = np.empty((len(params), width))
    for j, p in enumerate(params):
        table[j] = p.reshape(-1)[0] if p.size == 1 else np.broadcast_to(p, batch).reshape(-1)
    e = (np.zeros((1, 9)) if strains is None
         else np.ascontiguousarray(np.broadcast_to(strains, batch + (3, 3)).reshape(m_total, 9)))
    flat_out = out.reshape(m_total, -1)
    bad = kern.loop(v, table, steps, e, bool(normalize), flat_out)
    if bad >= 0:
        at = tuple(int(x) for x in np.unravel_index(bad, batch)) if batch else ()
        what = zero_text if np.isfinite(v[bad]).all() else "expected finite vectors"
        raise InputError(f"{vec_name}: {what}, got {v[bad].tolist()} at index {at}")


def _batch(vec: np.ndarray, params: list, strains=None) -> tuple:
    shapes = [vec.shape[:-1], *[p.shape for p in params]]
    if strains is not None:
        shapes.append(strains.shape[:-2])
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError as exc:
        raise InputError(f"input shapes do not broadcast: {', '.join(map(str, shapes))}") from exc


def _strains(e) -> np.ndarray:
    arr = _as_array(e, "e")
    if arr.ndim < 2 or arr.shape[-2:] != (3, 3):
        raise InputError(f"e: expected strains of shape (..., 3, 3), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise InputError("e: expected finite strain components, got a NaN or infinite entry")
    return arr


# ---------------------------------------------------------------------- public kernels
def tilde_lambda_components(n, alpha, *, out: np.ndarray | None = None, normalize: bool = True) -> np.ndarray:
    """The 21 independent components of tilde Lambda_ijkl(n; alpha), shape (..., 21), order :data:`INDEPENDENT`.

    ``n``: directions (..., 3), normalised here (``normalize=False``: the caller guarantees unit vectors,
    which are then used as given).  ``alpha``: 0 < alpha < 1, broadcast against the batch.

    >>> import numpy as np
    >>> c = tilde_lambda_components(np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0.5)
    >>> c.shape, float(c[0, 0]), float(c[1, FULL_INDEX[1, 1, 1, 1]])     # 11,11 for n = x; 22,22 for n = y
    ((2, 21), -2.0, -2.0)
    """
    n_arr = _vectors(n, "n")
    a = _alpha_param(alpha)
    batch = _batch(n_arr, [a])
    if not normalize and not np.isfinite(n_arr).all():
        raise InputError("n: expected finite unit vectors, got a NaN or infinite entry")
    result = _output(out, batch + (21,), "tilde_lambda_components")
    _run(kernel("lambda_tilde"), n_arr, "n", [a], None, batch, result,
         "expected nonzero direction vectors", False, normalize)
    return result


def expand_components(components: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
    """(..., 21) independent components -> (..., 3, 3, 3, 3) tensor via :data:`FULL_INDEX`.

    >>> import numpy as np
    >>> expand_components(np.arange(21.0))[1, 2, 0, 0]  # 23,11 = 11,23: pair (11, 23)
    np.float64(3.0)
    """
    comp = np.asarray(components, dtype=np.float64)
    if comp.shape[-1:] != (21,):
        raise InputError(f"components: expected shape (..., 21), got {comp.shape}")
    result = _output(out, comp.shape[:-1] + (3, 3, 3, 3), "expand_components")
    np.take(comp, FULL_INDEX, axis=-1, out=result)
    return result


def tilde_lambda(n, alpha, *, out: np.ndarray | None = None) -> np.ndarray:
    """tilde Lambda_ijkl(n; alpha) with all indices, shape (..., 3, 3, 3, 3) (from the 21 components).

    >>> import numpy as np
    >>> t = tilde_lambda(np.array([1.0, 1.0, 0.0]), 0.25)
    >>> bool(np.allclose(t, t.transpose(2, 3, 0, 1)))
    True
    """
    return expand_components(tilde_lambda_components(n, alpha), out=out)


def _speeds(rho, c_l, c_t):
    rho_a, cl, ct = _param(rho, "rho"), _param(c_l, "c_l"), _param(c_t, "c_t")
    alpha_from_speeds(cl, ct)  # raises for c_t >= c_l
    return [rho_a, cl, ct]


def lambda_x_components(x, rho, c_l, c_t, *, out: np.ndarray | None = None) -> np.ndarray:
    """The 21 independent components of Lambda_ijkl(x) (A.13) for displacements x (..., 3), shape (..., 21).

    ``rho`` > 0, 0 < ``c_t`` < ``c_l`` (alpha = 1 - c_t^2/c_l^2), broadcast against the batch; any
    consistent units (SI: x in m, rho in kg/m^3, c in m/s gives Lambda in 1/(Pa m^3)).
    x = 0 (the self-interaction, excluded from the sums) raises.

    >>> import numpy as np
    >>> c = lambda_x_components(np.array([0.0, 0.0, 1.0]), 1.0, 2.0, 1.0)
    >>> round(float(c[FULL_INDEX[2, 2, 2, 2]]) * 8 * np.pi, 12)     # 33,33: -tildeLambda/(8 pi rho c_t^2 r^3) = 2/(8 pi)
    2.0
    """
    x_arr = _vectors(x, "x")
    params = _speeds(rho, c_l, c_t)
    batch = _batch(x_arr, params)
    result = _output(out, batch + (21,), "lambda_x_components")
    _run(kernel("lambda_x"), x_arr, "x", params, None, batch, result,
         "x = 0 is the self-interaction (excluded from the sums, not defined)", True, True)
    return result


def lambda_x(x, rho, c_l, c_t, *, out: np.ndarray | None = None) -> np.ndarray:
    """Lambda_ijkl(x) with all indices, shape (..., 3, 3, 3, 3); see :func:`lambda_x_components`.

    >>> import numpy as np
    >>> round(float(lambda_x(np.array([0.0, 0.0, 1.0]), 1.0, 2.0, 1.0)[2, 2, 2, 2] * 8 * np.pi), 12)
    2.0
    """
    return expand_components(lambda_x_components(x, rho, c_l, c_t), out=out)


def tilde_lambda_contraction(n, e, alpha, *, out: np.ndarray | None = None) -> np.ndarray:
    """e_ab tilde Lambda_abcd(n; alpha) e_cd for strains e (..., 3, 3), shape (...) (generated contraction).

    >>> import numpy as np
    >>> e = np.zeros((3, 3)); e[2, 2] = 1.0
    >>> float(tilde_lambda_contraction(np.array([0.0, 0.0, 1.0]), e, 0.5))
    -2.0
    """
    n_arr = _vectors(n, "n")
    a = _alpha_param(alpha)
    strains = _strains(e)
    batch = _batch(n_arr, [a], strains)
    result = _output(out, batch, "tilde_lambda_contraction")
    _run(kernel("lambda_tilde_contraction"), n_arr, "n", [a], strains, batch, result,
         "expected nonzero direction vectors", False, True)
    return result


def lambda_x_contraction(x, e, rho, c_l, c_t, *, out: np.ndarray | None = None) -> np.ndarray:
    """e_ab Lambda_abcd(x) e_cd for displacements x (..., 3) and strains e (..., 3, 3), shape (...).

    >>> import numpy as np
    >>> e = np.zeros((3, 3)); e[2, 2] = 1.0
    >>> round(float(lambda_x_contraction(np.array([0.0, 0.0, 1.0]), e, 1.0, 2.0, 1.0) * 8 * np.pi), 12)
    2.0
    """
    x_arr = _vectors(x, "x")
    params = _speeds(rho, c_l, c_t)
    strains = _strains(e)
    batch = _batch(x_arr, params, strains)
    result = _output(out, batch, "lambda_x_contraction")
    _run(kernel("lambda_x_contraction"), x_arr, "x", params, strains, batch, result,
         "x = 0 is the self-interaction (excluded from the sums, not defined)", True, True)
    return result


def contract_pairs(X, e, f=None) -> np.ndarray:
    """Numeric e_ab X_abcd f_cd (f = e by default) for arrays X (..., 3, 3, 3, 3), e, f (..., 3, 3).

    >>> import numpy as np
    >>> X = np.zeros((3, 3, 3, 3)); X[2, 2, 2, 2] = 4.0
    >>> e = np.zeros((3, 3)); e[2, 2] = 0.5
    >>> float(contract_pairs(X, e))
    1.0
    """
    X = np.asarray(X, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    f = e if f is None else np.asarray(f, dtype=np.float64)
    if X.shape[-4:] != (3, 3, 3, 3) or e.shape[-2:] != (3, 3) or f.shape[-2:] != (3, 3):
        raise InputError(f"contract_pairs: expected X (...,3,3,3,3), e and f (...,3,3); got {X.shape}, "
                         f"{e.shape}, {f.shape}")
    return np.einsum("...ab,...abcd,...cd->...", e, X, f)
