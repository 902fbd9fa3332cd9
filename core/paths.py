"""URL prefixes declared once, for the URLconf and for the middleware that recognise a request by its path."""

ADMIN_PATH = "admin/"  # Wagtail's admin, outside the language prefix (config/urls.py)
ADMIN_PREFIX = f"/{ADMIN_PATH}"  # what an admin request's ``path_info`` starts with
API_PATH = "api/v3/"  # the public read API, outside the language prefix (opendata/api.py; ?locale= chooses)
API_PREFIX = f"/{API_PATH}"
OPEN_DATA_PATH = "data/"  # the exports, under the language prefix (/<language>/data/practices.csv)
MEMBERS_PATH = "members/"  # member sign-up, sign-in and password reset (django-allauth), under the language prefix
FORUM_PATH = "forum/"  # the expert forum, under the language prefix (/<language>/forum/), members only
GLOSSARY_PATH = (
    "glossary/"  # the public glossary of the search's terms, under the language prefix (/<language>/glossary/)
)
