r"""The comparison engine of the audit: one printed value against one derived value, decided exactly.

:func:`audit_expressions` compares component by component modulo n.n = 1 (every component of the difference
in canonical form), then after symmetrization in (ij) and (kl), then structure by structure
(:mod:`glass_sym.algebra.structures`: which structure differs, by what factor, which are missing or extra, one overall
factor, a sign, a renaming c_t <-> c_l).  :func:`derived_value` / :func:`resolve_form` give the derived side
(the registered closed forms and the Fourier engine's regulated forms).  Every consumer of a comparison (the
whole-paper audit :mod:`glass_sym.audit.printed`, typed input :mod:`glass_sym.audit.typed`, the numeric and coefficient
records, the forensics) uses this one engine.

>>> f = audit_expressions(sp.Integer(2), sp.Integer(1))
>>> f.status, f.details["overall_factor"]
('differs', '2')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr, index_string
from glass_sym.algebra.structures import (decompose_index, diff_structures, differing_components, expand_alpha, pretty,
                                          same_decomposition, symmetrize_index)
from glass_sym.algebra.tensor import canonical
from glass_sym.errors import DivergentExpressionError, IllFormedTensorError, InputError, ParseError
from glass_sym.records.named_forms import derived_value, known_forms, resolve_form  # re-exported
from glass_sym.symbols import c_l, c_t

__all__ = ["STATUSES", "Finding", "audit_expressions", "derived_value", "known_forms", "resolve_form",
           "parse_error_status"]

STATUSES = ("match", "match-symmetrized", "differs", "inconsistent", "not-derived", "unparsed")

#: renamings tried when printed and derived differ: name -> substitution applied to the derived form
_RENAMINGS = (
    ("c_t -> c_l", {c_t: c_l}),
    ("c_l -> c_t", {c_l: c_t}),
    ("c_t <-> c_l", {c_t: c_l, c_l: c_t}),
)

#: notation: parser key of a named tensor -> the closed form it denotes (journal (A.18), (A.19))
_NOTATION = {"Lambda~": "lambda_tilde", "Lambda~(1)": "lambda_tilde_1", "Lambda~(2)": "lambda_tilde_2",
             "Lambda~(ss')": "lambda_tilde", "DeltaLambda~(ss')": "delta_lambda_tilde",
             "DeltaLambda~": "delta_lambda_tilde"}

#: parts of a display that restate the whole quantity (others are limits, chain members or pieces)
_WHOLE_PARTS = (None, "tilde", "prefactor", "split", "definition")

#: forms the audit takes from the Fourier engine directly (not registered closed forms): name ->
#: (numerator indices, power p of 1/(q^2 + lambda^2)^p); the value is ``fourier_transform(...).regulated``,
#: printed part -> suffix of the form it is compared with (``f1`` part ``regulated`` -> ``f1_regulated``)
_PART_FORMS = {"regulated": "_regulated"}


@dataclass
class Finding:
    """One audit record: ``label`` as printed without parentheses, ``version``, ``status``, a one-line
    ``explanation`` and JSON-serialisable ``details``."""

    label: str
    version: str
    status: str
    explanation: str
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "version": self.version, "status": self.status,
                "explanation": self.explanation, "details": self.details}


# ------------------------------------------------------------------------------- core comparison
def _rank(x) -> int:
    return len(x.indices) if isinstance(x, IndexExpr) else 0


def _align(printed, derived, indices: Sequence[str] | None = None):
    """Printed expression with the derived form's index letters and order (positional when letters differ)."""
    if _rank(printed) != _rank(derived):
        raise InputError(f"printed expression has rank {_rank(printed)} (indices "
                         f"{index_string(getattr(printed, 'indices', ()))}), the derived form rank {_rank(derived)} "
                         f"(indices {index_string(getattr(derived, 'indices', ()))})")
    if not isinstance(printed, IndexExpr):
        return printed
    order = tuple(indices) if indices else printed.indices
    if set(order) != set(printed.indices):
        raise InputError(f"indices {index_string(order)} are not a permutation of the free indices "
                         f"{index_string(printed.indices)}")
    if set(printed.indices) == set(derived.indices) and not indices:
        return printed.reorder(derived.indices)
    mapping = dict(zip(order, derived.indices))
    tmp = {a: f"_{a}" for a in order}
    return IndexExpr(printed.rename(tmp).rename({f"_{a}": b for a, b in mapping.items()}).terms, derived.indices)


def _rank0(x):
    """A rank-0 IndexExpr (the registered ``coulomb``) as its scalar value."""
    return x.terms.get((), sp.S.Zero) if isinstance(x, IndexExpr) and not x.indices else x


def _expand(x):
    if isinstance(x, IndexExpr):
        return x.map_coefficients(expand_alpha)
    return expand_alpha(x)


