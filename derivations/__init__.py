"""Derivation chains, one module per appendix, reading like the appendix it rebuilds.

Installed, this folder is the package ``glass_sym.derivations`` (pyproject ``package-dir``), never a
top-level ``derivations``; in a checkout :mod:`glass_sym` maps the same name onto this folder.

``CHAINS`` maps the CLI name of a chain to its module; ``PROVIDES`` maps every registered closed form to the
chain that derives it (so ``glass_sym.records.derivation.get(name)`` knows what to build).  Each module defines
``NAME``, ``TITLE``, ``PROVIDES`` and ``build() -> Derivation``.
"""

CHAINS = {
    "appendix-a": "glass_sym.derivations.appendix_a",
    "appendix-b": "glass_sym.derivations.appendix_b",
    "appendix-c": "glass_sym.derivations.appendix_c",
    "appendix-d": "glass_sym.derivations.appendix_d",
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
