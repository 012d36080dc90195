from django.urls import path

from . import shell, views

app_name = "networks"
urlpatterns = [
    path("networks/new/", views.network_new, name="new"),
    path("start/", shell.start, name="start"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
]
