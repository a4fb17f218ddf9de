r"""LaTeX index notation -> tensor expressions, with a real grammar (lark, LALR) and no ``eval``.

The parser reads the equations as the papers print them: Kronecker deltas ``\delta_{ij}``, vector components
``n_i``, ``\hat{q}_i``, ``k_a``, sums, implicit products, ``\frac``, brackets of every kind, Greek symbols,
``c_t^2``, ``|\vec x - \vec x'|^3`` ...  Scalars (no free index) come back as SymPy expressions, tensors as
:class:`glass_sym.indexnotation.IndexExpr`.  Symbols map to the shared objects of :mod:`glass_sym.symbols`.

Pipeline: lark's lexer cuts the text into raw tokens; a post-lexer (:class:`_LatexPostLex`) applies the LaTeX
rules (a script or ``\frac`` argument is one token, ``|`` opens or closes, ``\left``/``\right``/spacing are
dropped, macros are classified, brackets are matched); the LALR grammar :data:`GRAMMAR` builds the tree; a
transformer turns it into SymPy / index expressions.  The text is never handed to ``eval``, ``exec``,
``sympify`` or ``parse_expr``.  The accepted language, the symbol table and the error format are in
``docs/parse.md``.

>>> from glass_sym.parse import parse_latex
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
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from . import symbols as S
from .errors import InputError, ParseError
from .indexnotation import IndexExpr

__all__ = [
    "GRAMMAR", "MAX_LENGTH", "MAX_DEPTH", "SYMBOL_TABLE", "DELTA_X", "Lhs",
    "parse_latex", "parse_equation", "split_equations", "strip_display", "lhs_info",
]

#: longest accepted input (characters); longer text is refused before lexing
MAX_LENGTH = 100_000
#: deepest accepted bracket nesting (keeps the tree transformer far from Python's recursion limit)
MAX_DEPTH = 40
#: largest |exponent| of a numeric power, and largest size (bits) of an exact rational power (2^{2^{99}} would
#: otherwise be computed exactly and exhaust time and memory)
_MAX_EXPONENT = 1000
_MAX_POWER_BITS = 100_000

#: the LALR grammar (glass_sym/grammar.lark), read once
GRAMMAR = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")

_RAW = ("MACRO", "CTRL", "BAR", "AMP", "EQ", "DOLLAR", "TILDE")

# ---------------------------------------------------------------------------------------------- symbol table
#: |Delta x_{ss'}|, the length of the relative displacement (B.2), (B.3); its direction is m
DELTA_X = sp.Symbol("Delta_x", positive=True)
_pos = dict(positive=True)
_FRESH = {
    "hbar": sp.Symbol("hbar", **_pos), "omega": sp.Symbol("omega", **_pos), "Omega": sp.Symbol("Omega", **_pos),
    "beta": sp.Symbol("beta", **_pos), "T": sp.Symbol("T", **_pos), "k_B": sp.Symbol("k_B", **_pos),
    "theta": sp.Symbol("theta", real=True), "phi": sp.Symbol("phi", real=True),
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
_UNSUPPORTED = {"sum", "int", "iint", "oint", "lim", "prod", "partial", "nabla", "mathcal", "stackrel",
                "langle", "rangle", "to", "rightarrow", "approx", "sim", "leq", "geq", "neq", "ll", "gg"}
#: letters that are vectors when they carry an index subscript ('k' is read as the wave vector 'q')
_VECTOR_LETTERS = {"n": "n", "m": "m", "x": "x", "q": "q", "e": "e", "k": "q"}
_VECTOR_LETTERS.update({k: k for k in S.VECTOR_SYMBOLS if len(k) == 1})
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
    """Internal: an error at a position of the text (converted to ParseError with line:col)."""

    def __init__(self, pos: int, message: str):
        super().__init__(message)
        self.pos = pos
        self.message = message


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - text.rfind("\n", 0, pos)
    return f"at position {pos} (line {line}, col {col})"


def _describe(tok: Token | None) -> str:
    if tok is None or tok.type == "$END":
        return "end of input"
    return repr(str(tok))


# ---------------------------------------------------------------------------------------------- post-lexer
class _LatexPostLex:
    """LaTeX rules on lark's raw token stream (see the module docstring)."""

    always_accept = _RAW

    def process(self, stream):
        return iter(_latex_tokens(list(stream)))


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


