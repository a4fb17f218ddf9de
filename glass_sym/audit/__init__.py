"""The audit: comparison engine, one row per printed equation, averages, coefficients, numeric records, forensic
hypotheses, verdicts, a user's own transcription, typed expressions."""
