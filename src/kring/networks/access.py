"""Tenancy, enforced: every fetch of network-owned data starts here.

``access_network`` answers 404 to anyone who is not a current member (another network's
object looks exactly like a missing one) and 403 to a member where a host is required.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kring.core.errors import NotAllowed, NotFound
from kring.people.models import User

from .models import ENDED_STATUSES, JoinPolicy, Membership, Network, Role


@dataclass(frozen=True)
class NetworkAccess:
    network: Network
    membership: Membership

    @property
    def is_host(self) -> bool:
        return self.membership.role == Role.HOST

    @property
    def user(self) -> Any:
        return self.membership.user


def membership_for(user: Any, network: Network) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(network=network, user=user)
        .exclude(status__in=ENDED_STATUSES)
        .select_related("user__profile")  # the shell shows the viewer's photo and name
        .first()
    )


# --- Per-request memo ----------------------------------------------------------------------
# Within one request the middleware (request.network), the view's access_network and the
# context processor (navigation) need the same network and the viewer's membership. The
# middleware opens a scope around each request; inside it those rows are fetched once.
# Outside a scope (services, tasks, commands, tests calling functions directly) nothing is
# memoised. Any save or delete of a network or membership empties the scope's memo.

_memo: ContextVar[dict[Any, Any] | None] = ContextVar("kring_access_memo", default=None)
_MISSING = object()


@contextmanager
def request_scope() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def clear_request_memo(*args: Any, **kwargs: Any) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def network_by_slug(slug: str) -> Network | None:
    """The network with this slug (or None), fetched once per request."""
    memo = _memo.get()
    if memo is None:
        return Network.objects.filter(slug=slug).first()
    key = ("network", slug)
    network = memo.get(key, _MISSING)
    if network is _MISSING:
        network = memo[key] = Network.objects.filter(slug=slug).first()
    return cast(Network | None, network)


def viewer_membership(user: Any, network: Network) -> Membership | None:
    """``membership_for`` fetched once per request (for views, not for use-cases)."""
    memo = _memo.get()
    if memo is None or not getattr(user, "is_authenticated", False):
        return membership_for(user, network)
    key = ("membership", user.pk, network.pk)
    membership = memo.get(key, _MISSING)
    if membership is _MISSING:
        membership = memo[key] = membership_for(user, network)
        if membership is not None:
            _reuse_profile(user, membership)
    return cast(Membership | None, membership)


def _reuse_profile(user: User, membership: Membership) -> None:
    """Pages show the viewer's photo and name (the account menu, getting-started steps): their
    membership was fetched with their profile, so ``user.profile`` reads that one instead of
    querying it again (only the viewer's own, and only when nothing was read yet)."""
    related = User.profile.related
    mine = membership.user_id == user.pk
    if mine and not related.is_cached(user) and related.is_cached(membership.user):
        related.set_cached_value(user, related.get_cached_value(membership.user))


def access_network(user: Any, slug: str, *, host: bool = False) -> NetworkAccess:
    network = network_by_slug(slug)
    if network is None:
        raise Http404(_("No such network."))
    membership = viewer_membership(user, network)
    if membership is None:
        raise Http404(_("No such network."))
    if host and membership.role != Role.HOST:
        raise PermissionDenied(_("Only hosts of this network can do this."))
    return NetworkAccess(network=network, membership=membership)


def access_network_by_id(user: Any, network_id: int, *, host: bool = False) -> NetworkAccess:
    slug = Network.objects.filter(pk=network_id).values_list("slug", flat=True).first()
    if slug is None:
        raise Http404(_("No such network."))
    return access_network(user, slug, host=host)


def public_network(slug: str, *, applications: bool = False) -> Network:
    """A network as someone outside it sees it (no account needed): 404 unless its public
    page is switched on, or, with ``applications``, unless it takes applications (it is not
    invite-only)."""
    network = network_by_slug(slug)
    if network is None or not (
        network.join_policy != JoinPolicy.INVITE if applications else network.public_page_enabled
    ):
        raise Http404(_("No such network."))
    return network


# --- For use-cases (services) --------------------------------------------------------------
# Views and endpoints check access first (404/403 above); services check again, raising
# domain errors, so a use-case is safe whoever calls it. The rule is the pages' rule, in every
# app: someone outside the network gets ``NotFound`` (404: another network's object looks
# exactly like a missing one, decision 0002); a member where a host is required gets
# ``NotAllowed`` (403).


def require_member(actor: User, network: Network) -> Membership:
    """The actor's current membership; ``NotFound`` for anyone outside the network."""
    membership = membership_for(actor, network)
    if membership is None:
        raise NotFound(_lazy("No such network."))
    return membership


def require_host(actor: User, network: Network) -> Membership:
    """The actor's membership if they host this network: ``NotFound`` for anyone outside it,
    ``NotAllowed`` for a member who is not a host."""
    membership = require_member(actor, network)
    if membership.role != Role.HOST:
        raise NotAllowed(_lazy("Only hosts of this network can do this."))
    return membership


def is_host(actor: User, network: Network) -> bool:
    membership = membership_for(actor, network)
    return membership is not None and membership.role == Role.HOST


def _connect_memo_signals() -> None:

    for model in (Network, Membership):
        for signal in (post_save, post_delete):
            signal.connect(
                clear_request_memo, sender=model, dispatch_uid=f"kring_access_memo_{model.__name__}"
            )


_connect_memo_signals()
