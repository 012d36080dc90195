from django.urls import path

from . import shell, views

app_name = "net"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("people/", views.directory, name="directory"),
    path("more/", shell.more, name="more"),
    path("manage/", shell.manage, name="manage"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("people/<int:user_id>/photo/", views.photo, name="photo"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/cover/", views.cover_edit, name="cover_edit"),
    path("cover/<str:key>", views.cover, name="cover"),
    path("members/", views.members_admin, name="members"),
    path("members/<int:membership_id>/", views.member_update, name="member_update"),
    path("invitations/", views.invitations, name="invitations"),
    path(
        "invitations/<int:invitation_id>/<str:action>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("join/", views.join, name="join"),
    path("membership/", views.my_membership, name="my_membership"),
]
