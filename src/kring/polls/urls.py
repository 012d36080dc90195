from django.urls import path

from . import views

app_name = "polls"
urlpatterns = [
    path("", views.poll_list, name="list"),
    path("new/", views.poll_new, name="new"),
    path("<int:poll_id>/", views.poll_detail, name="detail"),
    path("<int:poll_id>/decision/", views.poll_decide, name="decide"),
]
