"""What core keeps in the database itself: the version of the sites and the page tree (``core/sites.py``)."""

from django.db import models


class TreeVersion(models.Model):
    """One row: the version of the sites and the page tree, where every app server reads it without a shared cache
    (``TREE_VERSION_STORE = "database"``). A change writes a new random value in its own transaction, so every process
    sees the new version exactly when it sees the change, and a rolled-back change leaves the old one."""

    value = models.BigIntegerField()

    def __str__(self):
        return str(self.value)
