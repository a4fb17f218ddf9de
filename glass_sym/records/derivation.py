"""Derivation records and the registry of closed forms.

A :class:`Derivation` is an ordered list of :class:`Step` records.  A step holds the paper's label (e.g.
``"A.17"``; ``None`` for the engine's own intermediate steps), a short machine name, the statement as a SymPy
object, how it was obtained, what independent check was run, whether that check passed and its residual.

Every step has a *kind*:

* ``"check"``: its check is a function of the step's own value, ``check(value)``, computed by a route that
  shares nothing with the one that produced the value (an explicit basis, Cartesian differentiation, a
  differential equation the value must solve ...);
* ``"property"``: it certifies a property (a symmetry, parity, rotation covariance, a trace, an x-independent
  divergence) of the value of an earlier step ``of``; ``check(value_of)`` decides the property and
  ``breakers(value_of)`` builds values that violate exactly that property;
* ``"definition"``: it only introduces notation (rare); it says why in ``why`` and carries no check.

The check callables stay attached to the step (not to its JSON record), so that the mutation test
(:mod:`glass_sym.records.mutation`) can re-run each check on mutants of the value it certifies.

Closed forms are registered by name (``f1``, ``lambda_tilde`` ...) and carry their derivation record
(:class:`ClosedForm`).  Derivation chains live in the ``derivations`` package; :func:`get` builds the chain
that provides a name on first use (memoized), so consumers never rebuild what exists.

>>> import sympy as sp
>>> d = Derivation("demo", "A demo")
>>> s = d.step("x.1", "two", "one plus one", lhs="t", value=sp.Integer(1) + 1,
...            how="addition", check=lambda v: v - 2, check_text="value - 2 = 0")
>>> s.kind, s.verified, s.residual
('check', True, '0')
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from glass_sym import worker
from glass_sym.algebra.indexnotation import IndexExpr
from glass_sym.algebra.tensor import Comparison, Tensor, canonical, compare
from glass_sym.errors import CacheError, DerivationError, GlassSymError, InputError
from glass_sym.suggest import did_you_mean

from . import cache
from .closed_form import arguments_of, components_of, free_indices, numeric_function_of
from .latex_steps import derivation_latex_body, step_latex
from .serialize import value_from_json, value_to_json
from .step_fields import STEP_FIELDS

__all__ = [
    "STEP_FIELDS", "STEP_KINDS", "NOTE_KINDS",
    "Note", "Step", "Derivation", "ClosedForm", "registry", "get", "build", "rebuild", "chains", "residual_of",
]


#: the three kinds of step (see the module docstring)
STEP_KINDS = ("check", "property", "definition")
#: kinds of a step note: an assumption of the derivation, a pointer to the audit finding that compares the
#: step's value with a printed form, or a remark
NOTE_KINDS = ("assumption", "audit", "remark")


@dataclass(frozen=True)
class Note:
    """A typed note on a step: ``kind`` in :data:`NOTE_KINDS`, ``text`` in words, ``ref`` (for ``"audit"``
    notes: the audit record, ``"<version>:<label>"``, that holds the comparison with the printed form)."""

    kind: str
    text: str
    ref: str | None = None

    def __post_init__(self):
        if self.kind not in NOTE_KINDS:
            raise DerivationError(f"note kind must be one of {', '.join(NOTE_KINDS)}, got {self.kind!r}")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "ref": self.ref, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict) -> "Note":
        return cls(str(d["kind"]), str(d["text"]), None if d.get("ref") is None else str(d["ref"]))


def residual_of(result: Any) -> tuple[bool, str]:
    """Turn a check result into (verified, residual text).

    Accepts a :class:`~glass_sym.algebra.tensor.Comparison`, a :class:`~glass_sym.algebra.tensor.Tensor` or IndexExpr
    (must vanish), a SymPy expression (must vanish modulo the unit relations) or a bool.
    """
    if isinstance(result, Comparison):
        return result.equal, result.summary()
    if isinstance(result, IndexExpr):
        result = result.to_tensor()
    if isinstance(result, Tensor):
        zero = Tensor.zeros(result.rank)

        c = compare(result, zero)
        return c.equal, c.summary()
    if isinstance(result, bool):
        return result, "0" if result else "check returned False"
    if isinstance(result, (list, tuple)):
        parts = [residual_of(x) for x in result]
        ok = all(p[0] for p in parts)
        return ok, "0" if ok else "; ".join(p[1] for p in parts if not p[0])
    res = canonical(sp.sympify(result))
    return res == 0, sp.sstr(res)


@dataclass
class Step:
    """One labelled, checked step of a derivation."""

    label: str | None
    name: str
    title: str
    lhs: str  # LaTeX of the left-hand side, e.g. r"f^{(1)}_{ijkl}"
    value: Any  # IndexExpr, Tensor or SymPy expression (the right-hand side)
    how: str
    check_text: str
    verified: bool
    residual: str
    notes: tuple[Note, ...] = ()
    record: dict | None = None  # the stored JSON record, for steps loaded from the cache
    kind: str = "check"  # one of STEP_KINDS
    of: str | None = None  # property steps: name of the step whose value is certified
    why: str = ""  # definitions: why nothing is checked
    check: Callable[[Any], Any] | None = field(default=None, repr=False, compare=False)
    breakers: Callable[[Any], list] | None = field(default=None, repr=False, compare=False)
    certified: Any = field(default=None, repr=False, compare=False)  # the value the check ran on

    @property
    def statement(self) -> sp.Basic:
        """The step as a SymPy object: ``Eq(lhs, rhs)`` with KroneckerDelta/Indexed for tensors."""
        if self.value is None and self.record is not None:
            return sp.Symbol(self.record["statement"])  # loaded from cache: text only
        rhs = self.value.as_sympy() if isinstance(self.value, IndexExpr) else self.value
        if not isinstance(rhs, sp.Basic):
            rhs = sp.sympify(rhs) if isinstance(rhs, (int, float)) else sp.Symbol(repr(rhs))
        return sp.Eq(sp.Symbol(self.name), rhs, evaluate=False)

    @property
    def latex(self) -> str:
        if self.record is not None:
            return self.record["latex"]

        return step_latex(self)

    def as_dict(self) -> dict:
        """The JSON record (field names are a documented contract, see docs/json.md)."""
        if self.record is not None:
            return {k: self.record.get(k, "") for k in STEP_FIELDS}
        return {
            "label": self.label,
            "name": self.name,
            "title": self.title,
            "lhs": self.lhs,
            "statement": sp.sstr(self.statement),
            "latex": self.latex,
            "how": self.how,
            "check": self.check_text,
            "verified": bool(self.verified),
            "residual": self.residual,
            "notes": [n.as_dict() for n in self.notes],
            "kind": self.kind,
            "of": self.of,
            "why": self.why,
        }

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + self.latex + "$"


@dataclass
class ClosedForm:
    """A registered closed form; remembers the derivation and step it came from, and carries its arguments.

    ``value`` is an :class:`~glass_sym.algebra.indexnotation.IndexExpr` (free indices :attr:`indices`) or a SymPy
    scalar; :attr:`arguments` lists the symbols it depends on with units and ranges
    (:mod:`glass_sym.records.closed_form`), and :meth:`numeric` turns it into a NumPy function of those arguments.

    >>> cf = get("lambda_tilde")
    >>> cf.label, cf.indices, [a.name for a in cf.arguments]
    ('A.18', 'ijkl', ['n', 'alpha'])
    """

    name: str
    value: Any
    derivation: str
    step: Step
    description: str = ""

    @property
    def expression(self) -> Any:
        """The closed form itself (IndexExpr or SymPy scalar); same as ``value``."""
        return self.value

    @property
    def label(self) -> str | None:
        """The paper's equation label of the step that provides the form (e.g. ``'A.18'``), or None."""
        return self.step.label

    @property
    def indices(self) -> str:
        """Free indices, e.g. ``'ijkl'`` ('' for a scalar)."""
        return free_indices(self.value)

    @property
    def arguments(self) -> tuple:
        """The arguments (:class:`glass_sym.records.closed_form.Argument`: name, symbols, unit, range), in order."""
        return arguments_of(self.value)

    @property
    def symbols(self) -> tuple:
        """Every argument symbol (vector components expanded), in argument order."""
        return tuple(s for a in self.arguments for s in a.symbols)

    def argument(self, symbol) -> Any:
        """The :class:`~glass_sym.records.closed_form.Argument` holding ``symbol`` (a SymPy symbol); KeyError if the
        form does not depend on it."""
        for a in self.arguments:
            if symbol in a.symbols:
                return a
        raise KeyError(f"closed form {self.name!r} does not depend on {symbol}")

    def components(self) -> tuple:
        """The explicit components (3^rank SymPy expressions in index order; one for a scalar)."""
        return components_of(self.value)

    def numeric(self):
        """The form as a :class:`glass_sym.records.closed_form.NumericFunction` of its named arguments."""
        return numeric_function_of(self.value, self.name)


