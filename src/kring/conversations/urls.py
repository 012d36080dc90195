from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("with/<int:user_id>/", views.start, name="start"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/handled/", views.report_handled, name="report_handled"),
    path("<int:conversation_id>/", views.thread, name="thread"),
    path("<int:conversation_id>/send/", views.send, name="send"),
    path("<int:conversation_id>/<str:action>/", views.conversation_action, name="action"),
    path(
        "<int:conversation_id>/messages/<int:message_id>/edit/",
        views.edit_message,
        name="edit",
    ),
    path(
        "<int:conversation_id>/messages/<int:message_id>/withdraw/",
        views.withdraw_message,
        name="withdraw",
    ),
    path(
        "<int:conversation_id>/messages/<int:message_id>/report/",
        views.report_message,
        name="report",
    ),
]
