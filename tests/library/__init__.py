"""Tests of toolkit/library: materials, front matter, the library folder, rendering, starters, freshness."""
