"""Tests of toolkit/documents: questionnaires, the sandbox, rules and undetermined answers, generation."""
