"""A queued row as an email message, built by the standard library's `email.message.EmailMessage`.

The same row always makes the same message (its Date is when it was queued, its Message-ID made
then), so a message sent again after a crash is one a receiver recognises as the one it has.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from server.mail.models import OutboundMail


def compose(mail: OutboundMail, *, sender: str) -> EmailMessage:
    """From `sender` (MAIL_FROM), a text/plain part and, when there is one, its HTML alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a robot
    for name, value in (mail.headers or {}).items():  # a notice's or digest's List-Unsubscribe
        message[name] = value
    message.set_content(mail.text_body)
    if mail.html_body is not None:
        message.add_alternative(mail.html_body, subtype="html")
    return message


def text_part(message: EmailMessage) -> str:
    """The message's text/plain part."""
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if isinstance(part, EmailMessage) else ""