def _latex_tokens(toks: list[Token]) -> list[Token]:
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
            if name in ("frac", "dfrac", "tfrac", "cfrac"):
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
                base, i = _accent_base(toks, i, val)
                t = _tok("ACCENTED", f"{_ACCENTS[name]}:{base}", t)
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
                raise _PosError(t.start_pos, f"unsupported macro {val}: sums, integrals, limits, derivatives and "
                                "relations are not part of the index-notation grammar")
            else:
                raise _PosError(t.start_pos, f"unknown macro {val} (see docs/parse.md for the accepted macros)")
        elif kind == "CTRL":
            if val in ("\\{", "\\}"):
                t = _tok("LBRACEL" if val == "\\{" else "RBRACEL", val, t)
            elif val in ("\\,", "\\;", "\\:", "\\!", "\\ ", "\\\\", "\\>", "\\\n", "\\\t"):
                continue
            else:
                raise _PosError(t.start_pos, f"unknown control symbol {val!r}")
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


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", lexer="basic", postlex=_LatexPostLex(), propagate_positions=True,
                maybe_placeholders=False)


# ---------------------------------------------------------------------------------------------- values
@dataclass
class _Tens:
    """Sum of coefficient x product of factors; ``free`` = free indices, ``dummies`` = contracted in it."""

    terms: dict
    free: frozenset
    dummies: frozenset = frozenset()
    placeholder: bool = False     # a user-supplied named tensor that may be followed by its argument (\vec n)

    @property
    def is_scalar(self) -> bool:
        return not self.free

    def scalar_value(self) -> sp.Expr:
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
        raise _PosError(pos, f"index {bad[0]!r} occurs {counts[bad[0]]} times in one product (at most twice)")
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
            u, v = S.VECTOR_SYMBOLS[fs[0][1]], S.VECTOR_SYMBOLS[fs[1][1]]
            coeff *= sum(u[c] * v[c] for c in range(3))
            factors = [f for f in factors if f not in fs]
    out = tuple(sorted(("d", *sorted(f[1:])) if f[0] == "d" else f for f in factors))
    return coeff, out


def _mul(x: _Tens, y: _Tens, pos: int) -> _Tens:
    clash = (x.dummies & (y.free | y.dummies)) | (y.dummies & x.free)
    if clash:
        raise _PosError(pos, f"index {sorted(clash)[0]!r} occurs more than twice in one product")
    shared = x.free & y.free
    terms: dict = {}
    for m1, c1 in x.terms.items():
        for m2, c2 in y.terms.items():
            c, m = _contract(list(m1 + m2), pos) if shared or (m1 and m2) else (sp.S.One, tuple(sorted(m1 + m2)))
            terms[m] = terms.get(m, sp.S.Zero) + c1 * c2 * c
    return _Tens({m: c for m, c in terms.items() if c != 0}, (x.free | y.free) - shared,
                 x.dummies | y.dummies | shared)


def _add(x: _Tens, y: _Tens, pos: int, sign: int = 1) -> _Tens:
    if x.free != y.free:
        note = "".join(f" (index {', '.join(sorted(d))} repeated, hence summed, {w})"
                       for d, w in ((y.dummies, "in the added term"), (x.dummies - y.dummies, "before it")) if d)
        raise _PosError(pos, f"terms of a sum carry different free indices: {''.join(sorted(x.free)) or 'none'} "
                        f"and {''.join(sorted(y.free)) or 'none'}{note}")
    terms = dict(x.terms)
    for m, c in y.terms.items():
        terms[m] = terms.get(m, sp.S.Zero) + sign * c
    return _Tens({m: c for m, c in terms.items() if c != 0}, x.free, x.dummies | y.dummies)


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


# ---------------------------------------------------------------------------------------------- transformer
@dataclass
class _Base:
    """An atom before its scripts are applied: kind 'letter' | 'symbol' | 'name' | 'accent' (+ accent)."""

    kind: str
    name: str
    pos: int
    accent: str = ""


def _is_index(item: str) -> bool:
    return len(item) == 1 and "a" <= item <= "z" and item not in _BLOCK_LABELS


