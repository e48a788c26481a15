"""Benchmarks (`make bench`; README, "Benchmark"). Not part of the portal: nothing imports it."""
