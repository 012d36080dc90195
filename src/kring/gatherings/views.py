"""Pages for gatherings. Thin: access first, a form, one service, redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kring.core.covers import CoverForm, serve_cover
from kring.core.errors import DomainError
from kring.core.files import serve_file
from kring.core.installable import keep_offline
from kring.core.pagecache import cached_page
from kring.core.views_helpers import message_error, use_case
from kring.networks.access import (
    NetworkAccess,
    access_network,
    network_by_slug,
    viewer_membership,
)
from kring.people.auth import AuthedRequest

from . import ical, month, selectors, services
from .door_texts import door_texts
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    ByoForm,
    CheckinCodeForm,
    CommentForm,
    EditGatheringForm,
    ExtendSeriesForm,
    MinutesForm,
    NewGatheringForm,
    WalkInForm,
)
from .models import ActionItem, AgendaItem, ByoItem, Gathering, Rsvp, RsvpStatus


def _get(acc: NetworkAccess, gathering_id: int) -> Gathering:
    g = selectors.gathering_for(acc.network, gathering_id)
    if g is None:
        raise Http404(_("No such gathering."))
    return g


def _learned_url(slug: str, g: Gathering) -> str:
    """The knowledge app's "write what we learned" form for a past gathering, pre-selecting
    it; empty while the gathering is not over (or when it was cancelled)."""
    if not g.is_past or g.is_cancelled:
        return ""
    return reverse("knowledge:new", args=[slug]) + f"?gathering={g.pk}"


def _back(slug: str, g: Gathering, anchor: str = "") -> HttpResponse:
    url = reverse("gatherings:detail", kwargs={"slug": slug, "gathering_id": g.pk})
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@cached_page
def gathering_list(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    if request.GET.get("view") == "month":
        return _month_view(request, acc)
    return render(
        request,
        "gatherings/list.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "upcoming": selectors.gatherings_for_list(acc.network, request.user),
            "past": selectors.gatherings_for_list(acc.network, request.user, past=True, limit=24),
        },
    )


def _month_view(request: AuthedRequest, acc: NetworkAccess) -> HttpResponse:
    """The list's Month tab: a calendar grid of one month (``?view=month&month=YYYY-MM``)."""
    today = timezone.localdate(timezone=acc.network.tzinfo)
    first = month.parse_month(request.GET.get("month"), today)
    if first is None:
        return render(
            request,
            "core/error.html",
            {"status": 400, "message": _("Choose a month as YYYY-MM, e.g. 2026-03.")},
            status=400,
        )
    gatherings = selectors.gatherings_in_month(acc.network, *month.month_bounds(first))
    return render(
        request,
        "gatherings/list.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "month": month.build_month(first, today, gatherings),
        },
    )


