"""Exception types of glass-sym.

Every error a user can trigger is one of these; the CLI prints ``str(err)`` on one line and exits non-zero.
Messages name the input, the expected range and the bad value.
"""

from __future__ import annotations

__all__ = [
    "GlassSymError",
    "InputError",
    "ParseError",
    "UnknownTensorError",
    "IllFormedTensorError",
    "DivergentExpressionError",
    "DivergenceError",
    "DerivationError",
    "CacheError",
    "OutputError",
    "BenchError",
]


class GlassSymError(Exception):
    """Base class of every error glass-sym raises on purpose."""


class InputError(GlassSymError, ValueError):
    """A parameter is outside its physical or admissible range (names input, range, value)."""


class ParseError(GlassSymError, ValueError):
    """LaTeX text could not be parsed; the message names the position and what was expected."""


class UnknownTensorError(ParseError):
    """The text uses a tensor with indices (``\\chi_{ijkl}``) whose value was not supplied (``tensors=``)."""


class IllFormedTensorError(ParseError):
    """The text is not a well-formed tensor expression: terms of a sum carry different free indices, or an
    index occurs more than twice in one product."""


class DivergentExpressionError(ParseError):
    """An integral, derivative or limit written in the text diverges (its regulated value has no finite
    lambda -> 0 limit); the message quotes the :class:`DivergenceError` of the engine."""


class DivergenceError(GlassSymError, ArithmeticError):
    """A regulated integral has no finite lambda -> 0 limit for the requested x-dependence."""


class DerivationError(GlassSymError):
    """A derivation step could not be carried out (not: a check that ran and failed)."""


class CacheError(GlassSymError):
    """A cache entry is unreadable, corrupted or tampered with (it is then rebuilt, never trusted)."""


class OutputError(GlassSymError, OSError):
    """An output file or directory could not be written."""


class BenchError(GlassSymError, RuntimeError):
    """A command timed by ``glass-sym bench`` failed (the message names the command and its exit status): its
    time would mean nothing, so the bench stops."""
