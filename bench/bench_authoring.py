"""Benchmark the browser authoring pages on an instance with 500 materials and 5,000 revisions.

Real HTTP requests through Flask's test client, as a signed-in admin, on the app built by `create_app` around
a synthetic instance (bench_library's materials, bench_history's fast-import history). Prints median and p95 in ms of:
saving a material through the edit form (POST /m/<slug>/rediger, must answer 302; the GET of the form that
gives its token, base revision and fields is setup, not timed), the history page (GET /m/<slug>/historik) and
the diff page (GET /m/<slug>/forskel?fra=…&til=…), both must answer 200. Reference in the same run, on the
same Instance object: the core calls `Instance.save`, `Instance.history` and `Instance.diff` without HTTP;
each web row shows its ratio to its core row.

Then the same save, and a status change, with notifications off and on in the same run (interleaved halves):
"on" is the app as served — the instance's events recorded for the background sender, which runs and sends to
a real SMTP server on 127.0.0.1 (aiosmtpd, when installed) — and the save's ratio is checked against the 10 %
the issue allows.

The form is read generically (every input, textarea, select and checked checkbox of the edit form is sent
back as a browser would), so the bench keeps working when fields are added to the editor.

Run: make bench   (or: .venv/bin/python bench/bench_authoring.py [--materials 500 --revisions 5000 --repeat 60])
"""

from __future__ import annotations

import argparse
import itertools
import logging
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_history import add_history
from bench.bench_library import synthetic_library
from bench.timing import Timing, header, measure
from tests.helpers.forms import read_form
from tests.helpers.web import sign_in
from toolkit.config import Settings
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.people.accounts import Accounts
from webui import create_app
from webui.context import NOTIFY_KEY, SOURCE_KEY

AUTHOR = Author("Bench", "bench@localhost")
USER, PASSWORD = "bench", "bench-kodeord-1"


def expect(response, status: int, what: str) -> None:
    if response.status_code != status:
        raise SystemExit(f"{what}: expected {status}, got {response.status_code}\n"
                         f"{response.get_data(as_text=True)[:2000]}")


