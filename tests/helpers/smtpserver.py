"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the notification tests: it keeps what it receives, can answer
"try later" (451) to every message, and can be stopped and started again on the same port (a server that is down)."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


class MailCatcher:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # the bytes of each message as the server got them (same order as messages)
        self.refuse = ""  # e.g. "451 4.3.0 try again later": every DATA gets this answer
        self.port = free_port()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls this hook by name
        if self.refuse:
            return self.refuse
        message = message_from_bytes(envelope.content, policy=default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        self.raw.append(envelope.original_content or envelope.content)
        return "250 OK"

    def start(self) -> MailCatcher:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
