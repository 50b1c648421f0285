from django.apps import AppConfig


class PlansConfig(AppConfig):
    """The plan catalog: PUF import, rating areas, quoting (issue 3)."""

    name = "apps.plans"
    label = "plans"
