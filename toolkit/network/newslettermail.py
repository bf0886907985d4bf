"""The newsletter as a mail: Danish, plain text and HTML (multipart/alternative) with the same content, one per
subscriber, with a one-click unsubscribe link in the footer and in the `List-Unsubscribe` and
`List-Unsubscribe-Post` headers (RFC 8058, written whole by the outbox's MAIL_POLICY).

The intro is plain text from the facilitator's form: escaped into the HTML (paragraphs at blank lines), and the
whole HTML fragment passes nh3's allow-list as well, so nothing typed can become markup.
"""

from __future__ import annotations

import datetime as dt
import html
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

import nh3

from toolkit.network.newsletter import Digest
from toolkit.people.mail import Site

SUBJECT_MAX = 200
REASON = "Du får dette nyhedsbrev, fordi du abonnerer på »Nyt fra netværket« i Netkit."


def paragraphs(text: str) -> list[str]:
    """The intro's paragraphs (blank lines between them), each with its lines joined by single spaces."""
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def plain_text(site: Site, digest: Digest, unsubscribe_url: str) -> str:
    lines = [digest.title, "=" * len(digest.title), ""]
    for paragraph in paragraphs(digest.intro):
        lines += [paragraph, ""]
    for _name, heading, items in digest.sections():
        lines += [heading, "-" * len(heading)]
        for item in items:
            lines += [f"* {item.title}", f"  {item.text}", f"  {site.url(item.path)}"]
        lines.append("")
    lines += [f"Nyhedsbrevet på nettet: {site.url(f'nyhedsbrev/{digest.month}/')}", "", "-- ", REASON,
              f"Afmeld nyhedsbrevet: {unsubscribe_url}"]
    return "\n".join(lines) + "\n"


def html_fragment(site: Site, digest: Digest, unsubscribe_url: str) -> str:
    """The mail's HTML body (what goes inside <body>), sanitised."""
    e = html.escape
    parts = [f"<h1>{e(digest.title)}</h1>"]
    parts += [f"<p>{e(paragraph)}</p>" for paragraph in paragraphs(digest.intro)]
    for _name, heading, items in digest.sections():
        parts.append(f"<h2>{e(heading)}</h2><ul>")
        parts += [f'<li><a href="{e(site.url(item.path))}">{e(item.title)}</a><br>{e(item.text)}</li>'
                  for item in items]
        parts.append("</ul>")
    parts += [f'<p><a href="{e(site.url(f"nyhedsbrev/{digest.month}/"))}">Læs nyhedsbrevet på nettet</a></p>',
              f'<hr><p>{e(REASON)} <a href="{e(unsubscribe_url)}">Afmeld nyhedsbrevet</a></p>']
    return nh3.clean("".join(parts), url_schemes={"http", "https", "mailto"})


def newsletter_mail(site: Site, digest: Digest, *, to: tuple[str, str], unsubscribe_url: str,
                    now: dt.datetime | None = None) -> EmailMessage:
    """One issue for one subscriber; `to` is (display name, address)."""
    message = EmailMessage()
    message["From"] = site.sender
    message["To"] = formataddr((" ".join(to[0].split()), to[1]))
    message["Subject"] = " ".join(digest.title.split())[:SUBJECT_MAX]
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid("netkit-newsletter", domain=site.domain)
    message["List-Id"] = f"Nyt fra netværket <nyhedsbrev.{site.domain}>"
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(plain_text(site, digest, unsubscribe_url), charset="utf-8")
    document = (f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{html.escape(digest.title)}'
                f"</title></head><body>{html_fragment(site, digest, unsubscribe_url)}</body></html>\n")
    message.add_alternative(document, subtype="html", charset="utf-8")
    return message
