"""The roles of the site, as Django groups: every group name is declared here and only here.

The data migrations that created the groups (``home/migrations/0002_…``, ``0003_…``,
``translations/migrations/0001_…``) keep their own literals: a migration is frozen history and must not change when
this module does.
"""

EDITORS = "Editors"
MODERATORS = "Moderators"
TRANSLATORS = "Translators"
REVIEWERS = "Reviewers"
SITE_ADMINISTRATORS = "Site administrators"
# Membership of "Translators: <language code>" says which languages a translator translates into.
LANGUAGE_GROUP_PREFIX = f"{TRANSLATORS}: "

# Who must verify a second factor before using the admin (superusers too, see ``two_factor``).
TWO_FACTOR_GROUPS = {MODERATORS, SITE_ADMINISTRATORS}
# Roles that lift a translator's restriction to their own languages.
WIDER_THAN_TRANSLATOR = {EDITORS, MODERATORS}


def language_group_name(language_code):
    return f"{LANGUAGE_GROUP_PREFIX}{language_code}"


def group_names(user):
    """The names of ``user``'s groups, read once per user object: a request's user is asked by the admin's menu, its
    language checks and the forum's on every page. A user object whose groups change is read again only as a new
    object (the next request's)."""
    names = getattr(user, "_sse_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._sse_group_names = names
    return names


# Readers with more than public access to the expert directory (``handbook.models.people.Visibility``). Registered
# members have no sign-up route yet: programme staff add people to the group by hand until member registration
# exists, and the registration will put approved members here.
MEMBERS = "Registered members"
# The programme's own staff: they broker exchange requests, keep the expert and centre directories, and see every
# consented expert profile, including those shown to staff only.
PROGRAMME_STAFF = "Programme staff"
# Who moderates the expert forum (forum/): programme staff, who run the member community, and the site's Moderators,
# whose work is already to approve what others write. Superusers count as both. Members and moderators take part.
FORUM_MODERATORS = {PROGRAMME_STAFF, MODERATORS}
