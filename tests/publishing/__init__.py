"""Tests of toolkit/publishing: Word/PDF export, editions and feeds."""
