"""Test data for accounts: users in the site's roles."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "a-long-test-passphrase"  # noqa: S105  # nosec B105 - test accounts only


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a single name (no last name), in the groups named by ``groups=[…]``."""

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Amina"
    last_name = ""
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))
