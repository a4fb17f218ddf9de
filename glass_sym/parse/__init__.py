"""The LaTeX parser: grammar (lark), transformer and value algebra, calculus (integrals over q, derivatives, limits)."""
