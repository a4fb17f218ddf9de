"""Report section and figures for the numerics of sections 2-5: KK signs, the RG table, Figure 1.

Figures (matplotlib, Agg, PNG and PDF, written atomically with fixed metadata so reruns are identical):
``rg_flow.{png,pdf}`` (gamma_l/gamma_t along the flow for several materials) and ``figure1.{png,pdf}``
(theory c_l/c_t vs experiment with the fitted lines of both paper versions).
"""

from __future__ import annotations

import math
import os
import pathlib
import time
from typing import Optional, Sequence

from ..errors import InputError, OutputError
from ..fileio import atomic_target

__all__ = ["section", "plot_figure1", "plot_flow", "kk_sign_table", "FLOW_MATERIALS"]

FLOW_MATERIALS = ("a-SiO2", "BK7", "a-Se", "PMMA")


def _save(fig, outdir: pathlib.Path, stem: str) -> list[str]:
    outdir = pathlib.Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create plot directory {str(outdir)!r}: {exc.strerror}") from None
    written = []
    for ext, meta in (("png", {"Software": None}), ("pdf", {"CreationDate": None, "Producer": None})):
        target = outdir / f"{stem}.{ext}"
        with atomic_target(target) as tmp:
            fig.savefig(tmp, format=ext, metadata=meta, dpi=120)
        written.append(str(target))
    return written


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def figure1_data() -> dict:
    """Theory (c_l/c_t) vs experiment per material and the fits recomputed for each printed subset."""
    from ..materials import fit_through_origin, fits, materials

    ms = materials()
    rows = [{"material": m.name, "exp": m.ratio_exp, "theo": m.c_l / m.c_t, "theo_printed": m.ratio_theo_printed,
             "k3": m.k3} for m in ms.values()]
    out = []
    for fit in fits():
        x = [ms[n].ratio_exp for n in fit.members]
        slope_p, r_p = fit_through_origin(x, [ms[n].ratio_theo_printed for n in fit.members])
        slope_c, r_c = fit_through_origin(x, [ms[n].c_l / ms[n].c_t for n in fit.members])
        out.append({"name": fit.name, "n": len(fit.members), "slope_printed": fit.slope_printed,
                    "r_printed": fit.r_printed, "slope_from_printed_column": round(slope_p, 4),
                    "r_from_printed_column": round(r_p, 4), "slope_from_velocities": round(slope_c, 4),
                    "r_from_velocities": round(r_c, 4), "source": fit.source})
    return {"rows": rows, "fits": out}


def plot_figure1(outdir: pathlib.Path) -> list[str]:
    """Figure 1 of the journal: theory vs experiment, fitted lines y = s x of both versions, dashed y = x."""
    plt = _pyplot()
    data = figure1_data()
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    for r in data["rows"]:
        marker = "s" if r["k3"] else "o"
        ax.plot(r["exp"], r["theo"], marker, color="C3" if r["material"] == "PMMA" else "C0", ms=5)
        ax.annotate(r["material"], (r["exp"], r["theo"]), fontsize=6, xytext=(3, 2), textcoords="offset points")
    xs = [1.4, 1.9]
    for i, fit in enumerate(data["fits"]):
        s = fit["slope_from_printed_column"]
        ax.plot(xs, [s * x for x in xs], "-", color=f"C{i + 1}", lw=1,
                label=f"{fit['name']}: y = {s:.3f}x, r = {fit['r_from_printed_column']:.3f} "
                      f"(printed {fit['slope_printed']}, {fit['r_printed']})")
    ax.plot(xs, xs, "--", color="k", lw=0.8, label="y = x (theory = experiment)")
    ax.set_xlabel(r"$(\gamma_l/\gamma_t)_{\rm exp}$")
    ax.set_ylabel(r"$(\gamma_l/\gamma_t)_{\rm theo} = c_l/c_t$")
    ax.legend(fontsize=6, loc="lower right")
    ax.set_title("Figure 1 (squares: ratio from K3)", fontsize=8)
    fig.tight_layout()
    try:
        return _save(fig, outdir, "figure1")
    finally:
        plt.close(fig)


