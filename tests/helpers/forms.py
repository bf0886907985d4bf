"""Reading an HTML form the way a browser submits it (for web tests and the authoring benchmark)."""

from __future__ import annotations

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The fields a browser would submit from the first form whose action ends with `action_suffix`.

    Inputs (text, hidden, …) send their value; checkboxes and radios only when checked (value "on" by default);
    a textarea its text (less the one newline right after the start tag, as HTML says); a select its selected
    options (else the first option of a single select). Buttons and unnamed fields are left out.
    """

    def __init__(self, action_suffix: str):
        super().__init__(convert_charrefs=True)
        self.action_suffix = action_suffix
        self.fields: list[tuple[str, str]] = []
        self.found = False
        self._in_form = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and not self.found and a.get("action", "").endswith(self.action_suffix):
            self._in_form = self.found = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._multiple, self._options = name, "multiple" in a, []
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, []]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not self._multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields.extend((self._select, value) for value in chosen)
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        elif self._option is not None:
            self._option[2].append(data)

    def _close_option(self) -> None:
        if self._option is not None:
            value, selected, text = self._option
            self._options.append((value if value is not None else "".join(text).strip(), selected))
            self._option = None


def read_form(page: str, action_suffix: str) -> list[tuple[str, str]]:
    reader = FormReader(action_suffix)
    reader.feed(page)
    reader.close()
    if not reader.found:
        raise ValueError(f"no form with an action ending in {action_suffix!r} on the page")
    return reader.fields


def form_data(page: str, action_suffix: str) -> dict[str, str | list[str]]:
    """`read_form` as a dict for the test client: a name sent more than once maps to a list."""
    data: dict[str, list[str]] = {}
    for name, value in read_form(page, action_suffix):
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
