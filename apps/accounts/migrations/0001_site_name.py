"""Names the site "Massachusetts Health Exchange": django-allauth puts the site's name at the
start of every email's subject ("[Massachusetts Health Exchange] Confirm your email address")."""

from typing import Any

from django.conf import settings
from django.db import migrations

NAME = "Massachusetts Health Exchange"


def name_the_site(apps: Any, schema_editor: Any) -> None:
    site_model = apps.get_model("sites", "Site")
    site, created = site_model.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "example.com", "name": NAME}
    )
    if not created and site.name in ("", "example.com"):
        site.name = NAME
        site.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
