"""One module per ``glass-sym`` subcommand: ``HELP``, ``add_arguments(parser)``, ``run(args) -> int``."""
