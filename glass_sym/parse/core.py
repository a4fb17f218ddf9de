r"""Private core of :mod:`glass_sym.parse.parser`: symbol tables, the LaTeX post-lexer and the value algebra.

Split out of the parser (:mod:`glass_sym.parse.parser`) so that each file stays one concept: here the token rules (a script or ``\frac``
argument is one token, ``|`` opens or closes, ``\left``/``\right``/spacing are dropped, macros are classified,
brackets are matched) and the values the transformer builds (:class:`_Tens`, :class:`_Vec`, Einstein
contraction).  The calculus constructs (``\int``, ``\partial``, ``\lim``) are recognised by
:mod:`glass_sym.parse.calculus`, called from the post-lexer.  Nothing here is public API; see ``docs/parse.md``.

>>> _contract([("d", "i", "j"), ("v", "n", "j")], 0)
(1, (('v', 'n', 'i'),))
"""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass, field

import sympy as sp
from lark import Token

from glass_sym import symbols as S
from glass_sym.errors import IllFormedTensorError, ParseError

__all__: list[str] = []

#: deepest accepted bracket nesting (keeps the tree transformer far from Python's recursion limit)
MAX_DEPTH = 40
#: largest |exponent| of a numeric power, and largest size (bits) of an exact rational power (2^{2^{99}} would
#: otherwise be computed exactly and exhaust time and memory)
_MAX_EXPONENT = 1000
_MAX_POWER_BITS = 100_000

_RAW = ("MACRO", "CTRL", "BAR", "AMP", "EQ", "DOLLAR", "TILDE")

