import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from partners.models import Organisation
from partners.services import controllers_enable, coordinators_enable
from projects.roles import AUDITORS, CONTROLLERS, COORDINATORS, COUNCIL_STAFF, PROJECT_MANAGERS

# username, role (None: superuser), organisation coordinated, admin access
DEMO_ACCOUNTS = [
    ("admin", None, None, True),
    ("council", COUNCIL_STAFF, None, False),
    ("coordinator", COORDINATORS, "ventspils", True),
    ("auditor", AUDITORS, None, True),
    ("manager", PROJECT_MANAGERS, None, True),
]
# The first-level controller checks these organisations' expenditure (the sample lines').
CONTROLLER = ("controller", CONTROLLERS, ["ventspils", "botosani"])


class Command(BaseCommand):
    help = "Create (or reset) the local demo accounts, one per role, and print new passwords."

    def handle(self, *args, **options) -> None:
        # It gives `admin` a new password and superuser rights: on a production database
        # that is a takeover, so it runs on a development machine only.
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_accounts resets the admin password: it runs only with DEBUG=1."
            )
        if not Organisation.objects.filter(slug="ventspils").exists():
            raise CommandError("Load the demo network first: python manage.py seed_demo")
        User = get_user_model()
        self.stdout.write("Demo accounts (this machine only; new passwords on every run):")
        for username, role, organisation, staff in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_superuser = role is None
            user.is_staff = staff
            user.save()
            user.groups.set(Group.objects.filter(name=role))
            if organisation:
                org = Organisation.objects.get(slug=organisation)
                org.coordinators.add(user)
                coordinators_enable(organisation=org)
            self.stdout.write(f"  {username:<12} {password:<14} {role or 'superuser'}")
        self._controller(User)

    def _controller(self, User) -> None:
        username, role, organisations = CONTROLLER
        user, _ = User.objects.get_or_create(username=username)
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.is_superuser = False
        user.save()
        for org in Organisation.objects.filter(slug__in=organisations):
            org.controllers.add(user)
            controllers_enable(organisation=org)
        self.stdout.write(f"  {username:<12} {password:<14} {role} ({', '.join(organisations)})")
