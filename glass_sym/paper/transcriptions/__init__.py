"""Printed equations and prose claims of both paper versions, as data.

The transcriptions live next to this module as TOML files, one per paper version
(``jpcm2020.toml``: J. Phys.: Condens. Matter 32, 055704 (2020); ``preprint.toml``: the preprint).
Each ``[[equation]]`` entry is one printed right-hand side, each ``[[claim]]`` one statement of the
prose about the comparison with Joffrin and Levelut, each ``[[relation]]`` one relation between symbols
that the text states (``N m / a^3 = rho``; the audit applies it). The format is described in
``docs/transcriptions.md``. Table 1 lives in ``table1.toml`` and is read by :mod:`glass_sym.paper.table1`.

This module only reads and validates: it never interprets the LaTeX (that is the parser's job) and
never decides what is wrong (that is the audit's job).

>>> eqs = load_equations("jpcm2020")
>>> [e.defines for e in eqs if e.label == "A.17"]
['f1', 'f2']
>>> find_equation("A15", "preprint", defines="lambda_x").part
'prefactor'
>>> [c.factor for c in load_claims("jpcm2020") if c.factor]
['-1/2', '1/4']
>>> [r.latex for r in load_relations("preprint")]
['Nm/a^3 = \\\\rho']
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass
from fractions import Fraction
from importlib import resources
from typing import Any

from glass_sym.errors import InputError
from glass_sym.suggest import did_you_mean

__all__ = [
    "VERSIONS",
    "Equation",
    "Claim",
    "Relation",
    "load_equations",
    "load_claims",
    "load_relations",
    "find_equation",
    "read_data_file",
]

#: Paper versions and their data files.
VERSIONS: dict[str, str] = {"jpcm2020": "jpcm2020.toml", "preprint": "preprint.toml"}

_EQ_REQUIRED = ("label", "version", "defines", "lhs", "latex", "source_line")
_EQ_OPTIONAL = ("part", "comment", "prefactor", "measure", "phase", "tail", "quotes")
_CLAIM_REQUIRED = ("label", "item", "version", "about", "text", "source_line")
_CLAIM_OPTIONAL = ("factor", "ours", "theirs", "comment", "builds_on")
_REL_REQUIRED = ("label", "version", "latex", "source_line")
_REL_OPTIONAL = ("text", "comment")
_LABEL_RE = re.compile(r"^[A-D]?\.?[0-9]+(\.[0-9]+)?$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_FACTOR_RE = re.compile(r"^-?[0-9]+(/[0-9]+)?$")


@dataclass(frozen=True)
class Equation:
    """One printed right-hand side of one paper version.

    Attributes
    ----------
    label : str
        Equation number as printed, without parentheses (``"A.17"``, ``"A1"``).
    version : str
        ``"jpcm2020"`` or ``"preprint"``.
    defines : str
        Name of the quantity (``"lambda_tilde"``, ``"f1"``, ...); matches registry names where one exists.
    lhs : str
        Printed left-hand side (LaTeX); empty where the paper prints none.
    latex : str
        Printed right-hand side (LaTeX, typos kept). For q-sums/integrals: the summand only.
    source_line : int
        1-based line number in the paper text file.
    part : str or None
        Which member of a multi-line display (``"prefactor"``, ``"tilde"``, ...).
    comment : str or None
        The reading chosen where the extracted text was ambiguous.
    prefactor, measure, phase : str or None
        For q-sums and integrals: the factor in front, the sum/integral sign with its range, and the
        phase factor (``\\cos(\\vec{q}\\cdot\\vec{x})`` or ``e^{i\\vec{q}\\cdot\\vec{x}}``).
    tail : str or None
        Printed continuation after the right-hand side (e.g. ``"< 0"``).
    quotes : str or None
        The other work whose published form the line quotes (``"Joffrin-Levelut"``), or None.

    Examples
    --------
    >>> e = find_equation("A.12", "jpcm2020", defines="lambda_q")
    >>> e.prefactor, e.key
    ('\\\\frac{1}{2\\\\rho c_l^2}', ('A.12', None, 'lambda_q'))
    """

    label: str
    version: str
    defines: str
    lhs: str
    latex: str
    source_line: int
    part: str | None = None
    comment: str | None = None
    prefactor: str | None = None
    measure: str | None = None
    phase: str | None = None
    tail: str | None = None
    #: the work whose published form this line quotes ("Joffrin-Levelut"): a fact about the text, not a verdict
    quotes: str | None = None

    @property
    def key(self) -> tuple[str, str | None, str]:
        """(label, part, defines): unique within one version."""
        return (self.label, self.part, self.defines)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-serialisable), optional fields that are unset left out."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Claim:
    """A prose statement of one paper version about the comparison with Joffrin and Levelut.

    ``factor`` (if given) is the printed factor as a string, with the relation
    ``ours = factor * theirs`` where ``ours`` and ``theirs`` name :attr:`Equation.defines` values.

    Examples
    --------
    >>> c = [c for c in load_claims("preprint") if c.about == "total_factor"][0]
    >>> c.factor_value, c.ours, c.theirs
    (Fraction(1, 2), 'lambda_tilde', 'lambda_tilde_jl')
    """

    label: str
    item: str
    version: str
    about: str
    text: str
    source_line: int
    factor: str | None = None
    ours: str | None = None
    theirs: str | None = None
    comment: str | None = None
    #: the item of the same label this statement builds on, as worded ("a further 1/2" after "a total 1/2"):
    #: its factor multiplies this one's (how the statements compose, a fact about the text)
    builds_on: str | None = None

    @property
    def factor_value(self) -> Fraction | None:
        """The printed factor as an exact fraction (parsed with :class:`fractions.Fraction`)."""
        return None if self.factor is None else Fraction(self.factor)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-serialisable), optional fields that are unset left out."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Relation:
    """A relation between symbols stated in the text of one paper version, ``lhs = rhs`` in LaTeX.

    The audit uses it to rewrite printed symbols the derivation does not use (preprint (A9): ``N m`` becomes
    ``rho a^3`` by ``N m / a^3 = rho``, stated after (A3)).

    Examples
    --------
    >>> r = load_relations("jpcm2020")[0]
    >>> r.label, r.latex, r.source_line
    ('A.3', 'Nm/L^3 = \\\\rho', 387)
    """

    label: str
    version: str
    latex: str
    source_line: int
    text: str | None = None
    comment: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-serialisable), optional fields that are unset left out."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def read_data_file(filename: str) -> dict[str, Any]:
    """Read one TOML data file of this package.

    Raises :class:`~glass_sym.errors.InputError` naming the file if it is missing or not valid TOML.

    >>> sorted(read_data_file("preprint.toml"))
    ['claim', 'equation', 'relation']
    """
    try:
        text = resources.files(__name__).joinpath(filename).read_bytes()
    except (FileNotFoundError, OSError) as exc:
        raise InputError(f"paper data file {filename!r}: cannot be read ({exc})") from exc
    try:
        return tomllib.loads(text.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"paper data file {filename!r}: not valid TOML ({exc})") from exc


def _check_versions(version: str | None) -> list[str]:
    if version is None:
        return list(VERSIONS)
    if version not in VERSIONS:
        raise InputError(f"paper version: expected one of {sorted(VERSIONS)}, got {version!r}")
    return [version]


def _where(filename: str, kind: str, index: int, entry: Any) -> str:
    label = entry.get("label") if isinstance(entry, dict) else None
    return f"{filename}, [[{kind}]] #{index + 1}" + (f" (label {label!r})" if label is not None else "")


def _validate(filename: str, kind: str, index: int, entry: Any, version: str,
              required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    where = _where(filename, kind, index, entry)
    if not isinstance(entry, dict):
        raise InputError(f"{where}: expected a table, got {type(entry).__name__}")

    missing = [k for k in required if k not in entry]
    unknown = sorted(set(entry) - set(required) - set(optional))
    if missing:
        typos = "".join(f" ({u!r}: did you mean {k!r}?)" for u in unknown for k in missing
                        if did_you_mean(u, [k]))
        raise InputError(f"{where}: missing required field(s) {missing}{typos}")
    if unknown:
        hints = "".join(did_you_mean(u, required + optional).replace(" (did you mean", f" ({u!r}: did you mean")
                        for u in unknown)
        raise InputError(f"{where}: unknown field(s) {unknown}{hints}; allowed: {sorted(required + optional)}")
    for k, v in entry.items():
        if k == "source_line":
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise InputError(f"{where}: source_line must be an integer >= 1, got {v!r}")
        elif not isinstance(v, str):
            raise InputError(f"{where}: field {k!r} must be a string, got {type(v).__name__} {v!r}")
    if entry["version"] != version:
        raise InputError(f"{where}: version must be {version!r} (the file's version), got {entry['version']!r}")
    if not _LABEL_RE.match(entry["label"]):
        raise InputError(f"{where}: label must look like '2.19', 'A.17' or 'A1' (no parentheses), "
                         f"got {entry['label']!r}")
    for k in ("defines", "about", "ours", "theirs"):
        if k in entry and not _NAME_RE.match(entry[k]):
            raise InputError(f"{where}: {k} must be a lower-case identifier, got {entry[k]!r}")
    if "latex" in entry and not entry["latex"].strip():
        raise InputError(f"{where}: latex must not be empty")
    if "factor" in entry and not _FACTOR_RE.match(entry["factor"]):
        raise InputError(f"{where}: factor must be an integer or fraction like '-1/2', got {entry['factor']!r}")
    return entry


def _load_records(version: str | None, kind: str, cls, required, optional, *, key, what: str, check=None) -> list:
    """The validated ``[[kind]]`` entries of one version (or both) as ``cls`` records, in file order; a
    repeated ``key`` is an :class:`InputError` naming both entries."""
    out = []
    for v in _check_versions(version):
        filename = VERSIONS[v]
        seen: dict = {}
        for i, entry in enumerate(read_data_file(filename).get(kind, [])):
            rec = cls(**_validate(filename, kind, i, entry, v, required, optional))
            where = _where(filename, kind, i, entry)
            if check is not None:
                check(where, rec)
            k = key(rec)
            if k in seen:
                raise InputError(f"{where}: duplicate {what} {k}, first at entry #{seen[k] + 1}")
            seen[k] = i
            out.append(rec)
    return out


def load_equations(version: str | None = None) -> list[Equation]:
    """All transcribed equations of one version (or of both, journal first), in file order.

    Parameters
    ----------
    version : {"jpcm2020", "preprint"} or None

    Raises
    ------
    InputError
        Unknown version, or a malformed entry (the message names file, entry and field), or two
        entries with the same (label, part, defines).

    Examples
    --------
    >>> sorted({e.version for e in load_equations()})
    ['jpcm2020', 'preprint']
    """
    return _load_records(version, "equation", Equation, _EQ_REQUIRED, _EQ_OPTIONAL,
                         key=lambda e: e.key, what="(label, part, defines)")


def load_claims(version: str | None = None) -> list[Claim]:
    """All transcribed prose claims of one version (or of both), in file order.

    >>> [(c.item, c.about) for c in load_claims("preprint")][:2]
    [('1', 'permutation_terms'), ('2', 'total_factor')]
    """
    return _load_records(version, "claim", Claim, _CLAIM_REQUIRED, _CLAIM_OPTIONAL,
                         key=lambda c: (c.label, c.item), what="(label, item)")


def load_relations(version: str | None = None) -> list[Relation]:
    """All relations between symbols stated in the text of one version (or of both), in file order.

    Each ``latex`` must hold exactly one ``=``; (label, latex) is unique within a version.

    >>> [(r.version, r.label) for r in load_relations()]
    [('jpcm2020', 'A.3'), ('preprint', 'A3')]
    """
    def one_relation(where: str, rel: Relation) -> None:
        if rel.latex.count("=") != 1:
            raise InputError(f"{where}: latex must be one relation 'lhs = rhs' with exactly one '=', got {rel.latex!r}")

    return _load_records(version, "relation", Relation, _REL_REQUIRED, _REL_OPTIONAL,
                         key=lambda r: (r.label, r.latex), what="relation (label, latex)", check=one_relation)


def find_equation(label: str, version: str, *, defines: str | None = None,
                  part: str | None = None) -> Equation:
    """The one equation with this label (and, if given, defines/part) in one version.

    Raises :class:`~glass_sym.errors.InputError` if none or more than one entry matches.

    >>> find_equation("A.19", "jpcm2020", defines="lambda_tilde_jl_1").latex
    '-2(\\\\delta_{jl} - 3n_{j}n_{l})\\\\delta_{ik}'
    """
    hits = [e for e in load_equations(version) if e.label == label
            and (defines is None or e.defines == defines) and (part is None or e.part == part)]
    if len(hits) != 1:
        what = f"label {label!r}" + (f", defines {defines!r}" if defines else "") + (f", part {part!r}" if part else "")
        raise InputError(f"equation ({what}) in version {version!r}: expected exactly one entry, "
                         f"found {len(hits)}" + (f" (parts {[e.key for e in hits]})" if hits else ""))
    return hits[0]
