"""SMTP_URL names the server, how TLS is used, and the user and password (URL-decoded)."""

from __future__ import annotations

from server.mail.smtp_url import parse


def test_smtp_with_user_password_and_starttls_choice() -> None:
    target = parse("smtp://mail%2Bbot:p%40ss%3Aw%2Frd@smtp.example.org:2525?starttls=required")
    assert (target.host, target.port, target.implicit_tls) == ("smtp.example.org", 2525, False)
    assert target.starttls == "required"
    assert (target.username, target.password) == ("mail+bot", "p@ss:w/rd")
    assert "p@ss" not in repr(target) and "mail+bot@smtp.example.org:2525" in repr(target)


def test_defaults_opportunistic_starttls_on_submission_and_implicit_tls_on_465() -> None:
    plain = parse("smtp://smtp.example.org")
    assert (plain.port, plain.starttls, plain.username, plain.password) == (587, "opportunistic", None, None)
    implicit = parse("smtps://u:p@smtp.example.org")
    assert (implicit.port, implicit.implicit_tls, implicit.starttls) == (465, True, "off")
    assert parse("smtp://relay:25?starttls=off").starttls == "off"
