from django.urls import path

from . import views

app_name = "networks"
urlpatterns = [
    path("networks/new/", views.network_new, name="new"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
]
