"""The web app on the default instance: created on first start, edits outside the app show up."""

import time

from toolkit.config import Settings
from webui import create_app


def test_first_start_creates_the_instance_and_serves_it(isolated_home):
    app = create_app(Settings.from_env(), {"TESTING": True})
    assert (isolated_home / "content" / ".git").is_dir()
    client = app.test_client()
    assert client.get("/m/adgang-til-data/").status_code == 200
    assert "Adgang til sundhedsdata" in client.get("/").get_data(as_text=True)


def test_an_edit_outside_the_app_is_served_and_committed(isolated_home):
    app = create_app(Settings.from_env(), {"TESTING": True})
    instance = app.extensions["netkit.source"]
    instance.interval = 0
    path = isolated_home / "content" / "library" / "samtykkemodeller.md"
    text = path.read_text(encoding="utf-8")
    time.sleep(0.01)
    path.write_text(text.replace("\n## ", "\n## Nyt afsnit fra en teksteditor\n\nTekst.\n\n## ", 1), encoding="utf-8")
    page = app.test_client().get("/m/samtykkemodeller/").get_data(as_text=True)
    assert "Nyt afsnit fra en teksteditor" in page
    assert instance.history("samtykkemodeller")[0].author == "Ekstern ændring"