def mail_catcher():
    """A real SMTP server on 127.0.0.1 for the notifications rows (aiosmtpd, of the test extras), or None."""
    try:
        from tests.helpers.smtpserver import MailCatcher
    except ImportError:
        return None
    return MailCatcher().start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=500)
    parser.add_argument("--revisions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(5)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "library").mkdir()
        synthetic_library(root / "library", args.materials)
        home = root / "instance"
        # The instance must exist before create_app opens it (else it would create one from the bundled library).
        instance = Instance.create(home, library=root / "library", templates=root / "none")
        add_history(instance, args.revisions - 1)
        del instance
        logging.getLogger("webui").setLevel(logging.ERROR)  # quiet: the problems are counted below
        catcher = mail_catcher()
        smtp = {"smtp_host": "127.0.0.1", "smtp_port": catcher.port, "smtp_starttls": False} if catcher else {}
        app = create_app(Settings(home=home, **smtp))
        instance = app.extensions[SOURCE_KEY]  # the app's own Instance: web and core share caches
        if not isinstance(instance, Instance) or instance.home.resolve() != home.resolve():
            raise SystemExit(f"the app serves {instance!r}, not the synthetic instance at {home}")
        Accounts(home).add(USER, "admin", password=PASSWORD)
        client, _token = sign_in(app, USER, PASSWORD)
        commits = int(instance.store.run("rev-list", "--count", "HEAD").stdout)
        slugs = [m.slug for m in instance.library().materials()]
        problems = len(instance.library().problems)
        print(f"instance: {len(slugs)} materials, {commits} commits, {problems} library problems (synthetic links)")
        counter = iter(range(10**6))

        # -- saving ------------------------------------------------------------------------------------------
        posted: dict[str, object] = {}

        def open_editor() -> None:
            slug = rng.choice(slugs)
            response = client.get(f"/m/{slug}/rediger")
            expect(response, 200, f"GET /m/{slug}/rediger")
            fields = read_form(response.get_data(as_text=True), f"/m/{slug}/rediger")
            names = {name for name, _ in fields}
            missing = {"csrf_token", "base", "body"} - names
            if missing:
                raise SystemExit(f"the edit form of {slug} lacks {sorted(missing)}")
            data: dict[str, list[str]] = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            n = next(counter)
            data["body"] = [data["body"][0].rstrip("\n") + f"\n\nTilføjet i browseren {n}.\n"]
            data["message"] = [f"Bench web save {n}"]
            data["action"] = ["save"]
            posted.update(slug=slug, data=data)

        def web_save() -> None:
            slug = posted["slug"]
            response = client.post(f"/m/{slug}/rediger", data=posted["data"])
            expect(response, 302, f"POST /m/{slug}/rediger")

        core_args: dict[str, object] = {}

        def prepare_core_save() -> None:
            slug = rng.choice(slugs)
            text = instance.read(slug).rstrip("\n") + f"\n\nTilføjet direkte {next(counter)}.\n"
            core_args.update(slug=slug, text=text, base=instance.latest_revision(slug))

        def core_save() -> None:
            result = instance.save(core_args["slug"], core_args["text"], AUTHOR, "Bench core save",
                                   core_args["base"])
            if not result.changed:
                raise SystemExit(f"core save of {core_args['slug']} changed nothing")

        # Warm up both paths once (first template compile, library load, history cache) before timing.
        prepare_core_save()
        core_save()
        open_editor()
        web_save()

        print(header("Authoring through HTTP (Flask test client); reference: the core call, no HTTP"))
        rows: list[tuple[Timing, Timing]] = []
        core = measure("core: Instance.save (reference)", core_save, args.repeat, setup=prepare_core_save)
        web = measure("web: POST /m/<slug>/rediger → 302", web_save, args.repeat, setup=open_editor)
        rows.append((core, web))

        # -- history and diff ----------------------------------------------------------------------------------
        busy = max(slugs, key=lambda s: len(instance.history(s)))
        revisions = [r.id for r in instance.history(busy)]
        pairs = [tuple(rng.sample(revisions, 2)) for _ in range(args.repeat)]

        def web_get(url: str) -> None:
            expect(client.get(url), 200, f"GET {url}")

        web_get(f"/m/{busy}/historik")
        web_get(f"/m/{busy}/forskel?" + urlencode({"fra": pairs[0][0], "til": pairs[0][1]}))

        rows.append((
            measure(f"core: history ({len(revisions)} revisions)", lambda: instance.history(busy), args.repeat),
            measure("web: GET /m/<slug>/historik → 200", lambda: web_get(f"/m/{busy}/historik"), args.repeat),
        ))
        core_pairs, web_pairs = itertools.cycle(pairs), itertools.cycle(pairs)

        def web_diff() -> None:
            old, new = next(web_pairs)
            web_get(f"/m/{busy}/forskel?" + urlencode({"fra": old, "til": new}))

        rows.append((
            measure("core: diff of two revisions", lambda: instance.diff(busy, *next(core_pairs)), args.repeat),
            measure("web: GET /m/<slug>/forskel → 200", web_diff, args.repeat),
        ))
        for core_timing, web_timing in rows:
            print(core_timing.row(core_timing))
            print(web_timing.row(core_timing))

        # -- notifications on and off ------------------------------------------------------------------------
        parts = app.extensions[NOTIFY_KEY]
        # Someone to tell: a facilitator (asked to review) who also watches the material and its kind.
        Accounts(home).add("watcher", "facilitator", email="watcher@example.org", password=PASSWORD)
        for type, target in (("material", slugs[0]), ("kind", instance.library().get(slugs[0]).kind)):
            parts.watches.watch("watcher", type, target)
        moving = slugs[0]
        if instance.library().get(moving).status != "draft":
            instance.set_status(moving, "draft", AUTHOR)
        statuses = itertools.cycle(["review", "draft"])

        def status_change() -> None:
            instance.set_status(moving, next(statuses), AUTHOR, "Bench")

        def switch(on: bool) -> None:
            if on and not parts.sender.running:
                instance.events.add(parts.recorder)
                parts.sender.start()
                parts.sender.run_once()  # today's daily tasks done: a server's steady state, not its first minute
            elif not on:
                instance.events.remove(parts.recorder)
                parts.sender.stop()

        samples: dict[tuple[str, bool], list[float]] = {}
        actions = (("save", web_save, open_editor), ("status", status_change, lambda: None))
        for round_ in range(args.repeat):  # off and on alternate, so the machine's drift hits both alike
            for on in ((False, True) if round_ % 2 == 0 else (True, False)):
                switch(on)
                for name, action, setup in actions:
                    setup()
                    started = time.perf_counter()
                    action()
                    samples.setdefault((name, on), []).append((time.perf_counter() - started) * 1000)
        switch(False)
        mail = f"SMTP on 127.0.0.1:{catcher.port}" if catcher else "no SMTP (aiosmtpd not installed): web inbox only"
        print(header(f"Notifications off vs on (recorder + background sender, watchers; {mail})"))
        for name, label in (("save", "web: POST …/rediger → 302"), ("status", "core: Instance.set_status")):
            off = Timing(f"{label}, notifications off", samples[(name, False)])
            on = Timing(f"{label}, notifications on", samples[(name, True)])
            print(off.row(off))
            print(on.row(off))
            if name == "save":
                verdict = "within" if on.median <= off.median * 1.10 else "OVER"
                print(f"{'':48} save with notifications on: {on.median / off.median:.3f}× the save without "
                      f"({verdict} the 10 % the issue allows)")
        print(f"{'':48} mails received by the SMTP server: {len(catcher.messages) if catcher else 0}, "
              f"waiting in the outbox: {parts.outbox.waiting()}")


if __name__ == "__main__":
    main()
