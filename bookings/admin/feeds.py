"""Django admin for private calendar feeds: each staff member makes, renews and revokes
their own; an administrator sees everyone's and can revoke them.

A feed's address holds its secret, which is stored only as a hash. So it is shown
exactly once, on the page that answers the creation or renewal: never in a message (the
message framework keeps messages in a cookie or the session until shown), never in a
redirect.

Who may use it: anyone active who may read bookings (the Booking staff and Accounting
roles, superusers), since a feed is a way of reading bookings. Registered by
`bookings/admin/__init__.py`, which imports this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bookings.feeds import (
    FeedTokenResult,
    feed_token_create,
    feed_token_revoke,
    feed_token_rotate,
)
from bookings.models import FeedToken
from bookings.permissions import reads_bookings
from bookings.role_admin import RoleAdmin
from bookings.services import acting_user

if TYPE_CHECKING:
    from django.contrib.admin.options import _ListDisplayT

ADDRESS_TEMPLATE = "admin/bookings/feedtoken/secret.html"

# The secrets made while answering a request, for response_add, in that request only.
_SECRETS: WeakKeyDictionary[HttpRequest, list[FeedTokenResult]] = WeakKeyDictionary()


class FeedTokenForm(forms.ModelForm):
    class Meta:
        model = FeedToken
        fields = ("name", "rooms")


@admin.register(FeedToken)
class FeedTokenAdmin(RoleAdmin):
    form = FeedTokenForm
    list_display = ("name", "rooms_text", "created_at", "last_used_at", "last_used_client", "live")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name",)
    filter_horizontal = ("rooms",)
    actions = ["rotate_selected", "revoke_selected"]
    history_fields = ("created_at", "revoked_at", "last_used_at", "last_used_client")

    # --- Who sees what ---

    def _may_use(self, request: HttpRequest) -> bool:
        user = request.user
        # The admin site asks for is_staff; the feed itself for the right to read bookings.
        return user.is_staff and reads_bookings(user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_use(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_use(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_use(request)

    def has_change_permission(self, request: HttpRequest, obj: FeedToken | None = None) -> bool:
        return self._may_use(request) and (obj is None or obj.user_id == request.user.pk)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # revoked feeds are kept: they show when they were last used

    def get_queryset(self, request: HttpRequest) -> QuerySet[FeedToken]:
        feeds = super().get_queryset(request).select_related("user").prefetch_related("rooms")
        return feeds if request.user.is_superuser else feeds.filter(user=acting_user(request.user))

    def get_list_display(self, request: HttpRequest) -> _ListDisplayT[FeedToken]:
        if request.user.is_superuser:
            return ("name", "user", *self.list_display[1:])
        return self.list_display

    def get_fields(self, request: HttpRequest, obj: FeedToken | None = None) -> tuple[str, ...]:
        return ("name", "rooms") if obj is None else ("name", "rooms", *self.history_fields)

    def get_readonly_fields(
        self, request: HttpRequest, obj: FeedToken | None = None
    ) -> tuple[str, ...]:
        return () if obj is None else self.history_fields

    # --- Columns ---

    @admin.display(description=_("rooms"))
    def rooms_text(self, feed_token: FeedToken) -> str:
        names = [str(room) for room in feed_token.rooms.all()]
        return ", ".join(names) if names else str(_("Every room"))

    @admin.display(description=_("in use"), boolean=True)
    def live(self, feed_token: FeedToken) -> bool:
        return feed_token.revoked_at is None

    # --- Making one: the secret is shown on the answer page, once ---

    def save_model(
        self, request: HttpRequest, obj: FeedToken, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            obj.save()
            return
        data = form.cleaned_data
        result = feed_token_create(
            user=acting_user(request.user), name=data["name"], rooms=data["rooms"]
        )
        obj.pk, obj.token_hash = result.feed_token.pk, result.feed_token.token_hash
        obj.user, obj.created_at = result.feed_token.user, result.feed_token.created_at
        obj._state.adding = False
        _SECRETS[request] = [result]

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        if change:
            super().save_related(request, form, formsets, change)
        # On add, feed_token_create set the rooms.

    def response_add(
        self, request: HttpRequest, obj: FeedToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        return self.secrets_page(request, _SECRETS.pop(request))

    def secrets_page(self, request: HttpRequest, results: list[FeedTokenResult]) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Your feed address"),
            "results": results,
        }
        response = TemplateResponse(request, ADDRESS_TEMPLATE, context)
        add_never_cache_headers(response)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    # --- Actions ---

    @admin.action(description=_("Renew the address of selected feeds (the old one stops)"))
    def rotate_selected(
        self, request: HttpRequest, queryset: QuerySet[FeedToken]
    ) -> HttpResponse | None:
        results = []
        own = queryset.filter(user=acting_user(request.user))
        for feed_token in own.order_by("name", "pk"):
            try:
                results.append(feed_token_rotate(feed_token=feed_token))
            except ValidationError as error:
                self.message_user(
                    request, f"{feed_token}: {' '.join(error.messages)}", messages.ERROR
                )
        if queryset.exclude(user=acting_user(request.user)).exists():
            self.message_user(request, _("Only your own feeds can be renewed."), messages.WARNING)
        return self.secrets_page(request, results) if results else None

    @admin.action(description=_("Revoke selected feeds"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[FeedToken]) -> None:
        live = queryset.filter(revoked_at__isnull=True).order_by("name", "pk")
        count = 0
        for feed_token in live:
            feed_token_revoke(feed_token=feed_token)
            count += 1
        message = ngettext("Revoked %(count)d feed.", "Revoked %(count)d feeds.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
