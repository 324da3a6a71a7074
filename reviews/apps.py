from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Negative-review cases (中差评): their workflow arrives with the reviews issue."""

    name = "reviews"
    verbose_name = _("Reviews")
