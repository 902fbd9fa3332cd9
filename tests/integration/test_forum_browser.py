"""An Arabic thread of the expert forum in Chromium on a phone (375 px), seen by a member: the page and each post
read right to left (a French reply keeps its own direction), nothing is wider than the screen (a long address
included), and axe finds no serious violation. The member, thread and session are committed before the test and
removed after (the live server reads them through its own connection)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from forum.factories import MemberFactory, PostFactory, ThreadFactory
from forum.models import Thread, topics

from .test_browser import AXE_SERIOUS, NO_OVERFLOW

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def arabic_thread(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        member = MemberFactory(username="forum-browser-member", first_name="ليلى")
        thread = ThreadFactory(
            author=member, language="ar", title="إشراك الأسر في برامج الوقاية", topic=topics().get(code="II")
        )
        PostFactory(
            thread=thread,
            author=member,
            language="ar",
            body="كيف تشركون الأسر في برامج الوقاية؟\n\nانظر https://www.example.org/"
            + "a-very-long-address-without-any-break-" * 4,
        )
        PostFactory(thread=thread, author=member, language="fr", body="Nous invitons les familles aux ateliers.")
        client = Client()
        client.force_login(member)
        session = client.cookies["sessionid"].value
        yield thread, session
        Thread.objects.filter(pk=thread.pk).delete()
        get_user_model().objects.filter(username="forum-browser-member").delete()
        Session.objects.filter(session_key=session).delete()


def test_an_arabic_thread_reads_right_to_left_on_a_phone(reader, site_url, arabic_thread):
    thread, session = arabic_thread
    page = reader(375)
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": site_url}])
    response = page.goto(f"/ar/forum/threads/{thread.pk}/")
    assert response.status == 200
    assert page.locator("html").get_attribute("dir") == "rtl"
    posts = page.locator("article.forum-post")
    assert posts.count() == 2
    assert [posts.nth(i).get_attribute("dir") for i in range(2)] == ["rtl", "ltr"]
    assert posts.first.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    assert posts.nth(1).evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"] and not overflow["wide"], overflow
    assert page.evaluate(AXE_SERIOUS) == []
