from django.urls import path

from . import views_guests, views_public

app_name = "gatherings_global"
urlpatterns = [
    path("answer/<str:token>/", views_public.answer_link, name="answer"),
    path("n/<slug:slug>/calendar.ics", views_public.network_feed, name="network_feed"),
    path("calendar/<str:token>.ics", views_public.private_feed, name="private_feed"),
    path(
        "guests/<str:token>/confirm/",
        views_public.guest_link,
        {"action": "confirm"},
        name="guest_confirm",
    ),
    path("guests/<str:token>/join/", views_guests.guest_join, name="guest_join"),
    path(
        "guests/<str:token>/cancel/",
        views_public.guest_link,
        {"action": "cancel"},
        name="guest_cancel",
    ),
]
