"""``glass-sym derive [NAME ... | all] [--list] [--json] [--show] [--no-cache] [--mutation-test]``: run derivation
chains, print checked steps (``--show``: each step's formula and stable id ``step:<chain>/<name>`` too).

Exit status 0 when every step's check passed, 1 when a check failed, 2 on bad input.  The cached path reads
only JSON (no SymPy import).

With ``--mutation-test`` the chains are rebuilt without the cache and every check and property step is re-run
on mutants of the value it certifies (:mod:`glass_sym.records.mutation`); exit status 1 when any of them accepts a
mutant, had no mutant to try, or rejects its own value; 0 otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time

from glass_sym import derivations, worker
from glass_sym.errors import InputError
from glass_sym.records import cache
from glass_sym.records.cache import NO_CACHE_ENV
from glass_sym.suggest import did_you_mean

HELP = "run derivation chains (appendix-a, ...) and print their checked steps"


def add_arguments(p) -> None:
    p.add_argument("names", nargs="*", metavar="NAME", help="derivation chains to run, or 'all' (default: all)")
    p.add_argument("--list", action="store_true", help="list the derivation chains and exit")
    p.add_argument("--json", action="store_true", help="print a JSON list of step records")
    p.add_argument("--show", action="store_true",
                   help="print each step's formula (lhs = rhs, LaTeX) and its stable id under its line")
    p.add_argument("--mutation-test", action="store_true",
                   help="rebuild the chains (no cache) and re-run every check on mutants of the value it "
                        "certifies; exit 1 if any check accepts a mutant")
    add_cache_argument(p)


def add_cache_argument(p) -> None:
    """The ``--no-cache`` flag shared by every subcommand that builds derivations."""
    p.add_argument("--no-cache", action="store_true",
                   help="ignore the on-disk cache (same as GLASS_SYM_NO_CACHE=1)")


def apply_cache_flag(args) -> None:
    if getattr(args, "no_cache", False):
        os.environ[NO_CACHE_ENV] = "1"


def resolve_names(names: list[str]) -> list[str]:
    """Expand 'all' and validate chain names (order of the derivations package)."""
    table = list(derivations.CHAINS)
    if not names or names == ["all"]:
        return table
    bad = [n for n in names if n not in table and n != "all"]
    if bad:

        raise InputError(f"unknown derivation {bad[0]!r}{did_you_mean(bad[0], table + ['all'])}; expected one of: "
                         f"all, {', '.join(table)}")
    if "all" in names:
        return table
    return list(dict.fromkeys(names))


def chain_records(name: str) -> tuple[str, list[dict]]:
    """(title, step records) of a chain: from the verified cache if possible, else built now."""
    payload = cache.load(name)
    if payload is not None:
        # lazy: start-up time (each subcommand loads only what it runs)
        from glass_sym.records.step_fields import STEP_FIELDS

        return payload["title"], [{k: r.get(k, "") for k in STEP_FIELDS} for r in payload["steps"]]
    from glass_sym.records.derivation import build  # lazy: keeps start-up light (this module is imported without SymPy)

    d = build(name)
    return d.title, d.as_dicts()


def run_mutation_test(names: list[str], as_json: bool) -> int:
    """Mutation test over the chains ``names`` (rebuilt in this process, no cache); returns the exit status."""

    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.records.derivation import rebuild
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.records.mutation import mutation_test

    t0 = time.perf_counter()
    results = []
    for name in names:
        results.extend(mutation_test(rebuild(name)))
    bad = [r for r in results if not r.ok]
    if as_json:
        json.dump([r.as_dict() for r in results], sys.stdout, indent=1)
        print()
    else:
        for r in results:
            mark = "def " if r.kind == "definition" else ("ok  " if r.ok else "FAIL")
            raised = f" ({r.raised} rejected by the check raising)" if r.raised else ""
            print(f"  [{mark}] {r.chain:11s} {r.label or '-':6s} {r.name:34s} {r.kind:9s} {r.mutants} mutants{raised}")
            if not r.verified:
                print("         the check rejects the step's own value: rejecting mutants certifies nothing")
            for a in r.accepted:
                print(f"         accepted: {a['mutant']} (residual {a['residual']})")
            if r.kind != "definition" and not r.mutants:
                print("         no mutant could be built: the check is untested")
        checked = [r for r in results if r.kind != "definition"]
        print(f"  {len(checked) - len(bad)}/{len(checked)} checked steps reject every mutant "
              f"({sum(r.mutants for r in results)} mutants, {len(results) - len(checked)} definitions, "
              f"{time.perf_counter() - t0:.1f} s)")
    return 1 if bad else 0


def run(args) -> int:
    apply_cache_flag(args)
    if getattr(args, "mutation_test", False):
        if args.list:
            raise InputError("--mutation-test and --list cannot be combined")
        return run_mutation_test(resolve_names(args.names), args.json)
    if args.list:
        for name, module in derivations.CHAINS.items():
            print(f"{name:12s} {module}")
        return 0
    names = resolve_names(args.names)
    with worker.beside(lambda: _worker_tasks(names)):  # cold runs: a second core builds some of the chains meanwhile
        return _show(names, args)


def _worker_tasks(names: list[str]) -> list:
    """Worker tasks for the chains of ``names`` that a worker builds (the main process keeps at least one)."""
    if len(names) < 2 or all(cache.load(n, quiet=True) is not None for n in names):
        return []
    # lazy: keeps start-up light (this module is imported without SymPy)
    from glass_sym.records.derivation import WORKER_CHAINS, chain_tasks

    beside = [n for n in WORKER_CHAINS if n in names]
    return chain_tasks(beside if len(beside) < len(names) else beside[1:])


def _show(names: list[str], args) -> int:
    all_records: list[dict] = []
    failed = 0
    for name in names:
        title, records = chain_records(name)
        failed += sum(1 for r in records if not r["verified"])
        for r in records:
            all_records.append({"derivation": name, "id": f"step:{name}/{r['name']}", **r})
        if not args.json:
            print(f"{name}: {title}")
            for r in records:
                mark = "ok  " if r["verified"] else "FAIL"
                label = r["label"] or "-"
                kind = {"property": "P", "definition": "D"}.get(r.get("kind"), " ")
                print(f"  [{mark}] {kind} {label:6s} {r['name']:30s} {r['title']}")
                if not r["verified"]:
                    print(f"         residual: {r['residual']}")
                if getattr(args, "show", False):
                    print(f"         id: step:{name}/{r['name']}")
                    for line in textwrap.wrap(" ".join(str(r["latex"]).split()), 100, break_long_words=True,
                                              break_on_hyphens=False) or [""]:
                        print(f"           {line}")
            ok = sum(1 for r in records if r["verified"])
            print(f"  {ok}/{len(records)} steps verified (P: property of an earlier step, D: definition)")
    if args.json:
        json.dump(all_records, sys.stdout, indent=1, sort_keys=False)
        print()
    return 1 if failed else 0
