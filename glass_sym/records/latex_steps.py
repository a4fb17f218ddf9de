r"""LaTeX of derivation records: a step as one displayed equation (broken into lines), a derivation as an
``align`` per step with tags and labels, the prose of titles, "how" and "check" with its math in math mode.

The expressions themselves are printed by :mod:`glass_sym.algebra.latex_notation`; :mod:`glass_sym.output.latex` writes the
``.tex`` / ``.pdf`` files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import sympy as sp

from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.algebra.latex_notation import Chunks, index_chunks, scalar_latex, sympy_latex, wrap_chunks
from glass_sym.algebra.tensor import Tensor

from .latex_prose import prose_latex

__all__ = ["step_latex", "step_latex_lines", "derivation_latex_body", "tag_plan", "LINE_WIDTH", "escape_text",
           "escape_plain", "label_key"]

#: greedy line-break budget of :func:`derivation_latex_body`, in rough glyph widths
LINE_WIDTH = 72


# ============================================================================ steps
def _value_chunks(value: Any) -> Chunks:
    if isinstance(value, IndexExpr):
        return index_chunks(value)
    if isinstance(value, Tensor):
        nonzero = sum(1 for c in value.components if c != 0)
        return [rf"\text{{(explicit rank-{value.rank} tensor, {nonzero} nonzero components)}}"]
    if isinstance(value, (list, tuple)):
        out: Chunks = []
        for n, v in enumerate(value):
            part = _value_chunks(v)
            out.extend(part if n == 0 else wrap_chunks(r",\quad ", part, ""))
        return out or [r"\text{(empty)}"]
    if isinstance(value, sp.MatrixBase):
        text = _matrix_latex(value)
        if _width(text) <= LINE_WIDTH:
            return [text]
        # too wide for one line: one entry after the other, each expanded into a sum the line breaker can split
        out: Chunks = []
        for i in range(value.rows):
            for j in range(value.cols):
                entry = sp.expand(value[i, j])
                body = _rechunk(sympy_latex(entry))
                head = (r"\text{entry }(" + f"{i + 1},{j + 1}" + r")\colon\ ")
                sep = "" if not out else r";\quad "
                out.extend(wrap_chunks(sep + head, body, ""))
        return out
    if isinstance(value, (sp.Basic, int, bool)):
        return [scalar_latex(value)]
    return [r"\text{(" + escape_text(type(value).__name__) + ")}"]


def _matrix_latex(m) -> str:
    r"""A matrix of results as ``\begin{pmatrix}`` (entries factored), in one TeX group so that the line
    breaker never splits it."""
    rows = [[_entry_latex(m[i, j]) for j in range(m.cols)] for i in range(m.rows)]
    return r"{\begin{pmatrix} " + r" \\ ".join(" & ".join(r) for r in rows) + r" \end{pmatrix}}"


@functools.lru_cache(maxsize=1024)
def _entry_latex(entry) -> str:
    """LaTeX of one factored matrix entry, memoized per process (a step's text is asked for by its JSON record
    and by the .tex document; SymPy expressions compare structurally, so a hit is the same entry)."""
    return sympy_latex(sp.factor(entry))


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


def _step_parts(step) -> tuple[str, str, Chunks]:
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
    r"""``lhs = rhs`` for a :class:`~glass_sym.records.derivation.Step` (one line, math mode).

    ``step.lhs`` is already LaTeX.  An IndexExpr value is printed by :func:`index_latex`, an explicit Tensor
    as a short note (its components are not printed), a SymPy ``Eq`` as ``lhs: a = b``.

    >>> import sympy as sp
    >>> from glass_sym.records.derivation import Derivation
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


def _rechunk(text: str) -> Chunks:
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


def escape_plain(text: str) -> str:
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


def escape_text(text: str) -> str:
    """Text for a LaTeX paragraph: specials escaped, ``$...$`` spans kept as math when balanced."""
    text = " ".join(str(text).split())
    parts = text.split("$")
    if len(parts) % 2 == 0:  # unbalanced dollars: everything is text
        return escape_plain(text)
    return "".join(escape_plain(p) if n % 2 == 0 else "$" + p + "$" for n, p in enumerate(parts))


def label_key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.:_-]+", "-", str(text)).strip("-") or "x"


def _tag_text(label: str) -> str:
    return escape_plain(" ".join(str(label).split()))


def tag_plan(derivations: Sequence) -> dict[tuple[str, int], str]:
    """One tag per printed equation: (derivation name, step position) -> tag text.

    A paper label carried by one step keeps its tag, ``(A.17)``; a label carried by several steps of the
    document (steps that rebuild one printed equation) gets sub-labels in document order: ``A.19a``,
    ``A.19b``, ...  Steps without a label get none.

    >>> from glass_sym.records.derivation import Derivation
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
    dname = label_key(derivation.name)
    mine: set[str] = set()
    for step in derivation.steps:
        sname = label_key(step.name)
        if step.label:
            key = label_key(step.label)
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
    >>> from glass_sym.records.derivation import Derivation
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
            status = r"\textbf{verified}" + (r" (a property of step \texttt{" + escape_plain(step.of) + "})"
                                              if getattr(step, "kind", "check") == "property" and step.of else "")
        else:
            res = " ".join(str(step.residual).split())
            res = res if len(res) <= 160 else res[:157] + "..."
            status = r"\textbf{NOT verified} (residual " + escape_plain(res) + ")"
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
