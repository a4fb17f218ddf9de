"""The 13 materials of Table 1: sound velocities, experimental couplings, densities where printed, fits.

The printed columns come from the Table 1 transcription (``glass_sym/paper/transcriptions/table1.toml``, journal rows with
both sound velocities; the preprint prints the same 13 rows); ``glass_sym/paper/data/materials.toml`` adds only what
the transcription lacks: densities where a paper prints them, the report's fit names, model defaults.

>>> get_material("a-SiO2").c_l
5800.0
"""

from __future__ import annotations

import dataclasses
import functools
import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Optional, Sequence

from glass_sym.errors import InputError
from glass_sym.suggest import did_you_mean

from .table1 import Fit  # the one Fit type (a fit printed by one paper version), re-exported here
from .table1 import load_fits, load_materials, origin_slope, pearson_r

__all__ = ["Material", "Fit", "materials", "get_material", "fits", "defaults", "fit_through_origin"]


@dataclass(frozen=True)
class Material:
    """One row of Table 1 (SI units: m/s, kg/m^3; couplings in eV)."""

    name: str
    c_l: float
    c_t: float
    gamma_l: float
    gamma_t: float
    ratio_exp: float
    ratio_theo_printed: float
    k3: bool
    source: str
    rho: Optional[float] = None
    rho_source: str = ""
    n0M2: Optional[float] = None
    n0M2_source: str = ""

    @property
    def velocity_ratio(self) -> float:
        """c_l / c_t, the paper's prediction (4.6) for gamma_l / gamma_t."""
        return self.c_l / self.c_t


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files("glass_sym.paper.data").joinpath("materials.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _validate(m: Material) -> Material:
    for key in ("c_l", "c_t"):
        v = getattr(m, key)
        if not (math.isfinite(v) and v > 0):
            raise InputError(f"material {m.name!r}: {key} must be > 0 m/s; got {v!r}")
    if m.c_t >= m.c_l:
        raise InputError(f"material {m.name!r}: c_t must be < c_l; got c_t = {m.c_t!r} m/s >= c_l = {m.c_l!r} m/s")
    return m


@functools.lru_cache(maxsize=1)
def materials() -> dict[str, Material]:
    """All materials by name, in table order (SI units, from the Table 1 transcription).

    >>> len(materials())
    13
    """
    extras = {row["name"]: row for row in _data().get("extra", [])}
    preprint_line = {m.name: m.source_line for m in load_materials("preprint")}
    out = {}
    for row in load_materials("jpcm2020"):
        if row.c_t is None or row.c_l is None:
            continue  # LiCl-7H2O, PC, Epoxy: no transverse sound velocity printed
        extra = extras.get(row.name, {})
        source = f"J line {row.source_line}" + (f" ({extra['source_note']})" if "source_note" in extra else "")
        source += f"; P line {preprint_line[row.name]}" if row.name in preprint_line else ""
        m = Material(name=row.name, c_l=float(row.value("c_l")) * 1000.0, c_t=float(row.value("c_t")) * 1000.0,
                     gamma_l=float(row.value("gamma_l")), gamma_t=float(row.value("gamma_t")),
                     ratio_exp=float(row.value("gamma_ratio")), ratio_theo_printed=float(row.value("velocity_ratio")),
                     k3="K_3" in (row.note or ""), source=source, rho=extra.get("rho"),
                     rho_source=extra.get("rho_source", ""), n0M2=extra.get("n0M2"),
                     n0M2_source=extra.get("n0M2_source", ""))
        out[m.name] = _validate(m)
    unknown = sorted(set(extras) - set(out))
    if unknown:
        raise InputError(f"materials.toml: [[extra]] entries for unknown material(s) {unknown}")
    return out


def get_material(name: str) -> Material:
    """The material called ``name``: the spelling of Table 1, or the same ignoring case and punctuation, with the
    amorphous prefix optional (``SiO2`` and ``sio2`` are ``a-SiO2``); :class:`InputError` suggests close names.

    >>> get_material("BK7").rho
    2510.0
    """
    table = materials()
    if name in table:
        return table[name]
    if not isinstance(name, str):
        raise InputError(f"material name must be a str, got {type(name).__name__}")
    # case-insensitive, punctuation ignored, and the amorphous prefix optional: 'sio2', 'SiO2', 'a-sio2', 'se'
    key = _fold(name)
    hits = [m for m in table if _fold(m) == key or _fold(m) == "a" + key]
    if len(hits) == 1:
        return table[hits[0]]

    raise InputError(f"unknown material {name!r}; known materials: {', '.join(table)}{did_you_mean(name, table)}")


def _fold(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


@functools.lru_cache(maxsize=1)
def fits() -> tuple[Fit, ...]:
    """The fits the RG report recomputes: the journal's (9 materials) and the preprint's (13 and 10 materials).

    The fits of the Table 1 transcription (:func:`glass_sym.paper.table1.load_fits`), in the order materials.toml
    lists them, with its prose ``source``; ``materials`` are in table order.

    >>> [f.id for f in fits()]
    ['jpcm2020-9', 'preprint-13', 'preprint-10']
    """
    stated = {f.id: f for f in load_fits()}
    names = list(materials())
    out = []
    for row in _data()["fit"]:
        f = stated.get(row["id"])
        if f is None:
            raise InputError(f"materials.toml: fit {row['id']!r} is not a fit of table1.toml")
        unknown = sorted(set(f.materials) - set(names))
        if unknown:
            raise InputError(f"materials.toml: fit {row['id']!r} uses materials without both sound speeds {unknown}")
        members = tuple(n for n in names if n in set(f.materials))
        out.append(dataclasses.replace(f, materials=members, source=row["source"]))
    return tuple(out)


def defaults() -> dict:
    """Default model parameters with their sources (``strength_reference``: the material whose printed n0 M^2
    sets the TTLS strength of materials without one; ``C0_printed``: the preprint's n0 M^2/(rho c^2)).

    >>> defaults()["strength_reference"], defaults()["C0_printed"]
    ('a-SiO2', 0.000276)
    """
    return dict(_data()["defaults"])


def fit_through_origin(x: Sequence[float], y: Sequence[float]) -> tuple[float, float]:
    """Least-squares slope of y = s x (no intercept) and Pearson's r of (x, y).

    >>> fit_through_origin([1.0, 2.0], [2.0, 4.0])
    (2.0, 1.0)
    """
    n = len(x)
    if n < 2 or len(y) != n:
        raise InputError(f"fit needs >= 2 paired points; got {n} x and {len(y)} y values")
    return origin_slope(list(x), list(y)), pearson_r(list(x), list(y))
