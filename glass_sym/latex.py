r"""LaTeX export: index notation as a physicist writes it, and ``.tex`` / ``.pdf`` writers.

:func:`index_latex` prints an :class:`~glass_sym.indexnotation.IndexExpr` the way the papers typeset their
tensors (journal Appendix A, (A.17)-(A.19)): a common scalar factor in front, then the index structures that
share a coefficient gathered into one parenthesised permutation sum, e.g. ::

    \frac{1}{8 \pi r^{3}} \Bigl\{ (\delta_{ij} \delta_{kl} + \delta_{ik} \delta_{jl} + \delta_{il} \delta_{jk})
      - 3 (n_{i} n_{j} \delta_{kl} + ...) + 15 n_{i} n_{j} n_{k} n_{l} \Bigr\}

never the 81 explicit components.  The algorithm, deterministic by construction:

1. every coefficient is expanded (``expand_mul``) into terms ``rational x parameter monomial`` (the monomial
   holds alpha, rho, c_t, r, pi ...; ``r`` always means :math:`|\vec x|`);
2. terms are grouped by parameter monomial (groups ordered: pure numbers first, then SymPy's sort key); a
   factor common to all groups (e.g. :math:`1/(\pi r^3)`) is pulled in front;
3. inside a group the positive rational content (gcd of the rationals) is pulled out, and structures with
   equal remaining integer coefficient form one permutation sum;
4. structures are ordered by (number of vector factors, vector factors, deltas), pieces by their first
   structure.  Vector factors are written first, in index order, then the deltas: ``n_{i} n_{j} \delta_{kl}``.

Delimiters are the fixed-size ``\Bigl\{ ... \Bigr\}`` and ``\biggl[ ... \biggr]`` (not ``\left ... \right``), so an equation can be broken
after any term, also inside braces; :func:`derivation_latex_body` does that in an ``align`` environment.

>>> from glass_sym.indexnotation import delta, vec
>>> index_latex(delta("j", "l") - 3 * vec("n", "j") * vec("n", "l"))
'\\delta_{jl} - 3 n_{j} n_{l}'
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import sympy as sp

from .errors import OutputError
from .fileio import atomic_write
from .latex_prose import prose_latex

__all__ = [
    "index_latex",
    "scalar_latex",
    "step_latex",
    "step_latex_lines",
    "derivation_latex_body",
    "tag_plan",
    "write_tex",
    "compile_pdf",
    "TEX_PREAMBLE",
    "VECTOR_LATEX",
    "LINE_WIDTH",
]

#: LaTeX of the vector names used in index notation
VECTOR_LATEX = {"n": "n", "m": "m", "qhat": r"\hat{q}", "x": "x", "q": "q", "e": "e"}

#: greedy line-break budget of :func:`derivation_latex_body`, in rough glyph widths
LINE_WIDTH = 72

#: everything before ``\begin{document}`` of the standalone document written by :func:`write_tex`
TEX_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath}
\usepackage{amssymb}
\setlength{\textwidth}{16.5cm}
\setlength{\oddsidemargin}{-0.2cm}
\setlength{\evensidemargin}{-0.2cm}
\setlength{\textheight}{23.5cm}
\setlength{\topmargin}{-1.5cm}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.4ex}
\allowdisplaybreaks
\ifdefined\pdftrailerid \pdftrailerid{glass-sym}\fi
"""

_MAIN_NAME = "glass-sym"


# ============================================================================ index notation
def _index_text(indices: Sequence[str]) -> str:
    return "".join(indices) if all(len(i) == 1 for i in indices) else ",".join(indices)


def _vector_text(name: str) -> str:
    if name in VECTOR_LATEX:
        return VECTOR_LATEX[name]
    if name.endswith("hat") and len(name) > 3:     # unit vectors the parser registers: phat -> \hat{p}
        base = name[:-3]
        primes = len(base) - len(base.rstrip("'"))
        base = base.rstrip("'")
        core = base if len(base) == 1 else "\\" + base
        return r"\hat{" + core + "}" + "'" * primes
    if len(name.rstrip("'")) == 1:                 # n', m'': further unit vectors
        return name
    return name if len(name) == 1 else r"\mathrm{" + name + "}"


def _structure_key(mono: tuple) -> tuple:
    vecs = tuple(sorted((f[2], f[1]) for f in mono if f[0] == "v"))
    dels = tuple(sorted((f[1], f[2]) for f in mono if f[0] == "d"))
    return (len(vecs), vecs, dels)


def _structure_text(mono: tuple) -> str:
    """``n_{i} n_{j} \\delta_{kl}``: vectors in index order, then deltas."""
    _, vecs, dels = _structure_key(mono)
    parts = [f"{_vector_text(name)}_{{{_index_text((a,))}}}" for a, name in vecs]
    parts += [rf"\delta_{{{_index_text((a, b))}}}" for a, b in dels]
    return " ".join(parts) if parts else "1"


