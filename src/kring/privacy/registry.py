"""Which models hold personal data, which fields, why, and what happens on erasure.

Every model with a ForeignKey/OneToOne to the user model, or an e-mail field, must be listed
here (``tests/test_registry.py`` fails otherwise). The privacy page, "download my data" and
"delete my account" are generated from this one table.

Strategies on "delete my account":

- ``delete``: rows about the person are deleted.
- ``blank``: rows stay; the listed ``fields`` are cleared (text → "", e-mail → a
  placeholder). Used where the row matters to others (a past RSVP counts a seat).
- ``keep``: rows stay unchanged and point at the pseudonymised account ("Former member");
  used for the ledger (every balance stays correct) and for shared records such as
  contributions, comments and audit entries.

The account itself (``people.User``) is pseudonymised last: its e-mail becomes
``deleted-<id>@invalid``, the password unusable, ``is_active`` off.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DELETE = "delete"
BLANK = "blank"
KEEP = "keep"
PSEUDONYMISE = "pseudonymise"


@dataclass(frozen=True)
class Entry:
    strategy: str
    purpose: Promise | str
    fields: tuple[str, ...] = ()
    # Lookups that find this person's rows on erasure (default: every FK to the user and
    # every e-mail field). The export always uses all of them.
    paths: tuple[str, ...] = field(default=())


_ACCOUNT = _("your account and signing in")
_PROFILE = _("your profile, shown to the members of your networks")
_NETWORK = _("your membership of a network")
_GATHER = _("gatherings: RSVPs, agenda, check-in")
_INTRO = _("introductions between members")
_LEDGER = _("the shared ledger: expenses, shares and payments (kept so balances stay right)")
_RESULTS = _("results: contributions, help for third parties")
_KNOW = _("shared knowledge: posts and comments")
_COMMIT = _("applications and engagement")
_MAIL = _("e-mail notifications")
_PUSH = _("notifications on your devices (web push): where to send them, per device")
_TALK = _("private conversations with other members (what you wrote; the other side keeps theirs)")
_SECURITY = _("security: sessions, second factors, login attempts, audit trail")

REGISTRY: dict[str, Entry] = {
    # Accounts and security
    "people.User": Entry(PSEUDONYMISE, _ACCOUNT, ("email", "language", "date_joined")),
    "people.Profile": Entry(
        PSEUDONYMISE,
        _PROFILE,
        (
            "display_name",
            "photo",
            "story",
            "passion",
            "talents",
            "offers",
            "seeks",
            "languages",
            "city",
            "company",
            "role",
        ),
    ),
    "people.ProfileTag": Entry(DELETE, _PROFILE, ("tag", "kind"), paths=("profile__user",)),
    "people.ApiToken": Entry(DELETE, _SECURITY, ("name", "hint", "last_used_at")),
    "account.EmailAddress": Entry(DELETE, _ACCOUNT, ("email",)),
    "mfa.Authenticator": Entry(DELETE, _SECURITY, ("type",)),
    "usersessions.UserSession": Entry(DELETE, _SECURITY, ("ip", "user_agent", "last_seen_at")),
    "admin.LogEntry": Entry(KEEP, _SECURITY, ("object_repr",)),
    "core.AuditEntry": Entry(KEEP, _SECURITY, ("verb", "created_at")),
    "axes.AccessAttempt": Entry(DELETE, _SECURITY, ("username", "ip_address"), paths=("username",)),
    "axes.AccessFailureLog": Entry(
        DELETE, _SECURITY, ("username", "ip_address"), paths=("username",)
    ),
    "axes.AccessLog": Entry(DELETE, _SECURITY, ("username", "ip_address"), paths=("username",)),
    # Networks
    "networks.Membership": Entry(KEEP, _NETWORK, ("role", "status", "joined_at")),
    "networks.Invitation": Entry(
        BLANK, _NETWORK, ("email", "name"), paths=("email", "accepted_by")
    ),
    # Gatherings
    "gatherings.Gathering": Entry(KEEP, _GATHER),
    "gatherings.Rsvp": Entry(BLANK, _GATHER, ("guest_email",), paths=("user",)),
    "gatherings.AgendaRead": Entry(DELETE, _GATHER),
    "gatherings.AgendaItem": Entry(KEEP, _GATHER),
    "gatherings.ByoItem": Entry(KEEP, _GATHER),
    "gatherings.ActionItem": Entry(KEEP, _GATHER),
    "gatherings.Comment": Entry(KEEP, _GATHER),
    "gatherings.DiscussionOptOut": Entry(DELETE, _GATHER),
    "gatherings.CalendarFeed": Entry(DELETE, _GATHER),
    # Introductions
    "introductions.Round": Entry(KEEP, _INTRO),
    "introductions.Introduction": Entry(KEEP, _INTRO),
    "introductions.Participant": Entry(KEEP, _INTRO),
    "introductions.MemberPreference": Entry(DELETE, _INTRO),
    "introductions.Block": Entry(DELETE, _INTRO),
    "introductions.KnewAlready": Entry(DELETE, _INTRO),
    # Ledger: entries stay so that every balance stays correct.
    "ledger.Expense": Entry(KEEP, _LEDGER),
    "ledger.ExpenseShare": Entry(KEEP, _LEDGER),
    "ledger.Balance": Entry(KEEP, _LEDGER),
    "ledger.BankAccount": Entry(DELETE, _LEDGER),
    "ledger.PaymentRequest": Entry(KEEP, _LEDGER),
    "ledger.Transfer": Entry(KEEP, _LEDGER),
    "ledger.PotContribution": Entry(KEEP, _LEDGER),
    "ledger.SupportRequest": Entry(KEEP, _LEDGER),
    "ledger.GatheringContribution": Entry(KEEP, _LEDGER),
    # Results
    "results.Objective": Entry(KEEP, _RESULTS),
    "results.Contribution": Entry(KEEP, _RESULTS),
    "results.HelpRequest": Entry(BLANK, _RESULTS, ("email", "name"), paths=("email",)),
    "results.RequestHelper": Entry(KEEP, _RESULTS),
    "results.Intention": Entry(DELETE, _RESULTS),
    "results.Referral": Entry(KEEP, _RESULTS),
    # Knowledge
    "knowledge.Post": Entry(KEEP, _KNOW),
    "knowledge.Comment": Entry(KEEP, _KNOW),
    "knowledge.PostImage": Entry(KEEP, _KNOW),
    # Public pages and mail
    "public.DigestSend": Entry(DELETE, _MAIL),
    "notify.Preference": Entry(DELETE, _MAIL),
    "notify.Delivery": Entry(DELETE, _MAIL),
    "push.PushSubscription": Entry(
        DELETE, _PUSH, ("device", "created_at", "last_success_at"), paths=("user",)
    ),
    # Messages from the hosts stay for the other recipients; the author becomes "former".
    "hostmessages.HostMessage": Entry(KEEP, _MAIL),
    "hostmessages.HostMessageRecipient": Entry(DELETE, _MAIL),
    "public.Follower": Entry(DELETE, _MAIL, paths=("email",)),
    # Date polls and contacts to invite
    "polls.Poll": Entry(KEEP, _GATHER),
    "polls.PollResponse": Entry(DELETE, _GATHER, paths=("user", "email")),
    "contacts.Contact": Entry(DELETE, _NETWORK, paths=("email",)),
    "contacts.ContactImport": Entry(KEEP, _NETWORK),
    # Conversations: the other side keeps the conversation; what you wrote is blanked.
    "conversations.Conversation": Entry(KEEP, _TALK, ("created_at",)),
    "conversations.Participant": Entry(DELETE, _TALK, ("muted", "last_mailed_at"), paths=("user",)),
    "conversations.Message": Entry(
        BLANK, _TALK, ("body", "proposed_when", "proposed_where"), paths=("sender",)
    ),
    "conversations.Report": Entry(DELETE, _TALK, ("reason", "created_at"), paths=("reporter",)),
    # Commitment
    "commitment.CharterVersion": Entry(KEEP, _COMMIT),
    "commitment.Application": Entry(
        BLANK,
        _COMMIT,
        ("name", "email", "passion", "talents", "gives", "seeks"),
        paths=("user", "email"),
    ),
    "commitment.ApplicationAdvice": Entry(KEEP, _COMMIT),
    "commitment.EngagementSnapshot": Entry(DELETE, _COMMIT),
    "commitment.LowEngagementNote": Entry(DELETE, _COMMIT),
}

# What the privacy page calls each kind of data, in words people use (model names such as
# "knew alreadys" or "byo items" are for developers). Every registry entry has one
# (``privacy/tests/test_data_rights.py``).
NAMES: dict[str, Promise] = {
    "people.User": _("your account"),
    "people.Profile": _("your profile"),
    "people.ProfileTag": _("the tags on your profile"),
    "people.ApiToken": _("your API keys"),
    "account.EmailAddress": _("your e-mail addresses"),
    "mfa.Authenticator": _("second sign-in steps (authenticator app, passkeys)"),
    "usersessions.UserSession": _("where you are signed in"),
    "admin.LogEntry": _("changes made by administrators"),
    "core.AuditEntry": _("the log of important actions"),
    "axes.AccessAttempt": _("failed sign-in attempts"),
    "axes.AccessFailureLog": _("failed sign-ins (log)"),
    "axes.AccessLog": _("sign-ins (log)"),
    "networks.Membership": _("your memberships"),
    "networks.Invitation": _("invitations"),
    "gatherings.Gathering": _("gatherings you organised"),
    "gatherings.Rsvp": _("your answers to gatherings (coming or not)"),
    "gatherings.AgendaRead": _("which agendas you read"),
    "gatherings.AgendaItem": _("agenda items"),
    "gatherings.ByoItem": _("what you bring to a gathering"),
    "gatherings.ActionItem": _("action items"),
    "gatherings.Comment": _("comments on gatherings"),
    "gatherings.DiscussionOptOut": _("discussions you muted"),
    "gatherings.CalendarFeed": _("your private calendar address"),
    "introductions.Round": _("introduction rounds"),
    "introductions.Introduction": _("introductions"),
    "introductions.Participant": _("your places in rounds and table plans"),
    "introductions.MemberPreference": _("your preferences for introductions"),
    "introductions.Block": _("people you do not want to be introduced to"),
    "introductions.KnewAlready": _("people you already knew"),
    "ledger.Expense": _("expenses"),
    "ledger.ExpenseShare": _("your shares of costs"),
    "ledger.Balance": _("balances"),
    "ledger.BankAccount": _("your bank account (IBAN)"),
    "ledger.PaymentRequest": _("payment requests"),
    "ledger.Transfer": _("payments between members"),
    "ledger.PotContribution": _("money put into the solidarity pot"),
    "ledger.SupportRequest": _("requests for support from the pot"),
    "ledger.GatheringContribution": _("contributions towards a gathering"),
    "results.Objective": _("objectives"),
    "results.Contribution": _("contributions"),
    "results.HelpRequest": _("requests for help"),
    "results.RequestHelper": _("who helps with a request"),
    "results.Intention": _("your intentions"),
    "results.Referral": _("referrals"),
    "knowledge.Post": _("posts"),
    "knowledge.Comment": _("comments on posts"),
    "knowledge.PostImage": _("images in posts"),
    "public.DigestSend": _("digests sent to you"),
    "notify.Preference": _("your notification choices"),
    "notify.Delivery": _("notifications sent to you"),
    "push.PushSubscription": _("your devices for push notifications"),
    "hostmessages.HostMessage": _("messages from the hosts"),
    "hostmessages.HostMessageRecipient": _("messages from the hosts you received"),
    "public.Follower": _("following a network by e-mail"),
    "polls.Poll": _("date polls"),
    "polls.PollResponse": _("your answers to date polls"),
    "contacts.Contact": _("contacts to invite"),
    "contacts.ContactImport": _("contact lists you uploaded"),
    "conversations.Conversation": _("conversations"),
    "conversations.Participant": _("your part in conversations"),
    "conversations.Message": _("messages"),
    "conversations.Report": _("messages you reported"),
    "commitment.CharterVersion": _("charter versions"),
    "commitment.Application": _("applications"),
    "commitment.ApplicationAdvice": _("advice on applications"),
    "commitment.EngagementSnapshot": _("your engagement score over time"),
    "commitment.LowEngagementNote": _("notes to hosts about low engagement"),
}

# Field names that read as database columns ("last used at", "ip", "object repr").
FIELD_WORDS: dict[str, Promise] = {
    "kind": _("kind (passion, talent, offer, seek)"),
    "hint": _("the last characters of the key"),
    "last_used_at": _("last used"),
    "type": _("kind"),
    "ip": _("IP address"),
    "ip_address": _("IP address"),
    "user_agent": _("browser and device"),
    "last_seen_at": _("last seen"),
    "object_repr": _("what was changed"),
    "verb": _("action"),
    "created_at": _("when"),
    "last_mailed_at": _("last e-mailed"),
    "username": _("e-mail address typed"),
    "joined_at": _("member since"),
    "date_joined": _("account since"),
    "last_success_at": _("last notification delivered"),
}