@login_required
def gathering_new(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = NewGatheringForm(request.POST or None, network=acc.network)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with use_case(request, form=form) as done:
            g = services.create_gathering(
                actor=request.user,
                network=acc.network,
                recurrence=data.pop("recurrence") or "",
                occurrence_count=data.pop("occurrence_count") or 1,
                **data,
            )
        if done:
            messages.success(request, _("The gathering is planned. Now prepare the agenda."))
            return _back(slug, g)
    return render(
        request,
        "gatherings/form.html",
        {
            "network": acc.network,
            "is_host": True,
            "form": form,
            "gathering": None,
        },
    )


@login_required
def gathering_edit(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    initial = {f: getattr(g, f) for f in services.EDITABLE_FIELDS}
    initial["starts_at"] = g.local_start.replace(tzinfo=None)
    initial["ends_at"] = g.local_end.replace(tzinfo=None)
    form = EditGatheringForm(request.POST or None, network=acc.network, initial=initial)
    if not g.series_id:
        form.fields["scope"].required = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        scope = data.pop("scope") or "one"
        with use_case(request, form=form) as done:
            services.update_gathering(actor=request.user, gathering=g, data=data, scope=scope)
        if done:
            messages.success(request, _("The gathering is saved."))
            return _back(slug, g)
    return _edit_page(request, acc, g, form=form, cover_form=CoverForm())


def _edit_page(
    request: AuthedRequest,
    acc: NetworkAccess,
    g: Gathering,
    *,
    form: EditGatheringForm,
    cover_form: CoverForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "gatherings/form.html",
        {
            "network": acc.network,
            "is_host": True,
            "form": form,
            "gathering": g,
            "extend_form": ExtendSeriesForm(),
            "cover_form": cover_form,
        },
        status=status,
    )


@login_required
@require_POST
def cover_edit(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    """Upload a gathering's cover, or remove it (on the edit page)."""
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    cover_form = CoverForm(request.POST, request.FILES)
    if cover_form.is_valid():
        with use_case(request, form=cover_form) as done:
            if request.POST.get("remove"):
                services.remove_gathering_cover(actor=request.user, gathering=g)
                message = _("The cover is removed.")
            else:
                services.set_gathering_cover(
                    actor=request.user, gathering=g, upload=cover_form.cleaned_data["cover"]
                )
                message = _("The cover is saved.")
        if done:
            messages.success(request, message)
            return redirect("gatherings:edit", slug=slug, gathering_id=g.pk)
    initial = {f: getattr(g, f) for f in services.EDITABLE_FIELDS}
    initial["starts_at"] = g.local_start.replace(tzinfo=None)
    initial["ends_at"] = g.local_end.replace(tzinfo=None)
    form = EditGatheringForm(network=acc.network, initial=initial)
    return _edit_page(request, acc, g, form=form, cover_form=cover_form, status=400)


def cover(request: HttpRequest, slug: str, gathering_id: int, key: str) -> HttpResponseBase:
    """A gathering's cover: public when it is open to guests of a network that publishes
    guest sign-up; else for the network's members only (404 for anyone else)."""
    network = network_by_slug(slug)
    g = selectors.gathering_for(network, gathering_id) if network is not None else None
    if network is None or g is None:
        raise Http404(_("No such gathering."))
    member = not g.cover_is_public and viewer_membership(request.user, network) is not None
    return serve_cover(request, g, key, is_member=member)


@login_required
@require_POST
def series_cancel(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    with use_case(request) as done:
        cancelled = services.cancel_series(actor=request.user, gathering=g)
    if done:
        messages.success(
            request,
            ngettext(
                "%(n)s gathering of the series is cancelled; members are told.",
                "%(n)s gatherings of the series are cancelled; members are told.",
                len(cancelled),
            )
            % {"n": len(cancelled)},
        )
    return _back(slug, g)


@login_required
@require_POST
def series_extend(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    form = ExtendSeriesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("gatherings:edit", slug=slug, gathering_id=g.pk)
    with use_case(request) as done:
        added = services.extend_series(
            actor=request.user, gathering=g, count=form.cleaned_data["count"]
        )
    if not done:
        return redirect("gatherings:edit", slug=slug, gathering_id=g.pk)
    messages.success(
        request,
        ngettext(
            "%(n)s gathering is added to the series.",
            "%(n)s gatherings are added to the series.",
            len(added),
        )
        % {"n": len(added)},
    )
    return _back(slug, g)


@login_required
@require_POST
def gathering_cancel(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    with use_case(request, success=_("The gathering is cancelled; members are told.")):
        services.cancel_gathering(actor=request.user, gathering=g)
    return _back(slug, g)


def _waitlist_position(mine: Rsvp | None, waitlist: list[Rsvp]) -> int | None:
    """``services.waitlist_position`` counted in the waitlist the page has already loaded."""
    if mine is None or mine.status != RsvpStatus.WAITLISTED or mine.waitlist_number is None:
        return None
    return sum(
        1
        for r in waitlist
        if r.waitlist_number is not None and r.waitlist_number <= mine.waitlist_number
    )


@login_required
@cached_page
def gathering_detail(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    g = selectors.gathering_for_page(acc.network, gathering_id, request.user)
    if g is None:
        raise Http404(_("No such gathering."))
    rsvps = selectors.attendees(g, with_reads=acc.is_host)
    mine = next((r for r in rsvps if r.user_id == request.user.pk), None)
    waitlist = [r for r in rsvps if r.status == RsvpStatus.WAITLISTED]
    actions = list(g.action_items.select_related("owner__profile"))
    context: dict[str, Any] = {
        "network": acc.network,
        "is_host": acc.is_host,
        "gathering": g,
        "items": selectors.agenda_items(g),
        "rsvps": rsvps,
        "mine": mine,
        "my_position": _waitlist_position(mine, waitlist),
        "full": g.seats_left == 0,
        "going": [r for r in rsvps if r.status == RsvpStatus.GOING],
        "waitlist": waitlist,
        "maybe": [r for r in rsvps if r.status == RsvpStatus.MAYBE],
        "online": [r for r in rsvps if r.status == RsvpStatus.ONLINE],
        "has_read": g.has_read,  # type: ignore[attr-defined]
        "carried": selectors.open_actions_carried(g),
        "actions": actions,
        "byo": list(g.byo_items.select_related("claimed_by__profile")),
        "comments": list(g.comments.select_related("author__profile")),
        "comment_form": CommentForm(),
        "code_form": CheckinCodeForm(),
        "byo_form": ByoForm() if acc.is_host else None,
        "action_form": ActionItemForm(network=acc.network) if acc.is_host else None,
        "learned_url": _learned_url(slug, g),
        "emails_off": g.emails_off,  # type: ignore[attr-defined]
        "checkin_open": g.starts_at - services.SELF_CHECKIN_BEFORE
        <= timezone.now()
        <= g.ends_at + services.SELF_CHECKIN_AFTER,
    }
    if acc.is_host:  # who of those going read the agenda (annotated by attendees)
        going = [r for r in context["going"] if r.user_id]
        context["unread_going"] = [r for r in going if not r.has_read]
        context["read_count"] = len(going) - len(context["unread_going"])
    return render(request, "gatherings/detail.html", context)


@login_required
@require_POST
def rsvp(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    g = _get(acc, gathering_id)
    with use_case(request) as done:
        result = services.answer_rsvp(
            actor=request.user, gathering=g, answer=request.POST.get("answer", "")
        )
    if done:
        if not result.changed:
            messages.info(request, _("You had already given this answer."))
        elif result.status == RsvpStatus.WAITLISTED:
            messages.warning(
                request,
                _("The gathering is full; you are number %(n)s on the waitlist.")
                % {"n": result.waitlist_position},
            )
        else:
            messages.success(
                request,
                _("Your answer is saved: %(status)s.")
                % {"status": result.rsvp.get_status_display()},
            )
    return _back(slug, g, "rsvp")


@login_required
@require_POST
def agenda_read(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    g = _get(acc, gathering_id)
    with use_case(request, success=_("Thank you for reading the agenda.")):
        services.mark_agenda_read(actor=request.user, gathering=g)
    return _back(slug, g, "agenda")


@login_required
def agenda_manage(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    form = AgendaItemForm(request.POST or None, request.FILES or None, network=acc.network)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.add_agenda_item(
                actor=request.user,
                gathering=g,
                **{k: v for k, v in form.cleaned_data.items() if k != "prep_file"},
                prep_file=form.cleaned_data.get("prep_file") or None,
            )
        if done:
            messages.success(request, _("The item is added to the agenda."))
            return redirect("gatherings:agenda", slug=slug, gathering_id=g.pk)
    return render(
        request,
        "gatherings/agenda.html",
        {
            "network": acc.network,
            "is_host": True,
            "gathering": g,
            "form": form,
            "items": selectors.agenda_items(g),
            "carried": selectors.open_actions_carried(g),
        },
    )


@login_required
@require_POST
def agenda_item_action(
    request: AuthedRequest, slug: str, gathering_id: int, item_id: int, action: str
) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    item = get_object_or_404(AgendaItem, pk=item_id, gathering=g)
    with use_case(request):
        if action == "remove":
            services.remove_agenda_item(actor=request.user, item=item)
        elif action in {"up", "down"}:
            services.move_agenda_item(actor=request.user, item=item, direction=action)
        else:
            raise Http404
    return redirect("gatherings:agenda", slug=slug, gathering_id=g.pk)


@login_required
@require_POST
def agenda_publish(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    with use_case(request) as done:
        services.publish_agenda(actor=request.user, gathering=g)
    if not done:
        return redirect("gatherings:agenda", slug=slug, gathering_id=g.pk)
    messages.success(request, _("The agenda is published; members get an e-mail."))
    return _back(slug, g, "agenda")


@login_required
def agenda_file(
    request: AuthedRequest, slug: str, gathering_id: int, item_id: int
) -> HttpResponseBase:
    acc = access_network(request.user, slug)
    g = _get(acc, gathering_id)
    item = get_object_or_404(AgendaItem, pk=item_id, gathering=g)
    if not item.prep_file or not (g.agenda_published or acc.is_host):
        raise Http404
    return serve_file(request, item.prep_file, filename=item.prep_file_name)


@login_required
def checkin(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    """The host's phone-friendly door list; each row toggles with htmx."""
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    if request.method == "POST":
        raw = request.POST.get("rsvp", "")
        rsvp_id = int(raw) if raw.isdigit() else -1
        error = ""
        try:
            rsvp_obj = services.check_in(
                actor=request.user,
                gathering=g,
                rsvp_id=rsvp_id,
                undo=request.POST.get("undo") == "1",
            )
        except DomainError as exc:
            if not request.htmx:  # type: ignore[attr-defined]
                message_error(request, exc)  # shown after the redirect (POST-redirect-GET)
                return redirect("gatherings:checkin", slug=slug, gathering_id=g.pk)
            found = g.rsvps.select_related("user__profile").filter(pk=rsvp_id).first()
            if found is None:  # no row to show the reason in (a forged or stale request)
                return HttpResponse(str(exc), status=exc.status)
            # Refused: the row comes back unchanged with the reason in a live region (htmx
            # swaps only 2xx answers, so this is a 200 carrying the refusal).
            rsvp_obj, error = found, str(exc)
        if request.htmx:  # type: ignore[attr-defined]
            going_qs = g.rsvps.filter(status=RsvpStatus.GOING)
            context = {
                "r": rsvp_obj,
                "error": error,
                "gathering": g,
                "network": acc.network,
                "oob": True,
                "checked": going_qs.filter(checked_in_at__isnull=False).count(),
                "total": going_qs.count(),
            }
            row = render_to_string("gatherings/checkin.html#row", context, request=request)
            count = render_to_string("gatherings/checkin.html#count", context, request=request)
            return HttpResponse(row + count)
        return redirect("gatherings:checkin", slug=slug, gathering_id=g.pk)
    everyone = selectors.attendees(g)
    going = sorted(
        (r for r in everyone if r.status == RsvpStatus.GOING), key=lambda r: r.name.lower()
    )
    q = request.GET.get("q", "").strip()[:100]
    shown = [r for r in going if q.casefold() in r.name.casefold()] if q else going
    response = render(
        request,
        "gatherings/checkin.html",
        {
            "network": acc.network,
            "is_host": True,
            "gathering": g,
            "going": shown,
            "q": q,
            "online": [r for r in everyone if r.status == RsvpStatus.ONLINE],
            "walk_in_form": WalkInForm(),
            "checked": sum(1 for r in going if r.checked_in_at),
            "total": len(going),
            "rendered_at": timezone.now(),
            "door_texts": door_texts(),
        },
    )
    # The whole list (not a search) stays on the host's phone for the door without a
    # connection (kring.core.installable; docs/gatherings.md, "The door list offline").
    return response if q else keep_offline(response)


@login_required
@require_POST
def self_checkin(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    g = _get(acc, gathering_id)
    form = CheckinCodeForm(request.POST)
    if form.is_valid():
        with use_case(request, success=_("You are checked in. Welcome!")):
            services.self_check_in(actor=request.user, gathering=g, code=form.cleaned_data["code"])
    return _back(slug, g, "checkin")


@login_required
@require_POST
def byo_add(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    with use_case(request):
        services.add_byo_item(actor=request.user, gathering=g, label=request.POST.get("label", ""))
    return _back(slug, g, "byo")


@login_required
@require_POST
def byo_action(
    request: AuthedRequest, slug: str, gathering_id: int, item_id: int, action: str
) -> HttpResponse:
    acc = access_network(request.user, slug, host=action == "remove")
    g = _get(acc, gathering_id)
    item = get_object_or_404(ByoItem, pk=item_id, gathering=g)
    with use_case(request):
        if action == "remove":
            services.remove_byo_item(actor=request.user, item=item)
        elif action in {"claim", "release"}:
            services.claim_byo_item(actor=request.user, item=item, release=action == "release")
        else:
            raise Http404
    return _back(slug, g, "byo")


@login_required
def minutes(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    form = MinutesForm(request.POST or None, initial={"minutes": g.minutes})
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.save_minutes(
                actor=request.user, gathering=g, minutes=form.cleaned_data["minutes"]
            )
        if done:
            messages.success(request, _("The minutes are saved."))
            return _back(slug, g, "minutes")
    return render(
        request,
        "gatherings/minutes.html",
        {
            "network": acc.network,
            "is_host": True,
            "gathering": g,
            "form": form,
        },
    )


@login_required
@require_POST
def action_add(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    g = _get(acc, gathering_id)
    form = ActionItemForm(request.POST, network=acc.network)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _back(slug, g, "actions")
    with use_case(request):
        services.add_action_item(actor=request.user, gathering=g, **form.cleaned_data)
    return _back(slug, g, "actions")


@login_required
@require_POST
def action_toggle(
    request: AuthedRequest, slug: str, gathering_id: int, item_id: int
) -> HttpResponse:
    acc = access_network(request.user, slug)
    g = _get(acc, gathering_id)
    item = get_object_or_404(ActionItem, pk=item_id, network=acc.network)
    with use_case(request):
        services.set_action_status(
            actor=request.user, item=item, done=request.POST.get("done") == "1"
        )
    return _back(slug, g, "actions")


@login_required
@require_POST
def comment(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    g = _get(acc, gathering_id)
    with use_case(request):
        services.post_comment(actor=request.user, gathering=g, body=request.POST.get("body", ""))
    return _back(slug, g, "discussion")


@login_required
@require_POST
def discussion_emails(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    enabled = request.POST.get("enabled") == "1"
    services.set_discussion_emails(actor=request.user, network=acc.network, enabled=enabled)
    messages.success(
        request, _("Discussion e-mails are on.") if enabled else _("Discussion e-mails are off.")
    )
    target = request.POST.get("next", "")
    if target.startswith(f"/n/{slug}/gatherings/"):
        return redirect(target)
    return redirect("gatherings:list", slug=slug)


@login_required
def gathering_ics(request: AuthedRequest, slug: str, gathering_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    g = _get(acc, gathering_id)
    return ical.ics_response(ical.calendar_for([g], name=g.title), f"gathering-{g.pk}.ics")


@login_required
def calendar(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    if request.method == "POST":
        services.reset_calendar_feed(actor=request.user)
        messages.success(request, _("Your calendar address is new; the old one no longer works."))
        return redirect("gatherings:calendar", slug=slug)
    feed = services.calendar_feed_for(request.user)
    return render(
        request,
        "gatherings/calendar.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "private_url": request.build_absolute_uri(
                reverse("gatherings_global:private_feed", args=[feed.token])
            ),
            "public_url": request.build_absolute_uri(
                reverse("gatherings_global:network_feed", args=[slug])
            ),
        },
    )
