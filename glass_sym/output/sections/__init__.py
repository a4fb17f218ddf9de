"""Report sections of `glass-sym reproduce`, one module each (see glass_sym.output.report)."""
