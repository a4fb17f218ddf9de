r"""LaTeX index notation -> tensor expressions, with a real grammar (lark, LALR) and no ``eval``.

The parser reads the equations as the papers print them: Kronecker deltas ``\delta_{ij}``, vector components
``n_i``, ``\hat{q}_i``, ``k_a``, sums, implicit products, ``\frac``, brackets of every kind, Greek symbols,
``c_t^2``, ``|\vec x - \vec x'|^3`` ...  Scalars (no free index) come back as SymPy expressions, tensors as
:class:`glass_sym.algebra.indexnotation.IndexExpr`.  Symbols map to the shared objects of :mod:`glass_sym.symbols`.

Pipeline: lark's lexer cuts the text into raw tokens; a post-lexer (:class:`_LatexPostLex`) applies the LaTeX
rules (a script or ``\frac`` argument is one token, ``|`` opens or closes, ``\left``/``\right``/spacing are
dropped, macros are classified, brackets are matched); the LALR grammar :data:`GRAMMAR` builds the tree; a
transformer turns it into SymPy / index expressions.  The text is never handed to ``eval``, ``exec``,
``sympify`` or ``parse_expr``.  The accepted language, the symbol table and the error format are in
``docs/parse.md``.

>>> from glass_sym.parse.parser import parse_latex
>>> t = parse_latex(r"\delta_{ij} - 3 n_i n_j")
>>> t.indices
('i', 'j')
>>> parse_latex(r"\left(1-\frac{c_t^2}{c_l^2}\right)")
1 - c_t**2/c_l**2
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import sympy as sp
from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from glass_sym import symbols as S
from glass_sym.algebra.indexnotation import IndexExpr, index_string
from glass_sym.algebra.tensor import canonical
from glass_sym.errors import InputError, ParseError

from .calculus import Measure, _Op, lex_calculus, split_phase
from .core import (_GREEK as _GREEK_NAMES, _VECTOR_LETTERS, DELTA_X, MAX_DEPTH, SYMBOL_TABLE, _describe, _is_index,
                   _LatexPostLex, _PosError, _quote, _settle, _Tens, _Vec, _vec_resolve, _where)
from .transformer import LatexTransformer

__all__ = [
    "GRAMMAR", "MAX_LENGTH", "MAX_DEPTH", "SYMBOL_TABLE", "DELTA_X", "Lhs",
    "parse_latex", "parse_equation", "split_equations", "strip_display", "lhs_info", "parse_measure", "phase_kind",
]


#: longest accepted input (characters); longer text is refused before lexing
MAX_LENGTH = 100_000

#: the LALR grammar (glass_sym/parse/grammar.lark), read once
GRAMMAR = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")

@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    # the post-lexer hands \int, \lim, \partial to the calculus lexer (the core does not import the calculus)
    return Lark(GRAMMAR, parser="lalr", lexer="basic", postlex=_LatexPostLex(calculus=lex_calculus),
                propagate_positions=True, maybe_placeholders=False)


# ---------------------------------------------------------------------------------------------- public API
def _fail(text: str, pos: int, message: str, offset: int = 0, cls: type = ParseError) -> ParseError:
    """A ``cls`` (ParseError or a subclass) whose message starts with the position in ``text``."""
    return cls(f"{_where(text, pos + offset)}: {message}")


def _declared(vectors, scalars) -> tuple[frozenset, frozenset]:
    """Validate the declared vector letters and scalar names (InputError naming the bad one)."""
    out = []
    for what, names in (("vectors", vectors), ("scalars", scalars)):
        if isinstance(names, str):
            raise InputError(f"{what}= expects a list of names, got the string {names!r} (write [{names!r}])")
        names = tuple(names or ())
        for nm in names:
            if isinstance(nm, str) and nm.startswith("\\") and re.fullmatch(r"\\[A-Za-z]+", nm):
                raise InputError(f"{what}=: write {nm[1:]}, not {nm} (names are given without the backslash)")
            if not isinstance(nm, str) or not re.fullmatch(r"[A-Za-z]+(_\{?[A-Za-z0-9]+\}?)?'*", nm):
                raise InputError(f"{what}=: expected names such as 'p', 'mu' or 'E_int', got {nm!r}")
            if what == "vectors" and nm in _VECTOR_LETTERS:
                raise InputError(f"vectors=: {nm!r} already has a fixed vector meaning (docs/parse.md)")
            if what == "vectors" and not (len(nm) == 1 or nm in _GREEK_NAMES):
                raise InputError(f"vectors=: expected one letter or a Greek name, got {nm!r}")
        out.append(frozenset(n.replace("{", "").replace("}", "") for n in names))
    return out[0], out[1]


def _parse_value(text: str, tensors: Mapping[str, object], offset: int = 0, full: str | None = None,
                 vectors=(), scalars=()):
    full = text if full is None else full
    if not isinstance(text, str):
        raise ParseError(f"LaTeX input must be a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"LaTeX input of {len(text)} characters is longer than the limit {MAX_LENGTH}")
    if not text.strip():
        raise _fail(full, len(text), "expected an expression, found end of input (empty input)", offset)
    try:
        tree = _parser().parse(text)
        units = frozenset(                     # n_i, n'_i, \vec n, \hat n used: bare n (n') is its length 1
            {m.group(1).replace(" ", "") for m in re.finditer(
                r"(?<![A-Za-z\\])([nm](?:\s*')*)\s*_\s*(?:[a-rtv-z123]|\{\s*[a-rtv-z123]\s*\})", text)} |
            {m.group(1) for m in re.finditer(r"\\(?:vec|hat|mathbf|boldsymbol|bm)\s*\{?\s*([nm])(?![A-Za-z])", text)})
        units = frozenset(u for u in units if u[0] not in vectors and u[0] not in scalars)
        masked = re.sub(r"\\(?:vec|hat|mathbf|boldsymbol|bm)\s*\{?\s*[A-Za-z]\}?", lambda k: "V" * len(k.group()), text)
        for u in sorted(x for x in units if "'" not in x):       # r^n next to n_i: the exponent n is not the length 1 of the vector n
            m = re.search(rf"\^\s*(?:{u}(?![A-Za-z])(?!\s*['_])|"
                          rf"\{{[^{{}}]*(?<![A-Za-z\\]){u}(?![A-Za-z])(?!\s*['_])[^{{}}]*\}})", masked)
            if m:
                raise _PosError(m.start(), f"exponent containing {u} in an expression that uses the unit vector "
                                f"{u}: is it |{u}| = 1 or a number {u}? Write 1, or name the number differently")
        return LatexTransformer(tensors, vectors, scalars, units).transform(tree)
    except _PosError as e:
        raise _fail(full, e.pos, e.message, offset, e.cls) from None
    except VisitError as e:
        inner = e.orig_exc
        if isinstance(inner, _PosError):
            raise _fail(full, inner.pos, inner.message, offset, inner.cls) from None
        if isinstance(inner, RecursionError):
            raise ParseError("expression nested too deeply to evaluate") from None
        raise _fail(full, 0, f"cannot evaluate: {inner}", offset,
                    type(inner) if isinstance(inner, ParseError) else ParseError) from None
    except UnexpectedCharacters as e:
        raise _fail(full, e.pos_in_stream, f"unexpected character {_quote(text[e.pos_in_stream])}", offset) from None
    except UnexpectedToken as e:
        tok = e.token
        pos = len(text) if tok.type == "$END" else tok.start_pos
        hint = {"EQUAL": " (an equation: use parse_equation)",
                "COMMA": " (tuples and function arguments are not supported)"}.get(tok.type, "")
        raise _fail(full, pos, f"expected {_expected(e.expected)}, found {_describe(tok)}{hint}", offset) from None
    except UnexpectedInput as e:  # pragma: no cover - other lark errors
        raise _fail(full, getattr(e, "pos_in_stream", 0) or 0, str(e).splitlines()[0], offset) from None
    except RecursionError:
        raise ParseError("expression nested too deeply to parse") from None


def _expected(names) -> str:
    """A short description of lark's expected-terminal set."""
    names = set(names)
    parts = []
    if names & {"LETTER", "NUMBER", "SYMBOL", "LPAR", "FRAC"}:
        parts.append("an operand (number, letter, symbol, bracket, \\frac ...)")
    if names & {"SLASH", "CDOT", "CARET", "UNDERSCORE"}:
        parts.append("an operator")
    if "$END" in names:
        parts.append("end of input")
    if not parts:
        closers = {"RPAR": "')'", "RBRACE": "'}'", "RBRACK": "']'", "RBAR": "'|'", "RBRACEL": "'\\}'",
                   "LBRACE": "'{'"}
        parts = sorted(closers[n] for n in names & set(closers))
    return " or ".join(parts) if parts else "something else"


