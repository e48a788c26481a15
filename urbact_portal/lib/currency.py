"""The currencies money fields accept. Listed explicitly on each field so that a
django-money upgrade changing its default list does not produce a migration."""

EURO_CHOICES = [("EUR", "EUR €")]

# The currencies a partner may record spending in: the euro, and the currencies of partners
# outside the euro area, converted at the stored InforEuro rate (expenditure/). One more
# currency is one more entry here (and a migration of the fields that list it).
SPENDING_CHOICES = [("EUR", "EUR €"), ("RON", "RON lei")]
