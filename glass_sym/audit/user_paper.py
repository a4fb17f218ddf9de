r"""Audit of a user's own transcription: ``glass-sym audit --paper FILE.toml``.

The file has the format of the project's transcriptions of its two papers (docs/transcriptions.md): one
``[[equation]]`` table per printed right-hand side with ``label``, ``version``, ``defines``, ``lhs``, ``latex``,
``source_line`` and optionally ``part``, ``comment``, ``prefactor``, ``measure``, ``phase``, ``tail``.  Every
entry must carry the same ``version`` (the name of the user's source, e.g. ``"jackson3"``).  Two optional
top-level keys declare symbols for the whole file: ``vectors = ["mu"]`` and ``scalars = ["E_int"]``
(:func:`glass_sym.parse.parser.parse_latex`).

Each equation is audited

* against the registered closed form of the same name when ``defines`` names one (``f2``, ``lambda_tilde``;
  ``glass-sym show`` lists them), with the statuses of the paper audit;
* against the first equation of the file that defines the same quantity (``match`` or ``inconsistent``):
  a textbook's integral and its printed closed form, two forms of one result;
* otherwise it is ``not-derived``: nothing to compare with.

``measure`` (``\int \frac{d^3q}{(2\pi)^3}``), ``prefactor`` and ``phase`` are put around ``latex`` and the
integral is computed; a sum over q is not evaluated (``unparsed``, naming the measure).

>>> import tempfile, pathlib
>>> text = r'''
... [[equation]]
... label = "1"
... version = "demo"
... defines = "coulomb_kernel"
... lhs = 'G(\vec x)'
... latex = '\frac{1}{4\pi r}'
... source_line = 1
...
... [[equation]]
... label = "2"
... version = "demo"
... defines = "coulomb_kernel"
... lhs = 'G(\vec x)'
... measure = '\int \frac{d^3q}{(2\pi)^3}'
... latex = '\frac{1}{q^2}'
... phase = 'e^{i\vec q\cdot\vec x}'
... source_line = 2
... '''
>>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.toml"
>>> _ = path.write_text(text)
>>> [(f.label, f.status) for f in audit_paper(path)]
[('1', 'not-derived'), ('2', 'match')]
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from glass_sym.errors import GlassSymError, InputError, ParseError
from glass_sym.paper.transcriptions import _EQ_OPTIONAL, _EQ_REQUIRED, Equation, _validate
from glass_sym.suggest import did_you_mean

__all__ = ["audit_paper", "load_paper", "MAX_BYTES"]

#: largest transcription file read (bytes)
MAX_BYTES = 5_000_000


def load_paper(path) -> tuple[list, dict]:
    """Read and validate a transcription: (list of :class:`glass_sym.paper.transcriptions.Equation`, declarations).

    Raises :class:`InputError` naming the file (and the entry) for a missing or unreadable file, invalid
    TOML, an unknown or missing field, a field of the wrong type, mixed versions, or bad declarations.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"--paper: expected a file path, got {type(path).__name__}")
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise InputError(f"--paper {str(p)!r}: not a regular file")
        if size > MAX_BYTES:
            raise InputError(f"--paper {str(p)!r}: {size} bytes, more than the limit {MAX_BYTES}")
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"--paper {str(p)!r}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"--paper {str(p)!r}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - {"equation", "vectors", "scalars"})
    if unknown:
        raise InputError(f"--paper {p.name}: unknown top-level key(s) {unknown}; expected [[equation]] tables "
                         "and optionally vectors = [...], scalars = [...]")
    entries = data.get("equation")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"--paper {p.name}: expected at least one [[equation]] table")
    decl = {}
    for key in ("vectors", "scalars"):
        v = data.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise InputError(f"--paper {p.name}: {key} must be a list of strings, got {v!r}")
        decl[key] = tuple(v)
    first = entries[0].get("version") if isinstance(entries[0], dict) else None
    if not isinstance(first, str) or not first:
        raise InputError(f"--paper {p.name}, [[equation]] #1: missing required field(s) ['version']")
    eqs, seen = [], {}
    for i, entry in enumerate(entries):
        e = Equation(**_validate(p.name, "equation", i, entry, first, _EQ_REQUIRED, _EQ_OPTIONAL))
        if e.key in seen:
            raise InputError(f"--paper {p.name}, [[equation]] #{i + 1}: repeats label {e.label!r} "
                             f"part {e.part!r} defines {e.defines!r} of entry #{seen[e.key] + 1}")
        seen[e.key] = i
        eqs.append(e)
    from glass_sym.parse.parser import _declared  # lazy: keeps start-up light (this module is imported without SymPy)

    _declared(decl["vectors"], decl["scalars"])
    return eqs, decl


def _statement(e) -> str:
    """The LaTeX the equation states: prefactor x measure latex phase (a q-integral is computed)."""
    if e.measure and not e.measure.lstrip().startswith("\\int"):
        raise ParseError(f"measure '{e.measure}': only \\int d^3q measures are evaluated (a sum over q is not)")
    parts = [e.prefactor or "", e.measure or "", "(" + e.latex + ")" if e.measure else e.latex, e.phase or ""]
    return " ".join(p for p in parts if p)


def audit_paper(path) -> list:
    """Audit every equation of the transcription ``path`` (see the module docstring); returns Findings in
    file order.  Raises :class:`InputError` for an unreadable or malformed file."""
    from .compare import (Finding,  # lazy: keeps start-up light (this module is imported without SymPy)
                          audit_expressions, known_forms, parse_error_status, resolve_form)
    from .typed import _parse, decide_functions  # lazy: keeps start-up light (this module is imported without SymPy)

    eqs, decl = load_paper(path)
    forms = set(known_forms())
    values: dict = {}
    out = []
    for e in eqs:
        base = {"check": "derived", "defines": e.defines, "part": e.part, "source_line": e.source_line}
        try:
            value = _parse(_statement(e), **decl)
        except ParseError as exc:
            values[e.key] = None
            status, text = parse_error_status(exc)  # by type: ill-formed or divergent is a finding, else unparsed
            out.append(Finding(e.label, e.version, status, text, {**base, "parse_error": str(exc)}))
            continue
        values[e.key] = value
        ref = next((x for x in eqs if x.defines == e.defines and x is not e and values.get(x.key) is not None
                    and eqs.index(x) < eqs.index(e)), None)
        if e.defines in forms:
            target, against, check = resolve_form(e.defines), e.defines, "derived"
        elif ref is not None:
            target, against, check = values[ref.key], f"({ref.label})", "consistency"
        else:
            out.append(Finding(e.label, e.version, "not-derived",
                               f"no registered closed form {e.defines!r} and no earlier equation of the file "
                               "defines it" + did_you_mean(e.defines, forms | {x.defines for x in eqs}
                                                            - {e.defines}), base))
            continue
        try:
            f = audit_expressions(value, target, label=e.label, version=e.version, against=against)
            f = decide_functions(f, value, target)      # functions: equal, proven different, or undecided
        except InputError as exc:
            out.append(Finding(e.label, e.version, "differs" if check == "derived" else "inconsistent",
                               f"cannot be compared with {against}: {exc}", {**base, "error": str(exc)}))
            continue
        except GlassSymError as exc:     # pragma: no cover - defensive
            out.append(Finding(e.label, e.version, "unparsed", str(exc), base))
            continue
        if check == "consistency" and f.status == "differs":
            f.status = "inconsistent"
            f.explanation = f"states {e.defines} differently from ({ref.label}): " + f.explanation
        f.details = {**base, **f.details, "check": check}
        out.append(f)
    return out
