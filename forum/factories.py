"""Factories for tests: members, threads and posts (built straight into a status, as if moderated that far)."""

import factory
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.factories import UserFactory
from accounts.roles import MEMBERS

from .models import Post, Thread, topics


class MemberFactory(UserFactory):
    """An approved member of the forum (in the groups ``groups=[…]`` names instead, if given)."""

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create:
            self.groups.add(*Group.objects.filter(name__in=names or [MEMBERS]))


class ThreadFactory(factory.django.DjangoModelFactory):
    topic = factory.LazyFunction(lambda: topics().first())
    title = factory.Sequence(lambda n: f"Sample thread {n}")
    language = settings.LANGUAGE_CODE
    author = factory.SubFactory(MemberFactory)

    class Meta:
        model = Thread


class PostFactory(factory.django.DjangoModelFactory):
    thread = factory.SubFactory(ThreadFactory)
    author = factory.LazyAttribute(lambda post: post.thread.author)
    body = "A sample message."
    language = factory.LazyAttribute(lambda post: post.thread.language)
    interface_language = factory.LazyAttribute(lambda post: post.language)
    status = Post.Status.VISIBLE

    class Meta:
        model = Post