def parse_latex(text: str, *, indices: Sequence[str] | None = None,
                tensors: Mapping[str, object] | None = None, vectors: Sequence[str] = (),
                scalars: Sequence[str] = ()) -> IndexExpr | sp.Expr:
    r"""Parse LaTeX index notation into an :class:`IndexExpr` (free indices) or a SymPy scalar.

    Parameters
    ----------
    text : str
        One expression (no ``=``); display wrappers (``$$``, ``&``, ``\\``, ``\left``, ``\right``, ``\tag``,
        spacing) are ignored.  Repeated indices in one product are summed (Einstein convention).
    indices : sequence of str, optional
        Order of the free indices in the result; must be a permutation of them.  Default: alphabetical.
    tensors : mapping, optional
        Values of named tensors the text refers to, e.g. ``{'Lambda~': lt}`` for ``\tilde\Lambda_{ijkl}``
        (renamed to the indices written; repeated letters take the trace, ``\tilde\Lambda_{iikk}``); see
        docs/parse.md.
    vectors : sequence of str, optional
        Greek names read as vectors when they carry an index (``['mu']``: ``\mu_i`` = mu muhat_i).  Any Latin
        letter with an index is a vector already; declaring one also makes ``p_1`` its first component.
    scalars : sequence of str, optional
        Names read as plain scalars even with an index: ``['c', 'E_int', 'r_c']`` (``c_i`` is then the
        symbol ``c_i``, not a component).

    Returns
    -------
    IndexExpr or sympy.Expr

    Raises
    ------
    ParseError
        Malformed or unsupported input; the message names the position (0-based, and line:col) and what
        was expected.

    Examples
    --------
    >>> parse_latex(r"\frac{\delta_{jl} - 3 n_j n_l}{4\pi x^3}").indices
    ('j', 'l')
    >>> parse_latex(r"\delta_{ij} n_j").indices
    ('i',)
    >>> parse_latex(r"|\vec x - \vec x'|^3")
    r**3
    """
    vs, ss = _declared(vectors, scalars)
    value = _parse_value(text, tensors or {}, vectors=vs, scalars=ss)
    return _finish(value, indices, text)


