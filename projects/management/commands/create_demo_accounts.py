import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

# username, is superuser. Roles (groups) are added by the roles issue.
DEMO_ACCOUNTS = [("admin", True)]


class Command(BaseCommand):
    help = "Create (or reset) the local demo accounts and print their new passwords."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        self.stdout.write("Demo accounts (for this machine only; passwords change each run):")
        for username, superuser in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = user.is_superuser = superuser
            user.save()
            self.stdout.write(f"  {username:<24} {password}")