@dataclass
class Derivation:
    """An ordered list of checked steps plus the closed forms it registers."""

    name: str
    title: str
    steps: list[Step] = field(default_factory=list)
    closed_forms: dict[str, ClosedForm] = field(default_factory=dict)

    def step(
        self,
        label: str | None,
        name: str,
        title: str,
        *,
        lhs: str,
        value: Any,
        how: str,
        check: Callable[[Any], Any] | None,
        check_text: str,
        kind: str = "check",
        of: str | None = None,
        breakers: Callable[[Any], list] | None = None,
        why: str = "",
        register: str | None = None,
        notes: tuple[Note, ...] | list[Note] = (),
    ) -> Step:
        """Record a step and run its check now.

        Parameters
        ----------
        check : callable or None
            ``kind="check"``: called with ``value``; ``kind="property"``: called with the value of step
            ``of``.  Returns what :func:`residual_of` accepts (zero residual = verified).  ``None`` only for
            a definition.
        kind : {"check", "property", "definition"}
        of : str, optional
            Property steps: the name of an earlier step of this chain whose value the property is about.
        breakers : callable, optional
            Property steps (required): ``breakers(value_of) -> [(description, mutant), ...]``, values that
            violate exactly the property (used by the mutation test).
        why : str
            Definitions (required): why the step introduces notation only.
        register : str, optional
            Name of the closed form the step provides.

        Raises
        ------
        DerivationError
            for an inconsistent step specification (unknown kind, a property without ``of`` or breakers, a
            definition with a check or without ``why``, a duplicate step name).
        """
        if kind not in STEP_KINDS:
            raise DerivationError(f"step {name!r}: kind must be one of {', '.join(STEP_KINDS)}, got {kind!r}")
        if any(s.name == name for s in self.steps):
            raise DerivationError(f"step {name!r} appears twice in chain {self.name!r}")
        certified = value
        if kind == "definition":
            if check is not None or not why:
                raise DerivationError(f"definition {name!r} must have no check and must say why (why=...)")
            verified, residual = True, "0"
            check_text = check_text or "definition (nothing to check): " + why
        else:
            if check is None:
                raise DerivationError(f"{kind} step {name!r} needs a check")
            if kind == "property":
                if of is None or breakers is None:
                    raise DerivationError(f"property step {name!r} needs of= (the step it is about) and breakers=")
                certified = self.step_named(of).value
            try:
                verified, residual = residual_of(check(certified))
            except Exception as exc:  # a check that crashes is a failed check, recorded as such
                verified, residual = False, f"check raised {type(exc).__name__}: {exc}"
        s = Step(label, name, title, lhs, value, how, check_text, verified, residual, tuple(notes), kind=kind,
                 of=of, why=why, check=check, breakers=breakers, certified=certified)
        self.steps.append(s)
        if register:
            self.closed_forms[register] = ClosedForm(register, value, self.name, s, title)
        return s

    def step_named(self, name: str) -> Step:
        """The step called ``name`` (raises DerivationError if there is none)."""
        for s in self.steps:
            if s.name == name:
                return s
        raise DerivationError(f"chain {self.name!r} has no step {name!r}")

    @property
    def ok(self) -> bool:
        return all(s.verified for s in self.steps)

    def failed(self) -> list[Step]:
        return [s for s in self.steps if not s.verified]

    def as_dicts(self) -> list[dict]:
        return [s.as_dict() for s in self.steps]

    def _repr_latex_(self) -> str:
        return derivation_latex_body(self)


