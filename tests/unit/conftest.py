"""Unit fixtures: none beyond the shared ones (tests/conftest.py); a unit test does no I/O and moves its clock by hand."""
