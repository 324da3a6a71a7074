"""Create an API token for an integration; the secret is printed once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.models import Shop
from cases.services import create_api_token
from config.service_errors import InvalidInput


class Command(BaseCommand):
    help = "Create an API token acting as USER in SHOP; prints the token once (store it now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True, help="The shop's code, e.g. demo.")
        parser.add_argument("--user", required=True, help="The account the token acts as.")
        parser.add_argument("--name", required=True, help="What uses it, e.g. 'ERP sync'.")

    def handle(self, *args: Any, **options: Any) -> None:
        shop = Shop.objects.filter(code=options["shop"]).first()
        if shop is None:
            raise CommandError(f"No shop {options['shop']!r}; see the admin's shops.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        try:
            token, raw = create_api_token(shop=shop, user=user, name=options["name"], by=None)
        except InvalidInput as error:
            raise CommandError("; ".join(m for ms in error.errors.values() for m in ms)) from None
        self.stdout.write(f"Token {token.name} ({token.prefix}…) for {shop.code} as {user}:")
        self.stdout.write(raw)
        self.stdout.write("Send it as: Authorization: Bearer <token>. It is not shown again.")
