"""``glass-sym audit``: the printed equations of both papers, a user's own transcription, or typed expressions.

* ``glass-sym audit [--json] [--version V] [--fail-on-differs]``: every transcribed equation of both paper
  versions (docs/audit.md), one line per printed equation (id, class, explanation) or with ``--json`` the
  object ``{"schema_version", "rows": [{id, label, version, class, explanation, refs, parts: [...]}]}``, one row
  per printed equation with its compared parts nested (docs/json.md; classes and forensics: docs/forensics.md).
* ``glass-sym audit --paper FILE.toml``: the same for a user's transcription in the project's format
  (docs/transcriptions.md, worked example in docs/audit.md).
* ``glass-sym audit --latex TEX --against NAME``: a typed right-hand side against a registered closed form;
  ``--latex 'LHS = RHS'`` alone audits against the form the left side names.
* ``glass-sym audit --latex A --against-latex B``: are two typed expressions equal (modulo n.n = 1, x = r n)?

Exit status: a single comparison (``--against`` / ``--against-latex`` / a whole equation) exits 0 when equal
(``match``, or ``match-symmetrized``, which the output names), 1 when it differs, 2 on bad input, 3 when
it cannot be decided (``undecided``: a difference with functions that exact rewrites do not reduce to 0 and
no evaluation at a point proves nonzero; glass_sym.algebra.decide).  A
whole-paper audit (both papers or ``--paper``) exits 0 when it ran, whatever it found, unless
``--fail-on-differs`` (then 1 if any record is ``differs`` or ``inconsistent``); 2 on bad input.
"""

from __future__ import annotations

import json
import sys

from glass_sym import worker
from glass_sym.errors import InputError, ParseError

__all__ = ["HELP", "add_arguments", "run", "format_table", "format_rows", "add_declarations", "declarations"]

HELP = "audit printed equations (both paper versions, your own transcription, or typed LaTeX)"

#: statuses that make a single comparison exit 0
EQUAL = ("match", "match-symmetrized")


def add_declarations(p) -> None:
    """``--vector`` / ``--scalar`` (repeatable), shared by ``audit`` and ``eval``."""
    p.add_argument("--vector", action="append", default=[], metavar="NAME",
                   help="read NAME (a Greek name such as mu, or a letter) as a vector when it carries an index; "
                        "repeatable")
    p.add_argument("--scalar", action="append", default=[], metavar="NAME",
                   help="read NAME (c, E_int, r_c) as a plain scalar even with a subscript; repeatable")
    p.add_argument("--tensor", action="append", default=[], metavar="DEF",
                   help="define a named tensor, e.g. 'T_{ij} = \\delta_{ij} - 3 n_i n_j' (then T_{ii} is its "
                        "trace); repeatable")


def declarations(args) -> dict:
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.audit.typed import declare_tensors

    decl = {"vectors": tuple(args.vector or ()), "scalars": tuple(args.scalar or ())}
    tensors = declare_tensors(args.tensor or (), **decl)
    return {**decl, "tensors": tensors} if tensors else decl


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true",
                   help="print JSON: one record per printed equation (parts nested), or the comparison record")
    p.add_argument("--latex", metavar="TEX",
                   help="a right-hand side, or a whole equation LHS = RHS, in LaTeX index notation")
    p.add_argument("--against", metavar="NAME", help="registered closed form to compare --latex with "
                   "(`glass-sym show` lists them)")
    p.add_argument("--against-latex", metavar="TEX", help="a second typed expression to compare --latex with")
    p.add_argument("--indices", metavar="IJKL",
                   help="order of the free indices of --latex, mapped onto the other side's (e.g. ijkl)")
    add_declarations(p)
    p.add_argument("--paper", metavar="FILE.toml",
                   help="audit your own transcription (format: docs/transcriptions.md)")
    p.add_argument("--version", dest="paper_version", choices=("jpcm2020", "preprint"),
                   help="audit only one paper version")
    p.add_argument("--fail-on-differs", action="store_true",
                   help="whole-paper audit: exit 1 if any equation differs or is inconsistent")
    p.add_argument("--no-claims", action="store_true", help="skip the prose claims")
    p.add_argument("--no-fits", action="store_true", help="skip the Table 1 fits")