@v_args(meta=True)
class _Build(Transformer):
    def __init__(self, tensors: Mapping[str, object]):
        super().__init__()
        self.tensors = tensors

    # -- structure ------------------------------------------------------------------------------------
    def start(self, meta, ch):
        return ch[0]

    def sum(self, meta, ch):
        sign, acc, k = 1, None, 0
        if isinstance(ch[0], Token):
            sign, k = (-1 if ch[0].type == "MINUS" else 1), 1
        acc = self._neg(ch[k], meta) if sign < 0 else ch[k]
        for op, val in zip(ch[k + 1::2], ch[k + 2::2]):
            s = -1 if op.type == "MINUS" else 1
            if isinstance(acc, _Vec) and isinstance(val, _Vec):
                atoms = dict(acc.atoms)
                for a, c in val.atoms.items():
                    atoms[a] = atoms.get(a, 0) + s * c
                acc = _Vec(atoms)
            elif isinstance(acc, _Tens) and isinstance(val, _Tens):
                acc = _add(acc, val, op.start_pos, s)
            else:
                raise _PosError(op.start_pos, "cannot add a vector without index to a scalar or tensor")
        return acc

    def _neg(self, v, meta):
        if isinstance(v, _Vec):
            return _Vec({a: -c for a, c in v.atoms.items()})
        return _Tens({m: -c for m, c in v.terms.items()}, v.free, v.dummies)

    def product(self, meta, ch):
        acc = ch[0]
        for op, val in zip(ch[1::2], ch[2::2]):
            p = op.start_pos
            if op.type == "SLASH":
                acc = self._div(acc, val, p)
            elif op.type == "CDOT" and isinstance(acc, _Vec) and isinstance(val, _Vec):
                acc = _scalar(_dot(_vec_resolve(acc, p), _vec_resolve(val, p)))
            elif op.type == "TIMES" and isinstance(acc, _Vec) and isinstance(val, _Vec):
                raise _PosError(p, "cross products of vectors are not supported")
            else:
                acc = self._times(acc, val, p)
        return acc

    def implicit(self, meta, ch):
        acc = ch[0]
        for val in ch[1:]:
            if isinstance(acc, _Tens) and acc.placeholder and isinstance(val, _Vec):
                acc = _Tens(acc.terms, acc.free, acc.dummies)   # \tilde\Lambda_{ijkl}(\vec n): drop the argument
                continue
            acc = self._times(acc, val, meta.start_pos)
        return acc

    def _times(self, x, y, pos):
        if isinstance(x, _Vec) and isinstance(y, _Vec):
            raise _PosError(pos, r"product of two vectors without index: write \vec a \cdot \vec b or a_i b_i")
        if isinstance(x, _Vec) or isinstance(y, _Vec):
            s, v = (y, x) if isinstance(x, _Vec) else (x, y)
            if not s.is_scalar:
                raise _PosError(pos, "a vector without index multiplies a tensor: give the vector an index")
            return _Vec({a: c * s.scalar_value() for a, c in v.atoms.items()})
        return _mul(x, y, pos)

    def _div(self, x, y, pos):
        if isinstance(y, _Vec) or not y.is_scalar:
            raise _PosError(pos, "division by a vector or by an expression with free indices")
        den = y.scalar_value()
        if den == 0:
            raise _PosError(pos, "division by zero")
        if isinstance(x, _Vec):
            return _Vec({a: c / den for a, c in x.atoms.items()})
        return _Tens({m: c / den for m, c in x.terms.items()}, x.free, x.dummies)

    # -- atoms ----------------------------------------------------------------------------------------
    def single(self, meta, ch):
        t = ch[0]
        if t.type == "NUMBER":
            return _scalar(_number(str(t)))
        if t.type == "ACCENTED":
            acc, name = str(t).split(":")
            return _Base("accent", name, t.start_pos, acc)
        return _Base({"LETTER": "letter", "SYMBOL": "symbol", "NAME": "name"}[t.type], str(t), t.start_pos)

    def atom(self, meta, ch):
        return ch[0]

    def arg(self, meta, ch):
        return self._value(ch[1] if len(ch) == 3 else ch[0])

    def suparg(self, meta, ch):
        if len(ch) == 3:
            return ch[1]
        if isinstance(ch[0], Token):       # LABEL
            return ch[0]
        return self._value(ch[0])

    def group(self, meta, ch):
        return ch[1]

    def abs(self, meta, ch):
        v = ch[1]
        if isinstance(v, _Vec):
            u = _vec_resolve(v, meta.start_pos)
            if len(u) == 1:
                (name, c), = u.items()
                return _scalar(sp.Abs(c) * (1 if name in S.UNIT_VECTORS else sp.sqrt(_dot({name: 1}, {name: 1}))))
            return _scalar(sp.sqrt(_dot(u, u)))
        return _scalar(sp.Abs(self._scalar_of(v, meta.start_pos, "|...|")))

    def frac(self, meta, ch):
        return self._div(ch[1], ch[2], meta.start_pos)

    def sqrt(self, meta, ch):
        return _scalar(sp.sqrt(self._scalar_of(ch[1], meta.start_pos, r"\sqrt")))

    def root(self, meta, ch):
        n = self._scalar_of(ch[2], meta.start_pos, r"\sqrt[n]")
        if n == 0:
            raise _PosError(meta.start_pos, r"\sqrt[n]: expected a root index n != 0, got 0")
        return _scalar(sp.root(self._scalar_of(ch[4], meta.start_pos, r"\sqrt"), n))

    def func(self, meta, ch):
        fn = _FUNCS[str(ch[0])]
        power = self._scalar_of(ch[2], meta.start_pos, "an exponent") if len(ch) == 4 else None
        argv = self._scalar_of(ch[-1], meta.start_pos, str(ch[0]))
        out = _dot({"m": 1}, {"n": 1}) if fn is sp.cos and argv == _THETA_SS else fn(argv)
        return _scalar(_power(out, power, meta.start_pos) if power is not None else out)

    def _scalar_of(self, v, pos, what):
        v = self._value(v)
        if isinstance(v, _Vec) or not v.is_scalar:
            raise _PosError(pos, f"{what} needs a scalar, found an expression with free indices or a vector")
        return v.scalar_value()

    def _value(self, v):
        return self._resolve(v, None, 0, None) if isinstance(v, _Base) else v

    # -- scripts --------------------------------------------------------------------------------------
    def sup(self, meta, ch):
        return ("sup", ch[1], ch[0].start_pos)

    def sub(self, meta, ch):
        return ("sub", ch[1], ch[0].start_pos)

    def prime(self, meta, ch):
        return ("prime", None, ch[0].start_pos)

    def subarg(self, meta, ch):
        return [c for c in ch if not (isinstance(c, Token) and c.type in ("LBRACE", "RBRACE"))]

    def subitem(self, meta, ch):
        t = ch[0]
        return "'" if t.type == "PRIME" else str(t)

    def postfix(self, meta, ch):
        base, scripts = ch[0], ch[1:]
        sub, sup, primes = None, None, 0
        for kind, val, pos in scripts:
            if kind == "prime":
                primes += 1
            elif kind == "sub":
                if sub is not None:
                    raise _PosError(pos, "double subscript")
                sub = val
            else:
                if sup is not None:
                    raise _PosError(pos, "double superscript: use braces, x^{a^b}")
                sup = (val, pos)
        if isinstance(base, _Base):
            label = sup[0] if sup is not None and isinstance(sup[0], Token) else None
            value = self._resolve(base, sub, primes, label)
            if label is not None:
                sup = None
        else:
            if sub is not None or primes:
                raise _PosError(meta.start_pos, "a subscript or prime on a bracketed expression")
            value = base
        if sup is not None:
            expo, pos = sup
            if isinstance(expo, Token):
                raise _PosError(pos, f"superscript label {expo} on an expression that is not a named symbol")
            if isinstance(value, _Vec) or not value.is_scalar:
                raise _PosError(pos, "power of a vector or of an expression with free indices")
            value = _scalar(_power(value.scalar_value(), self._scalar_of(expo, pos, "an exponent"), pos))
        return value

    def _resolve(self, b: _Base, sub, primes: int, label) -> _Tens | _Vec:
        """The value of an atom with its subscript / primes / superscript label (the symbol table)."""
        name = b.name
        sub_items = sub or []
        sub_text = "".join(sub_items)
        prime_text = "'" * primes
        vec_name = None
        if b.kind == "letter" and name in _VECTOR_LETTERS:
            vec_name = _VECTOR_LETTERS[name]
        elif b.kind == "accent" and b.accent in ("vec", "hat") and name in _VECTOR_LETTERS:
            vec_name = "qhat" if (b.accent == "hat" and name in ("q", "k")) else _VECTOR_LETTERS[name]
        if b.accent.startswith("delta"):
            return self._resolve_delta(b, sub_items, sub_text, primes, label)
        if b.kind == "accent" and name.startswith("u@"):
            if sub_items or primes or label:
                raise _PosError(b.pos, "a displacement \\vec u(...) takes no subscript")
            return _Vec({("disp", name[2:]): sp.S.One})
        if b.kind == "symbol" and name == "delta":
            idx = [s for s in sub_items if s != ","]
            if len(idx) != 2 or not all(_is_index(s) for s in idx) or primes or label:
                raise _PosError(b.pos, r"\delta needs two index letters, as in \delta_{ij}")
            a, c = idx
            if a == c:
                return _scalar(3)
            return _Tens({(("d", *sorted((a, c))),): sp.S.One}, frozenset((a, c)))
        if vec_name is not None:
            if len(sub_items) == 1 and _is_index(sub_items[0]) and not primes and not label:
                if vec_name == "x" and b.accent == "hat":
                    vec_name = "n"
                return _Tens({(("v", vec_name, sub_items[0]),): sp.S.One}, frozenset(sub_items))
            if vec_name == "x" and b.kind == "letter" and sub_text.replace("'", "") in ("ss", "uu"):
                return _scalar(S.r)     # plain x_{ss'} is the distance |x_s - x'_s| (preprint)
            if vec_name == "x" and not label and (b.kind == "accent" or sub_items or primes):
                plain = sub_text.replace("'", "")
                if plain not in ("",) + _BLOCK_LABELS + tuple(c + c for c in _BLOCK_LABELS):
                    raise _PosError(b.pos, f"x_{{{sub_text}}}: expected an index letter or a block label "
                                    f"({', '.join(_BLOCK_LABELS)})")
                return _Vec({("pos", plain + "'" * (sub_text.count("'") + primes)): sp.S.One})
            if b.kind == "accent" and not sub_items and not primes and not label:
                if vec_name == "q":
                    return _Vec({("unit", "qhat"): S.q})
                return _Vec({("unit", "n" if vec_name == "x" else vec_name): sp.S.One})
        named = b.name[:1].isupper() and (
            (b.kind == "accent" and b.accent in ("tilde", "bar", "hat"))
            or (b.kind in ("symbol", "letter") and len(sub_items) > 1 and all(_is_index(s) for s in sub_items)))
        if named and (sub_items or self._key(b, label) in self.tensors):
            return self._named_tensor(b, sub_items, label)
        if len(sub_items) > 1 and all(_is_index(s) for s in sub_items) and b.kind != "name":
            raise _PosError(b.pos, f"{name}_{{{sub_text}}} is not a known tensor (known: \\delta and the vectors "
                            f"{', '.join(sorted(_VECTOR_LETTERS))}); pass it in tensors=")
        key = name + ("~" if b.kind == "accent" and b.accent in ("tilde", "bar") else
                      "hat" if b.kind == "accent" and b.accent == "hat" else "")
        if sub_items:
            key += "_" + sub_text
        key += prime_text + (str(label) if label else "")
        if key in SYMBOL_TABLE:
            return _scalar(SYMBOL_TABLE[key])
        if b.kind == "name" and name == "d":
            raise _PosError(b.pos, r"differentials (\mathrm{d}) are not part of the index-notation grammar")
        return _scalar(sp.Symbol(key))

    def _resolve_delta(self, b: _Base, sub_items, sub_text, primes, label):
        """``\\Delta x_{ss'}`` (scalar |Delta x|), ``\\Delta\\vec x_{ss'}`` (vector), ``\\Delta\\tilde\\Lambda...``."""
        inner = b.accent.partition("+")[2]
        if b.name == "x" and sub_text.replace("'", "") in ("ss", "uu") and not primes and not label:
            return _Vec({("dx", ""): sp.S.One}) if inner == "vec" else _scalar(DELTA_X)
        if inner in ("tilde", "bar", "hat") or (b.name[:1].isupper() and sub_items):
            nb = _Base("accent", b.name, b.pos, inner)
            return self._named_tensor(nb, sub_items, label, prefix="Delta")
        key = "Delta" + self._key(_Base("accent", b.name, b.pos, inner), label)
        return _scalar(sp.Symbol(key + ("_" + sub_text if sub_text else "") + "'" * primes))

    @staticmethod
    def _key(b: _Base, label) -> str:
        return b.name + ("~" if b.accent in ("tilde", "bar") else "hat" if b.accent == "hat" else "") + \
            (str(label) if label else "")

    def _named_tensor(self, b: _Base, idx: list, label, prefix: str = "") -> _Tens:
        key = prefix + self._key(b, label)
        if key not in self.tensors:
            raise _PosError(b.pos, f"unknown tensor {key!r} with indices {''.join(idx)}; pass its value in "
                            f"tensors={{{key!r}: ...}}")
        value = self.tensors[key]
        if not isinstance(value, IndexExpr):
            if idx:
                raise _PosError(b.pos, f"tensor {key!r} is given as a scalar but written with indices {''.join(idx)}")
            return _Tens({(): value} if value != 0 else {}, frozenset(), placeholder=True)
        if len(idx) != len(value.indices) or len(set(idx)) != len(idx):
            raise _PosError(b.pos, f"tensor {key!r} has rank {len(value.indices)}, written with indices {''.join(idx)}")
        ren = value.rename(dict(zip(value.indices, idx)))
        return _Tens(dict(ren.terms), frozenset(idx), placeholder=True)


