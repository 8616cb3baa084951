"""The layout of the mail that brings people back (a notice, a digest): sections of items, each a
sentence with a link, then why they get it, a one-click way to stop it and a link to their settings.

The HTML part is a small accessible document (language, a heading per section, lists, every link
written out as words); the plain-text part says the same with each link on its own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape

from markupsafe import Markup

from server.mail import unsubscribe
from server.mail.messages import SITE, Message
from server.settings import Settings, public_link

SETTINGS_PATH = "/account/notifications"
_HREF = re.compile(r'href="(/[^"]*)"')
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Line:
    """One item of a section, made once and shared by every letter that shows it."""

    html: Markup  # with full links
    text: str  # the words, then the link on the next line


def line(settings: Settings, sentence: Markup) -> Line:
    """A sentence whose links are the site's own paths, as a letter shows it."""
    return Line(absolute(settings, sentence), plain(settings, sentence))


@dataclass(slots=True)
class Section:
    heading: str
    items: list[Line] = field(default_factory=list)
    more: str = ""  # "and 12 more in Northern Primary Network", linked below
    news: bool = True  # False for a reminder (requests still waiting): a digest of reminders alone is not sent


def absolute(settings: Settings, sentence: Markup) -> Markup:
    """The sentence with its site paths made into full links (mail is read away from the site)."""

    def full(match: re.Match[str]) -> str:
        return f'href="{escape(public_link(settings, unescape(match.group(1))), quote=True)}"'

    # already-safe markup whose only change is each escaped href made absolute (and escaped again)
    return Markup(_HREF.sub(full, str(sentence)))  # noqa: S704


def plain(settings: Settings, sentence: Markup) -> str:
    """The sentence as text, followed by its first link on the next line."""
    text = unescape(_TAG.sub("", str(sentence)))
    found = _HREF.search(str(sentence))
    return f"{text}\n  {public_link(settings, unescape(found.group(1)))}" if found else text


def letter(
    settings: Settings,
    *,
    kind: str,
    subject: str,
    greeting: str,
    sections: list[Section],
    why: str,
    stop_label: str,
    stop_link: str,
) -> Message:
    settings_link = public_link(settings, SETTINGS_PATH)
    text_parts = [greeting]
    html_parts = [f"<p>{escape(greeting)}</p>"]
    for section in sections:
        text_parts.append(section.heading + "\n" + "-" * len(section.heading))
        text_parts.extend("- " + item.text for item in section.items)
        html_parts.append(f"<h2>{escape(section.heading)}</h2><ul>")
        html_parts.extend(f"<li>{item.html}</li>" for item in section.items)
        html_parts.append("</ul>")
        if section.more:
            text_parts.append(section.more)
            html_parts.append(f"<p>{escape(section.more)}</p>")
    text_parts += [
        why,
        f"{stop_label}, in one click:\n{stop_link}",
        f"Choose what we email you:\n{settings_link}",
        SITE,
    ]
    html_parts += [
        '<hr><footer><p style="font-size:0.9em">',
        escape(why),
        f'</p><p style="font-size:0.9em"><a href="{escape(stop_link, quote=True)}">{escape(stop_label)}</a>'
        f' · <a href="{escape(settings_link, quote=True)}">Choose what we email you</a></p>',
        f"<p>{SITE}</p></footer>",
    ]
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head><body><h1>{escape(subject)}</h1>"
        + "".join(html_parts)
        + "</body></html>"
    )
    return Message(kind, f"{SITE}: {subject}", "\n\n".join(text_parts) + "\n", html)


def with_stop(settings: Settings, message: Message, person_id: int, group: str, label: str) -> Message:
    """A message of its own making given the footer every notice has: a one-click way to stop its group
    and a link to the settings page (its List-Unsubscribe headers go with it: `unsubscribe.headers`)."""
    stop = unsubscribe.link(settings, person_id, group)
    settings_link = public_link(settings, SETTINGS_PATH)
    stop_label = f"Stop emails about {label.lower()}"
    text = message.text.rstrip("\n") + f"\n\n{stop_label}, in one click:\n{stop}\n\nChoose what we email you:\n"
    text += settings_link + "\n"
    footer = (
        f'<hr><footer><p style="font-size:0.9em"><a href="{escape(stop, quote=True)}">{escape(stop_label)}</a>'
        f' · <a href="{escape(settings_link, quote=True)}">Choose what we email you</a></p></footer>'
    )
    return Message(message.kind, message.subject, text, message.html.replace("</body>", footer + "</body>"))