def _factor_dict(expr: sp.Expr) -> dict:
    """``{base: exponent}`` of a product (exponent a Number; other factors count with exponent 1)."""
    out: dict = {}
    for f in sp.Mul.make_args(expr):
        if f.is_Pow and f.exp.is_Number:
            base, e = f.base, f.exp
        else:
            base, e = f, sp.S.One
        out[base] = out.get(base, sp.S.Zero) + e
    return out


def _common_factor(params: Sequence[sp.Expr]) -> sp.Expr:
    """The factor shared by all parameter monomials (smallest |exponent| of bases present in all with one sign)."""
    dicts = [_factor_dict(p) for p in params]
    common = sp.S.One
    for base in sorted(set.intersection(*(set(d) for d in dicts)), key=sp.default_sort_key):
        exps = [d[base] for d in dicts]
        if all(e.is_Number and e > 0 for e in exps):
            common *= base ** min(exps)
        elif all(e.is_Number and e < 0 for e in exps):
            common *= base ** max(exps)
    return common


def _rational_content(values: Iterable[sp.Rational]) -> sp.Rational:
    """Positive gcd of rationals: gcd(numerators) / lcm(denominators)."""
    nums, dens = [], []
    for v in values:
        v = sp.Rational(v)
        nums.append(abs(v.p))
        dens.append(v.q)
    return sp.Rational(sp.igcd(*nums) if len(nums) > 1 else nums[0], sp.ilcm(*dens) if len(dens) > 1 else dens[0])


