"""Our words for strings that Django and django-allauth bring along.

The project catalogue (``kring/locale/nl``, listed in ``LOCALE_PATHS``) is read before every
app's, so a translation there replaces theirs. Listing the strings here keeps ``makemessages``
from dropping them. The glossary they follow is in ``docs/design.md`` ("Words"): *Inloggen*
(log in), *Uitloggen*, *Account maken* (create an account), informal *je*, and months in lower
case with a full stop ("1 jan. 2026").
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

#: django-allauth: logging in, out, creating an account.
ALLAUTH = [
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("You have signed out."),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Sign-In Code"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("Other sign-in options"),
    gettext_noop("Sign in with a passkey"),
    gettext_noop("Sign up using a passkey"),
    gettext_noop("Passkey Sign Up"),
    gettext_noop("Remember Me"),
    gettext_noop("Current email"),
    gettext_noop("Change to"),
    gettext_noop("Note"),
    gettext_noop("Password Reset"),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop(
        "An account already exists with this email address. Please sign in to that account "
        "first, then connect your %s account."
    ),
    gettext_noop(
        "Enabling passwordless operation allows you to sign in using just this key, but "
        "imposes additional requirements such as biometrics or PIN protection."
    ),
]

#: django.contrib.auth's password rules, in the informal "je".
PASSWORDS = [
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
]

#: Django's month abbreviations ("b" in a date format): Dutch writes "jan.", "mei".
MONTHS = [
    gettext_noop("jan"),
    gettext_noop("feb"),
    gettext_noop("mar"),
    gettext_noop("apr"),
    gettext_noop("may"),
    gettext_noop("jun"),
    gettext_noop("jul"),
    gettext_noop("aug"),
    gettext_noop("sep"),
    gettext_noop("oct"),
    gettext_noop("nov"),
    gettext_noop("dec"),
]
