"""Benchmarks of collab-eval: the pipeline's cost from one partnership to a national monitor.

Run with ``make bench`` (or ``.venv/bin/python -m benchmarks.run --help``). Never part of
``make test``: speed and memory are measured here, never in timed tests.
"""
