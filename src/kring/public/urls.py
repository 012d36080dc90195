from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .feeds import NetworkFeed
from .sitemaps import SITEMAPS

app_name = "public"
urlpatterns = [
    path("n/<slug:slug>/", views.network_page, name="network"),
    path("n/<slug:slug>/feed.atom", NetworkFeed(), name="feed"),
    path("n/<slug:slug>/posts/<int:pk>/", views.public_post, name="post"),
    path("n/<slug:slug>/notifications/", views.notification_settings, name="notifications"),
    path("share/mastodon/", views.share_mastodon, name="share_mastodon"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
