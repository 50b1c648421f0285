"""URL map: the home page, window shopping, the public API under /api/v1/, and the admin."""

from django.contrib import admin
from django.urls import include, path

from apps.api.router import api
from apps.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("window-shopping/", web_views.window_shopping, name="window_shopping"),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.applications.urls")),
    path("", include("apps.enrollment.urls")),
    path("", include("apps.notices.urls")),
    path("", include("apps.backoffice.urls")),
    path("", include("apps.jobs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
