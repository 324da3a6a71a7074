"""The demo shop for `manage.py seed_demo`: texts, case stories, scenarios and their building."""
