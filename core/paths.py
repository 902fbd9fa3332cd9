"""URL prefixes declared once, for the URLconf and for the middleware that recognise a request by its path."""

ADMIN_PATH = "admin/"  # Wagtail's admin, outside the language prefix (config/urls.py)
ADMIN_PREFIX = f"/{ADMIN_PATH}"  # what an admin request's ``path_info`` starts with
API_PATH = "api/v3/"  # the public read API, outside the language prefix (opendata/api.py; ?locale= chooses)
API_PREFIX = f"/{API_PATH}"
OPEN_DATA_PATH = "data/"  # the exports, under the language prefix (/<language>/data/practices.csv)
FORUM_PATH = "forum/"  # the expert forum, under the language prefix (/<language>/forum/), members only
