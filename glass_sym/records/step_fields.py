"""Field order of the JSON step records (a documented contract, docs/json.md).  No heavy imports here:
the cached ``glass-sym derive`` path uses it without loading SymPy."""

__all__ = ["STEP_FIELDS"]

#: field order of a step record
STEP_FIELDS = ("label", "name", "title", "lhs", "statement", "latex", "how", "check", "verified", "residual", "notes",
               "kind", "of", "why")
