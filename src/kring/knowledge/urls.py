from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.post_list, name="list"),
    path("new/", views.post_new, name="new"),
    path("search/", views.search, name="search"),
    path("images/", views.image_upload, name="image_upload"),
    path("images/<str:key>", views.image, name="image"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/edit/", views.post_edit, name="edit"),
    path("<int:pk>/delete/", views.post_delete, name="delete"),
    path("<int:pk>/comments/", views.comment_add, name="comment"),
]