# ---------------------------------------------------------------------- registry
_BUILT: dict[str, Derivation] = {}
registry: dict[str, ClosedForm] = {}


#: the package of derivation chains; it is built on this module, so the registry finds it by name at run time
CHAINS_PACKAGE = "glass_sym.derivations"


def _chains_package():
    return importlib.import_module(CHAINS_PACKAGE)


def chains() -> dict[str, str]:
    """Derivation chain name -> module path, as listed by :mod:`glass_sym.derivations`."""
    return dict(_chains_package().CHAINS)


def provides() -> dict[str, str]:
    """Registered closed-form name -> the chain that derives it, as listed by :mod:`glass_sym.derivations`."""
    return dict(_chains_package().PROVIDES)


def build(name: str, use_cache: bool | None = None) -> Derivation:
    """Build (once per process) the derivation chain ``name`` and register its closed forms.

    With the cache on (default unless ``GLASS_SYM_NO_CACHE=1``), a verified cache entry is used instead of
    recomputing; a fresh build is stored.
    """
    if name in _BUILT:
        return _BUILT[name]
    table = chains()
    if name not in table:
        raise InputError(f"unknown derivation {name!r}; expected one of: {', '.join(table)}")
    use_cache = cache.enabled() if use_cache is None else use_cache
    d = None
    if use_cache:
        payload = cache.load(name)
        if payload is not None:
            try:
                d = _from_payload(payload)
            except GlassSymError:
                d = None
    if d is None:  # built beside this process by a worker (glass_sym.worker), if one was asked to
        payload = worker.take(_TASK_PREFIX + name)
        if payload is not worker.MISSING:
            try:
                d = _from_payload(payload)
            except GlassSymError:
                d = None
    if d is None:
        module = importlib.import_module(table[name])
        d = module.build()
        if not isinstance(d, Derivation):
            raise DerivationError(f"{table[name]}.build() did not return a Derivation")
        if use_cache:
            try:
                cache.store(name, _to_payload(d))
            except GlassSymError as exc:  # a value the serializer does not support: no cache entry
                logging.getLogger(__name__).warning(f"not caching {name}: {exc}")
    _BUILT[name] = d
    registry.update(d.closed_forms)
    return d


