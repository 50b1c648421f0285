"""URLs of the jobs app: the staff page of the queue."""

from django.urls import URLPattern, path

from apps.jobs import views

app_name = "jobs"
urlpatterns: list[URLPattern] = [
    path("staff/jobs/", views.status, name="status"),
]
