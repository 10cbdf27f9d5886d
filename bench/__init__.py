"""Benchmarks (not tests): `python -m bench.run` measures the floors of our parts and the
queue server under load, and prints one JSON document."""
