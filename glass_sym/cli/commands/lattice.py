"""``glass-sym lattice``: exact lattice sums T_abcd(N0, k) of tilde Lambda over a super block, next to (C.23).

Output fields (``--json``, a list with one object per N0) are documented in docs/lattice.md.
"""

from __future__ import annotations

import json

from glass_sym.cli.progress import progress_bar
from glass_sym.errors import InputError
from glass_sym.numerics.lattice import SHAPES, check_n0, lattice_sums, parse_k

__all__ = ["HELP", "add_arguments", "run", "parse_n0_list"]

HELP = "exact lattice sums of tilde Lambda over N0^3 super blocks vs the journal's (C.20)-(C.23)"
DEFAULT_N0 = "2,3,4,8,16,32,64,128"


def parse_n0_list(text: str) -> list[int]:
    """``"2,4,8"`` -> [2, 4, 8]; every entry an integer >= 2 (InputError otherwise).

    >>> parse_n0_list("2, 3,16")
    [2, 3, 16]
    """
    out = []
    for part in str(text).split(","):
        part = part.strip()
        try:
            value = int(part)
        except ValueError:
            raise InputError(f"--n0: expected comma-separated integers >= 2, got {part!r} in {text!r}") from None
        out.append(check_n0(value))
    return out


def add_arguments(p) -> None:
    p.add_argument("--n0", default=DEFAULT_N0, help=f"comma-separated N0 values (default {DEFAULT_N0})")
    p.add_argument("--shape", default="cube", help="super block shape: cube (default) or sphere")
    p.add_argument("--k", default="0,0,0", help="wave vector KX,KY,KZ in units of 1/L (default 0,0,0)")
    p.add_argument("--material", default=None, help="material of Table 1 for alpha (default a-SiO2)")
    p.add_argument("--cl", type=str, default=None, help="explicit c_l (with --ct; any unit, same for both)")
    p.add_argument("--ct", type=str, default=None, help="explicit c_t (with --cl)")
    p.add_argument("--json", action="store_true", help="print a JSON list of results")


def _speed(text, name):
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"--{name}: expected a number > 0, got {text!r}") from None


def run(args) -> int:
    n0s = parse_n0_list(args.n0)
    if args.shape not in SHAPES:
        raise InputError(f"--shape: expected one of {', '.join(SHAPES)}, got {args.shape!r}")
    k = parse_k(args.k)
    results = lattice_sums(n0s, shape=args.shape, k=k, material=args.material,
                           c_l=_speed(args.cl, "cl"), c_t=_speed(args.ct, "ct"), progress=progress_bar)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=1))
        return 0
    r0 = results[0]
    print(f"T_abcd(N0, k) = (1/N_b) sum_(u != u') tildeLambda_abcd(n)/|x|^3 exp(-i k.x), {args.shape}, "
          f"k = {list(k)}, {r0.material}: alpha = {r0.alpha:.6f}")
    print(f"khat = {r0.khat.round(6).tolist()}, ahat = {r0.ahat.round(6).tolist()}; "
          "paper = (8 pi rho c_t^2/N0^3) x (C.23)")
    print(f"{'N0':>5} {'blocks':>9} {'C_l':>13} {'C_t':>13} {'paper C_l':>12} {'paper C_t':>12} {'seconds':>8}")
    for r in results:
        print(f"{r.n0:>5} {r.blocks:>9} {r.C_l:>13.8f} {r.C_t:>13.8f} {r.paper_C_l:>12.4f} "
              f"{r.paper_C_t:>12.4f} {r.seconds:>8.3f}")
    return 0