def _split_term(term: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """``(rational, rest)`` of one additive term; non-rational numeric coefficients stay in ``rest``."""
    coeff, rest = term.as_coeff_Mul()
    if not coeff.is_Rational:
        return sp.S.One, term
    return coeff, rest


# A printed sum is a list of *chunks*: strings whose concatenation is the LaTeX text, with a line break
# allowed between any two consecutive chunks (always just before a " + " or " - ").
_Chunks = list


def _join_signed(items: Sequence[tuple[bool, _Chunks]]) -> _Chunks:
    out: _Chunks = []
    for n, (neg, chunks) in enumerate(items):
        sign = ("- " if neg else "") if n == 0 else (" - " if neg else " + ")
        out.append(sign + chunks[0])
        out.extend(chunks[1:])
    return out


def _wrap(prefix: str, chunks: _Chunks, suffix: str) -> _Chunks:
    chunks = list(chunks)
    chunks[0] = prefix + chunks[0]
    chunks[-1] = chunks[-1] + suffix
    return chunks


def _piece_chunks(structs: Sequence[tuple]) -> _Chunks:
    texts = [_structure_text(m) for m in sorted(structs, key=_structure_key)]
    if len(texts) == 1:
        return texts
    return _wrap("(", [texts[0]] + [" + " + t for t in texts[1:]], ")")


def _group_items(factor: sp.Expr, entries: dict) -> list[tuple[bool, _Chunks]]:
    """Signed items of one parameter group: ``factor x sum(rational x structure)``.

    ``entries`` maps structure -> rational.  The positive rational content is pulled out with the sign that
    makes the first piece positive; index factors common to every structure (``\\delta_{ik}``) are written
    once after the bracket.  Returns items to be joined by the caller.
    """
    common = set.intersection(*(set(m) for m in entries)) if len(entries) > 1 else set()
    if common:
        entries = {tuple(f for f in m if f not in common): c for m, c in entries.items()}
    content = _rational_content(entries.values())
    by_coeff: dict = {}
    for mono, rat in entries.items():
        by_coeff.setdefault(rat / content, []).append(mono)
    pieces = sorted(by_coeff.items(), key=lambda kv: min(_structure_key(m) for m in kv[1]))
    if pieces[0][0] < 0:
        content = -content
        pieces = [(-k, s) for k, s in pieces]
    prefix_value = factor * abs(content)
    negative = bool(content < 0)
    tail = " " + _structure_text(tuple(sorted(common))) if common else ""
    if len(pieces) == 1:
        k, structs = pieces[0]
        body = _piece_chunks(structs)
        if tail:
            body = _wrap("", body, tail)  # "(a + b) c" or "a c"
        mag = k * prefix_value
        if mag != 1:
            body = _wrap(_latex(mag) + " ", body, "")
        return [(negative, body)]
    items = []
    for k, structs in pieces:
        body = _piece_chunks(structs)
        if abs(k) != 1:
            body = _wrap(_latex(abs(k)) + " ", body, "")
        items.append((bool(k < 0), body))
    if prefix_value == 1 and not tail and not negative:
        return items
    simple = all(len(s) == 1 for _, s in pieces)
    left, right = (r"\Bigl( ", r" \Bigr)") if simple else (r"\Bigl\{ ", r" \Bigr\}")
    lead = "" if prefix_value == 1 else _latex(prefix_value) + " "
    return [(negative, _wrap(lead + left, _join_signed(items), right + tail))]


def _index_chunks(expr) -> _Chunks:
    """The printed form of an IndexExpr as breakable chunks (see :func:`index_latex`)."""
    if not expr.terms:
        return ["0"]
    if not expr.indices:
        return [scalar_latex(sum(expr.terms.values(), sp.S.Zero))]
    groups: dict = {}  # parameter monomial -> {structure: rational}
    for mono in sorted(expr.terms, key=_structure_key):
        for term in sp.Add.make_args(sp.expand_mul(expr.terms[mono])):
            rat, param = _split_term(term)
            g = groups.setdefault(param, {})
            g[mono] = g.get(mono, sp.S.Zero) + rat
    groups = {p: {m: c for m, c in g.items() if c != 0} for p, g in groups.items()}
    groups = {p: g for p, g in groups.items() if g}
    if not groups:
        return ["0"]
    order = sorted(groups, key=lambda p: (p != 1, sp.default_sort_key(p)))
    if len(order) == 1:
        return _join_signed(_group_items(order[0], groups[order[0]]))
    common = _common_factor(order)
    items = []
    for p in order:
        items.extend(_group_items(sp.simplify(p / common) if common != 1 else p, groups[p]))
    if common == 1:
        return _join_signed(items)
    lead = _latex(common) + r" \biggl[ "
    if items[0][0]:  # a leading minus goes in front of the common factor
        items = [(not neg, chunks) for neg, chunks in items]
        lead = "- " + lead
    return _wrap(lead, _join_signed(items), r" \biggr]")


def index_latex(expr) -> str:
    r"""LaTeX of an index-notation tensor, grouped as in the paper.

    Parameters
    ----------
    expr : IndexExpr
        The tensor.  Rank 0 prints its coefficient (:func:`scalar_latex`); the zero tensor prints ``0``.
        The symbol ``r`` in coefficients means :math:`|\vec x|`.

    Returns
    -------
    str
        One line of LaTeX (math mode, no delimiters); deterministic.

    Examples
    --------
    >>> from glass_sym.indexnotation import delta, vec
    >>> from glass_sym.symbols import alpha
    >>> index_latex(alpha * vec("n", "i") * vec("n", "j") * delta("k", "l") / 2)
    '\\frac{\\alpha}{2} n_{i} n_{j} \\delta_{kl}'
    """
    from .indexnotation import IndexExpr

    if not isinstance(expr, IndexExpr):
        raise TypeError(f"index_latex needs an IndexExpr, got {type(expr).__name__}")
    return "".join(_index_chunks(expr))


_PRIMED = re.compile(r"^([A-Za-z])\1(\d)$")


def _symbol_names(expr) -> dict:
    """LaTeX names for symbols the default printer gets wrong: ``pp1`` (component 1 of p') -> ``p'_{1}``."""
    out = {}
    for s in getattr(expr, "free_symbols", ()):
        m = _PRIMED.match(s.name)
        if m:
            out[s] = f"{m.group(1)}'_{{{m.group(2)}}}"
    return out


def _latex(expr) -> str:
    """``sympy.latex`` with :func:`_symbol_names` (primes rendered)."""
    expr = sp.sympify(expr)
    names = _symbol_names(expr)
    return sp.latex(expr, symbol_names=names) if names else sp.latex(expr)


def scalar_latex(expr) -> str:
    r"""LaTeX of a SymPy expression (``sympy.latex``); an equation prints both sides.

    >>> import sympy as sp
    >>> from glass_sym.symbols import alpha, c_t
    >>> scalar_latex(sp.Eq(alpha, c_t**2 / 2))
    '\\alpha = \\frac{c_{t}^{2}}{2}'
    """
    if isinstance(expr, bool):
        return r"\text{true}" if expr else r"\text{false}"
    if isinstance(expr, int):
        expr = sp.Integer(expr)
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"scalar_latex needs a SymPy expression, got {type(expr).__name__}")
    if isinstance(expr, sp.Equality):
        return f"{_latex(expr.lhs)} = {_latex(expr.rhs)}"
    return _latex(expr)


