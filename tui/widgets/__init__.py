"""Widgets that render what they are given: row list, strips, source view, footer."""
