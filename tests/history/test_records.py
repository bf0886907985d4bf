"""The record files of the instance: only library/<folder>/<slug>.yaml, create versus change, checked first."""

from __future__ import annotations

import pytest

from toolkit.errors import Conflict, Invalid, NotFound
from toolkit.history.gitstore import Author

ANNA = Author("Anna", "anna@x")


@pytest.mark.parametrize("path", ["library/../secret.yaml", "library/x.yaml", "library/projects/../../a.yaml",
                                  "templates/x/form.yaml", "library/projects/Big.yaml", "/etc/passwd"])
def test_only_record_paths_are_written(instance, path):
    with pytest.raises(Invalid):
        instance.save_file(path, "a: 1\n", ANNA, "x", create=True)


def test_create_change_and_a_failing_check(instance):
    path = "library/projects/et-projekt.yaml"
    first = instance.save_file(path, "title: Et projekt\n", ANNA, "Nyt projekt", create=True)
    assert first and instance.store.read("HEAD", path) == "title: Et projekt\n"
    with pytest.raises(Conflict):
        instance.save_file(path, "title: Igen\n", ANNA, "x", create=True)
    with pytest.raises(NotFound):
        instance.save_file("library/projects/andet.yaml", "title: x\n", ANNA, "x", create=False)
    assert instance.save_file(path, "title: Et projekt\n", ANNA, "uændret", create=False) == ""

    def refuse(text: str) -> None:
        raise Invalid("nej", [])

    with pytest.raises(Invalid):
        instance.save_file(path, "title: Ændret\n", ANNA, "x", create=False, check=refuse)
    assert (instance.content / path).read_text(encoding="utf-8") == "title: Et projekt\n"
    assert instance.head() == first
