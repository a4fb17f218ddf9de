r"""Prose of the derivation records (titles, "how", "check") typeset as LaTeX with the math in math mode.

The step records are written in plain ASCII physics shorthand ("Delta Lambda_ijkl to first order in Delta x =
u^(s) - u^(s')").  :func:`prose_latex` splits such a line into words and formula runs: a run of tokens that
look like mathematics (Greek names, symbols with ``_``/``^``, operators, single-letter variables, numbers next
to them) becomes one ``$...$`` span in which Greek names become macros, ``tilde X`` becomes ``\tilde X``,
``a_bc`` becomes ``a_{bc}``, ``x^(s)`` becomes ``x^{(s)}``, ``->`` becomes ``\to`` and ``p'`` keeps its prime;
everything else is escaped text.  Spans already in ``$...$`` are kept.  Deterministic and total: any input
gives balanced LaTeX that contains no raw ``_``, ``^`` or ``\`` outside math.

>>> prose_latex("Delta Lambda_ijkl to first order in Delta x")
'$\\Delta \\Lambda_{ijkl}$ to first order in $\\Delta x$'
>>> prose_latex("alpha = 1 - c_t^2/c_l^2, see (A.18)")
'$\\alpha = 1 - c_{t}^{2}/c_{l}^{2}$, see (A.18)'
>>> prose_latex("p_i p'_j q_i q_j")
"$p_{i} p'_{j} q_{i} q_{j}$"
"""

from __future__ import annotations

import re

__all__ = ["prose_latex", "GREEK"]

GREEK = {name: "\\" + name for name in (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
    "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega")}
_FUNCS = {"sum": "\\sum", "int": "\\int", "cos": "\\cos", "sin": "\\sin", "exp": "\\exp", "ln": "\\ln", "log": "\\log", "Im": "\\operatorname{Im}",
          "Re": "\\operatorname{Re}"}
_OPS = {"=", "+", "-", "*", "/", "->", "<-", "<=", ">=", "!=", "<", ">", "~", "x", "|", "~=", "=="}
#: single letters that are words, not variables, in running English
_WORDS = {"a", "A", "I"}
_TRAIL = ",;:."
_TEXT_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "&": r"\&",
                 "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}", "<": r"\textless{}", ">": r"\textgreater{}",
                 "|": r"\textbar{}"}
_IDENT = re.compile(r"^[A-Za-z]+'*(_[A-Za-z0-9]+|\^\(?[A-Za-z0-9'+-]+\)?|\^\{[^}]*\})*[.,;:]?$")


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _TEXT_SPECIAL:
            out.append(_TEXT_SPECIAL[ch])
        elif ord(ch) < 128:
            out.append(ch if ch.isprintable() else " ")
        else:
            out.append(f"[U+{ord(ch):04X}]")
    return "".join(out)


def _core(tok: str) -> str:
    return tok.strip("()[]{}" + _TRAIL)


_CODE = re.compile(r"([A-Za-z]{3,})_([A-Za-z_]{3,})")


def _is_code(tok: str) -> bool:
    """A program identifier such as fourier_transform (not Lambda_ijkl: indices are index letters)."""
    m = _CODE.search(tok)
    return bool(m) and m.group(1) not in GREEK and not set(m.group(2)) <= set("ijklmnpqabcdst")


def _is_math(tok: str, prev_math: bool) -> bool:
    if _is_code(tok):
        return False  # a program identifier (fourier_transform): text
    if re.search(r"[A-Za-z]{2,}'s\b", tok):
        return False  # a possessive (Levelut's): text
    m = re.match(r"^[-+(\[]*([A-Za-z]+)\(", tok)
    if m and (m.group(1) in GREEK or m.group(1) in _FUNCS or len(m.group(1)) == 1):
        return True  # Lambda(q), f(x), cos(theta)
    stripped = tok.lstrip("-+([")
    if stripped != tok and stripped:
        return _is_math(stripped, prev_math)
    core = _core(tok)
    if not core:
        return tok in ("(", ")", "[", "]") and prev_math
    if re.fullmatch(r"\(?[A-D]?\.?\d+(\.\d+)?[a-z]?\)?[.,;:]?", tok) and tok.startswith("("):
        return False  # an equation reference such as (A.18)
    if core in GREEK or core in _FUNCS or tok in _OPS or core in _OPS:
        return True
    if core in ("tilde", "hat", "bar"):
        return True
    if any(c in core for c in "_^=<>+*/|'") and re.search(r"[A-Za-z0-9]", core):
        return True
    if len(core) == 1 and core.isalpha() and core not in _WORDS:
        return True
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", core):
        return prev_math
    if re.fullmatch(r"[A-Za-z]\d?", core) and core not in _WORDS:
        return True
    if re.fullmatch(r"[A-Za-z]hat", core):
        return True  # qhat, khat: unit vectors
    return False


