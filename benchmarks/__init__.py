"""Benchmarks: ``python benchmarks/run.py`` prints P1 (plugin start-up), P2 (API calls), P3 (scale) and
P4 (state size)."""
