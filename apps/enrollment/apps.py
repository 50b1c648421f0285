from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "apps.enrollment"
    label = "enrollment"