_TASK_PREFIX = "chain:"
#: the chains a worker builds on a cold run while the main process builds appendix-a and appendix-b (the worker
#: builds appendix-a too: appendix-c reads it; the two halves take about the same time)
WORKER_CHAINS = ("appendix-c", "appendix-d")


def chain_tasks(names: Sequence[str] = WORKER_CHAINS) -> list[tuple[str, Callable[[], dict]]]:
    """Tasks for :func:`glass_sym.worker.beside` that build the chains ``names`` (default :data:`WORKER_CHAINS`) in
    a worker process: those not built in this process yet and without a verified cache entry.  Each returns the
    chain's cache payload (JSON: step records and closed forms, :mod:`glass_sym.records.serialize`); :func:`build`
    takes it instead of building the chain again, exactly as it reads a cache entry.

    Raises
    ------
    InputError
        for an unknown chain name.
    """
    table = chains()
    for name in names:
        if name not in table:
            raise InputError(f"unknown derivation {name!r}; expected one of: {', '.join(table)}")
    use_cache = cache.enabled()
    todo = [n for n in names if n not in _BUILT and not (use_cache and cache.load(n, quiet=True) is not None)]
    return [(_TASK_PREFIX + n, functools.partial(_chain_payload, n)) for n in todo]


def _chain_payload(name: str) -> dict:
    """The chain's payload, built without reading its cache entry (the task list found none valid) and stored
    (from a worker, by the main process when it takes the result)."""
    payload = _to_payload(build(name, use_cache=False))
    if cache.enabled():
        try:
            cache.store(name, payload)
        except GlassSymError as exc:  # a value the serializer does not support: no cache entry
            logging.getLogger(__name__).warning(f"not caching {name}: {exc}")
    return payload


