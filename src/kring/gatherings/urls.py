from django.urls import path

from . import views, views_guests, views_public

app_name = "gatherings"
urlpatterns = [
    path("", views.gathering_list, name="list"),
    path("new/", views.gathering_new, name="new"),
    path("calendar/", views.calendar, name="calendar"),
    path("discussion-emails/", views.discussion_emails, name="discussion_emails"),
    path("guests/", views_guests.network_guests, name="network_guests"),
    path("guests/invite/", views_guests.invite_guest, name="invite_guest"),
    path("<int:gathering_id>/", views.gathering_detail, name="detail"),
    path("<int:gathering_id>/guests/", views_guests.gathering_guests, name="guests"),
    path(
        "<int:gathering_id>/guests/followers/",
        views_guests.invite_followers,
        name="invite_followers",
    ),
    path("<int:gathering_id>/checkin/walk-in/", views_guests.walk_in, name="walk_in"),
    path("<int:gathering_id>/join/", views_guests.join, name="join"),
    path("<int:gathering_id>/edit/", views.gathering_edit, name="edit"),
    path("<int:gathering_id>/cover/", views.cover_edit, name="cover_edit"),
    path("<int:gathering_id>/cover/<str:key>", views.cover, name="cover"),
    path("<int:gathering_id>/cancel/", views.gathering_cancel, name="cancel"),
    path("<int:gathering_id>/series/cancel/", views.series_cancel, name="series_cancel"),
    path("<int:gathering_id>/series/extend/", views.series_extend, name="series_extend"),
    path("<int:gathering_id>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:gathering_id>/read/", views.agenda_read, name="agenda_read"),
    path("<int:gathering_id>/agenda/", views.agenda_manage, name="agenda"),
    path("<int:gathering_id>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("<int:gathering_id>/agenda/<int:item_id>/file/", views.agenda_file, name="agenda_file"),
    path(
        "<int:gathering_id>/agenda/<int:item_id>/<str:action>/",
        views.agenda_item_action,
        name="agenda_item_action",
    ),
    path("<int:gathering_id>/checkin/", views.checkin, name="checkin"),
    path("<int:gathering_id>/checkin/self/", views.self_checkin, name="self_checkin"),
    path("<int:gathering_id>/byo/", views.byo_add, name="byo_add"),
    path("<int:gathering_id>/byo/<int:item_id>/<str:action>/", views.byo_action, name="byo_action"),
    path("<int:gathering_id>/minutes/", views.minutes, name="minutes"),
    path("<int:gathering_id>/actions/", views.action_add, name="action_add"),
    path("<int:gathering_id>/actions/<int:item_id>/", views.action_toggle, name="action_toggle"),
    path("<int:gathering_id>/comments/", views.comment, name="comment"),
    path("<int:gathering_id>/event.ics", views.gathering_ics, name="ics"),
    path("<int:gathering_id>/guest/", views_public.guest_signup, name="guest_signup"),
]