def _number(text: str) -> sp.Rational:
    if "." in text:
        whole, frac = text.split(".")
        return sp.Rational(int(whole + frac), 10 ** len(frac))
    return sp.Integer(int(text))


# ---------------------------------------------------------------------------------------------- public API
def _fail(text: str, pos: int, message: str, offset: int = 0) -> ParseError:
    return ParseError(f"{_where(text, pos + offset)}: {message}")


def _parse_value(text: str, tensors: Mapping[str, object], offset: int = 0, full: str | None = None):
    full = text if full is None else full
    if not isinstance(text, str):
        raise ParseError(f"LaTeX input must be a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"LaTeX input of {len(text)} characters is longer than the limit {MAX_LENGTH}")
    if not text.strip():
        raise _fail(full, len(text), "expected an expression, found end of input (empty input)", offset)
    try:
        tree = _parser().parse(text)
        return _Build(tensors).transform(tree)
    except _PosError as e:
        raise _fail(full, e.pos, e.message, offset) from None
    except VisitError as e:
        inner = e.orig_exc
        if isinstance(inner, _PosError):
            raise _fail(full, inner.pos, inner.message, offset) from None
        if isinstance(inner, RecursionError):
            raise ParseError("expression nested too deeply to evaluate") from None
        raise _fail(full, 0, f"cannot evaluate: {inner}", offset) from None
    except UnexpectedCharacters as e:
        raise _fail(full, e.pos_in_stream, f"unexpected character {text[e.pos_in_stream]!r}", offset) from None
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
                tensors: Mapping[str, object] | None = None) -> IndexExpr | sp.Expr:
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
        (renamed to the indices written); see docs/parse.md.

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
    value = _parse_value(text, tensors or {})
    return _finish(value, indices, text)


