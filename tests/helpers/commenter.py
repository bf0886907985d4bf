"""A commenting process for the comment concurrency test: starts comment threads through the core API.

usage: commenter.py HOME WRITER_ID COUNT SLUG BLOCK
Waits for the file HOME/../go to exist (so all writers start together), then starts COUNT threads on the block.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from toolkit.history.comments import Comments
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance


def main() -> None:
    home, writer, count, slug, block = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    comments = Comments(Instance.open(home))
    go = home.parent / "go"
    while not go.exists():
        time.sleep(0.01)
    for number in range(count):
        comments.start(slug, block, f"Kommentar {number} fra skriver {writer}", Author(f"skriver{writer}", "w@test"))


if __name__ == "__main__":
    main()
