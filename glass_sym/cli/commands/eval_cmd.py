"""``glass-sym eval --latex TEX [--json] [--vector NAME] [--scalar NAME]``: compute a typed expression.

Parses the expression (or the right side of ``LHS = RHS``), computes it (Fourier integrals over q,
x-derivatives, lambda -> 0, contractions, traces; named tensors such as ``\\tilde\\Lambda`` are the registered
closed forms) and prints the closed form in index notation and as LaTeX.  ``--json`` prints
``{latex_in, lhs, rank, indices, structures, latex}`` (docs/json.md).  Exit 0, or 2 on bad input (the error
names the position and the cause, e.g. a divergent integral).
"""

from __future__ import annotations

import json
import sys

from glass_sym.errors import ParseError

from .audit import add_declarations, declarations

__all__ = ["HELP", "add_arguments", "run"]

HELP = "compute a typed LaTeX expression (integrals, derivatives, limits, traces) to a closed form"


def add_arguments(p) -> None:
    p.add_argument("--latex", metavar="TEX", required=True, help="the expression (or LHS = RHS) in LaTeX")
    p.add_argument("--json", action="store_true", help="print rank, free indices, structures and LaTeX as JSON")
    add_declarations(p)


def run(args) -> int:
    from glass_sym.audit.typed import \
        evaluate_typed  # lazy: keeps start-up light (this module is imported without SymPy)

    decl = declarations(args)
    try:
        ev = evaluate_typed(args.latex, **decl)
    except ParseError as exc:
        raise type(exc)(f"--latex: {exc}") from None  # keeps the ParseError subclass
    if args.json:
        json.dump(ev.as_dict(), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"rank {ev.rank}" + (f", free indices {ev.indices}" if ev.indices else " (a scalar)"))
    print(f"index notation: {ev.index_text()}")
    print(f"LaTeX: {ev.latex}")
    return 0
