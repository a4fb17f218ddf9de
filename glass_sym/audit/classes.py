r"""The classes of an audit row, worst first, and the rounding rule that classes a printed Table 1 fit.

The rule that assigns them to findings is :mod:`glass_sym.audit.rows` (docs/forensics.md); this module holds
what the rows and the fit forensics (:mod:`glass_sym.audit.forensics_fit`) share.

>>> rank_class(["verified", "rounding", "unchecked"])
'rounding'
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

__all__ = ["CLASSES", "rank_class", "classify_fit"]

#: worst first
CLASSES = ("error", "convention-or-prefactor", "extraction-artefact", "rounding", "quotation", "verified",
           "unchecked")


def rank_class(classes: Sequence[str]) -> str:
    """The worst class among ``classes``, ignoring ``unchecked`` unless nothing else is present."""
    checked = [c for c in classes if c != "unchecked"]
    if not checked:
        return "unchecked"
    return min(checked, key=CLASSES.index)


# ------------------------------------------------------------------------------- numbers (rounding)
def _digits(printed) -> int:
    s = format(Decimal(str(printed)), "f")
    return len(s.split(".")[1]) if "." in s else 0


def _rounded(value: float, printed) -> tuple[bool, bool]:
    """(rounds to printed, truncates to printed) at the printed number of decimals."""
    n = _digits(printed)
    p = Fraction(Decimal(str(printed)))
    q = Fraction(Decimal(10)) ** n
    v = Fraction(value)
    rnd = Fraction(round(v * q)) / q
    tr = Fraction(int(v * q)) / q
    return rnd == p, tr == p


def classify_fit(d: dict) -> tuple[str, str]:
    """Class and explanation of a Table 1 fit record (``details`` of a ``fit`` finding).

    Each printed quantity (slope, r) is compared with the values computed from the printed ratios and from
    the unrounded ratios: within half a unit of the last printed digit -> verified; else rounded or truncated
    to the printed digits equals the printed number -> rounding (say which); else error.

    >>> classify_fit({"printed_slope": 1.102, "slope": 1.1027, "slope_unrounded": 1.1027, "printed_r": None})
    ('rounding', 'slope 1.1027 truncated to 3 decimals gives the printed 1.102')
    """
    worst, says = "verified", []
    for q in ("slope", "r"):
        p = d.get(f"printed_{q}")
        if p is None:
            continue
        vals = [v for v in (d.get(q), d.get(f"{q}_unrounded")) if v is not None]
        tol = Fraction(1, 2) / Fraction(10) ** _digits(p)
        if any(abs(Fraction(Decimal(str(v))) - Fraction(Decimal(str(p)))) <= tol for v in vals):
            continue
        how = None
        for v in vals:
            rnd, tr = _rounded(v, p)
            if rnd or tr:
                how = (v, "rounded" if rnd else "truncated")
                break
        box = d.get(f"{q}_interval")
        if how:
            says.append(f"{q} {how[0]:.4f} {how[1]} to {_digits(p)} decimals gives the printed {p}")
            worst = rank_class([worst, "rounding"])
        elif box and box[0] <= float(p) <= box[1]:
            says.append(f"{q} {vals[0]:.4f}" + (f" (unrounded ratios {vals[-1]:.4f})" if len(vals) > 1 else "")
                        + f": the printed {p} lies inside the range {box[0]:.4f} to {box[1]:.4f} that {q} takes "
                          f"when the table's ratios vary within their printed digits (rounding of the inputs)")
            worst = rank_class([worst, "rounding"])
        else:
            alt = f" (from the unrounded ratios {vals[-1]:.4f})" if len(vals) > 1 else ""
            rng = f", nor lies in the range {box[0]:.4f} to {box[1]:.4f} allowed by the inputs' digits" if box else ""
            says.append(f"{q} {vals[0]:.4f}{alt} neither rounds nor truncates to the printed {p}{rng}")
            worst = "error"
    if not says:
        return "verified", "slope and r within half a unit of their last printed digit"
    return worst, "; ".join(says)
