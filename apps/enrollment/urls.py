"""URLs of the enrollment app (see docs/adr/0003-portal.md)."""

from django.urls import path

from apps.enrollment import views

app_name = "enrollment"
urlpatterns = [
    path("applications/<uuid:public_id>/shop/", views.shop, name="shop"),
    path("applications/<uuid:public_id>/enroll/", views.enroll, name="enroll"),
    path("enrollments/<uuid:public_id>/", views.detail, name="detail"),
]