# ============================================================================ steps
def _value_chunks(value: Any) -> _Chunks:
    from .indexnotation import IndexExpr
    from .tensor import Tensor

    if isinstance(value, IndexExpr):
        return _index_chunks(value)
    if isinstance(value, Tensor):
        nonzero = sum(1 for c in value.components if c != 0)
        return [rf"\text{{(explicit rank-{value.rank} tensor, {nonzero} nonzero components)}}"]
    if isinstance(value, (list, tuple)):
        out: _Chunks = []
        for n, v in enumerate(value):
            part = _value_chunks(v)
            out.extend(part if n == 0 else _wrap(r",\quad ", part, ""))
        return out or [r"\text{(empty)}"]
    if isinstance(value, sp.MatrixBase):
        text = _matrix_latex(value)
        if _width(text) <= LINE_WIDTH:
            return [text]
        # too wide for one line: one entry after the other, each expanded into a sum the line breaker can split
        out: _Chunks = []
        for i in range(value.rows):
            for j in range(value.cols):
                entry = sp.expand(value[i, j])
                body = _rechunk(_latex(entry))
                head = (r"\text{entry }(" + f"{i + 1},{j + 1}" + r")\colon\ ")
                sep = "" if not out else r";\quad "
                out.extend(_wrap(sep + head, body, ""))
        return out
    if isinstance(value, (sp.Basic, int, bool)):
        return [scalar_latex(value)]
    return [r"\text{(" + _escape_text(type(value).__name__) + ")}"]


def _matrix_latex(m) -> str:
    r"""A matrix of results as ``\begin{pmatrix}`` (entries factored), in one TeX group so that the line
    breaker never splits it."""
    rows = [[_latex(sp.factor(m[i, j])) for j in range(m.cols)] for i in range(m.rows)]
    return r"{\begin{pmatrix} " + r" \\ ".join(" & ".join(r) for r in rows) + r" \end{pmatrix}}"


def _split_relation(text: str) -> tuple[str, str, str]:
    """Split ``"lhs = rhs"`` at the first ``" = "`` outside TeX groups; ``("", "", text)`` if there is none."""
    depth = 0
    for pos, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and text.startswith(" = ", pos):
            return text[:pos], "=", text[pos + 3:]
    return "", "", text


def _step_parts(step) -> tuple[str, str, _Chunks]:
    """``(lhs, relation, rhs chunks)`` of a step; relation is ``=`` or ``:`` (the value is an equation).

    A step loaded from the derivation cache has no ``lhs`` and maybe no value, only its stored record; the
    record's ``latex`` (made by :func:`step_latex` when the chain was built) is used then.
    """
    lhs = (step.lhs or "").strip()
    record = getattr(step, "record", None)
    if record is not None and step.value is None:  # cached text-only step: its stored LaTeX is the truth
        left, rel, right = _split_relation(str(record.get("latex", "")))
        return left, rel, [right]
    if record is not None and not lhs:
        full = str(record.get("latex", ""))
        stored_lhs = record.get("lhs")
        if stored_lhs is not None:
            lhs = str(stored_lhs).strip()
        elif step.value is not None and not isinstance(step.value, sp.Equality):
            chunks = _value_chunks(step.value)
            rhs = "".join(chunks)
            if full.endswith(" = " + rhs):
                return full[: -len(rhs) - 3], "=", chunks
        if not lhs:
            left, rel, right = _split_relation(full)
            return left, rel, [right]
    if isinstance(step.value, sp.Equality):
        rel = r"\colon\quad" if lhs else ""
        return lhs, rel, [scalar_latex(step.value)]
    return lhs, "=" if lhs else "", _value_chunks(_lhs_indices(lhs, step.value))


def _lhs_indices(lhs: str, value):
    r"""The value with the left side's index letters when the left side names them differently
    (``-\Lambda_{abcd}(\vec k)`` over a value in i, j, k, l): both sides of a displayed equation use the same
    names, position by position."""
    from .indexnotation import IndexExpr

    if not isinstance(value, IndexExpr) or not value.indices:
        return value
    groups = [g for g in re.findall(r"_\{([a-z]+)\}", lhs) if len(g) == len(value.indices) and len(set(g)) == len(g)]
    if len(groups) != 1 or tuple(groups[0]) == value.indices:
        return value
    target = tuple(groups[0])
    tmp = {a: f"_{a}" for a in value.indices}
    staged = value.rename(tmp)
    return IndexExpr(staged.rename({f"_{a}": b for a, b in zip(value.indices, target)}).terms, target)


def step_latex(step) -> str:
    r"""``lhs = rhs`` for a :class:`~glass_sym.derivation.Step` (one line, math mode).

    ``step.lhs`` is already LaTeX.  An IndexExpr value is printed by :func:`index_latex`, an explicit Tensor
    as a short note (its components are not printed), a SymPy ``Eq`` as ``lhs: a = b``.

    >>> import sympy as sp
    >>> from glass_sym.derivation import Derivation
    >>> d = Derivation("demo", "A demo")
    >>> s = d.step(None, "two", "one plus one", lhs="t", value=sp.Integer(2), how="addition",
    ...            check=None, check_text="", kind="definition", why="example")
    >>> step_latex(s)
    't = 2'
    """
    lhs, rel, chunks = _step_parts(step)
    rhs = "".join(chunks)
    return " ".join(p for p in (lhs, rel, rhs) if p)


