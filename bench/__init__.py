"""Benchmarks (`make bench`; README, "Benchmarks"). Nothing of the portal imports them."""