def _subs(x, rule):
    if isinstance(x, IndexExpr):
        return x.map_coefficients(lambda c: c.xreplace(rule))
    return sp.sympify(x).xreplace(rule)


def _differing_components(a, b) -> int:
    """Number of explicit components of a - b that are nonzero modulo the unit relations."""
    if not isinstance(a, IndexExpr):
        return 0 if canonical(sp.sympify(a) - sp.sympify(b)) == 0 else 1
    return differing_components(a - b)


def _pairs(rank: int):
    return ((0, 1), (2, 3)) if rank == 4 else ((0, 1),) if rank == 2 else ()


def _same(a, b) -> bool:
    return same_decomposition(decompose_index(a), decompose_index(b))


def audit_expressions(printed, derived, *, label: str = "user", version: str = "user",
                      against: str | None = None, indices: Sequence[str] | None = None,
                      foreign: frozenset = frozenset()) -> Finding:
    """Compare a printed value with a derived one (IndexExpr of equal rank, or two scalars).

    ``foreign``: symbols of the printed normalization (N, m, a of a q-sum) that the derivation does not
    use; an overall factor made only of them is reported as a normalization, not as a difference.
    """
    printed, derived = _rank0(printed), _rank0(derived)
    printed = _align(printed, derived, indices)
    rank = _rank(derived)
    pe, de = _expand(printed), _expand(derived)
    ndiff = _differing_components(pe, de)
    sd = diff_structures(decompose_index(printed), decompose_index(derived))
    details: dict[str, Any] = {"check": "derived", "against": against, "rank": rank,
                               "componentwise": {"equal": ndiff == 0, "differing_components": ndiff},
                               **sd.as_dict()}
    if ndiff == 0:
        return Finding(label, version, "match", f"equals {against or 'the derived form'} component by component "
                       "(modulo n.n = 1)", details)
    pairs = _pairs(rank)
    status = "differs"
    if pairs:
        ps, ds = symmetrize_index(printed, pairs), symmetrize_index(derived, pairs)
        nsym = _differing_components(_expand(ps), _expand(ds))
        sds = diff_structures(decompose_index(ps), decompose_index(ds))
        details["symmetrized"] = {"pairs": [list(p) for p in pairs], "equal": nsym == 0,
                                  "differing_components": nsym, **sds.as_dict()}
        if nsym == 0:
            status = "match-symmetrized"
    renaming = None
    for name, rule in _RENAMINGS:  # alpha kept as a symbol first, then renamed inside alpha too
        if _same(pe, _expand(_subs(derived, rule))):
            renaming = name
            break
        if _same(pe, _subs(de, rule)):
            renaming = name + " (also inside alpha)"
            break
    details["renaming"] = renaming
    of = sd.overall_factor
    what = against or "the derived form"
    if status == "match-symmetrized":
        expl = (f"equals {what} only after symmetrization in " + ", ".join(f"({printed.indices[a]}{printed.indices[b]})"
                                                                         for a, b in pairs)
                + f"; component-wise {sd.summary(2)}")
    elif of is not None and of != 0 and foreign and (sp.sympify(of).free_symbols <= foreign):
        status = "match"
        details["normalization"] = pretty(of)
        names = ", ".join(sorted(str(x) for x in sp.sympify(of).free_symbols))
        expl = (f"equals {what} up to the printed normalization factor {pretty(of)} (made of printed symbols the "
                f"derivation does not use: {names})")
    elif of is not None and of != 0:
        expl = f"differs from {what} by one overall factor {pretty(of)}" + (" (a sign)" if of == -1 else "")
        if renaming:
            expl += f"; printed = derived with {renaming}"
    elif renaming:
        expl = f"differs from {what}: printed = derived with {renaming}; {sd.summary(2)}"
    else:
        expl = f"differs from {what}: {sd.summary(3)}"
    return Finding(label, version, status, expl, details)


def parse_error_status(exc: ParseError) -> tuple[str, str]:
    """(status, explanation) of a printed value whose LaTeX raised ``exc``, by its type (never its text): an
    ill-formed tensor expression (:class:`~glass_sym.errors.IllFormedTensorError`) or a divergent integral,
    derivative or limit (:class:`~glass_sym.errors.DivergentExpressionError`) is a finding about the print
    (``differs``); any other :class:`~glass_sym.errors.ParseError` is a limit of the reader (``unparsed``)."""
    msg = str(exc)
    if isinstance(exc, IllFormedTensorError):
        return "differs", f"not a well-formed tensor as printed: {msg}"
    if isinstance(exc, DivergentExpressionError):
        return "differs", f"not finite as printed: {msg}"
    return "unparsed", f"printed LaTeX not readable: {msg}"
