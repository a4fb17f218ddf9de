"""``glass-sym latex [NAME ... | all] -o DIR [--pdf/--no-pdf]``: export derivations as LaTeX (and PDF).

Writes one ``<chain>.tex`` body per derivation chain and the standalone ``glass-sym.tex`` that inputs them,
then (by default, when ``pdflatex`` is installed) ``glass-sym.pdf``.  Prints the written paths, one per line.
"""

from __future__ import annotations

import argparse
import shutil
import sys

from glass_sym.errors import InputError, OutputError

__all__ = ["HELP", "add_arguments", "run"]

HELP = "export derivation chains as LaTeX (.tex, and .pdf when pdflatex is available)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="derivation chains to export (see 'glass-sym derive --list'); 'all' or none = every chain")
    parser.add_argument("-o", "--outdir", required=True, metavar="DIR", help="output directory (created if missing)")
    parser.add_argument("--pdf", action=argparse.BooleanOptionalAction, default=None,
                        help="compile glass-sym.pdf with pdflatex (default: yes if pdflatex is installed)")


def _select(names: list[str], available: list[str]) -> list[str]:
    if not names or names == ["all"]:
        return list(available)
    if "all" in names:
        raise InputError(f"'all' cannot be combined with chain names; got {' '.join(names)}")
    out = []
    for name in names:
        if name not in available:
            raise InputError(f"unknown derivation {name!r}; expected one of: {', '.join(available)} or 'all'")
        if name not in out:
            out.append(name)
    return out


def run(args: argparse.Namespace) -> int:
    from glass_sym.output.latex import (  # lazy: keeps start-up light (this module is imported without SymPy)
        compile_pdf, write_tex)
    from glass_sym.records.derivation import (  # lazy: keeps start-up light (this module is imported without SymPy)
        build, chains)

    selected = _select(list(args.names), list(chains()))
    want_pdf = args.pdf
    have_pdflatex = shutil.which("pdflatex") is not None
    if want_pdf and not have_pdflatex:
        raise OutputError("pdflatex not found: install texlive-latex-base and texlive-latex-recommended, or use --no-pdf")
    derivations = [build(name) for name in selected]
    paths = write_tex(derivations, args.outdir)
    for p in paths:
        print(p)
    if want_pdf is None and not have_pdflatex:
        print("glass-sym latex: pdflatex not found; wrote .tex only (install texlive-latex-base for the PDF)",
              file=sys.stderr)
    elif want_pdf is not False:
        print(compile_pdf(paths[-1]))
    failed = [s.name for d in derivations for s in d.failed()]
    if failed:
        print(f"glass-sym latex: {len(failed)} step(s) NOT verified: {', '.join(failed)}", file=sys.stderr)
    return 0
