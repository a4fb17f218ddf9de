r"""Expressions a user types: audit one against a closed form or against another, evaluate one.

Three entry points behind ``glass-sym audit --latex``, ``glass-sym audit --latex A --against-latex B`` and
``glass-sym eval --latex A`` (docs/audit.md, docs/parse.md):

* :func:`audit_typed` -- a right-hand side, or a whole equation ``LHS = RHS``, against a registered closed
  form.  For a whole equation the form is the one the left side names (``\tilde\Lambda_{ijkl}(\vec n)`` is
  ``lambda_tilde``, ``f^{(2)}_{jl}`` is ``f2``); the names are read from the left sides of the project's own
  transcriptions (:func:`lhs_forms`), not from a table typed here.
* :func:`compare_typed` -- two typed expressions: equal modulo n.n = 1 and x = r n (the same
  statuses and per-structure differences as the audit, :func:`glass_sym.audit.printed.audit_expressions`).
* :func:`evaluate_typed` -- parse and compute (Fourier integrals over q, x-derivatives, lambda -> 0,
  contractions, traces) and return the closed form with its structures and LaTeX (:class:`Evaluation`).

Named tensors in the text (``\tilde\Lambda``, ``\tilde\Lambda^{(1)}``, ``\Delta\tilde\Lambda``) stand for the
registered closed forms, as in the paper audit.

>>> compare_typed(r"\frac{x_i}{x}", r"n_i").status
'match'
>>> evaluate_typed(r"\hat r_i \hat r_i").value
1
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import sympy as sp

from glass_sym import derivations
from glass_sym.algebra.decide import PRECISION, decide_components, has_functions
from glass_sym.algebra.indexnotation import IndexExpr, index_string
from glass_sym.algebra.latex_notation import index_latex, scalar_latex, vector_text
from glass_sym.algebra.structures import decompose_index
from glass_sym.algebra.tensor import canonical
from glass_sym.errors import InputError, ParseError
from glass_sym.paper.transcriptions import VERSIONS, load_equations
from glass_sym.parse.core import DOT_SYMBOLS
from glass_sym.parse.parser import _top_level_equals, _where, lhs_info, parse_equation, parse_latex
from glass_sym.records.closed_form import Evaluation  # re-exported: typed.Evaluation stays valid

from .compare import _NOTATION, _WHOLE_PARTS, _align, _rank0, audit_expressions, derived_value, resolve_form

__all__ = ["lhs_forms", "form_named_by", "audit_typed", "compare_typed", "evaluate_typed", "Evaluation",
           "split_typed", "declare_tensors"]


# ------------------------------------------------------------------------------- left sides
_OPERATOR_HEADS = frozenset({"lim", "frac", "dfrac", "sum", "int", "operatorname", "mathrm", "left", "partial"})


@functools.lru_cache(maxsize=1)
def lhs_forms() -> dict[str, str]:
    """Left-side name -> registered closed form, read from the transcriptions of both papers.

    A left side (head name plus superscript label, as :func:`glass_sym.parse.parser.lhs_info` reads it) is kept when
    the equations that print it define exactly one registered closed form in a whole-statement part; the
    Joffrin-Levelut variants (``*_jl``) give way to the paper's own form.

    >>> lhs_forms()["Lambda~"], lhs_forms()["f(2)"]
    ('lambda_tilde', 'f2')
    """
    seen: dict[str, set] = {}
    for v in VERSIONS:
        for e in load_equations(v):
            if not e.lhs or e.part not in _WHOLE_PARTS or e.defines not in derivations.PROVIDES:
                continue
            try:
                head = lhs_info(e.lhs)
            except ParseError:
                continue
            if head.name in _OPERATOR_HEADS:      # \lim_{...} f^{(1)}, \frac{...}{...}: not a name
                continue
            seen.setdefault(head.name.replace(" ", "") + head.label, set()).add(e.defines)
    out = {}
    for key, names in seen.items():
        own = {n for n in names if "_jl" not in n}
        names = own or names
        if len(names) == 1:
            out[key] = names.pop()
    return dict(sorted(out.items()))


def form_named_by(lhs: str) -> str | None:
    r"""The registered closed form a left side names (``\tilde{\Lambda}_{ijkl}(\vec n)`` -> ``lambda_tilde``),
    or ``None`` when it names none (see :func:`lhs_forms`)."""
    head = lhs_info(lhs)
    return lhs_forms().get(head.name.replace(" ", "") + head.label)


def _q(text: str) -> str:
    """LaTeX quoted for a message as typed (no repr escaping of backslashes)."""
    return f"'{text}'"


def _rank_text(v) -> str:
    return f"rank {len(v.indices)} (free indices {index_string(v.indices)})" if isinstance(v, IndexExpr) and \
        v.indices else "rank 0 (a scalar)"


def split_typed(text: str) -> tuple[str | None, str]:
    """``(lhs, rhs)`` of a typed equation, ``(None, text)`` for an expression (one top-level ``=`` at most)."""
    if not isinstance(text, str):
        raise ParseError(f"LaTeX input must be a str, got {type(text).__name__}")
    eqs = _top_level_equals(text)
    if not eqs:
        return None, text
    if len(eqs) > 1:
        raise ParseError(f"{_where(text, eqs[1][0])}: expected at most one top-level '=' or \\equiv, "
                         f"found {len(eqs)}")
    (a, b), = eqs
    return text[:a], text[b:]


def declare_tensors(definitions: Sequence[str], *, vectors: Sequence[str] = (), scalars: Sequence[str] = ()) -> dict:
    r"""Tensors defined by the user, ``['T_{ij} = \delta_{ij} - 3 n_i n_j', ...]`` -> ``{'T': IndexExpr}``
    (the ``tensors=`` of :func:`glass_sym.parse.parser.parse_latex`; CLI ``--tensor``).

    The left side names the tensor and the order of its indices; the right side must carry exactly those free
    indices.  Raises :class:`ParseError` / :class:`InputError` naming the definition.

    >>> declare_tensors([r"T_{ij} = \delta_{ij} - 3 n_i n_j"])["T"].indices
    ('i', 'j')
    """
    if isinstance(definitions, str):
        raise InputError(f"tensor definitions must be a list of 'NAME_{{ij}} = ...' strings, got the string "
                         f"{definitions!r}")
    out: dict = {}
    for d in definitions:
        lhs, _ = split_typed(d)
        if lhs is None:
            raise InputError(f"--tensor {_q(d[:40])}: expected a definition NAME_{{ij}} = <LaTeX>")
        head = lhs_info(lhs)
        if not head.indices:
            raise InputError(f"--tensor {_q(d[:40])}: the left side must carry the tensor's indices, as T_{{ij}}")
        try:
            _, value = parse_equation(d, indices=head.indices, tensors=dict(out) or None, vectors=vectors,
                                      scalars=scalars)
        except ParseError as exc:
            raise type(exc)(f"--tensor {_q(lhs.strip())}: {exc}") from None  # keeps the ParseError subclass
        if not isinstance(value, IndexExpr) or set(value.indices) != set(head.indices):
            raise InputError(f"--tensor {_q(lhs.strip())}: the right side must carry the free indices "
                             f"{''.join(head.indices)}")
        out[head.name.replace(" ", "") + head.label] = value
    return out


class _Registered(dict):
    """Named tensors of the papers' notation that a typed text may use, computed on first use: the left sides of
    :func:`lhs_forms` with an accent or a label (``\\tilde\\Lambda``, ``f^{(2)}``, ``\\mu^{(ss')}``) and the
    audit's notation; a plain name such as ``\\Lambda`` stays a symbol."""

    def __init__(self):
        super().__init__()
        self._forms = {**{k: v for k, v in lhs_forms().items() if "~" in k or "(" in k}, **_NOTATION}

    def __contains__(self, key):
        return dict.__contains__(self, key) or key in self._forms

    def __getitem__(self, key):
        if not dict.__contains__(self, key):
            self[key] = derived_value(self._forms[key])
        return dict.__getitem__(self, key)

    def __bool__(self):
        return True


def _notation(text: str) -> dict:
    return _Registered()


def _parse(text: str, *, vectors=(), scalars=(), tensors=None, indices=None):
    """A typed expression or equation (its right side, indices in the order its left side writes)."""
    lhs, _ = split_typed(text)
    known = _notation(text)
    known.update(tensors or {})
    if lhs is None:
        return parse_latex(text, tensors=known or None, vectors=vectors, scalars=scalars, indices=indices)
    return parse_equation(text, tensors=known or None, vectors=vectors, scalars=scalars, indices=indices)[1]


def _lhs_indices(lhs: str | None) -> tuple:
    return lhs_info(lhs).indices if lhs else ()


# ------------------------------------------------------------------------------- audits
def audit_typed(latex: str, against: str | None = None, indices: Sequence[str] | None = None, *,
                vectors: Sequence[str] = (), scalars: Sequence[str] = (), tensors=None, label: str = "user",
                version: str = "user"):
    r"""Audit a typed right-hand side or whole equation against a registered closed form.

    Parameters
    ----------
    latex : str
        ``RHS`` or ``LHS = RHS`` in LaTeX index notation.
    against : str, optional
        The closed form (``glass-sym show`` lists them).  For a whole equation it defaults to the form the
        left side names; giving a different one is an error.
    indices : sequence of str, optional
        Order of the typed free indices, mapped position by position onto the closed form's indices
        (default: the left side's index order, else the same letters, else alphabetical).
    vectors, scalars : sequence of str
        Declared vector letters and scalar names (:func:`glass_sym.parse.parser.parse_latex`).
    tensors : mapping, optional
        Named tensors the text uses (:func:`declare_tensors`).

    Returns
    -------
    glass_sym.audit.printed.Finding

    Raises
    ------
    InputError
        Unknown closed form (with a suggestion), no closed form named or given, a left side naming another
        form than ``against``, a rank mismatch.
    ParseError
        Unreadable LaTeX (position and cause).

    Examples
    --------
    >>> audit_typed(r"f^{(2)}_{jl} = \frac{\delta_{jl} - 3 n_j n_l}{4\pi r^3}").status
    'match'
    """
    lhs, _ = split_typed(latex)
    named = form_named_by(lhs) if lhs is not None else None
    if against is None:
        if lhs is None:
            raise InputError("give the closed form to compare with (--against NAME; `glass-sym show` lists "
                             "them) or a whole equation whose left side names one")
        if named is None:
            raise InputError(f"left side {_q(lhs.strip())} names no registered closed form (known left sides: "
                             f"{', '.join(sorted(lhs_forms()))}); give --against NAME or --against-latex TEX")
        against = named
    elif named is not None and named != against:
        raise InputError(f"the left side names the closed form {named!r}, but --against is {against!r}")
    try:
        derived = resolve_form(against)
    except InputError as exc:
        raise InputError(f"--against: {exc}") from None
    printed = _parse(latex, vectors=vectors, scalars=scalars, tensors=tensors)
    if (len(printed.indices) if isinstance(printed, IndexExpr) else 0) != \
            (len(_rank0(derived).indices) if isinstance(_rank0(derived), IndexExpr) else 0) and \
            not (not isinstance(printed, IndexExpr) and printed == 0):
        raise InputError(f"cannot compare: the typed expression has {_rank_text(printed)}, the closed form "
                         f"{against!r} has {_rank_text(_rank0(derived))}")
    if not isinstance(printed, IndexExpr) and printed == 0 and isinstance(_rank0(derived), IndexExpr):
        printed = IndexExpr.zero(_rank0(derived).indices)
    order = indices or (_lhs_indices(lhs) if isinstance(printed, IndexExpr) and
                        set(_lhs_indices(lhs)) == set(printed.indices) else None) or None
    f = audit_expressions(printed, derived, label=label, version=version, against=against, indices=order)
    f = decide_functions(f, printed, derived, order)
    if lhs is not None:
        f.details["lhs"] = lhs.strip()
    return f


def compare_typed(a: str, b: str, *, indices: Sequence[str] | None = None, vectors: Sequence[str] = (),
                  scalars: Sequence[str] = (), tensors=None, label: str = "user", version: str = "user",
                  names: tuple[str, str] = ("first expression", "second expression")):
    r"""Are two typed expressions equal (modulo n.n = 1, x = r n, q = q qhat)?  ``a`` plays the printed side.

    Either side may be a whole equation; its right side is compared.  ``names`` prefix parse errors (the CLI
    passes its option names).  Free indices are matched by letter when
    both sides use the same letters, else position by position (``indices`` gives the order of ``a``'s).
    Returns a :class:`glass_sym.audit.printed.Finding` with status ``match``, ``match-symmetrized`` or ``differs`` and
    the per-structure differences in ``details``; raises :class:`InputError` when the ranks differ and
    :class:`ParseError` for unreadable LaTeX.

    >>> f = compare_typed(r"\frac{\delta_{jl}}{4\pi r^3}-\frac{3x_jx_l}{4\pi r^5}",
    ...                   r"\int \frac{d^3q}{(2\pi)^3} \frac{q_j q_l}{q^2} e^{i\vec q\cdot\vec x}")
    >>> f.status
    'match'
    """
    values = []
    for text, name in zip((a, b), names):
        try:
            values.append(_parse(text, vectors=vectors, scalars=scalars, tensors=tensors))
        except ParseError as exc:
            raise type(exc)(f"{name}: {exc}") from None  # keeps the ParseError subclass
    va, vb = values
    if isinstance(va, IndexExpr) != isinstance(vb, IndexExpr):     # a literal 0 stands for the zero tensor
        if not isinstance(va, IndexExpr) and va == 0:
            va = IndexExpr.zero(vb.indices)
        elif not isinstance(vb, IndexExpr) and vb == 0:
            vb = IndexExpr.zero(va.indices)
    lb, rb = split_typed(b)
    if isinstance(vb, IndexExpr) and lb is not None and set(_lhs_indices(lb)) == set(vb.indices):
        vb = vb.reorder(_lhs_indices(lb))
    la, _ = split_typed(a)
    if indices is None and isinstance(va, IndexExpr) and la is not None and \
            set(_lhs_indices(la)) == set(va.indices):
        indices = _lhs_indices(la)
    ra, rk = (len(v.indices) if isinstance(v, IndexExpr) else 0 for v in (va, vb))
    if ra != rk:
        raise InputError(f"cannot compare: the {names[0]} expression has {_rank_text(va)}, the {names[1]} "
                         f"expression has {_rank_text(vb)}")
    shown = rb.strip() if len(rb.strip()) <= 60 else rb.strip()[:57] + "..."
    f = audit_expressions(va, vb, label=label, version=version, against=f"the expression {shown}",
                          indices=indices)
    f = decide_functions(f, va, vb, indices)
    f.details["against_latex"] = b
    return f


#: status of a comparison whose difference contains functions and is neither reduced to 0 by exact rewrites
#: nor proven nonzero at a point (glass_sym.algebra.decide); ``glass-sym audit`` exits 3
UNDECIDED = "undecided"


def decide_functions(f, printed, derived, indices=None):
    r"""A ``differs`` finding whose difference contains non-polynomial functions, decided by
    :func:`glass_sym.algebra.decide.decide_components`: ``match`` when exact rewrites (exp form, trig identities) reach
    0, ``differs`` kept only when a rational point proves the difference nonzero (50 digits), else
    :data:`UNDECIDED`.  ``details['functions']`` records how it was decided.  Other findings are returned as
    they are."""
    if f.status != "differs":
        return f
    p, d = _rank0(printed), _rank0(derived)
    coeffs = list(p.terms.values()) + list(d.terms.values()) if isinstance(p, IndexExpr) else [p, d]
    if not any(has_functions(c) for c in coeffs):
        return f
    status, n = decide_components(_align(p, d, indices), d)
    what = f.details.get("against") or "the derived form"
    if status == "zero":
        f.status = "match"
        f.explanation = (f"equals {what} after exact rewriting of its functions (exp form, trigonometric and "
                         "hyperbolic identities)")
        f.details["functions"] = {"decided": "equal", "how": "exact rewrite to 0"}
    elif status == "nonzero":
        f.details["functions"] = {"decided": "differs", "how": f"{n} component(s) nonzero at a rational point, "
                                  f"evaluated to {PRECISION} digits"}
        f.explanation += f" (proven: the difference is nonzero at a rational point, {PRECISION} digits)"
    else:
        f.status = UNDECIDED
        f.explanation = (f"cannot decide whether it equals {what}: the difference contains functions or roots, exact "
                         "rewrites do not reduce it to 0 and no evaluation at a point proves it nonzero")
        f.details["functions"] = {"decided": "undecided", "how": "no exact rewrite to 0, no point proves it nonzero"}
    return f


# ------------------------------------------------------------------------------- evaluation
def evaluate_typed(latex: str, *, vectors: Sequence[str] = (), scalars: Sequence[str] = (),
                   tensors=None) -> Evaluation:
    r"""Parse and compute a typed expression (or the right side of an equation) to a closed form.

    Raises :class:`ParseError` (position and cause) for unreadable or non-computable input, e.g. a divergent
    Fourier integral.

    >>> ev = evaluate_typed(r"\int \frac{d^3q}{(2\pi)^3} \frac{q_i}{q^4} e^{i\vec q\cdot\vec x}")
    >>> ev.indices, ev.structures
    ('i', {'n_i': I/(8*pi)})
    """
    lhs, _ = split_typed(latex)
    dots: dict = {}
    token = DOT_SYMBOLS.set(dots)       # display: dot products that survive as (u.v) symbols
    try:
        shown = _parse(latex, vectors=vectors, scalars=scalars, tensors=tensors)
    finally:
        DOT_SYMBOLS.reset(token)
    to_latex = {}
    for sym in dots:
        a, b = sym.name[1:-1].split(".")
        to_latex[sym] = sp.Symbol(f"({vector_text(a)} \\cdot {vector_text(b)})")

    def explicit(c):
        return sp.factor(canonical(sp.sympify(c).xreplace(dots)))

    def display(c):
        return sp.factor(canonical(c))

    if isinstance(shown, IndexExpr):
        value = shown.map_coefficients(explicit)
        shown = shown.map_coefficients(display)
        text = index_latex(shown.map_coefficients(lambda c: c.xreplace(to_latex)))
        idx = "".join(value.indices) if all(len(i) == 1 for i in value.indices) else ",".join(value.indices)
    else:
        value = explicit(shown)
        shown = display(shown)
        text = scalar_latex(sp.sympify(shown).xreplace(to_latex))
        idx = ""
    structures = {k: sp.factor(v) for k, v in decompose_index(shown).items()}
    return Evaluation(latex, value, idx, structures, text, lhs.strip() if lhs else None)
