"""Tests of toolkit/history: the instance, saving under the lock, merging, crashes, records, history."""
