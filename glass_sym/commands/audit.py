"""``glass-sym audit [--json] [--version V] [--latex TEX --against NAME [--indices ijkl]]``.

Without ``--latex``: audit every transcribed equation of both paper versions (see docs/audit.md) and print
one line per printed equation (id, class, explanation), or with ``--json`` the object
``{"schema_version", "rows": [{id, label, version, class, explanation, refs, parts: [...]}]}`` with one row per
printed equation and its compared parts nested (docs/json.md; classes and forensics: docs/forensics.md).  With ``--latex`` and ``--against``: audit one
right-hand side typed by the user against a registered closed form.

Exit status 0 whenever the audit ran, whatever it found; 2 on bad input (unknown closed form, unreadable
LaTeX, rank mismatch).
"""

from __future__ import annotations

import json
import sys

from ..errors import InputError

__all__ = ["HELP", "add_arguments", "run", "format_table", "format_rows"]

HELP = "audit printed equations (both paper versions, or your own LaTeX) against the derived closed forms"


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true",
                   help="print one record per printed equation (parts nested) as JSON")
    p.add_argument("--latex", metavar="TEX", help="a right-hand side in LaTeX index notation to audit")
    p.add_argument("--against", metavar="NAME", help="registered closed form to compare --latex with")
    p.add_argument("--indices", metavar="IJKL",
                   help="order of the free indices of --latex, mapped onto the closed form's (e.g. ijkl)")
    p.add_argument("--version", dest="paper_version", choices=("jpcm2020", "preprint"),
                   help="audit only one paper version")
    p.add_argument("--no-claims", action="store_true", help="skip the prose claims")
    p.add_argument("--no-fits", action="store_true", help="skip the Table 1 fits")


def format_table(findings) -> str:
    """Plain-text table: label, version, status, explanation (one line each)."""
    rows = [("label", "version", "status", "explanation")] + [
        (f.label, f.version, f.status, f.explanation.replace("\n", " ")) for f in findings]
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]}" for r in rows)


def run(args) -> int:
    from ..audit import audit_all, audit_equation
    from ..errors import ParseError

    if (args.latex is None) != (args.against is None):
        raise InputError("--latex and --against go together: give both (e.g. --latex '<tex>' --against lambda_tilde)")
    if args.latex is not None:
        indices = None
        if args.indices:
            indices = [c for c in args.indices if not c.isspace() and c != ","]
            if not all(c.isalpha() and c.islower() for c in indices):
                raise InputError(f"--indices: expected lower-case index letters such as 'ijkl', got {args.indices!r}")
        try:
            findings = [audit_equation(args.latex, args.against, indices)]
        except ParseError as exc:
            raise ParseError(f"--latex: {exc}") from None
    else:
        versions = [args.paper_version] if args.paper_version else None
        findings = audit_all(versions, claims=not args.no_claims, fits=not args.no_fits)
    from ..audit_rows import SCHEMA_VERSION, audit_rows, user_forensics

    extra = user_forensics(args.latex, args.against, findings[0]) if args.latex is not None else None
    rows = audit_rows(findings, extra_forensics=extra)
    if args.json:
        json.dump({"schema_version": SCHEMA_VERSION, "rows": rows}, sys.stdout, indent=1, sort_keys=False)
        sys.stdout.write("\n")
    elif args.latex is not None:  # one typed expression: its status and explanation, then the forensics
        print(format_table(findings))
        for part in rows[0]["parts"]:
            if "forensics" in part:
                print(f"forensics: {part['forensics']['conclusion']}")
    else:
        print(format_rows(rows))
    return 0


def format_rows(rows) -> str:
    """Plain-text table: one line per printed equation (id, class, explanation)."""
    table = [("id", "class", "explanation")] + [(r["id"], r["class"], r["explanation"].replace("\n", " "))
                                                for r in rows]
    w = [max(len(r[i]) for r in table) for i in range(2)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]}" for r in table)