def format_table(findings) -> str:
    """Plain-text table: label, version, status, explanation (one line each)."""
    rows = [("label", "version", "status", "explanation")] + [
        (f.label, f.version, f.status, f.explanation.replace("\n", " ")) for f in findings]
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]}" for r in rows)


def _indices(text):
    if not text:
        return None
    indices = [c for c in text if not c.isspace() and c != ","]
    if not indices or not all(c.isascii() and c.isalpha() and c.islower() for c in indices):
        raise InputError(f"--indices: expected lower-case index letters such as 'ijkl', got {text!r}")
    return indices


def _single(args) -> list:
    # lazy: start-up time (each subcommand loads only what it runs)
    from glass_sym.audit.typed import (  # lazy: keeps start-up light (this module is imported without SymPy)
        audit_typed, compare_typed)

    decl = declarations(args)
    indices = _indices(args.indices)
    if args.against and args.against_latex is not None:
        raise InputError("give one of --against NAME and --against-latex TEX, not both")
    if args.against_latex is not None:
        return [compare_typed(args.latex, args.against_latex, indices=indices, names=("--latex", "--against-latex"),
                              **decl)]
    try:
        return [audit_typed(args.latex, args.against, indices, **decl)]
    except ParseError as exc:
        raise type(exc)(f"--latex: {exc}") from None  # keeps the ParseError subclass


def format_rows(rows) -> str:
    """Plain-text table: one line per printed equation (id, class, explanation)."""
    table = [("id", "class", "explanation")] + [(r["id"], r["class"], r["explanation"].replace("\n", " "))
                                                for r in rows]
    w = [max(len(r[i]) for r in table) for i in range(2)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]}" for r in table)


def run(args) -> int:
    from glass_sym.audit.printed import audit_all  # lazy: keeps start-up light (this module is imported without SymPy)

    single = args.latex is not None
    if not single and (args.against or args.against_latex is not None or args.indices):
        raise InputError("--against, --against-latex and --indices need --latex TEX "
                         "(e.g. --latex '<tex>' --against lambda_tilde)")
    if single and args.paper:
        raise InputError("give --latex or --paper, not both")
    if (args.vector or args.scalar or args.tensor) and not single:
        raise InputError("--vector, --scalar and --tensor apply to --latex")
    if single:
        findings = _single(args)
    elif args.paper:
        # lazy: start-up time (each subcommand loads only what it runs)
        from glass_sym.audit.user_paper import audit_paper

        findings = audit_paper(args.paper)
    else:
        versions = [args.paper_version] if args.paper_version else None
        # lazy: start-up time (each subcommand loads only what it runs)
        from glass_sym.audit.rows import SCHEMA_VERSION, audit_rows, worker_tasks

        with worker.beside(worker_tasks):  # cold runs: a second core computes parts of the audit meanwhile
            findings = audit_all(versions, claims=not args.no_claims, fits=not args.no_fits)
            rows = audit_rows(findings)
    if single:  # one typed comparison: its record, and when it differs the forensic search
        if args.json:
            json.dump([f.as_dict() for f in findings], sys.stdout, indent=1, sort_keys=True)
            sys.stdout.write("\n")
        else:
            print(format_table(findings))
            if args.against and findings[0].status == "differs":
                # lazy: start-up time (each subcommand loads only what it runs)
                from glass_sym.audit.rows import user_forensics

                for res in user_forensics(args.latex, args.against, findings[0]).values():
                    print(f"forensics: {res['conclusion']}")
    elif args.paper:  # a user's transcription: its records as they are (docs/json.md)
        if args.json:
            json.dump([f.as_dict() for f in findings], sys.stdout, indent=1, sort_keys=True)
            sys.stdout.write("\n")
        else:
            print(format_table(findings))
    else:
        if args.json:
            json.dump({"schema_version": SCHEMA_VERSION, "rows": rows}, sys.stdout, indent=1, sort_keys=True)
            sys.stdout.write("\n")
        else:
            print(format_rows(rows))
    if single:
        status = findings[0].status
        return 0 if status in EQUAL else 3 if status == "undecided" else 1
    if args.fail_on_differs and any(f.status in ("differs", "inconsistent") for f in findings):
        return 1
    return 0