def rebuild(name: str) -> Derivation:
    """Build the chain ``name`` afresh in this process, bypassing the cache and the per-process memo.

    The result keeps its check callables (what :mod:`glass_sym.records.mutation` re-runs); it is not stored in the
    cache, and registers its closed forms only if the chain was not built in this process yet.  Closed forms of
    other chains it reads come from :func:`get` as usual.

    Raises
    ------
    InputError
        for an unknown chain name.
    """
    table = chains()
    if name not in table:
        raise InputError(f"unknown derivation {name!r}; expected one of: {', '.join(table)}")
    d = importlib.import_module(table[name]).build()
    if not isinstance(d, Derivation):
        raise DerivationError(f"{table[name]}.build() did not return a Derivation")
    if name not in _BUILT:  # later chains reading this one through get() need not build it again
        _BUILT[name] = d
        registry.update(d.closed_forms)
    return d


def _to_payload(d: Derivation) -> dict:
    return {
        "derivation": d.name,
        "title": d.title,
        "ok": d.ok,
        "steps": d.as_dicts(),
        "closed_forms": {
            name: {"step": cf.step.name, "description": cf.description, "value": value_to_json(cf.value)}
            for name, cf in d.closed_forms.items()
        },
    }


def _from_payload(payload: dict) -> Derivation:
    try:
        d = Derivation(str(payload["derivation"]), str(payload["title"]))
        values = {n: value_from_json(c["value"]) for n, c in payload["closed_forms"].items()}
        owner = {c["step"]: n for n, c in payload["closed_forms"].items()}
        for rec in payload["steps"]:
            cf_name = owner.get(rec["name"])
            s = Step(rec["label"], rec["name"], rec["title"], rec.get("lhs", ""), values.get(cf_name), rec.get("how", ""),
                     rec.get("check", ""), bool(rec["verified"]), str(rec["residual"]),
                     tuple(Note.from_dict(n) for n in rec.get("notes", [])), record=dict(rec),
                     kind=str(rec.get("kind", "check")), of=rec.get("of"), why=str(rec.get("why", "")))
            d.steps.append(s)
            if cf_name:
                d.closed_forms[cf_name] = ClosedForm(cf_name, values[cf_name], d.name, s,
                                                     payload["closed_forms"][cf_name].get("description", ""))
    except (KeyError, TypeError, AttributeError, DerivationError) as exc:
        raise CacheError(f"malformed cache payload: {exc}") from None
    return d


def get(name: str) -> ClosedForm:
    """The registered closed form ``name``, building the chain that provides it if needed."""
    if name not in registry:
        derivations = _chains_package()
        owner = derivations.PROVIDES.get(name)
        if owner is None:

            known = ", ".join(sorted(derivations.PROVIDES))
            raise InputError(f"unknown closed form {name!r}{did_you_mean(name, derivations.PROVIDES)}; "
                             f"registered names: {known}")
        build(owner)
    if name not in registry:
        raise DerivationError(f"derivation chain did not register {name!r}")
    return registry[name]
