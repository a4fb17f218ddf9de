"""``glass-sym show [NAME] [--latex | --json]``: a registered closed form, or the list of them.

Without NAME: every closed form with its paper labels (the equations of both versions that state it) and a
one-line description.  With NAME: its free indices, index notation and LaTeX; ``--latex`` prints only the
LaTeX, ``--json`` ``{name, rank, indices, structures, latex, labels, derivation}`` (docs/json.md).  An unknown
name exits 2 with a suggestion.
"""

from __future__ import annotations

import json
import sys

from glass_sym import derivations
from glass_sym.errors import InputError
from glass_sym.paper.transcriptions import VERSIONS, load_equations

__all__ = ["HELP", "add_arguments", "run", "paper_labels"]

HELP = "show a registered closed form (index notation, LaTeX, JSON) or list them with their paper labels"


def add_arguments(p) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="closed form to show (default: list them)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--latex", action="store_true", help="print only the LaTeX of NAME")
    g.add_argument("--json", action="store_true", help="print JSON")


def paper_labels() -> dict[str, list[str]]:
    """closed-form name -> ['jpcm2020 (A.17)', 'preprint (A14)', ...] from the transcriptions' ``defines``."""
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.audit.printed import _PART_FORMS
    out: dict[str, list[str]] = {}
    for v in VERSIONS:
        for e in load_equations(v):
            name = e.defines + _PART_FORMS.get(e.part or "", "")
            tag = f"{v} ({e.label})"
            if tag not in out.setdefault(name, []):
                out[name].append(tag)
    return out


def run(args) -> int:
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.audit.printed import known_forms

    labels = paper_labels()
    if args.name is None:

        if args.latex:
            raise InputError("--latex needs NAME (glass-sym show NAME --latex)")
        rows = [{"name": n, "labels": labels.get(n, []), "description": _description(n)} for n in known_forms()]
        if args.json:
            json.dump(rows, sys.stdout, indent=1)
            sys.stdout.write("\n")
            return 0
        w = max(len(r["name"]) for r in rows)
        for r in rows:
            print(f"{r['name']:<{w}}  {', '.join(r['labels']) or '-'}" + (f"  {r['description']}" if r["description"] else ""))
        return 0
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.algebra.indexnotation import IndexExpr
    # lazy: start-up time (each subcommand loads only what it runs)
    from glass_sym.algebra.structures import (  # lazy: keeps start-up light (this module is imported without SymPy)
        decompose_index, pretty)
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.audit.printed import resolve_form
    # lazy: start-up time (each subcommand loads only what it runs)
    from glass_sym.output.latex import (  # lazy: keeps start-up light (this module is imported without SymPy)
        index_latex, scalar_latex)

    value = resolve_form(args.name)
    text = index_latex(value) if isinstance(value, IndexExpr) else scalar_latex(value)
    idx = "".join(value.indices) if isinstance(value, IndexExpr) else ""
    structures = decompose_index(value)
    if args.latex:
        print(text)
        return 0
    if args.json:
        json.dump({"name": args.name, "rank": len(idx), "indices": idx,
                   "structures": {k: pretty(v) for k, v in structures.items()}, "latex": text,
                   "labels": labels.get(args.name, []), "derivation": _derivation(args.name)}, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"{args.name}: rank {len(idx)}" + (f", free indices {idx}" if idx else "") +
          (f"; printed as {', '.join(labels[args.name])}" if labels.get(args.name) else ""))
    print("index notation: " + (" + ".join(f"({pretty(c)}) {s}" if s != "1" else pretty(c)
                                          for s, c in structures.items()) or "0"))
    print(f"LaTeX: {text}")
    return 0


def _derivation(name: str) -> str | None:
    return derivations.PROVIDES.get(name)


def _description(name: str) -> str:
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.audit.printed import _ENGINE_FORMS

    if name in _ENGINE_FORMS:
        idx, p = _ENGINE_FORMS[name]
        return f"Fourier engine, regulated: q_{''.join(idx)}/(q^2 + lambda^2)^{p}"
    chain = _derivation(name)
    return f"derived in {chain}" if chain else ""
