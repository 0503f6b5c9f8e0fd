"""Reading files: bytes to text, YAML to position-carrying nodes (strict and fast readers)."""
