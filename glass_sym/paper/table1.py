"""Table 1 of both paper versions (Meissner–Berret data) and the fits the papers state, recomputed.

The data file ``glass_sym/paper/transcriptions/table1.toml`` keeps every number as the printed string, so that the
number of printed digits is known. From it this module recomputes

* the ratios gamma_l/gamma_t and c_l/c_t from the printed gamma and c columns;
* the deviation column, under several candidate definitions, and which definition reproduces the
  printed column (decided by counting, not assumed);
* for every stated fit, the least-squares slope of a line through the origin, y = slope * x, and
  Pearson's r, both from the printed (rounded) ratios and from unrounded ratios;

and compares each with the printed value. A difference is *beyond rounding* (``flag``) when it exceeds
half a unit in the last printed digit of the printed number, plus, where the recomputation starts from
rounded printed inputs, the propagated half units of those inputs (first order). Ratios and the
deviation are computed exactly with :class:`fractions.Fraction`; fits in float64 (NumPy).

Everything returned is plain, JSON-serialisable data (dicts, lists, str, float, bool).

>>> rows = check_materials("preprint")
>>> [r["material"] for r in rows if r["flag"]]
['V52', 'a-Se']
>>> fit = [f for f in check_fits("preprint") if f["id"] == "preprint-10"][0]
>>> fit["printed_slope"], round(fit["slope"], 4), fit["flag"]
(1.061, 1.0615, False)
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from glass_sym.errors import InputError

from .transcriptions import VERSIONS, read_data_file

__all__ = [
    "Table1Row",
    "Fit",
    "COLUMNS",
    "DEVIATION_DEFINITIONS",
    "load_table1",
    "load_materials",
    "load_fits",
    "half_unit",
    "round_half_away",
    "truncate",
    "deviation_candidates",
    "deviation_definition",
    "check_material",
    "check_materials",
    "origin_slope",
    "pearson_r",
    "check_fit",
    "check_fits",
    "table1_report",
]

#: Numeric columns of the table (printed strings in the data file).
COLUMNS = ("gamma_l", "gamma_t", "gamma_ratio", "c_l", "c_t", "velocity_ratio", "deviation")
_RATIO_INPUTS = {"gamma_ratio": ("gamma_l", "gamma_t"), "velocity_ratio": ("c_l", "c_t")}

#: Candidate definitions of the deviation column (percent). "theo" = c_l/c_t, "exp" = gamma_l/gamma_t;
#: "printed" uses the printed (rounded) ratio columns, "unrounded" recomputes them from gamma and c.
DEVIATION_DEFINITIONS: dict[str, str] = {
    "printed_ratios": "(theo - exp)/exp, both ratios as printed",
    "unrounded_ratios": "(theo - exp)/exp, both ratios recomputed from gamma and c",
    "unrounded_theo_printed_exp": "(theo - exp)/exp, theo = c_l/c_t recomputed, exp as printed",
    "printed_theo_unrounded_exp": "(theo - exp)/exp, theo as printed, exp = gamma_l/gamma_t recomputed",
    "relative_to_theo": "(theo - exp)/theo, both ratios as printed",
}


@dataclass(frozen=True)
class Table1Row:
    """One row of Table 1 as one paper version prints it; numbers are the printed strings (None = empty cell).

    The material itself (SI numbers, density, TTLS strength) is :class:`glass_sym.paper.materials.Material`, built
    from the journal's rows.

    >>> m = [m for m in load_materials("jpcm2020") if m.name == "BK7"][0]
    >>> m.gamma_ratio, m.value("c_l"), m.source_line
    ('1.48', Fraction(31, 5), 283)
    """

    name: str
    version: str
    source_line: int
    gamma_l: str | None = None
    gamma_t: str | None = None
    gamma_ratio: str | None = None
    c_l: str | None = None
    c_t: str | None = None
    velocity_ratio: str | None = None
    deviation: str | None = None
    note: str | None = None
    printed_name: str | None = None
    printed_deviation_cell: str | None = None

    def value(self, column: str) -> Fraction | None:
        """The printed number of ``column`` as an exact fraction (None for an empty cell)."""
        text = getattr(self, column)
        return None if text is None else Fraction(Decimal(text))


@dataclass(frozen=True)
class Fit:
    """A straight-line fit stated in one paper version (see the ``[[fit]]`` entries of table1.toml)."""

    id: str
    version: str
    x: str
    y: str
    model: str
    printed_slope: str
    materials: tuple[str, ...]
    source_lines: tuple[int, ...]
    printed_r: str | None = None
    comment: str | None = None
    #: the figure whose caption states this fit ("Figure 1"), a fact about the text
    figure: str | None = None
    #: where the fit is printed, in words (set by :func:`glass_sym.paper.materials.fits` from materials.toml for the
    #: fits the RG report recomputes; not a transcription key)
    source: str = ""


# ------------------------------------------------------------------------------------------------
# loading and validation
# ------------------------------------------------------------------------------------------------

def _number(where: str, key: str, text: Any, *, positive: bool) -> None:
    if not isinstance(text, str):
        raise InputError(f"{where}: {key} must be a printed number in a string (e.g. \"1.60\"), got {text!r}")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{where}: {key} must be a decimal number, got {text!r}") from None
    if not d.is_finite() or (positive and d <= 0):
        raise InputError(f"{where}: {key} must be a finite{' positive' if positive else ''} number, got {text!r}")


def _material(i: int, entry: Any, source: str) -> Table1Row:
    where = f"{source}, [[material]] #{i + 1}" + (f" ({entry.get('name')!r})" if isinstance(entry, dict) else "")
    if not isinstance(entry, dict):
        raise InputError(f"{where}: expected a table, got {type(entry).__name__}")
    allowed = {f.name for f in fields(Table1Row)}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise InputError(f"{where}: unknown field(s) {unknown}; allowed: {sorted(allowed)}")
    for k in ("name", "version", "source_line"):
        if k not in entry:
            raise InputError(f"{where}: missing required field {k!r}")
    if entry["version"] not in VERSIONS:
        raise InputError(f"{where}: version must be one of {sorted(VERSIONS)}, got {entry['version']!r}")
    if not isinstance(entry["source_line"], int) or entry["source_line"] < 1:
        raise InputError(f"{where}: source_line must be an integer >= 1, got {entry['source_line']!r}")
    for k in COLUMNS:
        if k in entry:
            _number(where, k, entry[k], positive=(k != "deviation"))
    return Table1Row(**entry)


def _fit(i: int, entry: Any, source: str, names: dict[str, set[str]]) -> Fit:
    where = f"{source}, [[fit]] #{i + 1}" + (f" ({entry.get('id')!r})" if isinstance(entry, dict) else "")
    if not isinstance(entry, dict):
        raise InputError(f"{where}: expected a table, got {type(entry).__name__}")
    allowed = {f.name for f in fields(Fit)} - {"source"}  # source: set by materials.fits(), not transcribed
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise InputError(f"{where}: unknown field(s) {unknown}; allowed: {sorted(allowed)}")
    for k in ("id", "version", "x", "y", "model", "printed_slope", "materials", "source_lines"):
        if k not in entry:
            raise InputError(f"{where}: missing required field {k!r}")
    if entry["version"] not in VERSIONS:
        raise InputError(f"{where}: version must be one of {sorted(VERSIONS)}, got {entry['version']!r}")
    for k in ("x", "y"):
        if entry[k] not in _RATIO_INPUTS:
            raise InputError(f"{where}: {k} must be one of {sorted(_RATIO_INPUTS)}, got {entry[k]!r}")
    if entry["x"] == entry["y"]:
        raise InputError(f"{where}: x and y must differ, got {entry['x']!r} twice")
    if entry["model"] != "origin":
        raise InputError(f"{where}: model must be 'origin' (y = slope * x), got {entry['model']!r}")
    _number(where, "printed_slope", entry["printed_slope"], positive=False)
    if "printed_r" in entry:
        _number(where, "printed_r", entry["printed_r"], positive=False)
    if "figure" in entry and not isinstance(entry["figure"], str):
        raise InputError(f"{where}: figure must be a string such as 'Figure 1', got {entry['figure']!r}")
    mats = entry["materials"]
    if not isinstance(mats, list) or len(mats) < 3 or len(set(mats)) != len(mats):
        raise InputError(f"{where}: materials must be a list of at least 3 distinct names, got {mats!r}")
    missing = [m for m in mats if m not in names.get(entry["version"], set())]
    if missing:
        raise InputError(f"{where}: materials {missing} have no row in version {entry['version']!r}")
    lines = entry["source_lines"]
    if not isinstance(lines, list) or not lines or not all(isinstance(n, int) and n >= 1 for n in lines):
        raise InputError(f"{where}: source_lines must be a non-empty list of integers >= 1, got {lines!r}")
    return Fit(**{**entry, "materials": tuple(mats), "source_lines": tuple(lines)})


def load_table1(path: str | Path | None = None) -> tuple[list[Table1Row], list[Fit]]:
    """Read and validate the Table 1 data file (the packaged one unless ``path`` is given).

    Raises
    ------
    InputError
        The file is unreadable or not TOML, or an entry is malformed (message names file and entry).

    Examples
    --------
    >>> materials, fits = load_table1()
    >>> len(materials), [f.id for f in fits][:2]
    (29, ['jpcm2020-9', 'preprint-13'])
    """
    if path is None:
        source, data = "table1.toml", read_data_file("table1.toml")
    else:
        source = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"Table 1 data file {source!r}: cannot be read as TOML ({exc})") from exc
    materials = [_material(i, e, source) for i, e in enumerate(data.get("material", []))]
    names: dict[str, set[str]] = {}
    for m in materials:
        if m.name in names.setdefault(m.version, set()):
            raise InputError(f"{source}: material {m.name!r} appears twice in version {m.version!r}")
        names[m.version].add(m.name)
    fits = [_fit(i, e, source, names) for i, e in enumerate(data.get("fit", []))]
    if len({f.id for f in fits}) != len(fits):
        raise InputError(f"{source}: fit ids must be unique, got {[f.id for f in fits]}")
    return materials, fits


def _versions(version: str | None) -> list[str]:
    if version is None:
        return list(VERSIONS)
    if version not in VERSIONS:
        raise InputError(f"paper version: expected one of {sorted(VERSIONS)}, got {version!r}")
    return [version]


def load_materials(version: str | None = None) -> list[Table1Row]:
    """Table rows of one version (or both), in file order."""
    vs = _versions(version)
    return [m for m in load_table1()[0] if m.version in vs]


def load_fits(version: str | None = None) -> list[Fit]:
    """Stated fits of one version (or both), in file order."""
    vs = _versions(version)
    return [f for f in load_table1()[1] if f.version in vs]


# ------------------------------------------------------------------------------------------------
# rounding helpers
# ------------------------------------------------------------------------------------------------

def half_unit(printed: str) -> Fraction:
    """Half a unit in the last printed digit of a printed decimal number.

    >>> half_unit("1.60"), half_unit("+10.1"), half_unit("0.803")
    (Fraction(1, 200), Fraction(1, 20), Fraction(1, 2000))
    """
    exponent = Decimal(printed).as_tuple().exponent
    if not isinstance(exponent, int):
        raise InputError(f"printed number: expected a finite decimal, got {printed!r}")
    return Fraction(1, 2) * Fraction(10) ** exponent


def round_half_away(value: Fraction, like: str) -> Fraction:
    """``value`` rounded (half away from zero) to as many decimals as the printed string ``like`` has.

    >>> round_half_away(Fraction(-4375, 1000), "-4.38")
    Fraction(-219, 50)
    """
    exponent = Decimal(like).as_tuple().exponent
    assert isinstance(exponent, int)
    unit = Fraction(10) ** exponent
    n = abs(value) / unit
    k = math.floor(n + Fraction(1, 2))
    return -(k * unit) if value < 0 else k * unit


def truncate(value: Fraction, like: str) -> Fraction:
    """``value`` cut (towards zero) to as many decimals as the printed string ``like`` has.

    >>> truncate(Fraction(61452, 10000), "6.14")
    Fraction(307, 50)
    """
    exponent = Decimal(like).as_tuple().exponent
    assert isinstance(exponent, int)
    unit = Fraction(10) ** exponent
    k = math.floor(abs(value) / unit)
    return -(k * unit) if value < 0 else k * unit


def _rel_half(m: Table1Row, *columns: str) -> Fraction:
    """Sum of relative half units of the printed inputs (first-order error propagation)."""
    return sum((half_unit(getattr(m, c)) / m.value(c) for c in columns), Fraction(0))


def _f(x: Fraction | float | None) -> float | None:
    return None if x is None else round(float(x), 12)


# ------------------------------------------------------------------------------------------------
# rows: ratios and deviation
# ------------------------------------------------------------------------------------------------

def deviation_candidates(m: Table1Row) -> dict[str, dict[str, Any]]:
    """All candidate deviation values (percent) for one row, with their rounding tolerance.

    Each entry: ``value`` (float), ``tolerance`` (half a unit of the printed deviation plus the propagated
    half units of the rounded inputs the candidate starts from), ``within_tolerance`` and
    ``rounds_to_printed`` (the value rounded to the printed digits equals the printed deviation).
    Empty if the row has no deviation or lacks an input.

    >>> c = deviation_candidates([m for m in load_materials("jpcm2020") if m.name == "a-SiO2"][0])
    >>> round(c["printed_ratios"]["value"], 3), c["printed_ratios"]["rounds_to_printed"]
    (-4.375, True)
    """
    needed = ("gamma_l", "gamma_t", "gamma_ratio", "c_l", "c_t", "velocity_ratio", "deviation")
    if any(getattr(m, c) is None for c in needed):
        return {}
    theo_p, exp_p = m.value("velocity_ratio"), m.value("gamma_ratio")
    theo_u = m.value("c_l") / m.value("c_t")
    exp_u = m.value("gamma_l") / m.value("gamma_t")
    printed = m.value("deviation")
    h = half_unit(m.deviation)
    rel_c, rel_g = _rel_half(m, "c_l", "c_t"), _rel_half(m, "gamma_l", "gamma_t")
    raw = {
        "printed_ratios": ((theo_p - exp_p) / exp_p, Fraction(0)),
        "unrounded_ratios": ((theo_u - exp_u) / exp_u, rel_c + rel_g),
        "unrounded_theo_printed_exp": ((theo_u - exp_p) / exp_p, rel_c),
        "printed_theo_unrounded_exp": ((theo_p - exp_u) / exp_u, rel_g),
        "relative_to_theo": ((theo_p - exp_p) / theo_p, Fraction(0)),
    }
    out: dict[str, dict[str, Any]] = {}
    for name, (frac, rel) in raw.items():
        value = 100 * frac
        tol = h + abs(100 + value) * rel
        out[name] = {
            "value": _f(value),
            "tolerance": _f(tol),
            "within_tolerance": abs(value - printed) <= tol,
            "rounds_to_printed": round_half_away(value, m.deviation) == printed,
            "truncates_to_printed": truncate(value, m.deviation) == printed,
        }
    return out


def deviation_definition(materials: list[Table1Row] | None = None) -> dict[str, Any]:
    """Which candidate definition reproduces the printed deviation column (rows of both versions).

    Counts, per candidate, the rows whose printed deviation equals the candidate rounded to the printed
    digits; the ``chosen`` definition is the one with the most such rows (ties: order of
    :data:`DEVIATION_DEFINITIONS`).

    >>> d = deviation_definition()
    >>> d["chosen"], d["rows"]
    ('printed_ratios', 26)
    """
    materials = load_materials() if materials is None else materials
    counts = dict.fromkeys(DEVIATION_DEFINITIONS, 0)
    n = 0
    for m in materials:
        cands = deviation_candidates(m)
        if cands:
            n += 1
            for name, c in cands.items():
                counts[name] += int(c["rounds_to_printed"])
    chosen = max(DEVIATION_DEFINITIONS, key=lambda k: (counts[k], -list(DEVIATION_DEFINITIONS).index(k)))
    return {"chosen": chosen, "description": DEVIATION_DEFINITIONS[chosen], "rows": n,
            "reproduced_rows": counts}


def _ratio_record(m: Table1Row, quantity: str) -> dict[str, Any] | None:
    num, den = _RATIO_INPUTS[quantity]
    if any(getattr(m, c) is None for c in (quantity, num, den)):
        return None
    printed = m.value(quantity)
    value = m.value(num) / m.value(den)
    tol = half_unit(getattr(m, quantity)) + value * _rel_half(m, num, den)
    diff = printed - value
    flag = abs(diff) > tol
    return {
        "quantity": quantity,
        "printed": _f(printed),
        "printed_text": getattr(m, quantity),
        "recomputed": _f(value),
        "difference": _f(diff),
        "tolerance": _f(tol),
        "rounds_to_printed": round_half_away(value, getattr(m, quantity)) == printed,
        "flag": flag,
        "explanation": (f"{num}/{den} = {getattr(m, num)}/{getattr(m, den)} = {float(value):.4f}, printed "
                        f"{getattr(m, quantity)}: " + ("beyond rounding" if flag else "within rounding")),
    }


def check_material(m: Table1Row, definition: str = "printed_ratios") -> list[dict[str, Any]]:
    """Printed versus recomputed for one row: both ratios and the deviation (under ``definition``).

    One record per quantity present in the row, with fields ``material``, ``version``, ``quantity``,
    ``printed``, ``printed_text``, ``recomputed``, ``difference``, ``tolerance``, ``flag`` (difference
    beyond rounding), ``rounds_to_printed``, ``explanation``, ``source_line``; the deviation record also
    has ``definition`` and ``reproduced_by`` (candidate definitions that reproduce the printed digits).

    >>> m = [m for m in load_materials("preprint") if m.name == "V52"][0]
    >>> [(r["quantity"], r["flag"]) for r in check_material(m)]
    [('gamma_ratio', False), ('velocity_ratio', False), ('deviation', True)]
    """
    if definition not in DEVIATION_DEFINITIONS:
        raise InputError(f"deviation definition: expected one of {sorted(DEVIATION_DEFINITIONS)}, "
                         f"got {definition!r}")
    base = {"material": m.name, "version": m.version, "source_line": m.source_line}
    out = []
    for quantity in ("gamma_ratio", "velocity_ratio"):
        rec = _ratio_record(m, quantity)
        if rec is not None:
            out.append({**base, **rec})
    cands = deviation_candidates(m)
    if cands:
        c = cands[definition]
        printed = m.value("deviation")
        flag = not c["within_tolerance"]
        reproduced_by = [k for k, v in cands.items() if v["rounds_to_printed"]]
        out.append({
            **base,
            "quantity": "deviation",
            "printed": _f(printed),
            "printed_text": m.deviation,
            "recomputed": c["value"],
            "difference": _f(printed - Fraction(c["value"])),
            "tolerance": c["tolerance"],
            "rounds_to_printed": c["rounds_to_printed"],
            "flag": flag,
            "definition": definition,
            "reproduced_by": reproduced_by,
            "candidates": cands,
            "explanation": (f"deviation ({DEVIATION_DEFINITIONS[definition]}) = {c['value']:.3f}%, printed "
                            f"{m.deviation}%: " + ("beyond rounding" if flag else "within rounding")
                            + (f"; reproduced by {', '.join(reproduced_by)}" if flag and reproduced_by else "")
                            + ("; no candidate definition reproduces it" if flag and not reproduced_by else "")
                            + ("; consistent with truncation instead of rounding"
                               if flag and c["truncates_to_printed"] else "")),
        })
    return out


def check_materials(version: str | None = None, materials: list[Table1Row] | None = None,
                    definition: str | None = None) -> list[dict[str, Any]]:
    """:func:`check_material` for all rows of one version (or both); each row's records are merged
    into one dict per row: ``material``, ``version``, ``source_line``, ``checks`` (list), ``flag`` (any).

    ``definition`` defaults to the one :func:`deviation_definition` finds on all packaged rows.
    """
    materials = load_materials(version) if materials is None else materials
    if definition is None:
        definition = deviation_definition()["chosen"]
    rows = []
    for m in materials:
        checks = check_material(m, definition)
        rows.append({"material": m.name, "version": m.version, "source_line": m.source_line,
                     "note": m.note, "checks": checks, "flag": any(c["flag"] for c in checks)})
    return rows


# ------------------------------------------------------------------------------------------------
# fits
# ------------------------------------------------------------------------------------------------

def origin_slope(x: list[float], y: list[float]) -> float:
    """Least-squares slope of y = s * x (line through the origin): s = sum(xy)/sum(x^2).

    >>> origin_slope([1.0, 2.0], [2.0, 4.0])
    2.0
    """
    import numpy as np  # lazy: start-up time (loaded only when this function runs)

    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.dot(xa, ya) / np.dot(xa, xa))


def pearson_r(x: list[float], y: list[float], *, centered: bool = True) -> float:
    """Pearson's correlation coefficient of x and y (``centered=False``: the uncentered cosine).

    >>> pearson_r([1.0, 2.0, 3.0], [1.0, 3.0, 2.0])
    0.5
    """
    import numpy as np  # lazy: start-up time (loaded only when this function runs)

    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if centered:
        xa, ya = xa - xa.mean(), ya - ya.mean()
    den = math.sqrt(float(np.dot(xa, xa)) * float(np.dot(ya, ya)))
    if den == 0.0:
        raise InputError(f"Pearson r: needs non-constant x and y, got x={list(x)}, y={list(y)}")
    return float(np.dot(xa, ya) / den)


def _series(fit: Fit, rows: dict[str, Table1Row], rounded: bool) -> tuple[list[float], list[float]]:
    def col(m: Table1Row, quantity: str) -> float:
        if rounded:
            v = m.value(quantity)
        else:
            num, den = _RATIO_INPUTS[quantity]
            v = None if m.value(num) is None or m.value(den) is None else m.value(num) / m.value(den)
        if v is None:
            raise InputError(f"fit {fit.id!r}: material {m.name!r} ({m.version}) has no {quantity} "
                             f"({'printed' if rounded else 'inputs'}); cannot be fitted")
        return float(v)

    return [col(rows[n], fit.x) for n in fit.materials], [col(rows[n], fit.y) for n in fit.materials]


def _column_box(m: Table1Row, quantity: str) -> tuple[float, float]:
    """The interval of the true ratio allowed by the printed digits: the printed ratio +- half a unit of its last
    digit, intersected with the quotient interval of its printed inputs (each +- half a unit); the printed
    ratio's interval alone if the two do not overlap."""
    num, den = _RATIO_INPUTS[quantity]
    raw = {k: getattr(m, k) for k in (quantity, num, den)}
    boxes = []
    if raw[quantity] is not None:
        v, h = Fraction(Decimal(raw[quantity])), half_unit(raw[quantity])
        boxes.append((v - h, v + h))
    if raw[num] is not None and raw[den] is not None:
        n, hn = Fraction(Decimal(raw[num])), half_unit(raw[num])
        d, hd = Fraction(Decimal(raw[den])), half_unit(raw[den])
        if d - hd > 0:
            boxes.append(((n - hn) / (d + hd), (n + hn) / (d - hd)))
    lo, hi = max(b[0] for b in boxes), min(b[1] for b in boxes)
    if lo > hi:
        lo, hi = boxes[0]
    return float(lo), float(hi)


