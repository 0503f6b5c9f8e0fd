"""Screens pushed over the main screen, and the main screen itself."""
