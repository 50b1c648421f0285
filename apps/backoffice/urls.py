"""URLs of the back office (staff only), under /staff/."""

from django.urls import path

from apps.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("staff/", views.find, name="find"),
    path("staff/applications/<uuid:public_id>/", views.record, name="record"),
    path(
        "staff/applications/<uuid:public_id>/members/<slug:member_id>/ssn/",
        views.reveal_ssn,
        name="reveal_ssn",
    ),
    path("staff/audit/", views.audit_log, name="audit"),
]
