"""``glass-sym rg``: the real-space RG flow (4.1) per material, its fixed point (4.6) and diagnostics."""

from __future__ import annotations

import argparse
import json
import math

from glass_sym.numerics import rg
from glass_sym.numerics.rg_referee import referee_numbers
from glass_sym.paper.materials import get_material, materials

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
                        help="Kramers-Kronig cutoff in rad/s (default 1e15: the value the paper calls unreasonably "
                             "high and uses only to bound L_c after (B.8) and in appendix D; with --part full K > 0 "
                             "for any cutoff above about 1.4 omega)")
    parser.add_argument("--form", choices=("C.25", "3.5"), default="C.25", help="printed KK form (default C.25)")
    parser.add_argument("--part", choices=("full", "thermal"), default="full",
                        help="full KK with cutoff, or its T-dependent part only (default full)")
    strength = parser.add_mutually_exclusive_group()
    strength.add_argument("--n0M2", type=float, default=None,
                          help="TTLS strength n0 M^2 in Pa (default: printed value, a-SiO2 2.04e7 Pa, BK7 1e7 Pa; "
                               "other materials use a-SiO2's n0M^2/(rho c_l^2))")
    strength.add_argument("--C0", type=float, default=None,
                          help="dimensionless TTLS strength C0 = n0M^2/(rho c_l^2) instead of --n0M2 "
                               "(a-SiO2: 2.04e7 Pa/(2200 kg/m^3 (5800 m/s)^2) = 2.76e-4)")
    parser.add_argument("--ratio0", type=float, default=1.0, help="initial Im chi~_l/Im chi~_t at L1 (default 1)")
    parser.add_argument("--max-step", dest="max_step", type=float, default=0.1,
                        help="largest relative change of Im chi~ in one step still counted perturbative (default 0.1)")
    parser.add_argument("--sensitivity", action="store_true",
                        help="also vary L1, N0, the initial ratio, C0 (n0M^2), f and T one at a time")
    parser.add_argument("--json", action="store_true", help="print a JSON list (fields in docs/rg.md)")
    parser.add_argument("--plot", metavar="DIR",
                        help="write rg_flow, figure1_journal, figure1_preprint, figure1_fits (PNG and PDF) into DIR")


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def run(args: argparse.Namespace) -> int:
    """Compute, print (text or JSON), optionally plot."""

    names = list(materials()) if args.all else [get_material(args.material).name]
    kw = dict(f=args.f, T=args.T, L1=args.L1, N0=args.N0, Omega_c=args.Omega_c, form=args.form,
              part=args.part, ratio0=args.ratio0, max_step=args.max_step)
    records = []
    for name in names:
        res = rg.flow(name, n0M2=args.n0M2, C0=args.C0, **kw)
        rec = res.as_dict()
        rec["referee"] = referee_numbers(res)
        if args.sensitivity:
            sens = rg.sensitivity(name, C0=res.C0, **{k: v for k, v in kw.items() if k not in ("ratio0",)},
                                  ratio0=args.ratio0)
            rec["sensitivity"] = {k: {f"{a:g}": {"gamma_ratio_R": (None if not math.isfinite(b["gamma_ratio_R"])
                                                                  else b["gamma_ratio_R"]), "status": b["status"]}
                                      for a, b in v.items()} for k, v in sens.items()}
        records.append(rec)
    if args.plot:
        # lazy: start-up time (each subcommand loads only what it runs)
        from glass_sym.output.sections.rg import (  # lazy: start-up time (each subcommand loads only what it runs)
            plot_figure1, plot_flow)

        plot_figure1(args.plot)
        plot_flow(args.plot, names=names, **kw, C0=args.C0, n0M2=args.n0M2)
    if args.json:
        print(json.dumps(records, indent=2, sort_keys=False))
        return 0
    cols = ("material", "K_l", "status", "gamma_ratio_R", "velocity_ratio", "flow_limit_ratio", "C0")
    print(f"# f = {args.f:g} Hz, T = {args.T:g} K, L1 = {args.L1:g} m, N0 = {args.N0}, Omega_c = {args.Omega_c:g} "
          f"rad/s, KK form ({args.form}), part = {args.part}, max_step = {args.max_step:g}")
    print("  ".join(f"{c:>16}" for c in cols) + "  steps(l,t)")
    for r in records:
        print("  ".join(f"{_fmt(r[c]):>16}" for c in cols) + f"  {r['steps']['l']},{r['steps']['t']}")
        ref = r["referee"]
        t43 = ref["eq_4_3_terms"]
        print(f"    status: {r['status_definition']}")
        print(f"    strength: {r['C0_definition']}; n0M^2 = {_fmt(r['n0M2_Pa'])} Pa; {r['strength_source']}")
        print(f"    (4.3) second/first term: l {_fmt(t43['l']['second_over_first'])}, t {_fmt(t43['t']['second_over_first'])}; "
              f"largest step change: l {_fmt(ref['max_step_relative_change']['l'])}, "
              f"t {_fmt(ref['max_step_relative_change']['t'])}; total change: l "
              f"{_fmt(ref['total_relative_change']['l'])}, t {_fmt(ref['total_relative_change']['t'])}")
        print(f"    distance to c_l/c_t {_fmt(r['distance_to_fixed_point'])}, to the flow's own limit "
              f"{_fmt(r['distance_to_flow_limit'])}; coefficient / (4.1): l "
              f"{_fmt(r['coefficient_normalization_vs_4_1']['l'])}, t {_fmt(r['coefficient_normalization_vs_4_1']['t'])}")
        for k, v in ref["n0M2_for_target"].items():
            print(f"    within {k} of c_l/c_t: {v['statement']}")
        if "sensitivity" in r:
            for k, v in r["sensitivity"].items():
                print(f"    sensitivity to {k}: " + ", ".join(f"{a} -> {_fmt(b['gamma_ratio_R'])} ({b['status']})"
                                                           for a, b in v.items()))
    return 0
