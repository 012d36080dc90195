from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("n/<slug:slug>/", views.network_page, name="network"),
]
