"""Derivation records: steps, derivations, the registry of closed forms, the verified cache, safe serialization,
the mutation test of the checks."""