def _math(tok: str) -> str:
    """One token of a formula in LaTeX math."""
    t = "".join(ch if ord(ch) < 128 else f"\\text{{[U+{ord(ch):04X}]}}" for ch in tok)
    for a, b in (("->", r"\to "), ("<=", r"\le "), (">=", r"\ge "), ("!=", r"\neq "), ("~=", r"\approx ")):
        t = t.replace(a, b)

    def word(m):
        w = m.group(0)
        if w in GREEK:
            return GREEK[w] + " "
        if w in _FUNCS:
            return _FUNCS[w] + " "
        if w == "inf":
            return r"\infty "
        if re.fullmatch(r"[A-Za-z]hat", w):
            return r"\hat{" + w[0] + "}"
        if len(w) > 1 and w not in ("tilde", "hat", "bar"):
            return r"\mathrm{" + w + "}"
        return w

    # subscripts and superscripts: a_bc -> a_{bc}, x^(s) -> x^{(s)}, c^2 -> c^{2}
    t = re.sub(r"_([A-Za-z0-9]+)", lambda m: "_{" + m.group(1) + "}", t)
    t = re.sub(r"\^\(([^)]*)\)", lambda m: "^{(" + m.group(1) + ")}", t)
    t = re.sub(r"\^([A-Za-z0-9]+)", lambda m: "^{" + m.group(1) + "}", t)
    parts = re.split(r"(\{[^{}]*\}|\\[A-Za-z]+ ?)", t)
    out = []
    for p in parts:
        if p.startswith("{") or p.startswith("\\"):
            inner = re.sub(r"[A-Za-z]+", lambda m: GREEK.get(m.group(0), m.group(0)) + (" " if m.group(0) in GREEK else ""), p) \
                if p.startswith("{") else p
            out.append(inner)
        else:
            out.append(re.sub(r"[A-Za-z]+", word, p).replace("%", r"\%").replace("#", r"\#").replace("&", r"\&"))
    return "".join(out).strip()


