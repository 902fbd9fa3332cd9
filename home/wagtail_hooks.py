"""The editor's desk on the admin's home page (see ``dashboard``)."""

from wagtail import hooks

from .dashboard import DESK_PANELS

# Wagtail's own "Awaiting your review" lists the same task states as the desk's "Waiting for my review or
# approval"; one list is enough.
REPLACED_PANELS = {"workflow_objects_to_moderate"}


@hooks.register("construct_homepage_panels")
def add_desk_panels(request, panels):
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in REPLACED_PANELS]
    panels.extend(panel() for panel in DESK_PANELS)
