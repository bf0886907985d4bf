"""Read your own writes on every page: a change (a POST answered with a redirect) stamps the session with its time,
and for a few seconds `webui.context.library` reads the folder afresh for this visitor, whichever worker answers
(the home page's "Nyt og opdateret" right after a publication, a browse list right after a rename)."""

from __future__ import annotations

import time

from flask import Flask, Response, request, session

from webui.context import WROTE_KEY


def init_app(app: Flask) -> None:
    @app.after_request
    def stamp_own_write(response: Response) -> Response:
        # Only a signed-in writer's session: an anonymous form (a topic proposal) gets no stamp.
        if request.method == "POST" and 300 <= response.status_code < 400 and session.get("user"):
            session[WROTE_KEY] = int(time.time())
        return response