def _width(text: str) -> float:
    """Rough printed width of a LaTeX fragment in glyphs (for greedy line breaking only)."""
    t = re.sub(r"\\(Bigl|Bigr|left|right|quad|colon|,|;)", " ", text)
    t = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", lambda m: "x" * max(len(m.group(1)), len(m.group(2))), t)
    t = re.sub(r"\\[A-Za-z]+", "x", t)
    t = re.sub(r"[_^]\{([^{}]*)\}", lambda m: "y" * ((len(m.group(1)) + 1) // 2), t)
    t = re.sub(r"[{}\s]", "", t)
    return float(len(t)) + 0.4 * text.count(" + ") + 0.4 * text.count(" - ")


def _rechunk(text: str) -> _Chunks:
    """Split one line of LaTeX before every ``" + "``/``" - "`` that is outside TeX groups and
    ``\\left ... \\right`` and does not follow an opening bracket: the break points of a sum.

    Works on the printed string, so a step loaded from the cache (text only) breaks exactly like a fresh one.
    """
    chunks, start, group, lr, pos = [], 0, 0, 0, 0
    while pos < len(text):
        ch = text[pos]
        if ch == "\\":
            m = re.match(r"\\(left|right)(?![A-Za-z])", text[pos:])
            if m:
                lr += 1 if m.group(1) == "left" else -1
                pos += len(m.group(0))
                continue
            pos += 2  # an escaped character (\\{, \\}) or the first letter of a command
            continue
        if ch == "{":
            group += 1
        elif ch == "}":
            group -= 1
        elif (group == 0 and lr == 0 and pos > start and text.startswith((" + ", " - "), pos)
              and not text[:pos].rstrip().endswith(("(", "[", r"\{", "="))):
            chunks.append(text[start:pos])
            start = pos
        pos += 1
    chunks.append(text[start:])
    return chunks


def _depth(text: str) -> int:
    """Bracket depth at the end of ``text`` (round, square and literal curly brackets)."""
    return (text.count("(") - text.count(")") + text.count("[") - text.count("]")
            + text.count(r"\{") - text.count(r"\}"))


def step_latex_lines(step, width: float = LINE_WIDTH) -> list[str]:
    r"""The rows of an ``align`` for ``step``: first ``lhs &= ...``, then ``&\quad {} + ...`` continuations.

    Breaks are only placed before a ``+``/``-`` of a sum (also inside brackets).  When a row is full, the
    break goes at the shallowest bracket depth among the break points that keep the row at least 55 % full
    (the last of those), so sums are preferably split between groups rather than inside a permutation sum.
    """
    lhs, rel, rhs = _split_relation(step.latex)
    chunks = _rechunk(rhs)
    widths = [_width(c) for c in chunks]
    depths, prefix = [], ""
    for c in chunks:
        depths.append(_depth(prefix))
        prefix += c
    indent = min(_width(lhs), 0.4 * width) + 3  # continuation rows start at the "=" of the first
    rows_idx: list[list[int]] = []
    current: list[int] = []
    start = indent
    for i, w in enumerate(widths):
        if current and start + sum(widths[j] for j in current) + w > width:
            # candidate break positions p: before current[p] (p >= 1) or before chunk i (p = len(current))
            cands = []
            for p in range(1, len(current) + 1):
                filled = start + sum(widths[j] for j in current[:p])
                d = depths[current[p]] if p < len(current) else depths[i]
                if filled >= 0.55 * width:
                    cands.append((d, -p))
            p = -min(cands)[1] if cands else len(current)
            rows_idx.append(current[:p])
            current = current[p:]
            start = indent + 2
        current.append(i)
    rows_idx.append(current)
    lines = ["".join(chunks[j] for j in row) for row in rows_idx if row]
    head = f"{lhs} &{rel} " if (lhs or rel) else "& "
    rows = [head + lines[0]]
    rows += [r"& \quad {}" + line for line in lines[1:]]
    return rows


# ============================================================================ text and labels
_UNICODE = {
    "α": r"$\alpha$", "β": r"$\beta$", "γ": r"$\gamma$", "δ": r"$\delta$", "ε": r"$\epsilon$",
    "λ": r"$\lambda$", "Λ": r"$\Lambda$", "μ": r"$\mu$", "ν": r"$\nu$", "π": r"$\pi$", "ρ": r"$\rho$",
    "σ": r"$\sigma$", "τ": r"$\tau$", "χ": r"$\chi$", "ω": r"$\omega$", "Ω": r"$\Omega$", "Δ": r"$\Delta$",
    "θ": r"$\theta$", "φ": r"$\phi$", "ψ": r"$\psi$", "η": r"$\eta$", "κ": r"$\kappa$", "ξ": r"$\xi$",
    "→": r"$\to$", "←": r"$\leftarrow$", "⇒": r"$\Rightarrow$", "≤": r"$\leq$", "≥": r"$\geq$",
    "≠": r"$\neq$", "≈": r"$\approx$", "·": r"$\cdot$", "×": r"$\times$", "∂": r"$\partial$",
    "∇": r"$\nabla$", "∞": r"$\infty$", "√": r"$\surd$", "∑": r"$\sum$", "∫": r"$\int$", "±": r"$\pm$",
    "²": r"$^2$", "³": r"$^3$", "⁴": r"$^4$", "₀": r"$_0$", "₁": r"$_1$", "₂": r"$_2$",
    "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "…": r"\dots{}", "ħ": r"$\hbar$",
}
_TEXT_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}", "<": r"$<$", ">": r"$>$", "|": r"$|$",
}


