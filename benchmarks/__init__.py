"""Benchmarks: ``python benchmarks/run.py`` prints P1 (plugin start-up), P2 (API calls), P4 (state size)."""
