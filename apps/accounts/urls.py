"""URLs of the accounts app (see docs/adr/0003-portal.md). Sign-up, sign-in, password reset
and sign-out are django-allauth's, under /accounts/."""

from django.urls import URLPattern, path

from apps.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern] = [
    path("my/", views.dashboard, name="dashboard"),
    path("my/keepalive/", views.keepalive, name="keepalive"),
]