def rounding_interval(fit: Fit, rows: dict[str, Table1Row], quantity: str) -> tuple[float, float]:
    """The range of the fitted ``quantity`` ("slope" or "r") attained when every ratio of the fit moves within
    the interval its printed digits allow (:func:`_column_box`).

    The fitted quantity is smooth and the box is small: its gradient at the box centre (central differences)
    picks the two corners where the linearization is extreme, and the quantity is evaluated exactly there.
    Both values are attained by inputs consistent with the printed digits, so by continuity every value
    between them is too: a printed number inside the returned interval is explained by the rounding of the
    inputs (the interval is inner, never wider than the true range).
    """
    import numpy as np  # lazy: start-up time (loaded only when this function runs)

    boxes = [_column_box(rows[n], c) for c in (fit.x, fit.y) for n in fit.materials]
    lo = np.array([b[0] for b in boxes])
    hi = np.array([b[1] for b in boxes])
    k = len(fit.materials)

    def f(v):
        x, y = list(v[:k]), list(v[k:])
        return origin_slope(x, y) if quantity == "slope" else pearson_r(x, y)

    c = (lo + hi) / 2
    grad = np.zeros_like(c)
    for i in range(len(c)):
        e = np.zeros_like(c)
        e[i] = (hi[i] - lo[i]) / 2 or 1e-9
        grad[i] = f(c + e) - f(c - e)
    up = np.where(grad >= 0, hi, lo)
    down = np.where(grad >= 0, lo, hi)
    vals = [f(c), f(up), f(down)]
    return min(vals), max(vals)


