from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.covers import CoverForm, serve_cover
from kring.core.files import serve_file
from kring.core.pagecache import cached_page
from kring.core.registry import home_panels, profile_panels, start_steps
from kring.core.views_helpers import use_case
from kring.people.adapter import INVITATION_SESSION_KEY
from kring.people.auth import AuthedRequest
from kring.people.models import TagKind, User

from . import directory as people_page
from . import selectors, services
from .access import access_network, membership_for, network_by_slug, viewer_membership
from .forms import AcceptCharterForm, InviteForm, NetworkSettingsForm, NewNetworkForm
from .models import Invitation, JoinPolicy, Membership, Network, Role


@login_required
@cached_page
def home(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)

    steps = start_steps(request, acc)
    member_done = sum(s.done for s in steps["member"])
    host_done = sum(s.done for s in steps["host"])
    return render(
        request,
        "networks/home.html",
        {
            "steps": steps,
            "member_steps_done": member_done,
            "member_steps_open": member_done < len(steps["member"]),
            "host_steps_done": host_done,
            "host_steps_open": host_done < len(steps["host"]),
            "network": acc.network,
            "membership": acc.membership,
            "is_host": acc.is_host,
            "member_count": Membership.objects.current().filter(network=acc.network).count(),
            "panels": home_panels(request, acc),
        },
    )


