"""The bundled Microsoft-OpenAI dossier: YAML records, source texts and JSON Schemas."""