def _join_math(tokens: list[str]) -> str:
    text = " ".join(_math(t) for t in tokens)
    text = re.sub(r"\b(tilde|hat|bar) (\\?[A-Za-z]+)", lambda m: "\\" + m.group(1) + "{" + m.group(2).strip() + "}", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(\\[A-Za-z]+) (?=[_^{}()\[\]/,;:.'0-9]|$)", r"\1", text)
    return text


_UNI = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "λ": "lambda", "Λ": "Lambda",
        "μ": "mu", "ν": "nu", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "χ": "chi", "ω": "omega",
        "Ω": "Omega", "Δ": "Delta", "θ": "theta", "φ": "phi", "ψ": "psi", "η": "eta", "κ": "kappa", "ξ": "xi",
        "→": "->", "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~=", "²": "^2", "³": "^3", "⁴": "^4", "·": "."}


#: ASCII shorthand of the step records rewritten before tokenizing (each result a ``$...$`` span or plain words)
_SHORTHAND: tuple[tuple[str, str], ...] = (
    (r"\(IndexExpr\.diff\)", "(index-calculus derivative)"),
    (r"\bfourier_transform\([^()]*(?:\([^()]*\)[^()]*)*\)", "the Fourier transform"),
    (r"\(([A-Za-z])hat\.grad\)", r"$(\\hat{\1}\\cdot\\nabla)$"),
    (r"\(([A-Za-z])hat\.([a-z])\)", r"$(\\hat{\1}\\cdot \2)$"),
    (r"\(([a-z])\.grad\)", r"$(\1\\cdot\\nabla)$"),
    (r"(?<![\w.])([a-z])\.grad\b", r"$\1\\cdot\\nabla$"),
    (r"(?<![\w.])([a-z])\.([a-z])(?![\w.])", r"$\1\\cdot \2$"),
    (r"\be\^\{(-?)i ?([a-z])\.([a-z])(_[a-z0-9])?\}", r"$e^{\1 i \2\\cdot \3\4}$"),
    (r"\bnabla\^2\b", r"$\\nabla^{2}$"),
    (r"\bnabla\b", r"$\\nabla$"),
    (r"\bgrad ([a-z])\b", r"$\\nabla \1$"),
    (r"\bconj\(([A-Za-z])\)", r"$\1^{*}$"),
    (r"\bsqrt ([A-Za-z0-9])\b", r"$\\sqrt{\1}$"),
    (r"\bsqrt\(([^()]*)\)", r"$\\sqrt{\1}$"),
    (r"\be_mu,([a-z])\b", r"$e_{\\mu,\1}$"),
    (r"\bd([A-Z])_(\w+)/d\(lambda\^2\)", r"$\\mathrm{d}\1_{\2}/\\mathrm{d}(\\lambda^{2})$"),
    (r"\bd([A-Z])/d\b", r"$\\mathrm{d}\1/\\mathrm{d}$"),
    (r"\bd/dx_([a-z])\b", r"$\\mathrm{d}/\\mathrm{d}x_{\1}$"),
    (r"\bd\^3([a-z])\b", r"$\\mathrm{d}^{3}\1$"),
    (r"(?<=[_^])oo\b", r"{\\infty}"),
    (r"(?<![\w.^_])oo\b", r"$\\infty$"),
)


def _shorthand(text: str) -> str:
    """Apply :data:`_SHORTHAND` outside existing ``$...$`` spans.

    >>> _shorthand("r -> oo and p.grad, conj(a)")
    'r -> $\\\\infty$ and $p\\\\cdot\\\\nabla$, $a^{*}$'
    """
    if text.count("$") % 2:
        return text
    for pat, rep in _SHORTHAND:  # each rule sees only the text outside the spans made so far
        parts = text.split("$")
        for n in range(0, len(parts), 2):
            parts[n] = re.sub(pat, rep, parts[n])
        text = "$".join(parts)
    return text


def prose_latex(text: str) -> str:
    """ASCII physics prose -> LaTeX (text escaped, formulas in ``$...$``); ``$...$`` spans kept as they are.

    Greek letters and arrows typed as Unicode are read as their ASCII names; any other non-ASCII character
    is printed as ``[U+XXXX]``.
    """
    text = _shorthand("".join(_UNI.get(ch, ch) for ch in " ".join(str(text).split())))
    if text.count("$") % 2 == 0 and "$" in text:
        parts = text.split("$")
        pieces = [prose_latex(p).strip() if n % 2 == 0 else "$" + p + "$" for n, p in enumerate(parts)]
        out = " ".join(x for x in pieces if x)  # never "$$" (display math) between two spans
        return re.sub(r" (?=[,;:.)\]](?:\s|$))", "", out)
    text = text.replace("$", "")
    tokens = text.split(" ") if text else []
    out: list[str] = []
    run: list[str] = []
    flags = []
    prev = False
    for n, tok in enumerate(tokens):
        after_name = n > 0 and tokens[n - 1].lower() in ("appendix", "section", "table", "figure", "eq.", "fig.")
        m = False if after_name else _is_math(tok, prev)  # "Appendix C", "Table 1": names, not math
        flags.append(m)
        prev = m
    # a lone ambiguous word between two formulas stays text; flush runs
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if flags[i]:
            run.append(tok)
        else:
            if run:
                out.append(_emit(run))
                run = []
            out.append(r"\texttt{" + _escape(tok) + "}" if _is_code(tok) else _escape(tok))
        i += 1
    if run:
        out.append(_emit(run))
    return " ".join(x for x in out if x)


def _emit(run: list[str]) -> str:
    """A formula run: leading '(' and trailing punctuation outside the math when unbalanced."""
    first, last = run[0], run[-1]
    lead = trail = ""
    body = list(run)
    joined = " ".join(body)
    if joined.count("(") > joined.count(")") and body[0].startswith("("):
        lead, body[0] = "(", body[0][1:]
    joined = " ".join(body)
    m = re.search(r"([" + re.escape(_TRAIL) + r"]+)$", body[-1])
    if m and not re.search(r"\d\.$", body[-1][-2:] if len(body[-1]) > 1 else ""):
        trail = m.group(1)
        body[-1] = body[-1][: -len(trail)]
    joined = " ".join(body)
    if joined.count(")") > joined.count("(") and body[-1].endswith(")"):
        trail = ")" + trail
        body[-1] = body[-1][:-1]
    body = [b for b in body if b]
    if not body:
        return _escape(first if first == last else " ".join(run))
    return lead + "$" + _join_math(body) + "$" + trail
