"""The command-line commands that need no terminal UI: validate, search, export, and the parser."""
