"""The speed harness (run.py) and the synthetic-dossier generator (synth.py)."""