# ---------------------------------------------------------------------------------------------- symbol table
#: |Delta x_{ss'}|, the length of the relative displacement (B.2), (B.3); its direction is m
DELTA_X = S.DELTA_X
_FRESH = {
    "hbar": S.hbar, "omega": S.omega, "Omega": S.Omega, "beta": S.beta, "T": S.T, "k_B": S.k_B,
    "theta": S.theta, "phi": S.phi,
}
#: LaTeX name -> SymPy object for the symbols with a fixed meaning (everything else: ``Symbol(name)``)
SYMBOL_TABLE: dict[str, sp.Expr] = {
    "alpha": S.alpha, "rho": S.rho, "c_l": S.c_l, "c_t": S.c_t, "r": S.r, "x": S.r, "q": S.q, "k": S.q,
    "epsilon": S.epsilon, "varepsilon": S.epsilon, "lambda": S.lam, "pi": sp.pi, "infty": sp.oo,
    "e": sp.E, "i": sp.I, "Delta_x": DELTA_X, **_FRESH,
}
_GREEK = set("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi
rho varrho sigma tau upsilon phi varphi chi omega Gamma Delta Lambda Xi Pi Sigma Upsilon Phi Psi Omega Theta hbar ell
infty""".split()) - {"delta"}
_FUNCS = {
    "cos": sp.cos, "sin": sp.sin, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
    "cosh": sp.cosh, "sinh": sp.sinh, "tanh": sp.tanh, "coth": sp.coth, "exp": sp.exp, "ln": sp.log,
    "log": sp.log, "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan, "Psi": sp.digamma,
    "psi": sp.digamma, "Re": sp.re, "Im": sp.im, "sgn": sp.sign, "sign": sp.sign,
}
_IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
            "Biggl", "Biggr", "quad", "qquad", "displaystyle", "textstyle", "nonumber", "notag", "limits"}
_ACCENTS = {"vec": "vec", "mathbf": "vec", "boldsymbol": "vec", "bm": "vec", "hat": "hat", "widehat": "hat",
            "tilde": "tilde", "widetilde": "tilde", "bar": "bar", "overline": "bar"}
_ROMAN = {"mathrm", "text", "textrm", "operatorname", "mathit", "mathsf", "rm"}
_SKIPPED_ARG = {"tag", "label", "begin", "end"}
_UNSUPPORTED = {"sum", "iint", "oint", "prod", "nabla", "mathcal", "stackrel",
                "langle", "rangle", "to", "rightarrow", "approx", "sim", "leq", "geq", "neq", "ll", "gg"}
#: letters with a fixed vector meaning: n, m unit vectors; x, r the position x = r n (x_i = r n_i); q, k the wave
#: vector q = q qhat (q_i = q qhat_i); e the polarization.  Any other Latin letter carrying an index is a vector
#: too (p_i = p phat_i, the bare letter p being its magnitude): see docs/parse.md, "Vectors and labels"
_VECTOR_LETTERS = {"n": "n", "m": "m", "x": "x", "r": "x", "q": "q", "e": "e", "k": "q"}
#: vectors that depend on the integration / differentiation variable: their contractions with other vectors
#: stay in index form until an \int or \partial has acted (see _contract and _settle)
_FIELD_VECTORS = frozenset({"n", "qhat", "x", "q"})
#: subscripts read as labels, not index lists, on a symbol that is not a known tensor (E_{int}, T_{max})
LABEL_WORDS = frozenset("""int ext eff tot max min crit el ph th exp dip ren bare sat res rel loc av avg ref tr
in out kin pot vac obs ttls abs rms""".split())
#: block labels: x_s, x'_s, x_{s'}, x_u ... are positions of elementary blocks, not components
_BLOCK_LABELS = ("s", "u")
#: cos(theta_{ss'}) is the cosine of the angle between Delta x_{ss'} and x_s - x'_s, i.e. m.n (preprint (2.17))
_THETA_SS = sp.Symbol("theta_ss'")

_OPEN = {"LPAR": ("RPAR", "("), "LBRACK": ("RBRACK", "["), "LBRACE": ("RBRACE", "{"),
         "LBRACEL": ("RBRACEL", r"\{"), "LBAR": ("RBAR", "|")}
_CLOSE = {v[0]: k for k, v in _OPEN.items()}
_CLOSE_TEXT = {"RPAR": ")", "RBRACK": "]", "RBRACE": "}", "RBRACEL": r"\}", "RBAR": "|"}
_ENDS_OPERAND = {"LETTER", "NUMBER", "SYMBOL", "NAME", "ACCENTED", "RPAR", "RBRACK", "RBRACE", "RBRACEL",
                 "RBAR", "PRIME", "LABEL"}


class _PosError(Exception):
    """Internal: an error at a position of the text (converted to ``cls``, a :class:`ParseError` subclass, with
    line:col)."""

    def __init__(self, pos: int, message: str, cls: type = ParseError):
        super().__init__(message)
        self.pos = pos
        self.message = message
        self.cls = cls


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - text.rfind("\n", 0, pos)
    return f"at position {pos} (line {line}, col {col})"


def _quote(text: str) -> str:
    """LaTeX quoted for a message as typed (``'\\Phi'``, not the repr ``'\\\\Phi'``); text with
    non-printable characters keeps the repr, so that they show."""
    text = str(text)
    return f"'{text}'" if text.isprintable() and "'" not in text else repr(text)


def _describe(tok: Token | None) -> str:
    if tok is None or tok.type == "$END":
        return "end of input"
    return _quote(str(tok))


# ---------------------------------------------------------------------------------------------- post-lexer
class _LatexPostLex:
    """LaTeX rules on lark's raw token stream (see the module docstring).  ``calculus(toks, i, t) -> (token, i)``
    reads ``\\int``, ``\\lim``, ``\\partial`` (:func:`glass_sym.parse.calculus.lex_calculus`, passed in by
    :mod:`glass_sym.parse.parser`: the calculus is built on this core, not the other way round)."""

    always_accept = _RAW

    def __init__(self, calculus=None):
        self.calculus = calculus

    def process(self, stream):
        return iter(_latex_tokens(list(stream), self.calculus))


def _tok(kind: str, value: str, like: Token) -> Token:
    return Token.new_borrow_pos(kind, value, like)


def _group_text(toks: list[Token], i: int, what: str) -> tuple[str, int]:
    """Read ``{letters}`` starting at toks[i] (the '{'); return (text, index after '}')."""
    if i >= len(toks) or toks[i].type != "LBRACE":
        pos = toks[i].start_pos if i < len(toks) else toks[-1].end_pos
        raise _PosError(pos, f"expected '{{' after {what}, found {_describe(toks[i] if i < len(toks) else None)}")
    out, j = [], i + 1
    while j < len(toks) and toks[j].type != "RBRACE":
        if toks[j].type not in ("LETTER", "NUMBER", "STAR", "DOT", "MINUS"):
            raise _PosError(toks[j].start_pos, f"expected plain letters inside {what}{{...}}, found {_describe(toks[j])}")
        out.append(str(toks[j]))
        j += 1
    if j >= len(toks):
        raise _PosError(toks[i].start_pos, f"expected '}}' to close the argument of {what}")
    return "".join(out), j + 1


#: spacing control symbols, dropped before any other rule (so that \int\!\frac{d^3q}{...} reads as \int\frac)
_SPACING = frozenset(("\\,", "\\;", "\\:", "\\!", "\\ ", "\\>", "\\\n", "\\\t"))
_SPACING_MACROS = frozenset({"quad", "qquad", "displaystyle", "textstyle", "limits", "nolimits"})
#: letters never read as index letters: x, y, z are Cartesian axis labels (n_x is n_1, docs/parse.md)
_AXES = {"x": "1", "y": "2", "z": "3"}


def _latex_tokens(toks: list[Token], calculus=None) -> list[Token]:
    toks = [t for t in toks if not ((t.type == "CTRL" and str(t) in _SPACING)
                                    or (t.type == "MACRO" and str(t)[1:] in _SPACING_MACROS))]
    _check_ambiguous(toks)
    out: list[Token] = []
    stack: list[tuple[str, Token]] = []          # open brackets
    fracs: list[list[int]] = []                  # [depth, args still expected] per open \frac
    single_next = False                          # next token is a one-token script argument
    i = 0
    while i < len(toks):
        t = toks[i]
        kind, val = t.type, str(t)
        i += 1
        if kind == "MACRO":
            name = val[1:]
            if name in _IGNORED:
                if name in ("left", "right") and i < len(toks) and toks[i].type == "DOT":
                    i += 1  # \left. and \right. are invisible delimiters
                continue
            if name in _SKIPPED_ARG:
                _, i = _group_text(toks, i, val)
                continue
            if name in ("int", "lim", "partial") or (name in ("frac", "dfrac", "tfrac") and i + 1 < len(toks)
                                                      and toks[i].type == "LBRACE" and toks[i + 1] == "\\partial"):
                t, i = calculus(toks, i, t)    # \int, \lim, \partial: see glass_sym.parse.calculus
            elif name in ("frac", "dfrac", "tfrac", "cfrac"):
                _refuse_d_fraction(toks, i, t)
                t = _tok("FRAC", val, t)
            elif name == "sqrt":
                t = _tok("SQRT", val, t)
            elif name == "cdot":
                t = _tok("CDOT", val, t)
            elif name == "times":
                t = _tok("TIMES", val, t)
            elif name == "equiv":
                t = _tok("EQUAL", val, t)
            elif name == "Delta" and i < len(toks) and (toks[i].type == "LETTER" or (
                    toks[i].type == "MACRO" and (toks[i][1:] in _ACCENTS or toks[i][1:] in _GREEK))):
                nxt = toks[i]
                if nxt.type == "MACRO" and nxt[1:] in _ACCENTS:
                    base, i = _accent_base(toks, i + 1, str(nxt))
                    t = _tok("ACCENTED", f"delta+{_ACCENTS[nxt[1:]]}:{base}", t)
                else:
                    t = _tok("ACCENTED", f"delta:{str(nxt).lstrip(chr(92))}", t)
                    i += 1
            elif name in _ACCENTS:
                accent, base, i = _accented(toks, i, val)
                t = _tok("ACCENTED", f"{accent}:{base}", t)
                if base == "u" and i < len(toks) and toks[i].type == "LPAR":
                    deco, i = _displacement_at(toks, i)
                    t = _tok("ACCENTED", f"{_ACCENTS[name]}:u@{deco}", t)
            elif name in _ROMAN:
                word, i = _group_text(toks, i, val)
                t = _tok("FUNC" if word in _FUNCS else "NAME", word, t)
            elif name in _FUNCS:
                t = _tok("FUNC", name, t)
            elif name in _GREEK or name == "delta":
                t = _tok("SYMBOL", name, t)
            elif name in _UNSUPPORTED:
                raise _PosError(t.start_pos, f"unsupported macro {val}: discrete sums, products, nabla and relations "
                                "are not part of the grammar (integrals d^3q, derivatives and lim: docs/parse.md)")
            else:
                raise _PosError(t.start_pos, f"unknown macro {val} (see docs/parse.md for the accepted macros)")
        elif kind == "CTRL":
            if val in ("\\{", "\\}"):
                t = _tok("LBRACEL" if val == "\\{" else "RBRACEL", val, t)
            elif val in ("\\,", "\\;", "\\:", "\\!", "\\ ", "\\\\", "\\>", "\\\n", "\\\t"):
                continue
            else:
                raise _PosError(t.start_pos, f"unknown control symbol {_quote(val)}")
        elif kind in ("AMP", "DOLLAR", "TILDE"):
            continue
        elif kind == "EQ":
            t = _tok("EQUAL", val, t)
        elif kind == "BAR" and i < len(toks) and toks[i].type == "UNDERSCORE":
            i += 1      # |_{\mathrm{JL}}: an "evaluated at / version" annotation, dropped
            if i < len(toks) and toks[i].type == "LBRACE":
                depth = 0
                while i < len(toks):
                    depth += {"LBRACE": 1, "RBRACE": -1}.get(toks[i].type, 0)
                    i += 1
                    if depth == 0:
                        break
            elif i < len(toks) and toks[i].type == "MACRO" and toks[i][1:] in _ROMAN:
                _, i = _group_text(toks, i + 1, str(toks[i]))
            else:
                i += 1
            continue
        elif kind == "BAR":
            closing = stack and stack[-1][0] == "LBAR" and out and out[-1].type in _ENDS_OPERAND
            t = _tok("RBAR" if closing else "LBAR", val, t)
        elif kind == "CARET" and i + 2 < len(toks) and toks[i].type == "LBRACE" and toks[i + 1].type == "LPAR":
            label, j = _label(toks, i)
            if label is not None:   # ^{(1)}, ^{(ss')}: a label, not a power
                out.extend([t, _tok("LABEL", label, toks[i])])
                i = j
                continue
        kind = t.type
        # one-token arguments: x^23 is x^2 3, \frac12 is 1/2
        expects_single = single_next or (fracs and fracs[-1][0] == len(stack) and fracs[-1][1] > 0)
        if kind == "NUMBER" and expects_single and len(val) > 1 and val[1] != ".":
            toks.insert(i, Token("NUMBER", val[1:], t.start_pos + 1, t.line, t.column + 1, t.end_line,
                                 t.end_column, t.end_pos))
            t = Token("NUMBER", val[0], t.start_pos, t.line, t.column, t.line, t.column + 1, t.start_pos + 1)
        if fracs and fracs[-1][0] == len(stack) and fracs[-1][1] > 0 and kind != "LBRACE":
            if kind in _CLOSE:
                pass
            else:
                fracs[-1][1] -= 1
        single_next = kind in ("CARET", "UNDERSCORE", "SQRT")
        if kind in _OPEN:
            stack.append((kind, t))
            if len(stack) > MAX_DEPTH:
                raise _PosError(t.start_pos, f"brackets nested deeper than {MAX_DEPTH} levels")
        elif kind in _CLOSE:
            if not stack:
                raise _PosError(t.start_pos, f"unmatched {_CLOSE_TEXT[kind]!r}: no bracket is open")
            okind, otok = stack[-1]
            if okind != _CLOSE[kind]:
                want = _CLOSE_TEXT[_OPEN[okind][0]]
                raise _PosError(t.start_pos, f"expected {want!r} to close {_OPEN[okind][1]!r} opened at "
                                f"{otok.start_pos}, found {_CLOSE_TEXT[kind]!r}")
            stack.pop()
            if fracs and fracs[-1][0] == len(stack) and fracs[-1][1] > 0 and kind == "RBRACE":
                fracs[-1][1] -= 1
        while fracs and fracs[-1][1] == 0:
            fracs.pop()
        if kind == "FRAC":
            fracs.append([len(stack), 2])
        out.append(t)
    if stack:
        okind, otok = stack[-1]
        end = toks[-1].end_pos if toks else 0
        raise _PosError(end, f"expected {_CLOSE_TEXT[_OPEN[okind][0]]!r} to close {_OPEN[okind][1]!r} opened "
                        f"at {otok.start_pos}, found end of input")
    return out


def _accented(toks: list[Token], i: int, what: str) -> tuple[str, str, int]:
    """(accent, base, next index) of ``what`` at toks[i-1]; nested ``\\hat{\\mathbf n}``, ``\\mathbf{\\hat r}``,
    ``\\vec{\\hat n}``, ``\\hat{\\vec n}`` are the unit vector (accent 'hat'); other nestings are refused."""
    outer = _ACCENTS[what[1:]]
    braced = i < len(toks) and toks[i].type == "LBRACE"
    j = i + 1 if braced else i
    if not (j < len(toks) and toks[j].type == "MACRO" and toks[j][1:] in _ACCENTS):
        base, i = _accent_base(toks, i, what)
        return outer, base, i
    inner = _ACCENTS[toks[j][1:]]
    if {outer, inner} != {"hat", "vec"} and outer != inner:
        raise _PosError(toks[j].start_pos, f"{toks[j]} inside {what}: only a hat and a vector accent combine "
                        "(\\hat{\\mathbf n} is the unit vector n)")
    base, k = _accent_base(toks, j + 1, str(toks[j]))
    if braced:
        if not (k < len(toks) and toks[k].type == "RBRACE"):
            found = toks[k] if k < len(toks) else None
            raise _PosError(found.start_pos if found else toks[-1].end_pos,
                            f"expected '}}' after the argument of {what}, found {_describe(found)}")
        k += 1
    return ("hat" if "hat" in (outer, inner) else outer), base, k


def _refuse_d_fraction(toks: list[Token], i: int, t: Token) -> None:
    """``\\frac{d}{dr}``, ``\\frac{d^2}{dr^2}``, ``\\frac{df}{dx}``, ``\\frac{\\mathrm{d}}{\\mathrm{d}r}``: an
    ordinary derivative, never a fraction whose d's cancel; refused with its position (write \\partial_i)."""
    def starts_with_d(k: int) -> bool:
        if not (k < len(toks) and toks[k].type == "LBRACE"):
            return False
        a = toks[k + 1] if k + 1 < len(toks) else None
        if a is None:
            return False
        if a.type == "LETTER" and str(a) == "d":
            return True
        return (a.type == "MACRO" and a[1:] in _ROMAN and k + 4 < len(toks) and toks[k + 2].type == "LBRACE"
                and str(toks[k + 3]) == "d" and toks[k + 4].type == "RBRACE")

    if not starts_with_d(i):
        return
    depth, k = 0, i
    while k < len(toks):            # the end of the numerator group
        depth += {"LBRACE": 1, "RBRACE": -1}.get(toks[k].type, 0)
        k += 1
        if depth == 0:
            break
    if starts_with_d(k):
        raise _PosError(t.start_pos, "a derivative written as a fraction (\\frac{d}{dr}, \\frac{d^2}{dr^2}, "
                        "\\frac{df}{dx}) is not read (its d's would cancel): write x-derivatives as \\partial_i "
                        "of the expression (docs/parse.md, Calculus)")


def _check_ambiguous(toks: list[Token]) -> None:
    """Text-wide readings that cannot be decided (docs/parse.md, "Vectors and labels"):

    * a superscript letter that is also a subscript index of the text (``n^i n_i``, ``p^j n_j``): upper and
      lower indices are not distinguished, and ``^i`` would otherwise be a power (i the imaginary unit);
    * a bare ``y`` or ``z`` next to a bare ``x`` (``x^2+y^2+z^2``): ``x`` is the distance |x| = r here, so
      Cartesian coordinates x, y, z cannot be meant together.
    """
    subs: set = set()
    for k, t in enumerate(toks):
        if t.type != "UNDERSCORE" or k + 1 >= len(toks):
            continue
        if toks[k + 1].type == "LETTER":
            subs.add(str(toks[k + 1]))
        elif toks[k + 1].type == "LBRACE":
            m = k + 2
            while m < len(toks) and toks[m].type in ("LETTER", "COMMA", "PRIME"):
                if toks[m].type == "LETTER":
                    subs.add(str(toks[m]))
                m += 1
    for k, t in enumerate(toks):
        if t.type == "CARET" and k + 1 < len(toks):
            a = toks[k + 1]
            if a.type == "LBRACE" and k + 3 < len(toks) and toks[k + 2].type == "LETTER" \
                    and toks[k + 3].type == "RBRACE":
                a = toks[k + 2]
            if a.type == "LETTER" and str(a) in subs and _is_index(str(a)):
                raise _PosError(a.start_pos, f"superscript {a}: {a} is also a subscript index in this expression; "
                                f"upper and lower indices are not distinguished (Cartesian components): write "
                                f"the index as a subscript, e.g. n_{a} n_{a}")
    bare: dict = {"x": None, "y": None, "z": None}
    k = 0
    while k < len(toks):
        t = toks[k]
        if (t.type in ("UNDERSCORE", "CARET") or (t.type == "MACRO" and t[1:] in _ROMAN)) and \
                k + 1 < len(toks) and toks[k + 1].type == "LBRACE":
            depth, k = 0, k + 1          # a script or \mathrm group: its letters are not coordinates
            while k < len(toks):
                depth += {"LBRACE": 1, "RBRACE": -1}.get(toks[k].type, 0)
                k += 1
                if depth == 0:
                    break
            continue
        if t.type in ("UNDERSCORE", "CARET") or (t.type == "MACRO" and t[1:] in _ACCENTS):
            k += 2                       # x_i, x^2, \vec x: one-token argument
            continue
        if t.type == "LETTER" and str(t) in bare and bare[str(t)] is None and not (
                k + 1 < len(toks) and toks[k + 1].type in ("UNDERSCORE", "PRIME")):
            bare[str(t)] = t
        k += 1
    if bare["x"] is not None and (bare["y"] is not None or bare["z"] is not None):
        t = bare["y"] or bare["z"]
        raise _PosError(t.start_pos, f"{t} next to x: x is the distance |x| = r in this notation, not a Cartesian "
                        "coordinate; write r^2 for x^2+y^2+z^2, or x_1, x_2, x_3 (= r n_1, r n_2, r n_3)")


def _accent_base(toks: list[Token], i: int, what: str) -> tuple[str, int]:
    """The single letter or Greek macro accented by ``what`` (``\\vec x`` or ``\\vec{x}``)."""
    braced = i < len(toks) and toks[i].type == "LBRACE"
    j = i + 1 if braced else i
    if j >= len(toks) or not (toks[j].type == "LETTER" or (toks[j].type == "MACRO" and toks[j][1:] in _GREEK)):
        found = toks[j] if j < len(toks) else None
        raise _PosError(found.start_pos if found else (toks[-1].end_pos if toks else 0),
                        f"expected a letter or Greek symbol after {what}, found {_describe(found)}")
    base = str(toks[j]).lstrip("\\")
    if braced:
        if j + 1 >= len(toks) or toks[j + 1].type != "RBRACE":
            found = toks[j + 1] if j + 1 < len(toks) else None
            raise _PosError(found.start_pos if found else toks[j].end_pos,
                            f"expected '}}' after the argument of {what}, found {_describe(found)}")
        return base, j + 2
    return base, j + 1


def _displacement_at(toks: list[Token], i: int) -> tuple[str, int]:
    """``(\\vec{x}_s, t)`` after ``\\vec{u}``: the block decoration ('s', "s'") and the index after ')'."""
    j, parts = i + 1, []
    while j < len(toks) and toks[j].type != "RPAR":
        parts.append(toks[j])
        j += 1
    text = "".join(str(p) for p in parts)
    m = re.fullmatch(r"\\vec(?:\{x\}|x)('?)_\{?([su])('?)\}?('?)(,t)?", text)
    if j >= len(toks) or not m:
        raise _PosError(toks[i].start_pos, "expected (\\vec{x}_s, t) or (\\vec{x}'_s, t) as the argument of \\vec{u}")
    return m.group(2) + "'" * len(m.group(1) + m.group(3) + m.group(4)), j + 1


def _label(toks: list[Token], i: int) -> tuple[str | None, int]:
    """``{(ss')}`` / ``{(1)}`` at toks[i]: (label text, index after '}'), or (None, i) if it is not one."""
    j, parts = i + 2, []
    while j < len(toks) and toks[j].type in ("LETTER", "NUMBER", "PRIME"):
        parts.append(str(toks[j]))
        j += 1
    if parts and j + 1 < len(toks) and toks[j].type == "RPAR" and toks[j + 1].type == "RBRACE":
        return "(" + "".join(parts) + ")", j + 2
    return None, i


# ---------------------------------------------------------------------------------------------- values
@dataclass
class _Tens:
    """Sum of coefficient x product of factors; ``free`` = free indices, ``dummies`` = contracted in it."""

    terms: dict
    free: frozenset
    dummies: frozenset = frozenset()
    placeholder: bool = False     # a user-supplied named tensor that may be followed by its argument (\vec n)
    #: (position, name, argument in brackets?) when the value is a function \sin x, \ln 2 (see transformer.LatexTransformer.implicit)
    func: tuple | None = None
    grouped: bool = False         # the value of a bracket (x), {x}: a function argument written with brackets
    #: (letter, position, symbol) of labels such as \mu_i read as a scalar name: the letter must not be an index
    #: of the same product (see _mul)
    labels: frozenset = frozenset()

    @property
    def is_scalar(self) -> bool:
        return not self.free

    def scalar_value(self) -> sp.Expr:
        if not self.free and any(self.terms.keys() - {()}):
            return _settle(self).terms.get((), sp.S.Zero)      # contractions kept in index form: now explicit
        return self.terms.get((), sp.S.Zero)


@dataclass
class _Vec:
    """A vector without index: atom -> coefficient; atoms ('unit', name), ('pos', deco), ('dx', '')."""

    atoms: dict = field(default_factory=dict)


def _short(x) -> str:
    text = str(x)
    return text if len(text) <= 24 else f"{text[:12]}...({len(text)} characters)"


def _power(base: sp.Expr, expo: sp.Expr, pos: int) -> sp.Expr:
    """base**expo, refusing numeric powers too large to compute exactly (ParseError naming the exponent)."""
    if expo.is_Number and abs(expo) > _MAX_EXPONENT:
        raise _PosError(pos, f"exponent {_short(expo)} is out of range: expected |exponent| <= {_MAX_EXPONENT}")
    if base.is_Rational and expo.is_Rational and base != 0 and \
            abs(expo) * max(abs(base.p), abs(base.q)).bit_length() > _MAX_POWER_BITS:
        raise _PosError(pos, f"power {_short(base)}^{_short(expo)} is too large to compute exactly "
                             f"(more than {_MAX_POWER_BITS} bits)")
    return base**expo


def _scalar(value) -> _Tens:
    value = sp.S(value) if isinstance(value, int) else value
    return _Tens({(): value} if value != 0 else {}, frozenset())


def _contract(factors: list, pos: int) -> tuple[sp.Expr, tuple]:
    """Resolve repeated indices in one product of factors (Einstein summation over 1..3)."""
    coeff = sp.S.One
    factors = list(factors)
    counts: dict[str, int] = {}
    for f in factors:
        for a in ((f[1], f[2]) if f[0] == "d" else (f[2],)):
            counts[a] = counts.get(a, 0) + 1
    bad = sorted(a for a, c in counts.items() if c > 2)
    if bad:
        raise _PosError(pos, f"index {bad[0]!r} occurs {counts[bad[0]]} times in one product (at most twice)",
                        IllFormedTensorError)
    changed = True
    while changed:
        changed = False
        for k, f in enumerate(factors):
            if f[0] != "d":
                continue
            a, b = f[1], f[2]
            if a == b:
                coeff *= 3
                del factors[k]
                changed = True
                break
            for old, new in ((b, a), (a, b)):
                others = [j for j, g in enumerate(factors) if j != k and old in ((g[1], g[2]) if g[0] == "d" else (g[2],))]
                if others:
                    j = others[0]
                    g = factors[j]
                    factors[j] = ("d", *[new if x == old else x for x in (g[1], g[2])]) if g[0] == "d" else ("v", g[1], new)
                    del factors[k]
                    changed = True
                    break
            if changed:
                break
    vecs: dict[str, list] = {}
    for f in factors:
        if f[0] == "v":
            vecs.setdefault(f[2], []).append(f)
    for a, fs in vecs.items():
        if len(fs) == 2:
            u, v = fs[0][1], fs[1][1]
            if u == v and u in S.UNIT_VECTORS:
                pass                            # n_a n_a = 1
            elif u in _FIELD_VECTORS or v in _FIELD_VECTORS:
                continue                        # p_a n_a, m_a qhat_a: kept for \int / \partial (see _settle)
            else:
                coeff *= _dot_value(u, v)      # neither depends on x or q: safe as a symbol in display mode
            factors = [f for f in factors if f not in fs or f[2] != a]
    out = tuple(sorted(("d", *sorted(f[1:])) if f[0] == "d" else f for f in factors))
    return coeff, out


#: when set (a dict), dot products that are safe to keep whole are written as symbols ``(u.v)`` and recorded
#: here as symbol -> explicit value: a display mode used by glass_sym.audit.typed.evaluate_typed
DOT_SYMBOLS: contextvars.ContextVar = contextvars.ContextVar("glass_sym_dot_symbols", default=None)


def _dot_value(u: str, v: str, symbolic: bool = True) -> sp.Expr:
    """u . v of two named vectors: 1 for a unit vector with itself, else the explicit sum of products, or in
    the display mode of :data:`DOT_SYMBOLS` the symbol ``(u.v)``."""
    explicit = _dot({u: 1}, {v: 1})
    table = DOT_SYMBOLS.get()
    if table is None or not symbolic or explicit == 1:
        return explicit
    a, b = sorted((u, v))
    sym = sp.Symbol(f"({a}.{b})")
    table[sym] = explicit
    return sym


def _pairs_of(mono: tuple) -> list[str]:
    """Indices carried by two vector factors of one monomial (contractions kept in index form)."""
    seen: dict[str, int] = {}
    for f in mono:
        if f[0] == "v":
            seen[f[2]] = seen.get(f[2], 0) + 1
    return sorted(a for a, k in seen.items() if k == 2)


def _settle(t: "_Tens", symbolic: bool = False) -> "_Tens":
    """Write every contraction kept in index form (p_a n_a) explicitly, as a dot product of components
    (``symbolic``: as a symbol in the display mode of :data:`DOT_SYMBOLS`, once no operator acts any more)."""
    terms: dict = {}
    for m, c in t.terms.items():
        pairs = _pairs_of(m)
        for a in pairs:
            u, v = [f[1] for f in m if f[0] == "v" and f[2] == a]
            c = c * _dot_value(u, v, symbolic)
        key = tuple(f for f in m if not (f[0] == "v" and f[2] in pairs))
        terms[key] = terms.get(key, sp.S.Zero) + c
    return _Tens({m: c for m, c in terms.items() if c != 0}, t.free, t.dummies)


def _dot_tens(u: dict, v: dict, dummy: str) -> "_Tens":
    """u . v for resolved vectors (name -> coefficient); a pair with a field vector stays in index form."""
    terms: dict = {}
    for a, ca in u.items():
        for b, cb in v.items():
            if (a in _FIELD_VECTORS or b in _FIELD_VECTORS) and not (a == b and a in S.UNIT_VECTORS):
                key = tuple(sorted((("v", a, dummy), ("v", b, dummy))))
            else:
                key = ()
                ca = ca * _dot_value(a, b)
            terms[key] = terms.get(key, sp.S.Zero) + ca * cb
    terms = {m: c for m, c in terms.items() if c != 0}
    return _Tens(terms, frozenset(), frozenset({dummy}) if any(terms) else frozenset())


def _contract_renamed(t: "_Tens", mapping: dict, pos: int) -> "_Tens":
    """Rename indices of every monomial by ``mapping`` and contract the repeated ones (traces, pairs)."""
    terms: dict = {}
    for m, c in t.terms.items():
        fs = [("d", mapping.get(f[1], f[1]), mapping.get(f[2], f[2])) if f[0] == "d" else
              ("v", f[1], mapping.get(f[2], f[2])) for f in m]
        k, mono = _contract(fs, pos)
        terms[mono] = terms.get(mono, sp.S.Zero) + c * k
    mapped = [mapping.get(x, x) for x in sorted(t.free)]
    free = frozenset(a for a in mapped if mapped.count(a) == 1)
    dummies = frozenset(mapping.get(d, d) for d in t.dummies) | frozenset(a for a in mapped if mapped.count(a) == 2)
    return _Tens({m: c for m, c in terms.items() if c != 0}, free, dummies - free)


def _label_clash(x: _Tens, y: _Tens) -> None:
    """A label letter (\\mu_i read as the scalar mu_i) that is an index of the other factor: ambiguous."""
    for a, b in ((x, y), (y, x)):
        other = {lab[0] for lab in b.labels}
        for letter, pos, sym, base in sorted(a.labels):
            if letter in (b.free | b.dummies) or letter in other:
                what = "an index" if letter in (b.free | b.dummies) else "the label of another factor"
                raise _PosError(pos, f"{sym}: the subscript {letter} is read as a label of the scalar {sym}, but "
                                f"{letter} is also {what} in this product; declare the vector (--vector {base}, "
                                f"vectors=['{base}']) to read it as a component, or write a label as "
                                f"{base}_{{\\mathrm{{{letter}}}}}")


def _mul(x: _Tens, y: _Tens, pos: int) -> _Tens:
    _label_clash(x, y)
    clash = (x.dummies & (y.free | y.dummies)) | (y.dummies & x.free)
    if clash:
        raise _PosError(pos, f"index {sorted(clash)[0]!r} occurs more than twice in one product",
                        IllFormedTensorError)
    shared = x.free & y.free
    terms: dict = {}
    for m1, c1 in x.terms.items():
        for m2, c2 in y.terms.items():
            c, m = _contract(list(m1 + m2), pos) if shared or (m1 and m2) else (sp.S.One, tuple(sorted(m1 + m2)))
            terms[m] = terms.get(m, sp.S.Zero) + c1 * c2 * c
    return _Tens({m: c for m, c in terms.items() if c != 0}, (x.free | y.free) - shared,
                 x.dummies | y.dummies | shared, labels=x.labels | y.labels)


def _add(x: _Tens, y: _Tens, pos: int, sign: int = 1) -> _Tens:
    if x.free != y.free:
        note = "".join(f" (index {', '.join(sorted(d))} repeated, hence summed, {w})"
                       for d, w in ((y.dummies, "in the added term"), (x.dummies - y.dummies, "before it")) if d)
        raise _PosError(pos, f"terms of a sum carry different free indices: {''.join(sorted(x.free)) or 'none'} "
                        f"and {''.join(sorted(y.free)) or 'none'}{note}", IllFormedTensorError)
    terms = dict(x.terms)
    for m, c in y.terms.items():
        terms[m] = terms.get(m, sp.S.Zero) + sign * c
    return _Tens({m: c for m, c in terms.items() if c != 0}, x.free, x.dummies | y.dummies,
                 labels=x.labels | y.labels)


def _vec_resolve(v: _Vec, pos: int) -> dict[str, sp.Expr]:
    """Write a vector value as unit vector -> coefficient (x_s - x'_s = r n, Delta x_{ss'} = Delta_x m)."""
    out: dict[str, sp.Expr] = {}
    posits = {a[1]: c for a, c in v.atoms.items() if a[0] == "pos" and c != 0}
    for a, c in v.atoms.items():
        if a[0] == "unit":
            out[a[1]] = out.get(a[1], 0) + c
        elif a[0] == "dx":
            out["m"] = out.get("m", 0) + c * DELTA_X
    disp = {a[1]: c for a, c in v.atoms.items() if a[0] == "disp" and c != 0}
    if disp:
        items = sorted(disp.items(), key=lambda kv: (kv[0].count("'"), kv[0]))
        if not (len(items) == 2 and sp.simplify(items[0][1] + items[1][1]) == 0
                and items[1][0] == items[0][0] + "'"):
            raise _PosError(pos, "cannot read this combination of displacements as u(x_s) - u(x'_s)")
        out["m"] = out.get("m", 0) + items[0][1] * DELTA_X
    if posits:
        items = sorted(posits.items(), key=lambda kv: (kv[0].count("'"), kv[0]))
        if len(items) == 1 and (items[0][0] == "" or items[0][0] in ("ss'", "uu'")):
            c = items[0][1]
        elif len(items) == 2 and sp.simplify(items[0][1] + items[1][1]) == 0 and \
                items[1][0].replace("'", "") == items[0][0] and items[1][0].count("'") == 1:
            c = items[0][1]     # unprimed minus primed position: x_s - x'_s = r n
        else:
            raise _PosError(pos, "cannot read this combination of positions as a separation x_s - x'_s")
        out["n"] = out.get("n", 0) + c * S.r
    return {k: c for k, c in out.items() if c != 0}


def _dot(u: dict, v: dict) -> sp.Expr:
    total = sp.S.Zero
    for a, ca in u.items():
        for b, cb in v.items():
            if a == b and a in S.UNIT_VECTORS:
                d = sp.S.One
            else:
                d = sum(x * y for x, y in zip(S.VECTOR_SYMBOLS[a], S.VECTOR_SYMBOLS[b]))
            total += ca * cb * d
    return total


def _is_index(item: str) -> bool:
    """An index letter: one lower-case letter, not a block label (s, u) nor an axis (x, y, z)."""
    return len(item) == 1 and "a" <= item <= "z" and item not in _BLOCK_LABELS and item not in _AXES
