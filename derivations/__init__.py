"""Derivation chains, one module per appendix, reading like the appendix it rebuilds.

``CHAINS`` maps the CLI name of a chain to its module; ``PROVIDES`` maps every registered closed form to the
chain that derives it (so ``glass_sym.derivation.get(name)`` knows what to build).  Each module defines
``NAME``, ``TITLE``, ``PROVIDES`` and ``build() -> Derivation``.
"""

CHAINS = {
    "appendix-a": "derivations.appendix_a",
    "appendix-b": "derivations.appendix_b",
    "appendix-c": "derivations.appendix_c",
    "appendix-d": "derivations.appendix_d",
}

PROVIDES = {
    "f1": "appendix-a",
    "f2": "appendix-a",
    "coulomb": "appendix-a",
    "u0": "appendix-a",
    "lambda_q": "appendix-a",
    "lambda_q_jl": "appendix-a",
    "lambda_x": "appendix-a",
    "lambda_tilde": "appendix-a",
    "lambda_tilde_1": "appendix-a",
    "lambda_tilde_2": "appendix-a",
    "lambda_tilde_jl": "appendix-a",
    "lambda_x_jl": "appendix-a",
    "lambda_tilde_jl_1": "appendix-a",
    "lambda_tilde_jl_2": "appendix-a",
    "delta_lambda_x": "appendix-b",
    "delta_lambda_tilde": "appendix-b",
    "b5_angular_averages": "appendix-b",
    "absorption_coefficient_l": "appendix-c",
    "absorption_coefficient_t": "appendix-c",
    "absorption_coefficient_total_l": "appendix-c",
    "absorption_coefficient_total_t": "appendix-c",
    "mu": "appendix-d",
    "delta_mu": "appendix-d",
    "d6_angular_averages": "appendix-d",
}