@login_required
@cached_page
def directory(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    q = request.GET.get("q", "").strip()[:100]
    tag = request.GET.get("tag", "").strip()[:60]
    kind = request.GET.get("kind", "")
    members = selectors.members_of(acc.network, search=q, tag=tag, kind=kind)
    page, cards = people_page.card_page(members, request.GET.get("page"))
    context = {
        "network": acc.network,
        "is_host": acc.is_host,
        "page": page,
        "cards": people_page.render_cards(request, acc.network, cards),
        "q": q,
        "tag": tag,
        "kind": kind,
        "kinds": TagKind.choices,
    }
    if request.htmx:  # type: ignore[attr-defined]
        # Live search swaps only the results; the tag filter around them stays.
        return render(request, "networks/directory.html#results", context)
    context["tags"] = selectors.network_tags(acc.network)
    return render(request, "networks/directory.html", context)


@login_required
@cached_page
def person(request: AuthedRequest, slug: str, user_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    membership = get_object_or_404(
        Membership.objects.current().select_related("user__profile"),
        network=acc.network,
        user_id=user_id,
    )
    profile = selectors.profile_for(membership.user)

    return render(
        request,
        "networks/person.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "member": membership,
            "profile": profile,
            "show_email": acc.is_host or membership.user_id == request.user.pk,
            "panels": profile_panels(request, acc, membership),
        },
    )


@login_required
def photo(request: AuthedRequest, slug: str, user_id: int) -> HttpResponseBase:
    """A member's photo, for the people who may see their profile (this network's members)."""
    acc = access_network(request.user, slug)
    membership = get_object_or_404(
        Membership.objects.current().select_related("user__profile"),
        network=acc.network,
        user_id=user_id,
    )
    profile = getattr(membership.user, "profile", None)
    if profile is None or not profile.photo:
        raise Http404(_("No photo."))
    return serve_file(request, profile.photo, filename="photo.jpg", inline=True)


@login_required
def settings_view(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = NetworkSettingsForm(
        request.POST or None, instance=Network.objects.get(pk=acc.network.pk)
    )
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.update_network(actor=request.user, network=acc.network, data=form.cleaned_data)
        if done:
            messages.success(request, _("The network's settings are saved."))
            return redirect("net:settings", slug=slug)
    return _settings_page(request, acc.network, form=form, cover_form=CoverForm())


def _settings_page(
    request: AuthedRequest,
    network: Network,
    *,
    form: NetworkSettingsForm,
    cover_form: CoverForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "networks/settings.html",
        {"network": network, "form": form, "cover_form": cover_form, "is_host": True},
        status=status,
    )


@login_required
@require_POST
def cover_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    """Upload the network's cover, or remove it (settings page)."""
    acc = access_network(request.user, slug, host=True)
    cover_form = CoverForm(request.POST, request.FILES)
    if cover_form.is_valid():
        with use_case(request, form=cover_form) as done:
            if request.POST.get("remove"):
                services.remove_network_cover(actor=request.user, network=acc.network)
                message = _("The cover is removed.")
            else:
                services.set_network_cover(
                    actor=request.user, network=acc.network, upload=cover_form.cleaned_data["cover"]
                )
                message = _("The cover is saved.")
        if done:
            messages.success(request, message)
            return redirect("net:settings", slug=slug)
    form = NetworkSettingsForm(instance=Network.objects.get(pk=acc.network.pk))
    return _settings_page(request, acc.network, form=form, cover_form=cover_form, status=400)


def cover(request: HttpRequest, slug: str, key: str) -> HttpResponseBase:
    """The network's cover: public with the public page, else for its members only."""
    network = network_by_slug(slug)
    if network is None:
        raise Http404(_("No such network."))
    member = not network.cover_is_public and viewer_membership(request.user, network) is not None
    return serve_cover(request, network, key, is_member=member)


@login_required
def members_admin(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    members = (
        Membership.objects.filter(network=acc.network)
        .select_related("user__profile")
        .order_by("status", "-role", "user__profile__display_name")
    )
    return render(
        request,
        "networks/members.html",
        {
            "network": acc.network,
            "members": members,
            "is_host": True,
            "roles": Role.choices,
        },
    )


@login_required
@require_POST
def member_update(request: AuthedRequest, slug: str, membership_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    membership = get_object_or_404(Membership, pk=membership_id, network=acc.network)
    with use_case(request, success=_("Saved.")):
        if "role" in request.POST:
            services.change_member_role(
                actor=request.user, membership=membership, role=request.POST["role"]
            )
        if "status" in request.POST:
            services.set_membership_status(
                actor=request.user, membership=membership, status=request.POST["status"]
            )
    return redirect("net:members", slug=slug)


@login_required
def invitations(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = InviteForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        rows, invalid = services.parse_invite_list(form.cleaned_data["text"])
        with use_case(request, form=form) as done:
            result = services.invite_people(
                actor=request.user,
                network=acc.network,
                rows=rows,
                role=form.cleaned_data["role"] or Role.MEMBER,
                invalid=invalid,
            )
        if done and result is not None:
            if result.invited:
                messages.success(
                    request, _("%(n)s invitation(s) sent.") % {"n": len(result.invited)}
                )
            if not (result.invalid or result.already_invited or result.already_member):
                return redirect("net:invitations", slug=slug)
            form = InviteForm()
    invites = Invitation.objects.filter(network=acc.network).select_related("accepted_by")[:300]
    return render(
        request,
        "networks/invitations.html",
        {
            "network": acc.network,
            "form": form,
            "invitations": invites,
            "result": result,
            "is_host": True,
        },
    )


@login_required
@require_POST
def invitation_action(
    request: AuthedRequest, slug: str, invitation_id: int, action: str
) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    invitation = get_object_or_404(Invitation, pk=invitation_id, network=acc.network)
    with use_case(request):
        if action == "resend":
            services.resend_invitation(actor=request.user, invitation=invitation)
            messages.success(request, _("The invitation was sent again."))
        elif action == "revoke":
            services.revoke_invitation(actor=request.user, invitation=invitation)
            messages.success(request, _("The invitation was revoked."))
        else:
            raise Http404
    return redirect("net:invitations", slug=slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link leads: through sign-up or log-in into the network."""
    inv = services.invitation_by_token(token)
    if inv is None:
        return render(request, "networks/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        if inv.state == "pending":
            # The link came by e-mail: signing up with that address needs no second check.
            get_adapter(request).stash_verified_email(request, inv.email)
        has_account = User.objects.filter(email__iexact=inv.email).exists()
        return render(
            request,
            "networks/invitation.html",
            {
                "invitation": inv,
                "network": inv.network,
                "has_account": has_account,
            },
        )
    form = AcceptCharterForm(request.POST or None)
    if not inv.network.charter:
        form.fields["accept_charter"].required = False
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.accept_invitation(
                actor=request.user,
                invitation=inv,
                accept_charter=bool(form.cleaned_data.get("accept_charter")),
            )
        if done:
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(request, _("Welcome to %(network)s!") % {"network": inv.network.name})
            return redirect("net:home", slug=inv.network.slug)
    return render(
        request,
        "networks/invitation.html",
        {
            "invitation": inv,
            "network": inv.network,
            "form": form,
            "already_member": membership_for(request.user, inv.network) is not None,
        },
    )


@login_required
def join(request: AuthedRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    if membership_for(request.user, network) is not None:
        return redirect("net:home", slug=slug)
    if network.join_policy != JoinPolicy.OPEN:
        raise Http404
    form = AcceptCharterForm(request.POST or None)
    if not network.charter:
        form.fields["accept_charter"].required = False
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.join_open_network(
                actor=request.user,
                network=network,
                accept_charter=bool(form.cleaned_data.get("accept_charter")),
            )
        if done:
            messages.success(request, _("Welcome to %(network)s!") % {"network": network.name})
            return redirect("net:home", slug=slug)
    return render(request, "networks/join.html", {"network": network, "form": form})


@login_required
def my_membership(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    if request.method == "POST":
        with use_case(request) as done:
            services.set_membership_status(
                actor=request.user, membership=acc.membership, status=request.POST.get("status", "")
            )
        if done:
            messages.success(request, _("Your membership is updated."))
            if request.POST.get("status") == "left":
                return redirect("site:home")
        return redirect("net:my_membership", slug=slug)
    return render(
        request,
        "networks/my_membership.html",
        {
            "network": acc.network,
            "membership": acc.membership,
            "is_host": acc.is_host,
        },
    )


@login_required
def network_new(request: AuthedRequest) -> HttpResponse:
    form = NewNetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with use_case(request, form=form) as done:
            network = services.create_network(
                actor=request.user,
                slug=data.pop("slug"),
                name=data.pop("name"),
                purpose=data.pop("purpose"),
                **data,
            )
        if done:
            messages.success(request, _("Your network is ready. Invite the first members."))
            return redirect("net:invitations", slug=network.slug)
    return render(request, "networks/new.html", {"form": form})
