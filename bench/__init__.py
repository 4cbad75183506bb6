"""Benchmarks and load tests (`make bench`, `make loadtest`, `make faults`)."""
