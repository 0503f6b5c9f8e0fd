"""Export of a dossier to other formats (JSON, Markdown)."""
