"""Output: LaTeX documents, the report and its sections, figures."""
