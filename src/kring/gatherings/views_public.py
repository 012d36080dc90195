"""Pages without log-in: guest sign-up, guest confirm/cancel links and the calendar feeds."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kring.core.antispam import verify_submission
from kring.core.errors import DomainError
from kring.core.views_helpers import use_case
from kring.networks.models import Membership, Network

from . import answer_links, ical, services
from .forms import GuestForm
from .models import CalendarFeed, Gathering, Rsvp, RsvpStatus

#: Rate-limit scope of the public guest sign-up (per IP and per e-mail address).
GUEST_SCOPE = "gatherings.guest"


@never_cache
def guest_signup(request: HttpRequest, slug: str, gathering_id: int) -> HttpResponse:
    """Public sign-up, protected by honeypot, rate limit and proof of work. A filled honeypot
    (a bot) sees the normal thank-you text and nothing is stored; a fixable problem (no
    JavaScript, expired check, too many tries) keeps what was typed and says what to do."""
    g = get_object_or_404(
        Gathering.objects.select_related("network"),
        pk=gathering_id,
        network__slug=slug,
        open_to_guests=True,
    )
    if not g.network.accepts_guests:  # the public page is off, and so are guest pages
        raise Http404
    form = GuestForm(request.POST or None)
    if not g.has_online or not g.has_in_person:
        del form.fields["online"]  # only a hybrid gathering offers the choice
    done = False
    if request.method == "POST" and form.is_valid():
        verdict = verify_submission(request, form, scope=GUEST_SCOPE)
        if verdict.is_bot:
            done = True  # quiet drop
        elif verdict.ok:
            with use_case(request, form=form) as attempt:
                services.register_guest(
                    gathering=g,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    consent=form.cleaned_data["consent"],
                    online=form.cleaned_data.get("online", False),
                )
            done = bool(attempt)
    return render(
        request,
        "gatherings/guest_signup.html",
        {
            "gathering": g,
            "public_network": g.network,
            "form": form,
            "done": done,
        },
    )


@never_cache
def guest_link(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms or cancels."""
    rsvp = services.guest_rsvp_by_token(token)
    if rsvp is None:
        raise Http404(_("This link is not valid."))
    error = ""
    if request.method == "POST":
        try:
            if action == "confirm":
                rsvp = services.confirm_guest(rsvp=rsvp)
            else:
                rsvp = services.cancel_guest(rsvp=rsvp)
        except DomainError as exc:
            error = str(exc)
    return render(
        request,
        "gatherings/guest_link.html",
        {
            "rsvp": rsvp,
            "gathering": rsvp.gathering,
            "action": action,
            "error": error,
            "posted": request.method == "POST",
            "position": services.waitlist_position(rsvp),
            "statuses": RsvpStatus,
            "token": token,
        },
    )


@never_cache
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-click answer from an e-mail: GET shows a button (mail scanners prefetch links
    and must answer nothing), POST answers for the person the signed link was made for."""
    parsed = answer_links.read_answer_token(token)
    if parsed is None:
        return render(request, "gatherings/answer.html", {"invalid": True}, status=400)
    person, gathering, answer = parsed
    context = {
        "person": person,
        "gathering": gathering,
        "answer_label": dict(RsvpStatus.choices)[answer],
    }
    status = 200
    if request.method == "POST":
        try:
            result = services.answer_rsvp(actor=person, gathering=gathering, answer=answer)
        except DomainError as exc:
            context["error"], status = str(exc), exc.status
        else:
            context["done"], context["status"] = True, result.status
    return render(request, "gatherings/answer.html", context, status=status)


def network_feed(request: HttpRequest, slug: str) -> HttpResponse:
    # Published only with the public page: "off" means off.
    network = get_object_or_404(Network, slug=slug, public_page_enabled=True)
    since = timezone.now() - timedelta(days=90)
    gatherings = (
        Gathering.objects.filter(network=network, open_to_guests=True, ends_at__gte=since)
        .select_related("network")
        .order_by("starts_at")[:200]
    )
    return ical.ics_response(ical.calendar_for(gatherings, name=network.name), f"{slug}.ics")


def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or len(token) > 64:
        raise Http404
    since = timezone.now() - timedelta(days=90)
    # Only networks the person is still a member of (not those they left).
    networks = Membership.objects.current().filter(user=feed.user).values("network_id")
    ids = Rsvp.objects.filter(
        user=feed.user,
        status__in=[RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.MAYBE],
        gathering__network_id__in=networks,
    ).values("gathering_id")
    gatherings = (
        Gathering.objects.filter(pk__in=ids, ends_at__gte=since)
        .select_related("network")
        .order_by("starts_at")[:500]
    )
    return ical.ics_response(ical.calendar_for(gatherings, name="Kring"), "kring.ics")
