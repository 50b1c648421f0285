"""URLs of the applications app (see docs/adr/0003-portal.md)."""

from django.urls import path

from apps.applications import views

app_name = "applications"
urlpatterns = [
    path("apply/start/", views.start, name="start"),
    path("apply/<uuid:public_id>/", views.resume, name="resume"),
    path("apply/<uuid:public_id>/review/", views.review, name="review"),
    path("apply/<uuid:public_id>/submit/", views.submit, name="submit"),
    path("apply/<uuid:public_id>/<slug:step>/", views.step, name="step"),
    path("applications/<uuid:public_id>/", views.results, name="results"),
]