def _finish(value, indices, text):
    if isinstance(value, _Op):
        raise _fail(text, value.pos, "an operator (\\int, \\partial, \\lim) without operand")
    if isinstance(value, _Vec):        # \frac{\vec r}{r^3}: the vector, as its component with index i
        letter = indices[0] if indices and len(indices) == 1 else "i"
        try:
            comps = _vec_resolve(value, 0)
        except _PosError as e:
            raise _fail(text, e.pos, e.message, cls=e.cls) from None
        value = _Tens({(("v", k, letter),): c for k, c in comps.items()}, frozenset({letter}))
        if not value.terms:
            value = _Tens({}, frozenset({letter}))
    value = _settle(value, symbolic=True)     # symbols only in the display mode of core.DOT_SYMBOLS
    if not value.free:
        if indices:
            raise ParseError(f"indices={index_string(indices)} given, but the expression has no free index")
        return _unit_reduced(value.scalar_value())
    order = tuple(sorted(value.free)) if indices is None else tuple(indices)
    if indices is not None and (len(set(order)) != len(order) or not all(isinstance(i, str) for i in order)):
        raise InputError(f"indices must be distinct strings, got {tuple(indices)!r}")
    if set(order) != set(value.free):
        raise ParseError(f"the free indices of the expression are {index_string(sorted(value.free))}; "
                         f"indices={index_string(order)} is not a permutation of them")
    return IndexExpr(value.terms, order)


def _unit_reduced(expr: sp.Expr) -> sp.Expr:
    """A scalar polynomial in unit-vector components reduced modulo v.v = 1 when that makes it shorter
    (``n_1^2+n_2^2+n_3^2`` is 1); anything else unchanged."""
    units = {c for u in S.UNIT_VECTORS for c in S.VECTOR_SYMBOLS[u]}
    if not (expr.free_symbols & units) or not expr.is_polynomial(*units):
        return expr
    reduced = canonical(expr)
    return reduced if sp.count_ops(reduced) < sp.count_ops(expr) else expr


