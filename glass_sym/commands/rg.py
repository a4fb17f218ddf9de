"""``glass-sym rg``: the real-space RG flow (4.1) per material, its fixed point (4.6) and diagnostics."""

from __future__ import annotations

import argparse

__all__ = ["HELP", "add_arguments", "run"]

HELP = "run the RG flow (4.1) from L1 to R = 2 pi c/omega for one or all Table 1 materials"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``glass-sym rg`` (documented in docs/rg.md)."""
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--material", help="material name as in Table 1 (e.g. a-SiO2)")
    who.add_argument("--all", action="store_true", help="all 13 materials")
    parser.add_argument("--f", type=float, default=1e6, help="phonon frequency in Hz (default 1e6)")
    parser.add_argument("--T", type=float, default=1.0, help="temperature in K (default 1)")
    parser.add_argument("--L1", type=float, default=5e-9, help="microscopic block size in m (default 5e-9)")
    parser.add_argument("--N0", type=int, default=2, help="block factor, integer >= 2 (default 2)")
    parser.add_argument("--Omega-c", dest="Omega_c", type=float, default=1e15,
                        help="KK cutoff frequency in rad/s (default 1e15, the value of (B.9))")
    parser.add_argument("--form", choices=("C.25", "3.5"), default="C.25", help="printed KK form (default C.25)")
    parser.add_argument("--part", choices=("full", "thermal"), default="full",
                        help="full KK with cutoff, or its T-dependent part only (default full)")
    parser.add_argument("--C0", type=float, default=None, help="initial TTLS strength n0M^2/(rho c_t^2) (default 2.76e-4)")
    parser.add_argument("--ratio0", type=float, default=1.0, help="initial Im chi~_l/Im chi~_t at L1 (default 1)")
    parser.add_argument("--sensitivity", action="store_true", help="also vary L1, N0 and the initial ratio")
    parser.add_argument("--json", action="store_true", help="print a JSON list (fields in docs/rg.md)")
    parser.add_argument("--plot", metavar="DIR", help="write rg_flow and figure1 (PNG and PDF) into DIR")


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def run(args: argparse.Namespace) -> int:
    """Compute, print (text or JSON), optionally plot."""
    import json
    import math

    from .. import rg
    from ..materials import get_material, materials

    names = list(materials()) if args.all else [get_material(args.material).name]
    kw = dict(f=args.f, T=args.T, L1=args.L1, N0=args.N0, Omega_c=args.Omega_c, form=args.form,
              part=args.part, C0=args.C0, ratio0=args.ratio0)
    records = []
    for name in names:
        rec = rg.flow(name, **kw).as_dict()
        if args.sensitivity:
            sens = rg.sensitivity(name, **kw)
            rec["sensitivity"] = {k: {str(a): (None if not math.isfinite(b) else b) for a, b in v.items()}
                                  for k, v in sens.items()}
        records.append(rec)
    if args.plot:
        from ..sections.rg import plot_figure1, plot_flow

        plot_figure1(args.plot)
        plot_flow(args.plot, names=names if len(names) <= 6 else names[:6],
                  **{k: v for k, v in kw.items() if k != "part"})
    if args.json:
        print(json.dumps(records, indent=2, sort_keys=False))
        return 0
    cols = ("material", "c_l", "c_t", "K_l", "K_t", "status", "gamma_ratio_R", "fixed_point_ratio", "velocity_ratio")
    print(f"# f = {args.f:g} Hz, T = {args.T:g} K, L1 = {args.L1:g} m, N0 = {args.N0}, Omega_c = {args.Omega_c:g} "
          f"rad/s, KK form ({args.form}), part = {args.part}")
    print("  ".join(f"{c:>17}" for c in cols) + "  steps(l,t)")
    for r in records:
        print("  ".join(f"{_fmt(r[c]):>17}" for c in cols) + f"  {r['steps']['l']},{r['steps']['t']}")
        if "sensitivity" in r:
            for k, v in r["sensitivity"].items():
                print(f"    sensitivity to {k}: " + ", ".join(f"{a} -> {_fmt(b)}" for a, b in v.items()))
    return 0
