"""Report section and figures for the numerics of sections 2-5: KK signs, the RG table, Figure 1.

Figures (matplotlib, Agg, PNG and PDF, written atomically with fixed metadata so reruns are identical):
``rg_flow_<part>.{png,pdf}`` (relative change of Im chi~ per channel and gamma_l/gamma_t against the block size),
``figure1_journal`` and ``figure1_preprint`` (each version's Figure 1 as printed) and ``figure1_fits`` (the
printed fits recomputed).
"""

from __future__ import annotations

import base64
import math
import os
import pathlib
import time
from importlib.metadata import version
from typing import Optional, Sequence

from glass_sym.errors import InputError, OutputError
from glass_sym.fileio import atomic_target
from glass_sym.numerics import kk, rg
from glass_sym.output.report import Section
from glass_sym.paper import table1
from glass_sym.paper.materials import fit_through_origin, fits, materials
from glass_sym.physics import ttls

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


def _cached_plot(figdir: pathlib.Path, name: str, args: dict, produce) -> list[str]:
    """The files ``produce()`` writes into ``figdir``, taken from the on-disk cache when it holds them.

    The report's figures are a deterministic function of the package's sources and data (the cache's source
    key, which hashes every source and data file) and of ``args``; the entry also records the matplotlib and
    numpy versions.  Only the rendering is skipped (matplotlib's ``savefig`` is most of a warm reproduce); the
    numbers in the report are recomputed.  The entry is HMAC-verified by :mod:`glass_sym.records.cache` before use (a
    stale, corrupted or tampered entry is re-rendered); the bytes are base64 in JSON, nothing is unpickled.
    """

    from glass_sym.records import cache  # lazy: start-up time (this module is imported without SymPy)

    ident = {"args": args, "matplotlib": version("matplotlib"), "numpy": version("numpy"), "format": 1}
    entry = f"figures-{name}"
    payload = cache.load(entry) if cache.enabled() else None
    figdir = pathlib.Path(figdir)
    if isinstance(payload, dict) and payload.get("ident") == ident and isinstance(payload.get("files"), list):
        try:
            figdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create plot directory {str(figdir)!r}: {exc.strerror}") from None
        written = []
        for base, data in payload["files"]:
            target = figdir / pathlib.PurePath(base).name
            with atomic_target(target) as tmp:
                pathlib.Path(tmp).write_bytes(base64.b64decode(data))
            written.append(str(target))
        return written
    files = produce()
    if cache.enabled():
        cache.store(entry, {"ident": ident, "files": [[pathlib.Path(f).name, base64.b64encode(
            pathlib.Path(f).read_bytes()).decode("ascii")] for f in files]})
    return files


def _pyplot():
    import matplotlib  # lazy: start-up time (loaded only when this function runs)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: start-up time (loaded only when this function runs)

    return plt


def figure1_data() -> dict:
    """Theory (c_l/c_t) vs experiment per material and the fits recomputed for each printed subset."""
    ms = materials()
    rows = [{"material": m.name, "exp": m.ratio_exp, "theo": m.c_l / m.c_t, "theo_printed": m.ratio_theo_printed,
             "k3": m.k3} for m in ms.values()]
    out = []
    for fit in fits():
        x = [ms[n].ratio_exp for n in fit.materials]
        slope_p, r_p = fit_through_origin(x, [ms[n].ratio_theo_printed for n in fit.materials])
        slope_c, r_c = fit_through_origin(x, [ms[n].c_l / ms[n].c_t for n in fit.materials])
        out.append({"name": fit.id, "n": len(fit.materials), "members": list(fit.materials),
                    "slope_printed": float(fit.printed_slope),
                    "r_printed": float(fit.printed_r), "slope_from_printed_column": round(slope_p, 4),
                    "r_from_printed_column": round(r_p, 4), "slope_from_velocities": round(slope_c, 4),
                    "r_from_velocities": round(r_c, 4), "source": fit.source})
    return {"rows": rows, "fits": out}


#: one marker and colour per material, the same in every Figure 1 panel
_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "<", ">", "p", "h", "*", "d")
_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#8c564b", "#9467bd", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
           "#393b79", "#637939", "#d62728", "#843c39")


def _style(names):
    return {n: (_MARKERS[i % len(_MARKERS)], _COLORS[i % len(_COLORS)]) for i, n in enumerate(names)}