def strip_display(text: str) -> str:
    r"""Remove display decorations: ``$$``, environments, ``&``, ``\\``, ``\left``/``\right``, ``\big``...,
    ``\tag``/``\label``, spacing macros, a trailing equation number ``\quad (A.10)`` and trailing punctuation.

    >>> strip_display(r"$$\begin{split} a &= \left( b \right), \quad (A.3) \end{split}$$")
    'a = ( b )'
    """
    s = re.sub(r"\\(begin|end)\{[a-zA-Z*]+\}|\\(tag|label)\*?\{[^{}]*\}|\$\$?", " ", text)
    s = re.sub(r"\\q?quad\s*\(\s*[A-Z]?\.?\s*[0-9]+(\.[0-9]+)?\s*\)", " ", s)
    s = re.sub(r"\\(left|right)\s*\.", " ", s)
    s = re.sub(r"\\(left|right|[bB]igg?[lr]?|displaystyle|textstyle|nonumber|notag)(?![a-zA-Z])", " ", s)
    s = re.sub(r"\\q?quad(?![a-zA-Z])|\\[,;:! ]|&|\\\\", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"\s*[,.;]+$", "", s).strip()


def _top_level_equals(text: str) -> list[tuple[int, int]]:
    """(start, end) of every '=' / \\equiv outside brackets."""
    out, depth, i = [], 0, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            m = text[i + 1:i + 6]
            if m.startswith("equiv") and not text[i + 6:i + 7].isalpha():
                if depth == 0:
                    out.append((i, i + 6))
                i += 6
                continue
            i += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(depth - 1, 0)
        elif c == "=" and depth == 0:
            out.append((i, i + 1))
        i += 1
    return out


@dataclass(frozen=True)
class Lhs:
    """What the left-hand side of an equation names: ``text``, head ``name`` (``'Lambda~'`` for
    ``\\tilde\\Lambda``), the index letters of its first index subscript, and its superscript ``label``."""

    text: str
    name: str
    indices: tuple[str, ...]
    label: str = ""


def lhs_info(text: str) -> Lhs:
    r"""Read the head of a left-hand side, e.g. ``\tilde{\Lambda}_{ijkl}(\vec{n})|_{\mathrm{JL}}``.

    >>> lhs_info(r"\tilde{\Lambda}^{(1)}_{ijkl}(\vec{n})")
    Lhs(text='\\tilde{\\Lambda}^{(1)}_{ijkl}(\\vec{n})', name='Lambda~', indices=('i', 'j', 'k', 'l'), label='(1)')
    """
    s = strip_display(text)
    m = re.match(r"\s*(?:\\Delta\s*)?(?:\\(tilde|bar|hat|vec|widetilde)\s*\{?\s*)?\\?([A-Za-z]+)\}?", s)
    if not m:
        raise ParseError(f"at position 0 (line 1, col 1): expected a symbol on the left-hand side, found {_quote(s[:20])}")
    acc = m.group(1) or ""
    name = ("Delta " if s.lstrip().startswith("\\Delta") else "") + m.group(2) + \
        ("~" if acc in ("tilde", "bar", "widetilde") else "hat" if acc == "hat" else "")
    idx = re.search(r"_\{?\s*([a-z](?:\s*[a-z])*)\s*\}?", s[m.end():])
    indices = tuple(c for c in idx.group(1) if c.isalpha()) if idx and all(
        _is_index(c) for c in idx.group(1) if c.isalpha()) else ()
    lab = re.search(r"\^\{?\s*(\([^)]*\))", s[m.end():])
    return Lhs(s, name, indices, lab.group(1).replace(" ", "") if lab else "")