def _escape_plain(text: str) -> str:
    out = []
    for ch in text:
        if ch in _TEXT_SPECIAL:
            out.append(_TEXT_SPECIAL[ch])
        elif ch in _UNICODE:
            out.append(_UNICODE[ch])
        elif ord(ch) < 128:
            out.append(ch if ch.isprintable() or ch == "\n" else " ")
        else:
            out.append(f"[U+{ord(ch):04X}]")
    return "".join(out)


def _escape_text(text: str) -> str:
    """Text for a LaTeX paragraph: specials escaped, ``$...$`` spans kept as math when balanced."""
    text = " ".join(str(text).split())
    parts = text.split("$")
    if len(parts) % 2 == 0:  # unbalanced dollars: everything is text
        return _escape_plain(text)
    return "".join(_escape_plain(p) if n % 2 == 0 else "$" + p + "$" for n, p in enumerate(parts))


def _label_key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.:_-]+", "-", str(text)).strip("-") or "x"


def _tag_text(label: str) -> str:
    return _escape_plain(" ".join(str(label).split()))


def tag_plan(derivations: Sequence) -> dict[tuple[str, int], str]:
    """One tag per printed equation: (derivation name, step position) -> tag text.

    A paper label carried by one step keeps its tag, ``(A.17)``; a label carried by several steps of the
    document (steps that rebuild one printed equation) gets sub-labels in document order: ``A.19a``,
    ``A.19b``, ...  Steps without a label get none.

    >>> from glass_sym.derivation import Derivation
    >>> d = Derivation("demo", "demo")
    >>> for name in ("x", "y"):
    ...     _ = d.step("A.19", name, name, lhs=name, value=1, how="", check=None, check_text="", kind="definition",
    ...                why="a demo")
    >>> sorted(tag_plan([d]).values())
    ['A.19a', 'A.19b']
    """
    counts: dict[str, int] = {}
    for d in derivations:
        for st in d.steps:
            if st.label:
                counts[st.label] = counts.get(st.label, 0) + 1
    seen: dict[str, int] = {}
    out = {}
    for d in derivations:
        for n, st in enumerate(d.steps):
            if not st.label:
                continue
            k = seen.get(st.label, 0)
            seen[st.label] = k + 1
            suffix = "" if counts[st.label] == 1 else _letters(k)
            out[(d.name, n)] = _tag_text(st.label) + suffix
    return out


