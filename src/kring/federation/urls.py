from django.urls import path

from . import views, views_ap

app_name = "federation"
urlpatterns = [
    path(".well-known/webfinger", views_ap.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views_ap.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/2.1", views_ap.nodeinfo, name="nodeinfo"),
    path("ap/inbox", views_ap.inbox_view, name="shared_inbox"),
    path("ap/n/<slug:slug>", views_ap.actor, name="actor"),
    path("ap/n/<slug:slug>/inbox", views_ap.inbox_view, name="inbox"),
    path("ap/n/<slug:slug>/<str:kind>.png", views_ap.image, name="image"),
    path("ap/n/<slug:slug>/outbox", views_ap.outbox, name="outbox"),
    path("ap/n/<slug:slug>/followers", views_ap.followers, name="followers"),
    path("ap/n/<slug:slug>/events/<int:pk>", views_ap.event, name="event"),
    path("ap/n/<slug:slug>/posts/<int:pk>", views_ap.article, name="article"),
    path(
        "ap/n/<slug:slug>/milestones/<int:pk>-<int:percent>",
        views_ap.milestone,
        name="milestone",
    ),
    # Hosts' pages
    path("n/<slug:slug>/federation/", views.settings_view, name="settings"),
    path("n/<slug:slug>/federation/key/", views.rotate_key, name="rotate_key"),
    path("n/<slug:slug>/federation/followers/", views.followers_view, name="followers_page"),
    path(
        "n/<slug:slug>/federation/followers/<int:follower_id>/<str:action>/",
        views.follower_action,
        name="follower_action",
    ),
    path("n/<slug:slug>/federation/replies/", views.replies_view, name="replies"),
    path(
        "n/<slug:slug>/federation/replies/<int:reply_id>/<str:action>/",
        views.reply_action,
        name="reply_action",
    ),
    path("n/<slug:slug>/federation/blocks/", views.block_add, name="block_add"),
    path(
        "n/<slug:slug>/federation/blocks/<int:block_id>/remove/",
        views.block_remove,
        name="block_remove",
    ),
]
