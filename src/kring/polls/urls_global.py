from django.urls import path

from . import views

app_name = "polls_global"
urlpatterns = [
    path("polls/<str:token>/", views.guest_poll, name="guest"),
    path("polls/<str:token>/r/<str:edit>/", views.guest_poll, name="guest_edit"),
]