def _finish(value, indices, text):
    if isinstance(value, _Vec):
        raise ParseError(f"the expression {text[:60]!r} is a vector without index; write a component such as n_i")
    if not value.free:
        if indices:
            raise ParseError(f"indices={tuple(indices)} given, but the expression has no free index")
        return value.scalar_value()
    order = tuple(sorted(value.free)) if indices is None else tuple(indices)
    if indices is not None and (len(set(order)) != len(order) or not all(isinstance(i, str) for i in order)):
        raise InputError(f"indices must be distinct strings, got {tuple(indices)!r}")
    if set(order) != set(value.free):
        raise ParseError(f"the free indices of the expression are {tuple(sorted(value.free))}; "
                         f"indices={order} is not a permutation of them")
    return IndexExpr(value.terms, order)


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
        raise ParseError(f"at position 0 (line 1, col 1): expected a symbol on the left-hand side, found {s[:20]!r}")
    acc = m.group(1) or ""
    name = ("Delta " if s.lstrip().startswith("\\Delta") else "") + m.group(2) + \
        ("~" if acc in ("tilde", "bar", "widetilde") else "hat" if acc == "hat" else "")
    idx = re.search(r"_\{?\s*([a-z](?:\s*[a-z])*)\s*\}?", s[m.end():])
    indices = tuple(c for c in idx.group(1) if c.isalpha()) if idx and all(
        _is_index(c) for c in idx.group(1) if c.isalpha()) else ()
    lab = re.search(r"\^\{?\s*(\([^)]*\))", s[m.end():])
    return Lhs(s, name, indices, lab.group(1).replace(" ", "") if lab else "")


def parse_equation(text: str, *, indices: Sequence[str] | None = None,
                   tensors: Mapping[str, object] | None = None) -> tuple[Lhs, IndexExpr | sp.Expr]:
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
    value = _parse_value(text[b:], tensors or {}, offset=b, full=text)
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
