"""One Material type and one Fit type in the package (issue 15: there were two of each)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import glass_sym
from glass_sym.paper import materials, table1


def _classes_named(name: str) -> set[str]:
    out = set()
    for info in pkgutil.walk_packages(glass_sym.__path__, "glass_sym."):
        if info.name.endswith("__main__"):
            continue
        mod = importlib.import_module(info.name)
        for attr, obj in vars(mod).items():
            if inspect.isclass(obj) and obj.__name__ == name and obj.__module__ == mod.__name__:
                out.add(f"{mod.__name__}.{attr}")
    return out


def test_one_material_class_and_one_fit_class():
    assert _classes_named("Material") == {"glass_sym.paper.materials.Material"}
    assert _classes_named("Fit") == {"glass_sym.paper.table1.Fit"}
    assert materials.Fit is table1.Fit


def test_fits_of_the_report_are_the_transcribed_fits():
    """The RG report's fits are table1.toml's (same id, printed slope and r), members in table order."""
    stated = {f.id: f for f in table1.load_fits()}
    got = materials.fits()
    assert [f.id for f in got] == ["jpcm2020-9", "preprint-13", "preprint-10"]
    for f in got:
        s = stated[f.id]
        assert (f.printed_slope, f.printed_r, f.version) == (s.printed_slope, s.printed_r, s.version)
        assert set(f.materials) == set(s.materials) and f.source
    # journal text line 341: y = 1.06 x, r = 0.803 for nine materials (docs/transcriptions.md)
    j9 = got[0]
    assert (j9.printed_slope, j9.printed_r, len(j9.materials)) == ("1.06", "0.803", 9)
