"""Benchmarks of the platform, run with `make bench` (`python -m bench`); not part of the tests."""
