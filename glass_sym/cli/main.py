"""The ``glass-sym`` command: one entry point, one module per subcommand in :mod:`glass_sym.cli.commands`.

Errors raised on purpose (:class:`~glass_sym.errors.GlassSymError`) print one line to stderr and exit 2;
``--debug`` shows the traceback.  Heavy imports (SymPy) happen inside the subcommands, so a cached
``glass-sym derive`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from glass_sym import __version__
from glass_sym.errors import GlassSymError

__all__ = ["main", "build_parser", "COMMANDS"]

#: subcommand -> module in glass_sym.cli.commands (each defines HELP, add_arguments(parser), run(args) -> int)
COMMANDS = {
    "derive": "derive",
    "latex": "latex_cmd",
    "reproduce": "reproduce",
    "audit": "audit",
    "lattice": "lattice",
    "rg": "rg",
    "bench": "bench",
    "eval": "eval_cmd",
    "show": "show",
}


def _available(only: str | None = None) -> dict:
    mods = {}
    for name, modname in COMMANDS.items():
        if only is not None and name != only:
            continue
        try:
            mods[name] = importlib.import_module(f".commands.{modname}", __package__)
        except ModuleNotFoundError as exc:  # a subcommand whose module is not there yet
            if exc.name != f"{__package__}.commands.{modname}":
                raise
    return mods


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``glass-sym`` parser; with ``only``, the subparser of that one subcommand (its module alone is
    imported: the start-up of one command does not pay for the imports of the others)."""
    parser = argparse.ArgumentParser(
        prog="glass-sym",
        description="Rebuild, verify, audit, export and compute the TTLS-phonon coupling theory of "
        "D. Zhou, J. Phys.: Condens. Matter 32, 055704 (2020).",
    )
    parser.add_argument("--version", action="version", version=f"glass-sym {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser._glass_subparsers = {}      # name -> subparser, so that unknown options show the subcommand's usage
    for name, mod in _available(only).items():
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        parser._glass_subparsers[name] = p
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks of errors")
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser



#: options whose value is LaTeX, which may start with '-' (``--latex '-\frac{x_i}{r^3}'``)
LATEX_OPTIONS = ("--latex", "--against-latex", "--tensor")


def _join_latex_values(argv: list[str]) -> list[str]:
    """``['--latex', '-x']`` -> ``['--latex=-x']`` for :data:`LATEX_OPTIONS` of ``audit`` and ``eval``, so that
    argparse does not take a value starting with '-' for an option (``show --latex`` is a flag, left alone)."""
    command = next((a for a in argv if not a.startswith("-")), None)
    out, k = [], 0
    while k < len(argv):
        a = argv[k]
        if a in LATEX_OPTIONS and k + 1 < len(argv) and argv[k + 1].startswith("-") and command in ("audit", "eval"):
            out.append(f"{a}={argv[k + 1]}")
            k += 2
            continue
        out.append(a)
        k += 1
    return out


class _StderrHandler(logging.Handler):
    """Library warnings (logger ``glass_sym``: cache rebuilt, a chain not cached) as ``glass-sym: msg`` lines on
    the stderr of the moment (so that a redirected or captured stderr gets them)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"glass-sym: {record.getMessage()}", file=sys.stderr)


def _show_library_warnings() -> None:
    logger = logging.getLogger("glass_sym")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        logger.addHandler(_StderrHandler(logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    _show_library_warnings()
    argv = _join_latex_values(list(sys.argv[1:] if argv is None else argv))
    # the subcommand is the first argument that is not an option (the top-level options take no value); an
    # unknown or missing one gets the full parser (its usage lists every subcommand)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    args, extra = parser.parse_known_args(argv)
    if extra:      # an unknown option: the usage of the subcommand it was given to, not the top-level one
        target = parser._glass_subparsers.get(getattr(args, "command", None) or "", parser)
        target.error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except GlassSymError as exc:
        if args.debug:
            raise
        print(f"glass-sym {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `glass-sym derive --json | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"glass-sym {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
