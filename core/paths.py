"""URL prefixes declared once, for the URLconf and for the middleware that recognise a request by its path."""

ADMIN_PATH = "admin/"  # Wagtail's admin, outside the language prefix (config/urls.py)
ADMIN_PREFIX = f"/{ADMIN_PATH}"  # what an admin request's ``path_info`` starts with