def check_fit(fit: Fit, materials: list[Table1Row] | None = None) -> dict[str, Any]:
    """Recompute one stated fit and compare with the printed slope and r.

    Returns a dict with ``id``, ``version``, ``x``, ``y``, ``model``, ``materials``, ``n``,
    ``printed_slope``, ``printed_r`` (None if not printed), ``slope``, ``r`` (from the printed rounded
    ratios), ``slope_unrounded``, ``r_unrounded`` (ratios recomputed from gamma and c), ``tolerance_slope``,
    ``tolerance_r`` (half a unit in the last printed digit), ``flag_slope``/``flag_r`` (true when *neither*
    route is within tolerance), ``flag``, ``slope_variants``/``r_variants`` (other conventions, from the
    rounded ratios) with ``reproduced_by`` (variants within tolerance), ``source_lines`` and
    ``explanation``.
    """
    materials = load_materials(fit.version) if materials is None else materials
    rows = {m.name: m for m in materials if m.version == fit.version}
    missing = [n for n in fit.materials if n not in rows]
    if missing:
        raise InputError(f"fit {fit.id!r}: materials {missing} have no row in version {fit.version!r}")
    x, y = _series(fit, rows, rounded=True)
    xu, yu = _series(fit, rows, rounded=False)
    slope, r = origin_slope(x, y), pearson_r(x, y)
    slope_u, r_u = origin_slope(xu, yu), pearson_r(xu, yu)
    ps = float(Decimal(fit.printed_slope))
    tol_s = float(half_unit(fit.printed_slope))
    flag_s = abs(slope - ps) > tol_s and abs(slope_u - ps) > tol_s
    slope_variants = {
        "origin_y_on_x": slope,
        "origin_x_on_y_inverted": 1.0 / origin_slope(y, x),
        "ols_with_intercept": pearson_r(x, y) * _std(y) / _std(x),
    }
    reproduced = {"slope": [k for k, v in slope_variants.items() if abs(v - ps) <= tol_s], "r": []}
    r_variants = {"pearson": r, "uncentered": pearson_r(x, y, centered=False), "pearson_squared": r * r}
    pr = tol_r = None
    flag_r = False
    if fit.printed_r is not None:
        pr = float(Decimal(fit.printed_r))
        tol_r = float(half_unit(fit.printed_r))
        flag_r = abs(r - pr) > tol_r and abs(r_u - pr) > tol_r
        reproduced["r"] = [k for k, v in r_variants.items() if abs(v - pr) <= tol_r]
    interval = {q: rounding_interval(fit, rows, q) for q in ("slope", "r")}
    parts = [f"slope {slope:.4f} (unrounded ratios {slope_u:.4f}) vs printed {fit.printed_slope}"]
    if pr is not None:
        parts.append(f"r {r:.4f} (unrounded {r_u:.4f}) vs printed {fit.printed_r}")
    flag = flag_s or flag_r
    truncation = {"slope": truncate(Fraction(slope), fit.printed_slope) == Fraction(Decimal(fit.printed_slope)),
                  "r": (pr is not None
                        and truncate(Fraction(r), fit.printed_r) == Fraction(Decimal(fit.printed_r)))}
    what = [w for w, f in (("slope", flag_s), ("r", flag_r)) if f]
    notes = [w for w in what if truncation[w]]
    explanation = (f"{fit.y} = slope * {fit.x} over {len(fit.materials)} materials: " + "; ".join(parts)
                   + (f": {' and '.join(what)} beyond rounding" if flag else ": within rounding")
                   + (f" ({' and '.join(notes)} consistent with truncation)" if notes else ""))
    return {
        "id": fit.id, "version": fit.version, "x": fit.x, "y": fit.y, "model": fit.model,
        "materials": list(fit.materials), "n": len(fit.materials),
        "printed_slope": ps, "printed_r": pr,
        "slope": _f(slope), "r": _f(r), "slope_unrounded": _f(slope_u), "r_unrounded": _f(r_u),
        "tolerance_slope": tol_s, "tolerance_r": tol_r,
        "flag_slope": flag_s, "flag_r": flag_r, "flag": flag,
        "slope_variants": {k: _f(v) for k, v in slope_variants.items()},
        "r_variants": {k: _f(v) for k, v in r_variants.items()},
        "reproduced_by": reproduced,
        "truncation": truncation,
        "slope_interval": [_f(v) for v in interval["slope"]],
        "r_interval": [_f(v) for v in interval["r"]],
        "figure": fit.figure,
        "source_lines": list(fit.source_lines),
        "explanation": explanation,
    }


def _std(v: list[float]) -> float:
    mean = sum(v) / len(v)
    return math.sqrt(sum((a - mean) ** 2 for a in v))


def check_fits(version: str | None = None) -> list[dict[str, Any]]:
    """:func:`check_fit` for every stated fit of one version (or both)."""
    materials, fits = load_table1()
    vs = _versions(version)
    return [check_fit(f, materials) for f in fits if f.version in vs]


def table1_report(version: str | None = None) -> dict[str, Any]:
    """Everything in one JSON-serialisable dict: units, deviation definition, row checks, fit checks.

    >>> import json
    >>> rep = table1_report()
    >>> sorted(rep), len(json.dumps(rep)) > 1000
    (['deviation_definition', 'fits', 'rows', 'units'], True)
    """
    units = read_data_file("table1.toml").get("units", {})
    definition = deviation_definition()
    return {
        "units": dict(units),
        "deviation_definition": definition,
        "rows": check_materials(version, definition=definition["chosen"]),
        "fits": check_fits(version),
    }