def _letters(k: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, ..."""
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(97 + r) + s
    return s


def _labels(derivation, used: set[str]) -> list[tuple[str | None, str]]:
    """``(tag, label)`` for each step, unique within ``used`` (which is updated).

    Paper label ``A.17``: ``eq:A.17`` on its first use in the document; ``eq:A.17:<step>`` when the same
    derivation repeats it; ``eq:<derivation>:A.17`` (then ``...:<step>``) when an earlier derivation took it.
    No paper label: ``eq:<derivation>:<step>``.  A numeric suffix settles any remaining clash.
    """
    out = []
    dname = _label_key(derivation.name)
    mine: set[str] = set()
    for step in derivation.steps:
        sname = _label_key(step.name)
        if step.label:
            key = _label_key(step.label)
            tag = _tag_text(step.label)
            if f"eq:{key}" not in used:
                base = f"eq:{key}"
            elif any(m == f"eq:{key}" or m.startswith(f"eq:{key}:") for m in mine):
                base = f"eq:{key}:{sname}"
            elif f"eq:{dname}:{key}" not in used:
                base = f"eq:{dname}:{key}"
            else:
                base = f"eq:{dname}:{key}:{sname}"
        else:
            tag, base = None, f"eq:{dname}:{sname}"
        label, n = base, 2
        while label in used:
            label, n = f"{base}:{n}", n + 1
        used.add(label)
        mine.add(label)
        out.append((tag, label))
    return out


def derivation_latex_body(derivation, used_labels: set[str] | None = None, width: float = LINE_WIDTH,
                          tags: dict | None = None) -> str:
    r"""LaTeX body of a derivation (to be ``\input``): per step a text line and one ``align``.

    Parameters
    ----------
    derivation : Derivation
    used_labels : set of str, optional
        Labels already taken in the enclosing document; updated.  A step with paper label ``A.17`` gets
        ``\tag{A.17}`` and ``\label{eq:A.17}``, or ``eq:<derivation>:A.17`` (then
        ``eq:<derivation>:A.17:<step name>``) when that is taken.  Steps without a paper label are numbered
        by LaTeX and get ``\label{eq:<derivation>:<step name>}``.
    width : float
        Line-break budget in rough glyph widths.

    Returns
    -------
    str
        Deterministic LaTeX; needs only ``amsmath``.

    Examples
    --------
    >>> import sympy as sp
    >>> from glass_sym.derivation import Derivation
    >>> d = Derivation("demo", "A demo")
    >>> _ = d.step("A.1", "two", "one plus one", lhs="t", value=sp.Integer(2), how="addition",
    ...            check=lambda v: v - 2, check_text="2 - 2 = 0")
    >>> print(derivation_latex_body(d).splitlines()[-2])
    t &= 2 \tag{A.1}\label{eq:A.1}
    """
    used = set() if used_labels is None else used_labels
    labels = _labels(derivation, used)
    plan = tag_plan([derivation]) if tags is None else tags
    labels = [(plan.get((derivation.name, n)) if tag else None, label) for n, (tag, label) in enumerate(labels)]
    out = [f"% glass-sym derivation {derivation.name!r}: {len(derivation.steps)} steps (generated; do not edit)"]
    for n, (step, (tag, label)) in enumerate(zip(derivation.steps, labels), start=1):
        head = f"Step {n}" + (f" ({_tag_text(step.label)})" if step.label else "")
        if getattr(step, "kind", "check") == "definition":
            status = r"\textbf{definition} (notation only, nothing to check)"
        elif step.verified:
            status = r"\textbf{verified}" + (r" (a property of step \texttt{" + _escape_plain(step.of) + "})"
                                              if getattr(step, "kind", "check") == "property" and step.of else "")
        else:
            res = " ".join(str(step.residual).split())
            res = res if len(res) <= 160 else res[:157] + "..."
            status = r"\textbf{NOT verified} (residual " + _escape_plain(res) + ")"
        out.append("")
        out.append(r"\paragraph{" + head + ".} " + prose_latex(step.title) + r"\par")
        out.append(r"{\small")
        if step.how:
            out.append(r"\emph{Obtained:} " + prose_latex(step.how) + r"\\")
        check = prose_latex(step.check_text) if step.check_text else "none"
        out.append(r"\emph{Check:} " + check + " --- " + status + ".}")
        rows = step_latex_lines(step, width)
        ending = (rf"\tag{{{tag}}}" if tag else "") + rf"\label{{{label}}}"
        out.append(r"\begin{align}")
        for row in rows[:-1]:
            out.append(row + r" \notag\\")
        out.append(rows[-1] + " " + ending)
        out.append(r"\end{align}")
    return "\n".join(out) + "\n"


# ============================================================================ files
def _atomic_write(path: Path, text: str) -> None:
    atomic_write(path, text)


def _ensure_dir(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"output path {outdir} exists and is not a directory (expected a directory)")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create output directory {outdir}: {exc.strerror or exc} (expected a writable directory path)"
        ) from None


def _file_stem(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "derivation"
    return stem + "-chain" if stem == _MAIN_NAME else stem


def _main_document(derivations: Sequence, inputs: Sequence[str]) -> str:
    r"""The standalone article that ``\input``\ s the bodies ``inputs`` (one ``\section`` per derivation)."""
    from . import __version__

    lines = [f"% Generated by glass-sym {__version__} (glass-sym latex); do not edit.", TEX_PREAMBLE.rstrip("\n")]
    lines += [
        r"\begin{document}",
        r"\title{glass-sym: derivations, every step checked}",
        rf"\author{{glass-sym {__version__}}}",
        r"\date{}",
        r"\maketitle",
        r"\noindent Conventions: $r = |\vec x|$, $\vec n = \vec x / r$, $\hat q = \vec q / q$, "
        r"$\alpha = 1 - c_t^2 / c_l^2$; repeated structures are grouped into permutation sums. "
        r"Equation tags (A.$n$) are the equation numbers of D.~Zhou, J.~Phys.: Condens.\ Matter \textbf{32}, "
        r"055704 (2020); equations numbered (1), (2), \dots{} are the engine's own steps.",
    ]
    for d, inp in zip(derivations, inputs):
        lines.append("")
        lines.append(r"\section{" + prose_latex(d.title or d.name) + "}" + rf"\label{{sec:{_label_key(d.name)}}}")
        state = "all steps verified" if d.ok else f"{len(d.failed())} step(s) NOT verified"
        lines.append(rf"Derivation chain \texttt{{{_escape_plain(d.name)}}}: {len(d.steps)} steps, {state}.")
        lines.append(rf"\input{{{inp}}}")
    lines.append("")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def write_tex(derivations: Iterable, outdir) -> list[Path]:
    r"""Write ``<derivation>.tex`` bodies and the standalone ``glass-sym.tex`` into ``outdir``.

    Parameters
    ----------
    derivations : iterable of Derivation
    outdir : str or Path
        Created if missing.  Files are written atomically (temporary file + ``os.replace``).

    Returns
    -------
    list of Path
        The body files in order, then ``glass-sym.tex`` last.

    Raises
    ------
    OutputError
        ``outdir`` cannot be created or written.
    """
    derivations = list(derivations)
    outdir = Path(outdir)
    _ensure_dir(outdir)
    used: set[str] = set()
    plan = tag_plan(derivations)
    written, stems = [], []
    for d in derivations:
        stem = _file_stem(d.name)
        if stem in stems:
            stem = f"{stem}-{len(stems) + 1}"
        stems.append(stem)
        path = outdir / f"{stem}.tex"
        _atomic_write(path, derivation_latex_body(d, used, tags=plan))
        written.append(path)
    main = outdir / f"{_MAIN_NAME}.tex"
    _atomic_write(main, _main_document(derivations, stems))
    written.append(main)
    return written


def _first_error(log: str) -> str:
    lines = log.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("!"):
            where = next((x.strip() for x in lines[n + 1 : n + 12] if re.match(r"l\.\d+", x)), "")
            return line.strip() + (f" (at {where[:80]})" if where else "")
    return "no '!' error line in the log"


def compile_pdf(texfile, timeout: float = 120.0) -> Path:
    r"""Compile ``texfile`` with ``pdflatex`` (twice, for references); return the PDF path next to it.

    ``pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape`` runs in the file's directory (so
    ``\input`` finds the bodies) with its output in a temporary directory there; the PDF is then moved in
    atomically.  ``SOURCE_DATE_EPOCH`` is fixed, so the PDF is byte-reproducible.

    Raises
    ------
    OutputError
        pdflatex not installed, LaTeX error (names the kept ``.log`` file and the first ``!`` line), timeout,
        or the directory is not writable.
    """
    texfile = Path(texfile).resolve()
    if not texfile.is_file():
        raise OutputError(f"cannot compile {texfile}: no such .tex file")
    exe = shutil.which("pdflatex")
    if exe is None:
        raise OutputError(
            "pdflatex not found: install texlive-latex-base and texlive-latex-recommended "
            "(e.g. apt-get install texlive-latex-base texlive-latex-recommended), or use --no-pdf"
        )
    workdir = texfile.parent
    stem = texfile.stem
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    try:
        tmpctx = tempfile.TemporaryDirectory(dir=workdir, prefix=".glass-sym-latex-")
    except OSError as exc:
        raise OutputError(f"cannot create a build directory in {workdir}: {exc.strerror or exc}") from None
    with tmpctx as tmp:
        cmd = [exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
               f"-output-directory={tmp}", texfile.name]
        for _ in range(2):
            try:
                proc = subprocess.run(cmd, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
            except subprocess.TimeoutExpired:
                raise OutputError(f"pdflatex timed out after {timeout:g} s on {texfile}") from None
            if proc.returncode != 0:
                log_tmp = Path(tmp) / f"{stem}.log"
                log = log_tmp.read_text(encoding="utf-8", errors="replace") if log_tmp.exists() else \
                    proc.stdout.decode("utf-8", "replace")
                log_path = workdir / f"{stem}.log"
                _atomic_write(log_path, log)
                raise OutputError(f"pdflatex failed on {texfile}: {_first_error(log)}; see log {log_path}")
        pdf_tmp = Path(tmp) / f"{stem}.pdf"
        if not pdf_tmp.exists():
            raise OutputError(f"pdflatex produced no PDF for {texfile}")
        pdf = workdir / f"{stem}.pdf"
        try:
            os.replace(pdf_tmp, pdf)
        except OSError as exc:
            raise OutputError(f"cannot write {pdf}: {exc.strerror or exc}") from None
    return pdf
