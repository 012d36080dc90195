from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.files import serve_file, serve_public_image
from kring.core.pagecache import cached_page
from kring.core.views_helpers import use_case
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest
from kring.public.share import share_links

from . import links, listing, selectors, services
from .forms import CommentForm, ImageForm, PostForm, SearchForm


@login_required
@cached_page
def post_list(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    tag = request.GET.get("tag", "").strip()[:40]
    page, items = listing.post_page(acc.network, tag=tag, number=request.GET.get("page"))
    return render(
        request,
        "knowledge/list.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "page": page,
            "posts": listing.render_list(acc.network, items),
            "tag": tag,
            "tags": selectors.tags_in_use(acc.network),
            "search_form": SearchForm(),
        },
    )


@login_required
def search(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "network": acc.network,
        "is_host": acc.is_host,
        "search_form": form,
        "q": q,
        "posts": [listing.item_of(p) for p in selectors.search_posts(acc.network, q)] if q else [],
        "people": selectors.search_people(acc.network, q) if q else [],
    }
    template = (
        "knowledge/search.html#results"
        if getattr(request, "htmx", False)
        else "knowledge/search.html"
    )
    return render(request, template, context)


@login_required
@cached_page
def post_detail(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    post = selectors.get_post(acc.network, pk)

    gathering = links.gathering(acc.network, post.gathering_ref) if post.gathering_ref else None
    objective = links.objective(acc.network, post.objective_ref) if post.objective_ref else None
    return render(
        request,
        "knowledge/detail.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "post": post,
            "comments": selectors.comments_of(post),
            "comment_form": CommentForm(),
            "can_edit": services.can_edit(request.user, post),
            "gathering": gathering,
            "objective": objective,
            "gathering_url": links.gathering_url(acc.network, gathering.pk) if gathering else None,
            "share": share_links(request, post.title, request.build_absolute_uri())
            if post.is_public
            else None,
        },
    )


@login_required
def post_new(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    initial = {}
    if request.GET.get("gathering", "").isdigit():
        initial["gathering_ref"] = int(request.GET["gathering"])
    form = PostForm(request.POST or None, network=acc.network, initial=initial)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            post = services.create_post(
                actor=request.user, network=acc.network, **form.cleaned_data
            )
        if done:
            messages.success(request, _("Your post is published."))
            return redirect("knowledge:detail", slug=slug, pk=post.pk)
    return render(
        request,
        "knowledge/form.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "form": form,
            "image_form": ImageForm(),
            "post": None,
        },
    )


@login_required
def post_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    post = selectors.get_post(acc.network, pk)
    if not services.can_edit(request.user, post):
        raise PermissionDenied(_("Only the author or a host can change this post."))
    form = PostForm(request.POST or None, network=acc.network, initial=PostForm.initial_for(post))
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.update_post(actor=request.user, post=post, **form.cleaned_data)
        if done:
            messages.success(request, _("The post is saved."))
            return redirect("knowledge:detail", slug=slug, pk=post.pk)
    return render(
        request,
        "knowledge/form.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "form": form,
            "image_form": ImageForm(),
            "post": post,
        },
    )


@login_required
@require_POST
def post_delete(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    post = selectors.get_post(acc.network, pk)
    with use_case(request) as done:
        services.delete_post(actor=request.user, post=post)
    if not done:
        return redirect("knowledge:detail", slug=slug, pk=pk)
    messages.success(request, _("The post is deleted."))
    return redirect("knowledge:list", slug=slug)


@login_required
@require_POST
def comment_add(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    post = selectors.get_post(acc.network, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        with use_case(request, success=_("Your comment is added.")):
            services.add_comment(actor=request.user, post=post, body=form.cleaned_data["body"])
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(f"{post_url(slug, pk)}#comments")


def post_url(slug: str, pk: int) -> str:

    return reverse("knowledge:detail", kwargs={"slug": slug, "pk": pk})


def image(request: HttpRequest, slug: str, key: str) -> HttpResponseBase:
    """An uploaded image: for the network's members, and for anyone once a public post shows it."""
    image, public = selectors.image_for(request.user, slug, key)
    if public:
        return serve_public_image(request, image.image)
    return serve_file(request, image.image, inline=True)


@login_required
def image_upload(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    form = ImageForm(request.POST or None, request.FILES or None)
    image = None
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            image = services.upload_image(
                actor=request.user, network=acc.network, upload=form.cleaned_data["image"]
            )
        if done:
            form = ImageForm()
    if request.method == "POST" and "application/json" in request.headers.get("Accept", ""):
        # The editor toolbar's image button (kring.js): JSON in, the Markdown line out.
        if image is None:
            errors = [str(e) for errs in form.errors.values() for e in errs]
            return JsonResponse({"detail": " ".join(errors)}, status=400)
        return JsonResponse({"url": image.url, "markdown": f"![]({image.url})"})
    return render(
        request,
        "knowledge/image.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "form": form,
            "image": image,
        },
    )
