"""Views of the site as a whole (the pages of each app are in that app)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import translate_url
from django.utils import translation


class LoginView(auth_views.LoginView):
    """Signing in leads to the page asked for, in the language of the login page: a reader
    sent from a Latvian page who switched the login page to English stays in English."""

    def get_success_url(self) -> str:
        url = super().get_success_url()  # already checked to stay on this site
        # translate_url reads the address in the active language; read it in its own.
        language_of_url = translation.get_language_from_path(urlsplit(url).path)
        with translation.override(language_of_url or settings.LANGUAGE_CODE):
            return translate_url(url, self.request.LANGUAGE_CODE)
