"""``glass-sym bench audit``: cold and warm wall time of the whole command (see :mod:`glass_sym.cli.bench.commands`)."""

from __future__ import annotations

from .commands import format_command, run_command, summary_command

__all__ = ["run", "format", "summary"]


def run(args=None, repeat: int = 1) -> dict:
    return run_command("audit", repeat)


def format(res: dict) -> str:  # noqa: A001 - the bench protocol's name
    return format_command(res)


def summary(res: dict) -> list[dict]:
    return summary_command(res)
