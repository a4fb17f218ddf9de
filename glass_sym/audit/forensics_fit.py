r"""Forensics for a printed Table 1 fit that the recomputation does not reproduce.

A bounded, deterministic list of hypotheses H, each a modified fit recomputed from the printed table
(:func:`glass_sym.paper.table1.check_fit`) and classed by the same rule as the printed fit
(:func:`glass_sym.audit.rows.classify_fit`: within the printed digits, rounded/truncated, or inside the range
the rounding of the inputs allows).  A hypothesis fits when no printed number of the fit is left unexplained.

``axes-exchanged``
    x and y swapped (the relation stated inverted: y = s x printed where the data give x = s y).
``subset``
    one material of the version's table removed from, or added to, the fit's subset.
``r-convention``
    r printed as the uncentred correlation or as r^2 (``r_variants`` of :func:`~glass_sym.paper.table1.check_fit`).

>>> res = fit_forensics("preprint-conclusion")
>>> res["fits"][0]["family"]
'axes-exchanged'
"""

from __future__ import annotations

import dataclasses
from typing import Any

from glass_sym.errors import InputError
from glass_sym.paper.table1 import check_fit, load_table1

from .classes import classify_fit

__all__ = ["fit_forensics", "FIT_FAMILIES"]

FIT_FAMILIES = {"axes-exchanged": "x and y swapped (relation stated inverted)",
                "subset": "one material removed from or added to the fitted subset",
                "r-convention": "r printed as the uncentred correlation or as r^2"}


def _details(rec: dict) -> dict:
    return {k: rec.get(k) for k in ("printed_slope", "printed_r", "slope", "r", "slope_unrounded", "r_unrounded",
                                    "slope_interval", "r_interval")}


def fit_forensics(fit_id: str) -> dict[str, Any]:
    """{"fits": [...], "conclusion": str, "searched": [family keys]} for the stated fit ``fit_id``.

    Raises
    ------
    InputError
        Unknown fit id.
    """
    from .forensics import NO_FIT  # lazy: keeps start-up light (this module is imported without SymPy)
    materials, fits = load_table1()
    byid = {f.id: f for f in fits}
    if fit_id not in byid:
        raise InputError(f"unknown fit {fit_id!r}; known: {sorted(byid)}")
    fit = byid[fit_id]
    names = [m.name for m in materials if m.version == fit.version and m.value(fit.x) is not None
             and m.value(fit.y) is not None]
    out: list[dict] = []

    def trial(family: str, hypothesis: str, f) -> None:
        try:
            rec = check_fit(f, materials)
        except InputError:
            return
        cls, why = classify_fit(_details(rec))
        if cls != "error":
            out.append({"family": family, "hypothesis": hypothesis, "class_under_hypothesis": cls, "check": why,
                        "slope": rec["slope"], "r": rec["r"]})

    trial("axes-exchanged", f"printed = the fit with x and y exchanged ({fit.x} = s {fit.y}): the relation is "
                            f"stated inverted", dataclasses.replace(fit, x=fit.y, y=fit.x))
    for n in fit.materials:
        if len(fit.materials) > 3:
            trial("subset", f"printed = the fit without {n}",
                  dataclasses.replace(fit, materials=tuple(m for m in fit.materials if m != n)))
    for n in names:
        if n not in fit.materials:
            trial("subset", f"printed = the fit with {n} added", dataclasses.replace(fit, materials=(*fit.materials, n)))
    if fit.printed_r is not None:
        rec = check_fit(fit, materials)
        tol = rec["tolerance_r"]
        slope_ok = classify_fit({**_details(rec), "printed_r": None})[0] != "error"
        for k in ("uncentered", "pearson_squared"):
            v = rec["r_variants"][k]
            if slope_ok and abs(v - rec["printed_r"]) <= tol:
                out.append({"family": "r-convention", "hypothesis": f"printed r = the {k.replace('_', ' ')} value "
                            f"{v:.4f}", "class_under_hypothesis": "verified", "check": f"within {tol}",
                            "slope": rec["slope"], "r": v})
    concl = "; ".join(f["hypothesis"] + f" ({f['check']})" for f in out) if out else NO_FIT
    return {"fits": out, "conclusion": concl, "searched": list(FIT_FAMILIES), "other_copies": [],
            "other_copy_agrees": False, "printed_readable": True}
