"""Interface strings of Wagtail and its add-ons whose Arabic we correct in ``locale/ar`` (LOCALE_PATHS come before
every app's catalogue). Listed here only so that ``makemessages`` keeps those entries; nothing imports this module.
The other catalogues carry Wagtail's own translation of each (so the weaker wagtail-modeladmin one loses there too).

- wagtail-modeladmin comes before wagtail.admin in INSTALLED_APPS, so its catalogue wins for the msgids they share,
  and its Arabic is weaker: "Unpublish" as "غير منشور" (an adjective, not the action), "لا تذف" for "don't delete".
- wagtail-modeladmin's list of countries has no Arabic for its filter heading and result count ("By المنطقة",
  "60 out of 60").
- Wagtail's confirmation after unpublishing reads as a state ("the page is not published").
- Wagtail (before django-allauth in INSTALLED_APPS) gives "Password" as «رمز المرور», beside allauth's and our own
  «كلمة المرور» on the same members' sign-up form.
"""

from django.utils.translation import gettext_noop

CORRECTED_IN_ARABIC = [
    gettext_noop("Unpublish"),
    gettext_noop("Page '%(page_title)s' unpublished."),
    gettext_noop("Parent page"),
    gettext_noop("Copy"),
    gettext_noop("Continue"),
    gettext_noop("Saving…"),
    gettext_noop("Yes, delete"),
    gettext_noop("No, don't delete"),
    gettext_noop("Date"),
    gettext_noop("Download CSV"),
    gettext_noop("By %(filter_title)s"),
    gettext_noop("%(result_count)s out of %(all_count)s"),
    gettext_noop("Password"),
]
