r"""The tree transformer of the LaTeX parser: lark's parse tree -> SymPy scalars and tensor values.

One method per grammar rule (``glass_sym/parse/grammar.lark``); the values are the core's :class:`_Tens` /
:class:`_Vec` (Einstein contraction, see :mod:`glass_sym.parse.core`), calculus constructs become
:mod:`glass_sym.parse.calculus` operators.  Used by :mod:`glass_sym.parse.parser`, which owns the grammar and the
public API.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp
from lark import Token, Transformer, v_args

from glass_sym import symbols as S
from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.errors import IllFormedTensorError, UnknownTensorError

from .calculus import _Op, _Open, apply_op
from .core import (_AXES, _BLOCK_LABELS, _FUNCS, _GREEK as _GREEK_NAMES, _THETA_SS, _VECTOR_LETTERS, DELTA_X,
                   LABEL_WORDS, SYMBOL_TABLE, _add, _contract_renamed, _dot, _dot_tens, _is_index, _mul, _PosError,
                   _power, _scalar, _Tens, _Vec, _vec_resolve)

__all__ = ["LatexTransformer"]

#: variant Greek letters read as the plain letter (docs/parse.md)
_VARIANTS = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varrho": "rho"}


# ---------------------------------------------------------------------------------------------- transformer
@dataclass
class _Base:
    """An atom before its scripts are applied: kind 'letter' | 'symbol' | 'name' | 'accent' (+ accent)."""

    kind: str
    name: str
    pos: int
    accent: str = ""



class _Roman(str):
    r"""A subscript item written in roman type (``m_{\mathrm{e}}``): a label, not an index or axis."""


def _index_item(item) -> bool:
    return _is_index(item) and not isinstance(item, _Roman)


@v_args(meta=True)
class LatexTransformer(Transformer):
    def __init__(self, tensors: Mapping[str, object], vectors=frozenset(), scalars=frozenset(),
                 unit_letters=frozenset()):
        super().__init__()
        self.unit_letters = frozenset(unit_letters)     # n, m used as unit vectors in the text: bare n is 1
        self.tensors = tensors
        self.vectors = frozenset(vectors)
        self.scalars = frozenset(scalars)
        self._fresh = 0

    def fresh(self) -> str:
        """A new dummy index (never a letter a user can write)."""
        self._fresh += 1
        return f"#{self._fresh}"

    # -- structure ------------------------------------------------------------------------------------
    def start(self, meta, ch):
        return ch[0]

    def sum(self, meta, ch):
        sign, acc, k = 1, None, 0
        if isinstance(ch[0], Token):
            sign, k = (-1 if ch[0].type == "MINUS" else 1), 1
        if isinstance(ch[k], _Op) and len(ch) == k + 1:     # (\partial_j \partial_l), (-\partial_j): an operator
            return _Op(ch[k].steps, ch[k].pos, ch[k].factor * sign)
        for v in ch[k::2]:
            if isinstance(v, _Op):
                raise _PosError(v.pos, "an operator (\\int, \\partial, \\lim) without operand inside a sum (a sign "
                                "after it ends its operand: write \\lim_{\\lambda \\to 0} (-f))")
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
        return _Tens({m: -c for m, c in v.terms.items()}, v.free, v.dummies, labels=v.labels)

    def product(self, meta, ch):
        acc = ch[0]
        for op, val in zip(ch[1::2], ch[2::2]):
            p = op.start_pos
            if isinstance(val, _Op):
                raise _PosError(val.pos, "an operator (\\int, \\partial, \\lim) after a product sign: write it "
                                "before its operand")
            if isinstance(acc, _Open):      # the operand of \int ... runs to the end of the product
                acc = _Open(acc.prefix, acc.op, self.product(meta, [acc.operand, op, val]))
                continue
            if isinstance(val, _Open):
                if op.type == "SLASH":
                    raise _PosError(p, "division by an integral or derivative")
                acc = _Open(self._times(acc, val.prefix, p) if val.prefix is not None else acc, val.op, val.operand)
                continue
            if isinstance(acc, _Op):
                raise _PosError(acc.pos, "an operator (\\int, \\partial, \\lim) needs an operand after it")
            if op.type == "SLASH":
                acc = self._div(acc, val, p)
            elif op.type == "CDOT" and isinstance(acc, _Vec) and isinstance(val, _Vec):
                acc = _dot_tens(_vec_resolve(acc, p), _vec_resolve(val, p), self.fresh())
            elif op.type == "TIMES" and isinstance(acc, _Vec) and isinstance(val, _Vec):
                raise _PosError(p, "cross products of vectors are not supported")
            else:
                acc = self._times(acc, val, p)
        return self._close(acc)

    def _close(self, v):
        if isinstance(v, _Open):
            out = apply_op(v.op, v.operand, v.op.pos)
            return self._times(v.prefix, out, v.op.pos) if v.prefix is not None else out
        return v

    def implicit(self, meta, ch):
        ops = [k for k, v in enumerate(ch) if isinstance(v, (_Op, _Open))]
        if ops:       # an operator applies to everything after it in the product (as in TeX)
            k = ops[0]
            prefix = self.implicit(meta, ch[:k]) if k else None
            head = ch[k]
            if isinstance(head, _Open):
                raise _PosError(head.op.pos, "an applied operator inside a juxtaposition")   # pragma: no cover
            rest = self.implicit(meta, ch[k + 1:]) if k + 1 < len(ch) else None
            if rest is None or isinstance(rest, _Op):      # operators only: compose, keep a scalar prefix
                op = head if rest is None else head.then(rest)
                if prefix is None:
                    return op
                if isinstance(prefix, _Tens) and prefix.is_scalar:
                    return _Op(op.steps, op.pos, op.factor * prefix.scalar_value())
                raise _PosError(head.pos, "an operator (\\int, \\partial, \\lim) needs an operand after it")
            if isinstance(rest, _Open):
                rest = self._close(rest)
            return _Open(prefix, head, rest)
        for v, nxt in zip(ch, ch[1:]):      # \sin 2\theta, \ln 2r: which factors does the function take?
            if isinstance(v, _Tens) and v.func is not None and not v.func[2] and not (
                    isinstance(nxt, _Tens) and nxt.func is not None):
                pos, fname, _ = v.func
                raise _PosError(pos, f"\\{fname} takes an argument without brackets and more factors follow it "
                                f"(\\sin 2\\theta, \\ln 2r): write the argument in brackets, \\{fname}(...), or "
                                f"the factors before the function")
        acc = ch[0]
        for val in ch[1:]:
            if isinstance(acc, _Tens) and acc.placeholder and isinstance(val, _Vec):
                acc = _Tens(acc.terms, acc.free, acc.dummies)   # \tilde\Lambda_{ijkl}(\vec n): drop the argument
                continue
            acc = self._times(acc, val, meta.start_pos)
        return acc

    def _times(self, x, y, pos):
        if isinstance(x, (_Op, _Open)) or isinstance(y, (_Op, _Open)):
            raise _PosError(pos, "an operator (\\int, \\partial, \\lim) cannot be multiplied here")
        if isinstance(x, _Vec) and isinstance(y, _Vec):
            raise _PosError(pos, r"product of two vectors without index: write \vec a \cdot \vec b or a_i b_i")
        if isinstance(x, _Vec) or isinstance(y, _Vec):
            s, v = (y, x) if isinstance(x, _Vec) else (x, y)
            if not s.is_scalar:
                raise _PosError(pos, "a vector without index multiplies a tensor: give the vector an index")
            return _Vec({a: c * s.scalar_value() for a, c in v.atoms.items()})
        return _mul(x, y, pos)

    def _div(self, x, y, pos):
        if isinstance(x, (_Op, _Open)) or isinstance(y, (_Op, _Open)):
            raise _PosError(pos, "an operator (\\int, \\partial, \\lim) in a fraction needs its operand inside "
                            "the same numerator")
        if isinstance(y, _Vec) or not y.is_scalar:
            raise _PosError(pos, "division by a vector or by an expression with free indices")
        den = y.scalar_value()
        if den == 0:
            raise _PosError(pos, "division by zero")
        if isinstance(x, _Vec):
            return _Vec({a: c / den for a, c in x.atoms.items()})
        return _Tens({m: c / den for m, c in x.terms.items()}, x.free, x.dummies, labels=x.labels | y.labels)

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
        v = ch[1]
        return dataclasses.replace(v, func=None, grouped=True) if isinstance(v, _Tens) else v

    # -- calculus (glass_sym.parse.calculus) --------------------------------------------------------------
    def integral(self, meta, ch):
        norm = sp.S.One
        if len(ch) == 6:
            den = self._scalar_of(ch[5], meta.start_pos, r"the denominator of the measure \frac{d^3q}{...}")
            if den == 0:
                raise _PosError(meta.start_pos, "division by zero in the measure")
            norm = 1 / den
        return _Op([("int", norm, ch[0].start_pos)], ch[0].start_pos)

    def deriv(self, meta, ch):
        return _Op([("deriv", tuple(str(ch[0])), ch[0].start_pos)], ch[0].start_pos)

    def limit(self, meta, ch):
        return _Op([("lim", "lambda", ch[0].start_pos)], ch[0].start_pos)

    def abs(self, meta, ch):
        v = ch[1]
        if isinstance(v, _Vec):
            u = _vec_resolve(v, meta.start_pos)
            if len(u) == 1:
                (name, c), = u.items()
                if name.endswith("hat") and c == sp.Symbol(name[:-3]):
                    return _scalar(c)           # |\vec p| = p: the bare letter is the vector's length
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
        grouped = isinstance(ch[-1], _Tens) and ch[-1].grouped
        argv = self._scalar_of(ch[-1], meta.start_pos, str(ch[0]))
        out = _dot({"m": 1}, {"n": 1}) if fn is sp.cos and argv == _THETA_SS else fn(argv)
        value = _scalar(_power(out, power, meta.start_pos) if power is not None else out)
        return dataclasses.replace(value, func=(meta.start_pos, str(ch[0]), grouped))

    def _scalar_of(self, v, pos, what):
        v = self._value(v)
        if isinstance(v, _Vec) or not v.is_scalar:
            raise _PosError(pos, f"{what} needs a scalar, found an expression with free indices or a vector",
                            IllFormedTensorError)
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
        if t.type == "NAME":
            return _Roman(str(t))       # _{\mathrm{e}}: a label, never an index
        return "'" if t.type == "PRIME" else str(t)

    def postfix(self, meta, ch):
        base, scripts = ch[0], ch[1:]
        if isinstance(base, _Op) and scripts:
            raise _PosError(scripts[0][2], "a subscript, superscript or prime on an operator (\\int, \\partial, \\lim)")
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
            if sub is not None and not primes and all(x.isalpha() and x.isupper() for x in sub):
                sub = None      # (\tilde\Lambda_{ijkl})_{JL}: a convention label on a bracket, dropped like |_{JL}
            if sub is not None or primes:
                raise _PosError(meta.start_pos, "a subscript or prime on a bracketed expression (only an upper-case "
                                "label such as _{JL} is accepted there)")
            value = base
        if sup is not None:
            expo, pos = sup
            if isinstance(expo, Token):
                raise _PosError(pos, f"superscript label {expo} on an expression that is not a named symbol")
            if isinstance(value, _Vec) or not value.is_scalar:
                raise _PosError(pos, "power of a vector or of an expression with free indices")
            e = self._scalar_of(expo, pos, "an exponent")
            if any(value.terms.keys() - {()}) and e.is_Integer and 1 <= e <= 8:
                acc = value     # (\vec q\cdot\vec m)^2: a product of contractions, kept in index form
                for _ in range(int(e) - 1):
                    ren = {d: self.fresh() for d in value.dummies}
                    acc = _mul(acc, _contract_renamed(value, ren, pos), pos)
                value = acc
            else:
                value = dataclasses.replace(_scalar(_power(value.scalar_value(), e, pos)), labels=value.labels)
        return value

    def _resolve(self, b: _Base, sub, primes: int, label) -> _Tens | _Vec:
        """The value of an atom with its subscript / primes / superscript label (docs/parse.md, "Vectors and
        labels"): symbol table and declared scalars first, then vectors, named tensors, labels."""
        if b.name in _VARIANTS:             # \varepsilon is \epsilon, \varphi is \phi ...
            b = dataclasses.replace(b, name=_VARIANTS[b.name])
        name = b.name
        sub_items = sub or []
        sub_text = "".join(sub_items)
        prime_text = "'" * primes
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
        key = name + ("~" if b.kind == "accent" and b.accent in ("tilde", "bar") else
                      "hat" if b.kind == "accent" and b.accent == "hat" else "")
        if sub_items:
            key += "_" + sub_text
        key += prime_text + (str(label) if label else "")
        if key in self.scalars or (name in self.scalars and b.kind != "accent"):
            return _scalar(sp.Symbol(key))
        if b.kind == "letter" and name + prime_text in self.unit_letters and not sub_items and not label:
            return _scalar(1)       # bare n next to n_i: the length of the unit vector
        if key in SYMBOL_TABLE and b.kind != "accent":
            return _scalar(SYMBOL_TABLE[key])
        vector = self._vector(b, sub_items, sub_text, primes, label)
        if vector is not None:
            return vector
        tkey = self._key(b, label)
        idx_items = [s for s in sub_items if s != ","]
        if sub_items and tkey in self.tensors and all(_is_index(s) for s in idx_items):
            return self._named_tensor(b, idx_items, label)
        if not sub_items and tkey in self.tensors:
            return self._named_tensor(b, [], label)
        if b.name[:1].isupper() and b.kind == "accent" and b.accent in ("tilde", "bar", "hat") and sub_items:
            return self._named_tensor(b, idx_items, label)        # unknown \tilde\Lambda_{ijkl}: error
        if len(idx_items) > 1 and all(_is_index(s) or s in _AXES for s in idx_items) and b.kind != "name" \
                and sub_text not in LABEL_WORDS:
            what = "a trace of " if len(set(idx_items)) < len(idx_items) else ""
            raise _PosError(b.pos, f"{name}_{{{sub_text}}}: {what}an index list on {name}, which is not a known "
                            f"tensor, or a label? Pass the tensor's value (tensors= / --tensor "
                            f"'{name}_{{{sub_text}}} = ...'), declare a scalar (scalars= / --scalar {key}) or write "
                            f"a label as {name}_{{\\mathrm{{{sub_text}}}}} (docs/parse.md)", UnknownTensorError)
        if key in SYMBOL_TABLE:
            return _scalar(SYMBOL_TABLE[key])
        if b.kind == "name" and name == "d":
            raise _PosError(b.pos, r"differentials (\mathrm{d}) are not part of the index-notation grammar")
        if len(idx_items) == 1 and _index_item(idx_items[0]):     # \mu_i: a label, unless i is an index nearby
            return _Tens({(): sp.Symbol(key)}, frozenset(), labels=frozenset({(idx_items[0], b.pos, key, name)}))
        return _scalar(sp.Symbol(key))

    def _vector(self, b: _Base, sub_items, sub_text, primes, label):
        """A vector component (p_i, n_1, \\hat r_i, x_i = r n_i, q_i = q qhat_i), a vector without index
        (\\vec r, \\vec p) or None when the atom is not a vector."""
        name = b.name
        declared = name in self.vectors or (b.kind == "accent" and b.accent == "vec" and name in _GREEK_NAMES
                                            and name[:1].islower())     # \vec\mu, \boldsymbol\omega
        if label or b.kind == "name" or (b.kind == "symbol" and not declared):
            return None                    # labels, \mathrm{..} names, Greek letters unless declared vectors
        if b.kind == "accent" and (b.accent not in ("vec", "hat") or (b.accent == "hat" and name[:1].isupper())):
            return None                    # \tilde, \bar; \hat H is an operator, not a direction
        if len(name) > 1 and not declared:
            return None                    # \vec\mu without --vector mu
        fixed = _VECTOR_LETTERS.get(name)
        one = len(sub_items) == 1
        component = one and _is_index(sub_items[0])
        if any(isinstance(s, _Roman) for s in sub_items):
            return None                    # m_{\mathrm{e}}: a label
        axis = one and sub_items[0] in _AXES          # p_x, n_y: the components 1, 2, 3
        if axis:
            sub_items = [_AXES[sub_items[0]]]
        numeric = one and sub_items[0] in ("1", "2", "3")
        if fixed == "x":                              # x_i = r n_i, \hat x_i = n_i, \vec x = r n; blocks x_s
            if component and primes:
                raise _PosError(b.pos, f"{name}'_{sub_items[0]}: a component of a second position {name}' is not "
                                "read (positions enter through the separation x - x' = r n: write r n_i)")
            if component and not primes:
                return _Tens({(("v", "n", sub_items[0]),): sp.S.One if b.accent == "hat" else S.r},
                             frozenset(sub_items))
            if numeric and not primes:
                return _scalar((1 if b.accent == "hat" else S.r) * S.N[int(sub_items[0]) - 1])
            if name == "x" and b.kind == "letter" and sub_text.replace("'", "") in ("ss", "uu"):
                return _scalar(S.r)     # plain x_{ss'} is the distance |x_s - x'_s| (preprint)
            if name == "x" and (b.kind == "accent" or sub_items or primes):
                plain = sub_text.replace("'", "")
                if plain not in ("",) + _BLOCK_LABELS + tuple(c + c for c in _BLOCK_LABELS):
                    raise _PosError(b.pos, f"x_{{{sub_text}}}: expected an index letter or a block label "
                                    f"({', '.join(_BLOCK_LABELS)})")
                if b.accent == "hat":
                    return _Vec({("unit", "n"): sp.S.One}) if not sub_items and not primes else None
                return _Vec({("pos", plain + "'" * (sub_text.count("'") + primes)): sp.S.One})
            if name == "r" and b.kind == "accent" and not sub_items and not primes:
                return _Vec({("unit", "n"): sp.S.One} if b.accent == "hat" else {("pos", ""): sp.S.One})
            return None
        if fixed is not None and not primes:         # n, m, e, q, k
            unit, magnitude = {"q": ("qhat", S.q)}.get(fixed, (fixed, sp.S.One))
            if b.accent == "hat":
                magnitude = sp.S.One
                if unit not in S.UNIT_VECTORS:        # \hat e: the unit vector along e, not e itself
                    unit = unit + "hat"
                    S.register_vector(unit, unit=True)
            if component or numeric:
                if component:
                    return _Tens({(("v", unit, sub_items[0]),): magnitude}, frozenset(sub_items))
                return _scalar(magnitude * S.VECTOR_SYMBOLS[unit][int(sub_items[0]) - 1])
            if b.kind == "accent" and not sub_items:
                return _Vec({("unit", unit): magnitude})
            return None
        if fixed in ("n", "m") and primes:            # n'_i, m'_i: further unit vectors
            unit = name + "'" * primes
            S.register_vector(unit, unit=True)
            if component:
                return _Tens({(("v", unit, sub_items[0]),): sp.S.One}, frozenset(sub_items))
            if numeric:
                return _scalar(S.VECTOR_SYMBOLS[unit][int(sub_items[0]) - 1])
            if b.kind == "accent" and not sub_items:
                return _Vec({("unit", unit): sp.S.One})
            return None
        # any other letter: p_i = p phat_i (p its magnitude), \hat p_i = phat_i, p'_j a second vector
        if not (component or (numeric and (declared or axis)) or (b.kind == "accent" and not sub_items)):
            return None
        vname = name + "'" * primes
        unit = vname + "hat"
        S.register_vector(unit, unit=True)
        magnitude = sp.S.One if b.accent == "hat" else sp.Symbol(vname)
        if component:
            return _Tens({(("v", unit, sub_items[0]),): magnitude}, frozenset(sub_items))
        if numeric:
            return _scalar(magnitude * S.VECTOR_SYMBOLS[unit][int(sub_items[0]) - 1])
        return _Vec({("unit", unit): magnitude})

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
                            f"tensors={{{key!r}: ...}}", UnknownTensorError)
        value = self.tensors[key]
        if not isinstance(value, IndexExpr):
            if idx:
                raise _PosError(b.pos, f"tensor {key!r} is given as a scalar but written with indices {''.join(idx)}")
            return _Tens({(): value} if value != 0 else {}, frozenset(), placeholder=True)
        if len(idx) != len(value.indices):
            raise _PosError(b.pos, f"tensor {key!r} has rank {len(value.indices)}, written with indices {''.join(idx)}")
        if any(idx.count(a) > 2 for a in idx):
            raise _PosError(b.pos, f"tensor {key!r} written with an index more than twice: {''.join(idx)}",
                            IllFormedTensorError)
        if len(set(idx)) != len(idx):         # \tilde\Lambda_{iikk}: the trace over the repeated slots
            tmp = {a: f"#{a}{k}" for k, a in enumerate(value.indices)}
            t = _Tens(dict(value.rename(tmp).terms), frozenset(tmp.values()))
            tr = _contract_renamed(t, {tmp[a]: c for a, c in zip(value.indices, idx)}, b.pos)
            return _Tens(tr.terms, tr.free, tr.dummies, placeholder=True)
        ren = value.rename(dict(zip(value.indices, idx)))
        return _Tens(dict(ren.terms), frozenset(idx), placeholder=True)


def _number(text: str) -> sp.Rational:
    if "." in text:
        whole, frac = text.split(".")
        return sp.Rational(int(whole + frac), 10 ** len(frac))
    return sp.Integer(int(text))
