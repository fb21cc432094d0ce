"""The command line for scripts: the same money-safe core as the TUI, the same journal, and no
Textual. `cli.py` registers the subcommands from `parser.py` and hands them to `run`."""
