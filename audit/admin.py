from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from urbact_portal.lib.admin_tools import RequestGuards

# The admins that django.contrib.auth and django-axes register, with the portal's guards
# against crafted list requests (a NUL in a filter, a malformed id among an action's rows).
for _model in [get_user_model(), Group, AccessAttempt, AccessLog, AccessFailureLog]:
    _registered = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(_model, type(_registered.__name__, (RequestGuards, _registered), {}))
