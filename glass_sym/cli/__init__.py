"""The ``glass-sym`` command (:mod:`glass_sym.cli.main`), one module per subcommand (:mod:`glass_sym.cli.commands`) and
the benchmarks behind ``glass-sym bench`` (:mod:`glass_sym.cli.bench`)."""
