"""Each notification as a readable sentence with a link to what it is about: written once, for the
notifications page, its live list and the email that tells a person who was away (server/mail/notice_mail.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from network.people.notifications import NotificationView


def _reason(data: dict[str, Any]) -> Markup:
    reason = str(data.get("reason") or "").strip()
    return Markup(" Reason given: {}.").format(reason.rstrip(".")) if reason else Markup("")


def _clause(data: dict[str, Any], slug: str) -> Markup:
    clause = data.get("clause")
    if not isinstance(clause, int):
        return Markup("")
    return Markup(' (<a href="/networks/{}/charter#clause-{}">charter clause {}</a>)').format(slug, clause, clause)


def _appeal(data: dict[str, Any]) -> Markup:
    """An appeal link while the decision can still be appealed."""
    decision_id, until = data.get("decision_id"), data.get("appealable_until")
    if not isinstance(decision_id, int) or not until:
        return Markup("")
    try:
        last_day = datetime.fromisoformat(str(until))
    except ValueError:
        return Markup("")
    return Markup(' <a href="/decisions/{}/appeal">Appeal this decision</a> (until {:%d %B %Y}).').format(
        decision_id, last_day
    )


_DECIDED = {
    "approve": Markup("approved your {} — it is now shown to members"),
    "hide": Markup("hid your {}"),
    "restore": Markup("restored your {}"),
    "remove": Markup("removed your {}"),
    "edit": Markup("edited your {}"),
    "lock": Markup("locked the thread {}"),
    "unlock": Markup("unlocked the thread {}"),
    "pin": Markup("pinned your {}"),
    "unpin": Markup("unpinned your {}"),
}
_SANCTIONED = {"mute": "muted you", "suspend": "suspended you", "ban": "banned you", "lift": "lifted your sanction"}


def _until(data: dict[str, Any]) -> str:
    try:
        return f" until {datetime.fromisoformat(str(data['until'])):%d %B %Y %H:%M} UTC" if data.get("until") else ""
    except ValueError:
        return ""


def _words(value: Any) -> str:
    return str(value or "").replace("_", " ")


def _engagement_link(data: dict[str, Any]) -> Markup:
    engagement_id = data.get("engagement_id")
    title = str(data.get("title") or "an engagement")
    if not isinstance(engagement_id, int):
        return Markup("“{}”").format(title)
    return Markup('“<a href="/engagements/{}">{}</a>”').format(engagement_id, title)


_ENGAGEMENT = {
    "engagement.opened": Markup(
        "{by} accepted the offer of {organisation}: the engagement {link} is open. Agree its plan."
    ),
    "engagement.named": Markup("{by} named you in the engagement {link}."),
    "engagement.message": Markup("{by} wrote in the engagement {link}."),
    "engagement.outcome": Markup("{by} wrote their side's outcome of the engagement {link}: yours closes it."),
    "engagement.check_in_due": Markup(
        "A check-in is due in the engagement {link}: record your progress against its aims."
    ),
    "engagement.follow_up_due": Markup(
        "Did the change last? The engagement {link} closed a while ago: say how it stands now."
    ),
}


def _engagement_sentence(kind: str, data: dict[str, Any], by: str) -> Markup:
    """A notification about an engagement one is named in (docs/design.md §3.12)."""
    link = _engagement_link(data)
    if kind == "engagement.agreed":
        now = " Both sides agree: it is active." if data.get("active") else " Agree it too to start."
        return Markup("{} agreed the plan of the engagement {}.{}").format(by, link, now)
    if kind == "engagement.closed":
        how = "stopped early" if data.get("closed_as") == "stopped_early" else "closed with both sides' outcomes"
        return Markup("The engagement {} {}.").format(link, how)
    template = _ENGAGEMENT.get(kind, Markup("Something happened in the engagement {link}."))
    return template.format(by=by, organisation=data.get("organisation") or "another organisation", link=link)


def sentence(view: NotificationView, names: dict[int, str]) -> Markup:
    """A readable sentence for a notification, with a link to what it is about (every value escaped)."""
    data = view.data
    slug = str(data.get("network") or "")
    network = names.get(view.network_id or 0) or slug or "a network"
    network_link = Markup('<a href="/networks/{}">{}</a>').format(slug, network) if slug else escape(network)
    post_id = data.get("post_id")
    title = str(data.get("title") or "a post")
    post_href = f"/posts/{int(post_id)}" if isinstance(post_id, int) else None
    post_link = Markup('“<a href="{}">{}</a>”').format(post_href, title) if post_href else Markup("“{}”").format(title)
    by = str(data.get("by") or "Someone")
    match view.kind:
        case "reply.created":
            reply_id = data.get("reply_id")
            if post_href and isinstance(reply_id, int):
                post_link = Markup('“<a href="{}#reply-{}">{}</a>”').format(post_href, reply_id, title)
            return Markup("{} replied to your post {}.").format(by, post_link)
        case "mention":
            return Markup("{} mentioned you in {}.").format(by, post_link)
        case "post.created":
            kind = "request" if data.get("kind") == "request" else "practice"
            return Markup("{} shared a new {} in {}: {}.").format(by, kind, network, post_link)
        case "search.matched":
            kind = "request" if data.get("kind") == "request" else "practice"
            more = data.get("searches")
            others = int(more) - 1 if isinstance(more, int) and more > 1 else 0
            also = Markup(" (and {} more of your saved searches)").format(others) if others else Markup("")
            search_name = str(data.get("search_name") or "")
            search = Markup('<a href="/account/saved-searches">saved search</a> “{}”').format(search_name)
            return Markup("{} shared a new {} in {}: {}. It matches your {}{}.").format(
                by, kind, network, post_link, search, also
            )
        case "offer.made":
            return Markup("{} offered help with your request {}.").format(
                data.get("organisation") or "An organisation", post_link
            )
        case "offer.accepted":
            return Markup("Your offer on {} was accepted.").format(post_link)
        case "offer.declined":
            return Markup("Your offer on {} was declined.").format(post_link)
        case "offer.withdrawn":
            return Markup("{} withdrew its offer on your request {}.").format(
                data.get("organisation") or "An organisation", post_link
            )
        case "adoption.report_due":
            if post_href:
                post_link = Markup('“<a href="{}#tried-elsewhere">{}</a>”').format(post_href, title)
            return Markup(
                "It is time to say how {} went for your organisation: did it work, how do you know, and what "
                'would you tell the next trust? <a href="/account/adoptions">Your adoptions</a>.'
            ).format(post_link)
        case "adoption.reported":
            if post_href:
                post_link = Markup('“<a href="{}#tried-elsewhere">{}</a>”').format(post_href, title)
            result = {"improved": "improvement", "no_change": "no change", "worse": "things worse"}.get(
                str(data.get("result")), "that it is too early to say"
            )
            return Markup("{} tried your practice {} and reports {}.").format(
                data.get("organisation") or "An organisation", post_link, result
            )
        case "post.edited_by_lead":
            return Markup("A lead edited your post {}.{}").format(post_link, _reason(data))
        case "membership.approved":
            return Markup("Your request to join {} was approved: you are now a member.").format(network_link)
        case "membership.changed" if data.get("action") in _SANCTIONED:
            return Markup("A lead of {} {}{}.{}{}{}").format(
                network_link,
                _SANCTIONED[str(data["action"])],
                _until(data) if data.get("action") in ("mute", "suspend") else "",
                _reason(data),
                _clause(data, slug),
                _appeal(data),
            )
        case "decision" if data.get("target_type") == "engagement_message":
            return Markup("A platform admin removed your message in the engagement {}.{}").format(
                _engagement_link(data), _reason(data)
            )
        case kind if kind.startswith("engagement."):
            return _engagement_sentence(kind, data, by)
        case "decision":
            what = "reply on " if data.get("target_type") == "reply" else "post "
            template = _DECIDED.get(str(data.get("action")), Markup("decided on your {}"))
            return Markup("A lead {}.{}{}{}").format(
                template.format(Markup("{}{}").format(what, post_link)),
                _reason(data),
                _clause(data, slug),
                _appeal(data),
            )
        case "flag.decided":
            outcome = "they acted on it" if data.get("outcome") == "upheld" else "they decided to leave it as it is"
            return Markup("The leads of {} looked at your flag on {}: {}.{}").format(
                network_link, post_link, outcome, _reason(data)
            )
        case "queue.added":
            what = "A held" if data.get("held") else "A flagged"
            item = "reply on" if data.get("target_type") == "reply" else "post,"
            return Markup('{} {} {} is waiting in the <a href="/networks/{}/queue">{} review queue</a> ({}).').format(
                what, item, post_link, slug, network, data.get("severity") or "to review"
            )
        case "appeal.filed":
            appeal_id = data.get("appeal_id")
            who = " It comes to the platform's admins: the network has no other lead." if data.get("to_admin") else ""
            return Markup('{} appealed a decision in {}.{} <a href="/appeals/{}">Read and decide it</a>.').format(
                by, network_link, who, appeal_id
            )
        case "appeal.decided":
            outcome = (
                "overturned: the decision is undone"
                if data.get("outcome") == "overturned"
                else "upheld: the decision stands"
            )
            return Markup('The appeal in {} was {}.{} <a href="/appeals/{}">See the appeal</a>.').format(
                network_link, outcome, _reason(data), data.get("appeal_id")
            )
        case "membership.changed":
            return Markup("Your membership of {} changed: you are now {} ({}).{}").format(
                network_link, _words(data.get("role")), _words(data.get("state")), _reason(data)
            )
        case "membership.removed":
            return Markup('You were removed from {}.{} <a href="/networks">See the networks</a>.').format(
                network, _reason(data)
            )
        case "membership.declined":
            return Markup('Your request to join {} was declined.{} <a href="/networks">See the networks</a>.').format(
                network, _reason(data)
            )
        case "role.changed":
            return Markup("You are now a {} of {}.").format(_words(data.get("role")), network_link)
        case "affiliation.requested":
            person = data.get("person")
            name = person.get("display_name") if isinstance(person, dict) else None
            return Markup('{} asked to act for {}. <a href="/organisations/{}/people">Approve or decline</a>.').format(
                name or "Someone", data.get("organisation") or "your organisation", data.get("organisation_id")
            )
        case "affiliation.decided":
            org = data.get("organisation") or "Your organisation"
            match data.get("state"):
                case "verified":
                    return Markup("{} approved you: you can now post, reply and offer help for it.").format(org)
                case "declined":
                    return Markup("{} declined your request to act for it.{}").format(org, _reason(data))
                case _:
                    return Markup("{} removed you from its people.{}").format(org, _reason(data))
        case "join.requested":
            person = data.get("person")
            name = person.get("display_name") if isinstance(person, dict) else None
            return Markup("{} asked to join {}.").format(name or "Someone", network_link)
        case _:
            what = _words(view.kind.replace(".", " "))
            if post_href:
                return Markup("Something happened ({}) on {}.").format(what, post_link)
            return Markup("Something happened ({}) in {}.").format(what, network_link)
