"""The history cache (instance/cache/history.json): any wrong shape is discarded and rebuilt from git."""

import json
import logging

import pytest

from toolkit.history.gitstore import Author
from toolkit.history.historyindex import CacheShapeError, decode_cache
from toolkit.history.instance import Instance

ANNA = Author("Anna Jensen", "anna@rm.dk")
SLUG = "adgang-til-data"


def broken_commit_entry(data: dict) -> None:
    data["commits"][next(iter(data["commits"]))] = None


def short_commit_entry(data: dict) -> None:
    sha = next(iter(data["commits"]))
    data["commits"][sha] = data["commits"][sha][:2]


def bad_time(data: dict) -> None:
    sha = next(iter(data["commits"]))
    data["commits"][sha][2] = "i går"


def number_as_message(data: dict) -> None:
    sha = next(iter(data["commits"]))
    data["commits"][sha][3] = 42


def paths_not_lists(data: dict) -> None:
    data["paths"] = {path: "abc" for path in data["paths"]}


def unknown_commit_in_paths(data: dict) -> None:
    data["paths"][f"library/{SLUG}.md"] = ["f" * 40]


def option_as_head(data: dict) -> None:
    data["head"] = "--output=/tmp/x"


def commits_as_list(data: dict) -> None:
    data["commits"] = list(data["commits"])


# Whole-file contents, and changes to the valid cache at every level below the top.
WHOLE = {"null": "null", "list": "[]", "number": "5", "text": '"history"', "commits-number": '{"commits": 5}',
         "empty-object": "{}", "not-json": "{not json"}
NESTED = [broken_commit_entry, short_commit_entry, bad_time, number_as_message, paths_not_lists,
          unknown_commit_in_paths, option_as_head, commits_as_list]


@pytest.fixture
def saved_instance(instance):
    """An instance with a second revision of SLUG, its cache file written, and the expected history."""
    base = instance.latest_revision(SLUG)
    instance.save(SLUG, instance.read(SLUG) + "Mere.\n", ANNA, "Mere tekst", base)
    fresh = Instance(instance.home)  # a new process: reads the log and writes the cache file
    expected = [(r.id, r.author, r.message, r.time) for r in fresh.history(SLUG)]
    assert len(expected) == 2
    fresh._history._save()  # the cache as it is after the save too (a save alone writes it every 200 commits)
    return instance, expected


def cache_of(instance: Instance):
    return instance.home / "cache" / "history.json"


def assert_rebuilt(instance: Instance, expected: list, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="toolkit.history.historyindex"):
        opened = Instance.open(instance.home)
        assert [(r.id, r.author, r.message, r.time) for r in opened.history(SLUG)] == expected
    assert any("history cache" in record.getMessage() and "unusable" in record.getMessage()
               for record in caplog.records)
    head, by_path = decode_cache(json.loads(cache_of(instance).read_text(encoding="utf-8")), "library/")
    assert head == opened.head()
    assert [c.id for c in by_path[f"library/{SLUG}.md"]] == [sha for sha, *_ in expected]


@pytest.mark.parametrize("content", WHOLE.values(), ids=WHOLE.keys())
def test_a_cache_file_of_the_wrong_shape_is_rebuilt_from_git(saved_instance, content, caplog):
    instance, expected = saved_instance
    cache_of(instance).write_text(content, encoding="utf-8")
    assert_rebuilt(instance, expected, caplog)


def test_a_truncated_or_non_utf8_cache_file_is_rebuilt_from_git(saved_instance, caplog):
    instance, expected = saved_instance
    valid = cache_of(instance).read_bytes()
    cache_of(instance).write_bytes(valid[: len(valid) // 2])
    assert_rebuilt(instance, expected, caplog)
    caplog.clear()
    cache_of(instance).write_bytes(b"\xff\xfe" + valid)
    assert_rebuilt(instance, expected, caplog)


@pytest.mark.parametrize("corrupt", NESTED, ids=[f.__name__ for f in NESTED])
def test_a_wrong_shape_deep_in_the_cache_is_rebuilt_from_git(saved_instance, corrupt, caplog):
    instance, expected = saved_instance
    data = json.loads(cache_of(instance).read_text(encoding="utf-8"))
    corrupt(data)
    cache_of(instance).write_text(json.dumps(data), encoding="utf-8")
    assert_rebuilt(instance, expected, caplog)


def test_decode_names_what_is_wrong():
    with pytest.raises(CacheShapeError, match="expected an object at the top, found null"):
        decode_cache(None, "library/")
    with pytest.raises(CacheShapeError, match="'commits' must be an object, found a number"):
        decode_cache({"format": 1, "prefix": "library/", "head": None, "commits": 5, "paths": {}}, "library/")
    assert decode_cache({"format": 1, "prefix": "library/", "head": None, "commits": {}, "paths": {}},
                        "library/") == (None, {})
