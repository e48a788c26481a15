"""The currencies money fields accept. Listed explicitly on each field so that a
django-money upgrade changing its default list does not produce a migration."""

EURO_CHOICES = [("EUR", "EUR €")]
