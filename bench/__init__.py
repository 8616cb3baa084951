"""Benchmarks (docs/benchmarks.md): each module is a command that writes a JSON report and a PNG plot
under bench/results/ and prints a table. `python -m bench.all --quick` is `make bench`."""
