"""Tests of the command line (toolkit/cli), run through click's runner and as real processes."""