def _scatter(ax, rows, style, *, outlier=None, hollow=()):
    for r in rows:
        mk, col = style[r["material"]]
        if r["material"] == outlier:
            ax.plot(r["exp"], r["theo_printed"], mk, color="red", ms=8, mfc="none", mew=1.8,
                    label=f"{r['material']} (outlier, not in the fit)")
            continue
        face = "none" if r["material"] in hollow else col
        ax.plot(r["exp"], r["theo_printed"], mk, color=col, mfc=face, ms=6, ls="none",
                label=r["material"] + (" (ratio from K3)" if r["material"] in hollow else ""))


def _axes_common(ax, title):
    xs = [1.35, 2.05]
    ax.plot(xs, xs, "--", color="k", lw=1.0, label=r"dashed: theory $(\gamma_l/\gamma_t)_{\rm theo}=c_l/c_t$ (y = x)")
    ax.set_xlim(*xs)
    ax.set_ylim(1.35, 2.10)
    ax.set_xlabel(r"$(\gamma_l/\gamma_t)_{\rm exp}$")
    ax.set_ylabel(r"$(\gamma_l/\gamma_t)_{\rm theo}=c_l/c_t$ (printed column)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)


def plot_figure1(outdir: pathlib.Path) -> list[str]:
    """Figure 1 of each version as printed, and the recomputed fits.

    ``figure1_journal``: the journal's nine materials, PMMA marked as the outlier, the printed fit y = 1.06x with
    its printed r = 0.803, dashed theory line; ``figure1_preprint``: the preprint's ten materials, y = 1.06x,
    r = 0.745; ``figure1_fits``: all 13 materials with the fits recomputed from the printed columns (real slope
    and r of each printed subset).  Every marker is in a legend.
    """
    plt = _pyplot()
    data = figure1_data()
    rows = {r["material"]: r for r in data["rows"]}
    style = _style(list(rows))
    stated = {f["id"]: f for f in table1.check_fits(None)}
    files = []
    for stem, fit_id, outlier, title in (
            ("figure1_journal", "jpcm2020-9", "PMMA",
             "Journal Figure 1 as printed: 9 materials in the fit, PMMA shown as the outlier"),
            ("figure1_preprint", "preprint-10-fig1", None,
             "Preprint FIG. 1 as printed: 10 materials (As2S3, PMMA, PS excluded)")):
        f = stated[fit_id]
        members = list(f["materials"]) + ([outlier] if outlier else [])
        fig, ax = plt.subplots(figsize=(7.2, 4.4))
        _scatter(ax, [rows[n] for n in members], style, outlier=outlier)
        xs = [1.35, 2.05]
        ax.plot(xs, [f["printed_slope"] * x for x in xs], "-", color="C7", lw=1.4,
                label=f"printed fit y = {f['printed_slope']:g}x, r = {f['printed_r']:g} ({f['n']} materials)")
        _axes_common(ax, title)
        fig.tight_layout()
        try:
            files += _save(fig, outdir, stem)
        finally:
            plt.close(fig)
    fig, ax = plt.subplots(figsize=(7.6, 4.8))
    _scatter(ax, list(rows.values()), style, hollow={r["material"] for r in rows.values() if r["k3"]})
    xs = [1.35, 2.05]
    for i, fit_id in enumerate(("jpcm2020-9", "preprint-13", "preprint-10")):
        f = stated[fit_id]
        ax.plot(xs, [f["slope"] * x for x in xs], ("-", "-.", ":")[i], color=("C7", "C8", "C9")[i], lw=1.4,
                label=f"{fit_id} recomputed: y = {f['slope']:.4f}x, r = {f['r']:.3f} "
                      f"(printed {f['printed_slope']:g}, {f['printed_r']:g})")
    _axes_common(ax, "Figure 1 fits recomputed from the printed Table 1 columns\n(13 materials; hollow markers: "
                     "ratio from K3)")
    fig.tight_layout()
    try:
        files += _save(fig, outdir, "figure1_fits")
    finally:
        plt.close(fig)
    return files


def plot_flow(outdir: pathlib.Path, names: Sequence[str] = FLOW_MATERIALS, part: str = "thermal",
              stem: Optional[str] = None, **kw) -> list[str]:
    """The flow (4.1) against the block size L for ``names``: left, the relative change of Im chi~ per channel
    (l solid, t dashed, each up to its own R_alpha); right, gamma_l/gamma_t with c_l/c_t (dotted) and the
    flow's own limit (c_l/c_t) sqrt(n_t/n_l) (dash-dot).  f, T, the KK part and form are in the title."""
    plt = _pyplot()
    many = len(names) > 6
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(13 if many else 11, 11 if many else 8))
    first = None
    for i, name in enumerate(names):
        res = rg.flow(name, part=part, **kw)
        first = first or res
        rc = res.relative_change
        col = f"C{i % 10}"
        ax1.semilogx(res.L, 100 * rc["l"], "-", color=col, lw=1.4, label=f"{name} l ({res.status})")
        ax1.semilogx(res.L, 100 * rc["t"], "--", color=col, lw=1.4, label=f"{name} t")
        ax2.semilogx(res.L, res.ratio_flow, "-", color=col, lw=1.4, label=f"{name}: flow")
        ax2.axhline(res.c_l / res.c_t, color=col, ls=":", lw=1.0, label=f"{name}: c_l/c_t = {res.c_l / res.c_t:.3f}")
        if res.flow_limit_ratio:
            ax2.axhline(res.flow_limit_ratio, color=col, ls="-.", lw=0.8,
                        label=f"{name}: limit (c_l/c_t)sqrt(n_t/n_l) = {res.flow_limit_ratio:.3f}")
    ax1.set_xlabel("block size L (m)")
    ax1.set_ylabel(r"relative change of Im$\tilde\chi_\alpha$: Im$\tilde\chi(L)$/Im$\tilde\chi(L_1)-1$ (%)")
    ax1.set_title("relative change of Im chi~ per channel (l solid, t dashed); the l step depends only on C0, so "
                  "the l curves of materials sharing a-SiO2's C0 coincide", fontsize=8)
    ax1.legend(fontsize=6, ncol=2 if many else 1, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    ax2.set_xlabel("block size L (m)")
    ax2.set_ylabel(r"$\gamma_l/\gamma_t=\sqrt{{\rm Im}\tilde\chi_l/{\rm Im}\tilde\chi_t}$")
    ax2.set_title("gamma_l/gamma_t along the flow, with c_l/c_t (dotted) and the flow's own limit (dash-dot)",
                  fontsize=8)
    ax2.legend(fontsize=6, ncol=2 if many else 1, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    fig.suptitle(f"RG flow (4.1): f = {first.f:g} Hz, T = {first.T:g} K, Re chi~ by Kramers-Kronig ({first.form}), "
                 f"part = {part}" + (f", Omega_c = {first.Omega_c:g} rad/s" if part != "thermal" else "")
                 + f", L1 = {first.L1:g} m, N0 = {first.N0}", fontsize=9)
    fig.tight_layout()
    try:
        return _save(fig, outdir, stem or f"rg_flow_{part}")
    finally:
        plt.close(fig)


def kk_sign_table(f: float = 1e6, Omega_c: float = 1e15, temps: Sequence[float] = (0.1, 1.0, 10.0, 100.0)) -> list[dict]:
    """Re chi~ (units n0M2) from KK for both printed forms and parts, with K = Re/Im, at frequency f."""
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
    t0 = time.perf_counter()
    outdir = pathlib.Path(outdir)
    figdir = outdir / "figures"
    md = ["Units SI (hbar, k_B explicit). TTLS input (2.7) with constant n0 M^2; K from the Kramers-Kronig",
          "transform with cutoff Omega_c = 1e15 rad/s (the value the paper calls unreasonably high and uses only to",
          "bound L_c after (B.8); with (C.25) the full transform is positive for any cutoff above about 1.4 omega).", "",
          "### Re chi~ by Kramers-Kronig (units of n0 M^2), f = 1 MHz", ""]
    kk_rows = kk_sign_table()
    keys = list(kk_rows[0])
    md += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    md += ["| " + " | ".join(_fmt(r[k]) for k in keys) + " |" for r in kk_rows]
    data: dict = {"kk": kk_rows, "figure1": figure1_data()}
    ok = True
    files = _cached_plot(figdir, "figure1", {}, lambda: plot_figure1(figdir))
    md += ["", "### Figure 1 fits (recomputed)", "", "| fit | n | slope (printed) | r (printed) | slope | r |",
           "|---|---|---|---|---|---|"]
    md += [f"| {f['name']} | {f['n']} | {f['slope_printed']} | {f['r_printed']} | {f['slope_from_printed_column']} "
           f"| {f['r_from_printed_column']} |" for f in data["figure1"]["fits"]]
    md += ["", "Figures 1 as printed: `figure1_journal` (nine materials, PMMA marked as the outlier, printed y = 1.06x, "
           "r = 0.803, dashed theory line y = x) and `figure1_preprint` (ten materials, y = 1.06x, r = 0.745); "
           "`figure1_fits` shows all 13 materials with the three printed fits recomputed (jpcm2020-9: slope 1.069, "
           "r = 0.754, not the printed 0.803).", ""]
    md += ["", "### RG flow (4.1) per material, f = 1 MHz, T = 1 K, L1 = 50 A, N0 = 2, ratio0 = 1, max_step = 0.1", "",
           "Coefficient: J1 + ... + J6 (`absorption_coefficient_total_l/t`), normalization 1 relative to the printed "
           "(4.1). TTLS strength: n0 M^2 in Pa where printed (a-SiO2 2.04e7 Pa, BK7 1e7 Pa), else a-SiO2's "
           "C0 = n0M^2/(rho c_l^2) with the material's own rho and c_l. Statuses: " +
           "; ".join(f"`{k}`: {v}" for k, v in rg.STATUSES.items()) + ".", ""]
    try:
        # lazy: start-up time (this module is imported without SymPy)
        from glass_sym.numerics.rg_referee import referee_numbers

        recs = []
        for part in ("full", "thermal"):
            for name in materials():
                res = rg.flow(name, part=part)
                rec = res.as_dict()
                rec["referee"] = referee_numbers(res)
                recs.append(rec)
        data["rg"] = recs
        cols = ("material", "part", "K_l", "C0", "status", "gamma_ratio_R", "velocity_ratio", "flow_limit_ratio",
                "distance_to_fixed_point", "distance_to_flow_limit")
        md += ["| " + " | ".join(cols) + " | steps l,t |", "|" + "---|" * (len(cols) + 1)]
        md += ["| " + " | ".join(_fmt(r[c]) for c in cols) + f" | {r['steps']['l']},{r['steps']['t']} |"
               for r in recs]
        md += ["", "### Referee numbers per flow", "",
               "(4.3) second/first term per channel (the paper argues the second dominates), the largest relative "
               "change of Im chi~ in one step, the total change over the flow, the engine's coefficient relative to "
               "the printed (4.1), and the TTLS strength that would bring gamma_l/gamma_t within 1 % / 5 % of "
               "c_l/c_t with every step within max_step.", "",
               "| material | part | (4.3) 2nd/1st l | t | max step l | t | total change l | t | coef/(4.1) | "
               "within 1 % | within 5 % |", "|" + "---|" * 11]
        for r in recs:
            ref = r["referee"]
            t43, ms, tc = ref["eq_4_3_terms"], ref["max_step_relative_change"], ref["total_relative_change"]
            tg = ref["n0M2_for_target"]

            def said(v):
                if v.get("C0") is not None:
                    return f"C0 >= {v['C0']:.3g}" + (f" (n0M2 {v['n0M2_Pa']:.3g} Pa)" if v.get("n0M2_Pa") else "")
                if "closest_gamma_ratio_R" in v:
                    return (f"none (closest {v['closest_gamma_ratio_R']:.4g}, {v['closest_distance']:.1%} off, "
                            f"at C0 {v['closest_C0']:.3g})")
                return "none (K > 0)" if "K > 0" in v["statement"] else "none"
            md.append(f"| {r['material']} | {r['part']} | {_fmt(t43['l']['second_over_first'])} | "
                      f"{_fmt(t43['t']['second_over_first'])} | {_fmt(ms['l'])} | {_fmt(ms['t'])} | "
                      f"{_fmt(tc['l'])} | {_fmt(tc['t'])} | {_fmt(ref['coefficient_normalization_vs_4_1']['l'])} | "
                      f"{said(tg['1%'])} | {said(tg['5%'])} |")
        for part in ("thermal", "full"):
            files += _cached_plot(figdir, f"rg_flow_{part}", {"part": part},
                                  lambda part=part: plot_flow(figdir, part=part))
        md += ["", "`rg_flow_thermal` / `rg_flow_full`: relative change of Im chi~ per channel against L (l solid, "
               "t dashed, each to its own R) and gamma_l/gamma_t with c_l/c_t and the flow's own limit."]
    except InputError as exc:
        ok = False
        md.append(f"RG failed: {exc}")
    md += ["", "Figures: " + ", ".join(sorted(os.path.relpath(f, outdir) for f in files))]
    data["figure_files"] = sorted(os.path.relpath(f, outdir) for f in files)
    return Section("rg", "Kramers-Kronig, RG flow and Table 1 / Figure 1", "\n".join(md), data, ok,
                   {"rg": time.perf_counter() - t0}, files=list(files))
