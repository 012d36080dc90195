from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views, views_outside
from .feeds import NetworkFeed
from .sitemaps import SITEMAPS

app_name = "public"
urlpatterns = [
    path("n/<slug:slug>/", views.network_page, name="network"),
    path("n/<slug:slug>/feed.atom", NetworkFeed(), name="feed"),
    path("n/<slug:slug>/posts/<int:pk>/", views.public_post, name="post"),
    path("n/<slug:slug>/notifications/", views.notification_settings, name="notifications"),
    path("n/<slug:slug>/follow/", views_outside.follow, name="follow"),
    path("follow/<str:token>/confirm/", views_outside.follow_confirm, name="follow_confirm"),
    path("follow/<str:token>/unsubscribe/", views_outside.unfollow, name="unfollow"),
    path("n/<slug:slug>/embed/", views_outside.embed_settings, name="embed_settings"),
    path(
        "n/<slug:slug>/embed/gatherings/", views_outside.embed_gatherings, name="embed_gatherings"
    ),
    path("n/<slug:slug>/embed/buttons/", views_outside.embed_buttons, name="embed_buttons"),
    path("share/mastodon/", views.share_mastodon, name="share_mastodon"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
