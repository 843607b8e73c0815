"""CLI subcommands. Each module defines `register(subparsers)`; `confuguard.cli` discovers them."""
