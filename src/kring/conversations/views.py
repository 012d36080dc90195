"""Pages for conversations: the list, a thread, starting one, and the hosts' reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.pagecache import cached_page
from kring.core.views_helpers import use_case
from kring.networks.access import access_network
from kring.networks.models import Membership
from kring.people.auth import AuthedRequest
from kring.people.models import User

from . import selectors, services
from .forms import MessageForm, ReportForm
from .models import Report


def _thread_redirect(slug: str, conversation_id: int) -> HttpResponse:
    return redirect("conversations:thread", slug=slug, conversation_id=conversation_id)


@login_required
@cached_page
def inbox(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    return render(
        request,
        "conversations/inbox.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "rows": selectors.conversations_for(request.user, network=acc.network),
            "open_reports": selectors.open_report_count(acc.network) if acc.is_host else 0,
        },
    )


@login_required
def start(request: AuthedRequest, slug: str, user_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    other_membership = (
        Membership.objects.current()
        .filter(network=acc.network, user_id=user_id)
        .select_related("user__profile")
        .first()
    )
    if other_membership is None or user_id == request.user.pk:
        raise Http404(_("No such member."))
    existing = selectors.conversation_with(request.user, user_id, network=acc.network)
    if existing is not None and request.method != "POST":
        return _thread_redirect(slug, existing.pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            conversation, _message = services.start_conversation(
                actor=request.user,
                network=acc.network,
                other_id=user_id,
                body=form.cleaned_data["body"],
            )
        if done:
            return _thread_redirect(slug, conversation.pk)
    return render(
        request,
        "conversations/start.html",
        {"network": acc.network, "other": other_membership.user, "form": form},
        status=400 if form.errors else 200,
    )


def _thread_context(request: AuthedRequest, acc: Any, conversation: Any) -> dict[str, Any]:
    other = User.objects.select_related("profile").get(pk=conversation.other_id(request.user.pk))
    now = timezone.now()
    rows = selectors.messages_of(conversation)
    return {
        "network": acc.network,
        "conversation": conversation,
        "other": other,
        "rows": [
            {
                "message": m,
                "mine": m.sender_id == request.user.pk,
                "editable": m.sender_id == request.user.pk
                and not m.withdrawn
                and m.kind == "text"
                and now - m.created_at <= services.EDIT_WINDOW,
            }
            for m in rows
        ],
        "participant": selectors.participant(request.user, conversation),
        "writable": not services.is_blocked(request.user.pk, other.pk)
        and Membership.objects.current().filter(network=acc.network, user=other).exists(),
    }


@login_required
def thread(request: AuthedRequest, slug: str, conversation_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    conversation = selectors.conversation_for(request.user, conversation_id, network=acc.network)
    services.mark_read(actor=request.user, conversation=conversation)
    context = _thread_context(request, acc, conversation)
    context["form"] = MessageForm()
    return render(request, "conversations/thread.html", context)


@login_required
@require_POST
def send(request: AuthedRequest, slug: str, conversation_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    conversation = selectors.conversation_for(request.user, conversation_id, network=acc.network)
    form = MessageForm(request.POST)
    if form.is_valid():
        with use_case(request, form=form) as done:
            services.post_message(
                actor=request.user, conversation=conversation, body=form.cleaned_data["body"]
            )
        if done:
            return _thread_redirect(slug, conversation.pk)
    context = _thread_context(request, acc, conversation)
    context["form"] = form
    return render(request, "conversations/thread.html", context, status=400)


@login_required
@require_POST
def conversation_action(
    request: AuthedRequest, slug: str, conversation_id: int, action: str
) -> HttpResponse:
    acc = access_network(request.user, slug)
    conversation = selectors.conversation_for(request.user, conversation_id, network=acc.network)
    if action not in {"mute", "unmute", "block"}:
        raise Http404(_("No such action."))
    with use_case(request):
        if action == "block":
            services.block_other(actor=request.user, conversation=conversation)
            messages.success(request, _("Blocked. You will not receive messages from each other."))
        else:
            services.set_muted(
                actor=request.user, conversation=conversation, muted=action == "mute"
            )
            messages.success(
                request,
                _("Muted: no e-mails about this conversation.")
                if action == "mute"
                else _("You will get e-mails about this conversation again."),
            )
    return _thread_redirect(slug, conversation.pk)


def _message(request: HttpRequest, slug: str, conversation_id: int, message_id: int) -> Any:
    acc = access_network(request.user, slug)
    conversation = selectors.conversation_for(request.user, conversation_id, network=acc.network)
    return acc, conversation, selectors.message_for(request.user, conversation, message_id)


@login_required
def edit_message(
    request: AuthedRequest, slug: str, conversation_id: int, message_id: int
) -> HttpResponse:
    acc, conversation, message = _message(request, slug, conversation_id, message_id)
    if message.sender_id != request.user.pk:
        raise Http404(_("No such message."))
    form = MessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.edit_message(
                actor=request.user, message=message, body=form.cleaned_data["body"]
            )
        if done:
            messages.success(request, _("Your message is changed."))
            return _thread_redirect(slug, conversation.pk)
    return render(
        request,
        "conversations/edit.html",
        {"network": acc.network, "conversation": conversation, "message": message, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def withdraw_message(
    request: AuthedRequest, slug: str, conversation_id: int, message_id: int
) -> HttpResponse:
    _acc, conversation, message = _message(request, slug, conversation_id, message_id)
    with use_case(request, success=_("Your message is withdrawn.")):
        services.withdraw_message(actor=request.user, message=message)
    return _thread_redirect(slug, conversation.pk)


@login_required
def report_message(
    request: AuthedRequest, slug: str, conversation_id: int, message_id: int
) -> HttpResponse:
    acc, conversation, message = _message(request, slug, conversation_id, message_id)
    if message.sender_id == request.user.pk:
        raise Http404(_("No such message."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.report_message(
                actor=request.user, message=message, reason=form.cleaned_data["reason"]
            )
        if done:
            messages.success(request, _("Thank you. The hosts of this network will look at it."))
            return _thread_redirect(slug, conversation.pk)
    return render(
        request,
        "conversations/report.html",
        {"network": acc.network, "conversation": conversation, "message": message, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def reports(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    return render(
        request,
        "conversations/reports.html",
        {
            "network": acc.network,
            "open": list(selectors.reports_for(acc.network)),
            "handled": list(selectors.reports_for(acc.network, handled=True)[:20]),
        },
    )


@login_required
@require_POST
def report_handled(request: AuthedRequest, slug: str, report_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    report = get_object_or_404(Report, pk=report_id, network=acc.network)
    with use_case(request):
        services.handle_report(actor=request.user, report=report)
    return redirect("conversations:reports", slug=slug)
