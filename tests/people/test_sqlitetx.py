"""The instance's SQLite files are made by whichever worker thread or process comes first: many at once must all
get in (switching a new file to WAL answers "database is locked" at once, without waiting, to all but one)."""

from __future__ import annotations

import threading

from toolkit.people.notifystore import NotifyStore
from toolkit.people.signins import SignIns


def test_many_threads_opening_a_new_database_at_once_all_get_in(tmp_path):
    errors: list[Exception] = []
    for round_ in range(40):
        home = tmp_path / str(round_)
        start = threading.Barrier(10)

        def open_and_read(make=NotifyStore if round_ % 2 else SignIns, home=home, start=start) -> None:
            try:
                start.wait()
                store = make(home)
                if isinstance(store, NotifyStore):
                    with store.db(writing=False) as db:
                        db.execute("select count(*) from events").fetchone()
                else:
                    store.session_user("nobody")
            except Exception as exc:  # the failure under test: collected, asserted below
                errors.append(exc)

        threads = [threading.Thread(target=open_and_read) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
