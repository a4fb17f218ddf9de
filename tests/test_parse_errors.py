"""Parse errors are exception subclasses (glass_sym.errors) with the messages users saw before; the audit
classifies them by type, not by matching message text."""

from __future__ import annotations

import pytest

from glass_sym import errors
from glass_sym.audit import printed as audit
from glass_sym.parse.parser import parse_latex


@pytest.mark.parametrize("text, cls, message", [
    (r"a_i + b_j", errors.IllFormedTensorError,
     "at position 4 (line 1, col 5): terms of a sum carry different free indices: i and j"),
    (r"\int \frac{d^3q}{(2\pi)^3} \frac{q_i q_j q_k q_l}{q^8} e^{i\vec q\cdot\vec x}", errors.DivergentExpressionError,
     "diverges: "),
])
def test_parse_error_subclasses_keep_their_messages(text, cls, message):
    with pytest.raises(cls) as info:
        parse_latex(text)
    assert message in str(info.value)
    assert isinstance(info.value, errors.ParseError) and isinstance(info.value, ValueError)


def test_unknown_tensor_error():
    with pytest.raises(errors.UnknownTensorError) as info:
        parse_latex(r"\tilde\Lambda_{ijkl} n_i")
    assert str(info.value) == ("at position 0 (line 1, col 1): unknown tensor 'Lambda~' with indices ijkl; pass its "
                               "value in tensors={'Lambda~': ...}")


def test_plain_syntax_error_is_a_parse_error_only():
    with pytest.raises(errors.ParseError) as info:
        parse_latex("(")
    assert type(info.value) is errors.ParseError
    assert str(info.value) == "at position 1 (line 1, col 2): expected ')' to close '(' opened at 0, found end of input"


def _row():
    from glass_sym.paper.transcriptions import load_equations

    return next(e for e in load_equations("jpcm2020") if e.label == "A.18" and e.defines == "lambda_tilde")


@pytest.mark.parametrize("exc, status, starts", [
    (errors.IllFormedTensorError("boom"), "differs", "not a well-formed tensor as printed: boom"),
    (errors.DivergentExpressionError("boom"), "differs", "not finite as printed: boom"),
    # the old message test would have called this ill-formed; by type it is an unreadable text
    (errors.ParseError("terms of a sum carry different free indices"), "unparsed", "printed LaTeX not readable"),
    (errors.ParseError(" diverges: "), "unparsed", "printed LaTeX not readable"),
])
def test_audit_classifies_parse_errors_by_type(monkeypatch, exc, status, starts):
    ctx = audit.AuditContext()

    def fail(*a, **k):
        raise exc

    monkeypatch.setattr(ctx, "printed", fail)
    f = ctx.audit_printed(_row(), [])
    assert (f.status, f.explanation.startswith(starts)) == (status, True)


@pytest.mark.parametrize("tex, cls", [
    (r"\chi_{ijkl} e_k e_l", "UnknownTensorError"),      # errors.py's own example: an unknown tensor with indices
    (r"\Lambda_{iiik}", "UnknownTensorError"),
    ("x_i x_i x_i", "IllFormedTensorError"),             # an index more than twice in one product
    ("a_i + b_j", "IllFormedTensorError"),               # terms with different free indices
])
def test_documented_parse_error_subclasses_are_raised(tex, cls):
    from glass_sym import errors
    from glass_sym.parse.parser import parse_latex

    with pytest.raises(getattr(errors, cls)):
        parse_latex(tex)


def test_parse_error_status_by_type():
    """The audit of printed equations and `audit --paper` classify alike: ill-formed or divergent print is a
    finding (differs), anything else the reader cannot read is unparsed."""
    from glass_sym.audit.compare import parse_error_status
    from glass_sym.errors import DivergentExpressionError, IllFormedTensorError, ParseError, UnknownTensorError

    assert parse_error_status(IllFormedTensorError("x"))[0] == "differs"
    assert parse_error_status(DivergentExpressionError("x"))[0] == "differs"
    assert parse_error_status(UnknownTensorError("x"))[0] == "unparsed"
    assert parse_error_status(ParseError("index occurs more than twice"))[0] == "unparsed"