def parse_equation(text: str, *, indices: Sequence[str] | None = None,
                   tensors: Mapping[str, object] | None = None, vectors: Sequence[str] = (),
                   scalars: Sequence[str] = ()) -> tuple[Lhs, IndexExpr | sp.Expr]:
    r"""Split ``lhs = rhs`` (or ``\equiv``) at its single top-level ``=``; return (:class:`Lhs`, parsed rhs).

    The free indices of the result follow ``indices``, else the index subscript of the left-hand side when it
    names exactly the free indices (``\Lambda_{ijkl} = ...`` -> ('i','j','k','l')), else alphabetical order.
    Error positions refer to ``text``.

    >>> lhs, rhs = parse_equation(r"\mu_{ji} = \delta_{ij} - 3n_i n_j")
    >>> lhs.name, rhs.indices
    ('mu', ('j', 'i'))
    """
    if not isinstance(text, str):
        raise ParseError(f"LaTeX input must be a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"LaTeX input of {len(text)} characters is longer than the limit {MAX_LENGTH}")
    eqs = _top_level_equals(text)
    if len(eqs) != 1:
        pos = eqs[1][0] if len(eqs) > 1 else len(text)
        raise ParseError(f"{_where(text, pos)}: expected exactly one top-level '=' or \\equiv, found {len(eqs)}")
    (a, b), = eqs
    lhs = lhs_info(text[:a])
    vs, ss = _declared(vectors, scalars)
    value = _parse_value(text[b:], tensors or {}, offset=b, full=text, vectors=vs, scalars=ss)
    if indices is None and isinstance(value, _Tens) and lhs.indices and set(lhs.indices) == set(value.free) \
            and len(lhs.indices) == len(value.free):
        indices = lhs.indices
    return lhs, _finish(value, indices, text[b:])


def split_equations(text: str) -> list[tuple[str, str]]:
    r"""Split a multi-line display (``\begin{split} A &= B \\ C &= D \\ &+ E \end{split}``) into
    ``[(lhs, rhs), ...]``; a line without ``=`` continues the previous right-hand side.

    >>> split_equations(r"\begin{split} a &= b \\ &+ c \\ d &= e \end{split}")
    [('a', 'b + c'), ('d', 'e')]
    """
    body = re.sub(r"\\(begin|end)\{[a-zA-Z*]+\}|\$\$?", " ", text)
    out: list[list[str]] = []
    for line in re.split(r"\\\\", body):
        eqs = _top_level_equals(line)
        if eqs:
            a, b = eqs[0]
            out.append([strip_display(line[:a]), strip_display(line[b:])])
        elif out and line.strip():
            out[-1][1] = (out[-1][1] + " " + strip_display(line)).strip()
        elif line.strip():
            out.append(["", strip_display(line)])
    return [(lhs, rhs) for lhs, rhs in out]


# ---------------------------------------------------------------------------------------------- transcription fields
def parse_measure(text: str) -> Measure:
    r"""Read a transcription's ``measure`` field: ``\sum_{\vec q, <range>}`` or ``\int \frac{d^3q}{(2\pi)^3}``.

    >>> parse_measure(r"\int \frac{\mathrm{d}^3 q}{(2\pi)^3}").normalization
    1/(8*pi**3)
    >>> parse_measure(r"\sum_{\vec{q}, \frac{2\pi}{L_{max}} \leqslant |\vec{q}| \leqslant \frac{2\pi}{L}}").kind
    'sum'
    """
    s = text.strip()
    if s.startswith("\\sum"):
        body = s[4:].strip()
        if not body.startswith("_"):
            raise ParseError(f"at position 4 (line 1, col 5): expected _{{\\vec q ...}} after \\sum in {_quote(text)}")
        sub = body[1:].strip()
        inner = sub[1:-1] if sub.startswith("{") and sub.endswith("}") else sub
        head, _, rng = inner.partition(",")
        if head.replace(" ", "") not in ("\\vec{q}", "\\vecq", "q", "\\vec{k}", "\\vec k".replace(" ", ""), "k"):
            raise ParseError(f"at position {text.find(head)} (line 1, col {text.find(head) + 1}): expected the "
                             f"summation vector \\vec q, found {_quote(head.strip())}")
        return Measure("sum", "q", sp.S.One, rng.strip())
    value = _parse_value(s, {})
    if not isinstance(value, _Op) or len(value.steps) != 1 or value.steps[0][0] != "int":
        raise ParseError(f"at position 0 (line 1, col 1): expected \\sum_{{\\vec q}} or \\int d^3q ... as a "
                         f"measure, found {_quote(text[:30])}")
    return Measure("integral", "q", value.steps[0][1])


def phase_kind(text: str) -> str:
    r"""'+' for ``e^{i\vec q\cdot\vec x}``, '-' for ``e^{-i...}``, 'cos' for ``\cos(\vec q\cdot\vec x)``.

    >>> phase_kind(r"\mathrm{e}^{\mathrm{i}\vec{q}\cdot\vec{x}_{ss'}}"), phase_kind(r"\cos(\vec{q} \cdot \vec{x})")
    ('+', 'cos')
    """
    value = parse_latex(text)
    if isinstance(value, IndexExpr):
        raise InputError(f"phase {_quote(text)}: expected a scalar, got free indices {index_string(value.indices)}")
    kinds = {split_phase(t)[0] for t in sp.Add.make_args(sp.expand(value, power_exp=False))}
    if len(kinds) != 1:
        raise InputError(f"phase {_quote(text)}: a sum of phases {sorted(kinds)}")
    return kinds.pop()


# ---------------------------------------------------------------------------------------------- operators
