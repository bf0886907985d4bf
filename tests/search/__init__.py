"""Tests of toolkit/search: the index, Danish analysis, snippets, and relevance on the judged queries."""