def plot_flow(outdir: pathlib.Path, names: Sequence[str] = FLOW_MATERIALS, **kw) -> list[str]:
    """gamma_l/gamma_t along the flow vs block size for ``names``: full KK (left), thermal part (right)."""
    from .. import rg

    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=False)
    for ax, part in zip(axes, ("full", "thermal")):
        for i, name in enumerate(names):
            res = rg.flow(name, **{**kw, "part": part})
            ax.semilogx(res.L, res.ratio_flow, "-", color=f"C{i}", lw=1.2, label=f"{name} ({res.status})")
            ax.axhline(res.c_l / res.c_t, color=f"C{i}", ls=":", lw=0.8)
        ax.set_xlabel("block size L (m)")
        ax.set_ylabel(r"$\gamma_l/\gamma_t=\sqrt{{\rm Im}\tilde\chi_l/{\rm Im}\tilde\chi_t}$")
        ax.set_title(f"Re chi~ from KK, part = {part} (dotted: c_l/c_t)", fontsize=8)
        ax.legend(fontsize=6)
    fig.tight_layout()
    try:
        return _save(fig, outdir, "rg_flow")
    finally:
        plt.close(fig)


def kk_sign_table(f: float = 1e6, Omega_c: float = 1e15, temps: Sequence[float] = (0.1, 1.0, 10.0, 100.0)) -> list[dict]:
    """Re chi~ (units n0M2) from KK for both printed forms and parts, with K = Re/Im, at frequency f."""
    from .. import kk, ttls

    omega = 2 * math.pi * f
    rows = []
    for T in temps:
        y = float(ttls.beta_hbar_omega(omega, T))
        row = {"T": T, "beta_hbar_omega": float(f"{y:.6e}"), "re_2_9_printed": float(f"{float(ttls.re_chi_printed(omega, T)):.10g}")}
        for form in kk.FORMS:
            for part in kk.PARTS:
                v = float(kk.re_chi_reduced(omega, T, Omega_c, form=form, part=part))
                row[f"{form}:{part}"] = float(f"{v:.10g}")
            row[f"K {form}"] = float(f"{float(kk.k_ratio(omega, T, Omega_c, form=form)):.8g}")
        rows.append(row)
    return rows


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return "nan" if not math.isfinite(v) else f"{v:.4g}"
    return str(v)


def section(outdir: pathlib.Path, progress: Optional[object] = None):
    """The RG part of ``glass-sym reproduce``: KK sign table, RG table per material, Figure 1, flow figure."""
    from .. import rg
    from ..materials import materials
    from ..report import Section

    t0 = time.perf_counter()
    outdir = pathlib.Path(outdir)
    figdir = outdir / "figures"
    md = ["Units SI (hbar, k_B explicit). TTLS input (2.7) with constant n0 M^2; K from the Kramers-Kronig",
          "transform with cutoff Omega_c = 1e15 rad/s (the value used in (B.9)).", "",
          "### Re chi~ by Kramers-Kronig (units of n0 M^2), f = 1 MHz", ""]
    kk_rows = kk_sign_table()
    keys = list(kk_rows[0])
    md += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    md += ["| " + " | ".join(_fmt(r[k]) for k in keys) + " |" for r in kk_rows]
    data: dict = {"kk": kk_rows, "figure1": figure1_data()}
    ok = True
    files = plot_figure1(figdir)
    md += ["", "### Figure 1 fits (recomputed)", "", "| fit | n | slope (printed) | r (printed) | slope | r |",
           "|---|---|---|---|---|---|"]
    md += [f"| {f['name']} | {f['n']} | {f['slope_printed']} | {f['r_printed']} | {f['slope_from_printed_column']} "
           f"| {f['r_from_printed_column']} |" for f in data["figure1"]["fits"]]
    md += ["", "### RG flow (4.1) per material, f = 1 MHz, T = 1 K, L1 = 50 A, N0 = 2, C0 = 2.76e-4, ratio0 = 1", ""]
    if not rg.registered():
        ok = False
        md.append("Not computed: absorption_coefficient_l/t (Appendix C, issue 5) are not registered yet; the "
                  "recursion coefficient is taken only from them.")
        data["rg"] = {"pending": "absorption_coefficient_l/t not registered"}
    else:
        try:
            recs = []
            for part in ("full", "thermal"):
                for name in materials():
                    recs.append(rg.flow(name, part=part).as_dict())
            data["rg"] = recs
            cols = ("material", "part", "K_l", "status", "gamma_ratio_R", "fixed_point_ratio", "velocity_ratio",
                    "distance_to_fixed_point")
            md += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            md += ["| " + " | ".join(_fmt(r[c]) for c in cols) + " |" for r in recs]
            files += plot_flow(figdir)
        except InputError as exc:
            ok = False
            md.append(f"RG failed: {exc}")
    md += ["", "Figures: " + ", ".join(sorted(os.path.relpath(f, outdir) for f in files))]
    data["figure_files"] = sorted(os.path.relpath(f, outdir) for f in files)
    return Section("rg", "Kramers-Kronig, RG flow and Table 1 / Figure 1", "\n".join(md), data, ok,
                   {"rg": time.perf_counter() - t0}, files=list(files))
