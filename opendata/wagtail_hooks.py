from wagtail import hooks

# Installing ``wagtail.api.v3`` adds "API tokens" to the admin's settings menu. The read API takes no credentials
# (``api.py``: Wagtail's token-authenticated write endpoints are not mounted), so a token would open nothing: the
# menu does not offer one.
API_TOKENS_MENU = "api_tokens"


@hooks.register("construct_settings_menu")
def hide_api_tokens(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != API_TOKENS_MENU]
