from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """Runs the rules engine for the rest of the exchange.

    The parameter files are loaded and validated when Django starts, so a malformed, undated or
    unreferenced parameter stops start-up with a message naming the file and key.
    """

    name = "apps.eligibility"
    label = "eligibility"

    def ready(self) -> None:
        from apps.eligibility.selectors import parameters

        parameters()
