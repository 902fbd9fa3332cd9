"""The expert forum over HTTP, for each role: anonymous readers, signed-in non-members, members (new ones held for
moderation), moderators; reporting, moderating with a reason and its log, e-mails in the recipient's language, the
rate limit, sanitising of members' text, a thread's summary as a draft news item, and forum content absent from
every public output."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from accounts.factories import UserFactory
from accounts.roles import EDITORS, MEMBERS, MODERATORS, PROGRAMME_STAFF
from core.paths import API_PATH, OPEN_DATA_PATH
from forum.factories import MemberFactory, PostFactory, ThreadFactory
from forum.models import ModerationEntry, Post, Report, Thread, topics
from handbook.factories import TermFactory
from handbook.models import Term
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

MARKER = "Quorvendish"  # a word no page holds: found in a public output, it is a leak
Status = Post.Status


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


def topic_url(language="en", vocabulary="pillar", code="II"):
    return f"/{language}/forum/topics/{vocabulary}/{code}/"


def thread_url(thread, language="en"):
    return f"/{language}/forum/threads/{thread.pk}/"


def trusted_member(**kwargs):
    """A member past pre-moderation: enough of their posts were approved."""
    member = MemberFactory(**kwargs)
    for _ in range(settings.FORUM_PREMODERATED_POSTS):
        PostFactory(author=member, thread=ThreadFactory(author=member))
    return member


def new_thread(client, title="Working with families", body="How do you involve families?", language="en", **kw):
    return client.post(topic_url(**kw), {"title": title, "body": body, "language": language})


# --- Who gets in ---------------------------------------------------------------------------------------------


def forum_urls():
    thread = PostFactory(body=f"{MARKER} opening").thread
    post = thread.posts.get()
    return thread, [
        "/en/forum/",
        "/ar/forum/",
        topic_url(),
        topic_url("ar", "theme", "education"),
        thread_url(thread),
        thread_url(thread, "ar"),
        f"/en/forum/posts/{post.pk}/report/",
        "/en/forum/moderation/",
        f"/en/forum/threads/{thread.pk}/summary/",
    ]


def test_anonymous_readers_are_sent_to_sign_in_everywhere(client):
    _thread, urls = forum_urls()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        # The members' sign-in (settings.LOGIN_URL), in the language of the page asked for.
        language = url.split("/")[1]
        assert response["Location"].startswith(f"/{language}/members/login/?next="), response["Location"]
    assert client.post(f"/en/forum/posts/{Post.objects.get().pk}/moderate/", {"action": "hide"}).status_code == 302
    assert Post.objects.get().status == Status.VISIBLE


@pytest.mark.parametrize("groups", [[], [EDITORS], ["Translators"]])
def test_signed_in_non_members_are_refused_with_a_clear_message_in_their_language(groups):
    _thread, urls = forum_urls()
    client = client_for(UserFactory(groups=groups))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        body = response.content.decode()
        assert MARKER not in body
        language = url.split("/")[1]
        assert in_language(language, "Members only") in body
    assert "منتدى الخبراء مفتوح للأعضاء المعتمدين فقط." in client.get("/ar/forum/").content.decode()
    response = client.post(topic_url(), {"title": "x", "body": "y", "language": "en"})
    assert response.status_code == 403 and not Thread.objects.filter(title="x").exists()


def test_an_inactive_member_is_refused():
    member = MemberFactory()
    member.is_active = False
    member.save()
    client = Client()
    client.force_login(member)  # a session from before the account was deactivated
    assert client.get("/en/forum/").status_code in {302, 403}


def test_members_see_topics_per_pillar_and_theme_in_their_language():
    client = client_for(MemberFactory())
    ThreadFactory.create_batch(2, topic=topics().get(vocabulary="pillar", code="II"))
    response = client.get("/ar/forum/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private") and "noindex" in response["X-Robots-Tag"]
    body = response.content.decode()
    for term in Term.objects.filter(vocabulary__in=["pillar", "theme"], locale__language_code="ar"):
        assert term.name in body
    assert 'href="/ar/forum/topics/pillar/II/"' in body and 'href="/ar/forum/topics/theme/education/"' in body
    assert "/ar/forum/moderation/" not in body  # members do not moderate
    assert client.get(topic_url("en", "region", "africa")).status_code == 404  # regions are not topics
    assert client.get(topic_url("en", "pillar", "XIV")).status_code == 404


def test_themes_are_listed_as_the_readers_language_sorts_their_names():
    """French readers find "Écoles" before "Filles adolescentes" (ICU collation), although the English names put
    them the other way round and code points put "É" after "F"."""
    english, french = (Locale.objects.get(language_code=code) for code in ("en", "fr"))
    for code, english_name, french_name in [
        ("zz-girls", "Adolescent girls", "Filles adolescentes"),
        ("zz-schools", "Schools", "Écoles"),
    ]:
        source = TermFactory(vocabulary="theme", code=code, name=english_name, sort_order=900, locale=english)
        TermFactory(
            vocabulary="theme",
            code=code,
            name=french_name,
            sort_order=900,
            locale=french,
            translation_key=source.translation_key,
        )
    body = client_for(MemberFactory()).get("/fr/forum/").content.decode()
    assert body.index("Écoles") < body.index("Filles adolescentes")
    english_body = client_for(MemberFactory()).get("/en/forum/").content.decode()
    assert english_body.index("Adolescent girls") < english_body.index("Schools")


def test_a_member_past_pre_moderation_starts_a_thread_in_arabic_and_others_reply():
    author = trusted_member()
    client = client_for(author)
    response = new_thread(client, title="العمل مع الأسر", body="كيف تشركون الأسر؟", language="ar")
    thread = Thread.objects.get(title="العمل مع الأسر")
    assert response.status_code == 302 and response["Location"] == f"/en/forum/threads/{thread.pk}/"
    assert thread.topic.code == "II" and thread.language == "ar"
    html = client.get(thread_url(thread)).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert re.search(r'<h1 lang="ar" dir="rtl">العمل مع الأسر</h1>', html)
    assert re.search(r'<article class="forum-post forum-post--visible" id="post-\d+" lang="ar" dir="rtl">', html)
    # A French reply by another member shows in its own language and direction.
    replier = trusted_member()
    mail.outbox.clear()
    response = client_for(replier).post(
        thread_url(thread, "fr"), {"body": "Nous invitons les familles.", "language": "fr"}
    )
    assert response.status_code == 302
    reply = thread.posts.get(language="fr")
    assert reply.status == Status.VISIBLE and reply.interface_language == "fr"
    html = client.get(thread_url(thread, "ar")).content.decode()
    assert f'id="post-{reply.pk}" lang="fr" dir="ltr"' in html
    # The thread's author hears of the reply, in the language they used the site in when they wrote.
    (message,) = mail.outbox
    assert message.to == [author.email]
    assert thread_url(thread) in message.body  # /en/: the author wrote from the English interface
    assert in_language("en", "Someone replied in your thread “%(title)s” on the expert forum.").split("“")[0] in (
        message.body
    )


def test_new_members_posts_are_held_until_a_moderator_approves_them():
    newcomer = MemberFactory()
    client = client_for(newcomer)
    other_member = client_for(trusted_member())
    new_thread(client, title=f"{MARKER} question")
    thread = Thread.objects.get(title=f"{MARKER} question")
    post = thread.posts.get()
    assert post.status == Status.HELD
    # The author sees it, marked as waiting; other members neither list nor open it.
    own = client.get(thread_url(thread)).content.decode()
    assert in_language("en", "Waiting for a moderator: only you and the moderators see it.") in own
    assert MARKER not in other_member.get(topic_url()).content.decode()
    assert other_member.get(thread_url(thread)).status_code == 404
    assert other_member.get(f"/en/forum/posts/{post.pk}/report/").status_code == 404
    # A moderator finds it in the queue and approves it: the member is told in their language.
    newcomer_profile = UserProfile.get_for_user(newcomer)
    newcomer_profile.preferred_language = "es"
    newcomer_profile.save()
    moderator = client_for(UserFactory(groups=[PROGRAMME_STAFF]))
    queue = moderator.get("/en/forum/moderation/").content.decode()
    assert f"{MARKER} question" in queue and f'action="/en/forum/posts/{post.pk}/moderate/"' in queue
    mail.outbox.clear()
    response = moderator.post(
        f"/en/forum/posts/{post.pk}/moderate/", {"action": "approve", "next": "/en/forum/moderation/"}
    )
    assert response.status_code == 302 and response["Location"] == "/en/forum/moderation/"
    post.refresh_from_db()
    assert post.status == Status.VISIBLE
    assert f"{MARKER} question" in other_member.get(topic_url()).content.decode()
    (message,) = mail.outbox
    assert message.to == [newcomer.email] and "/es/forum/threads/" in message.body
    assert in_language("es", "Your post is now visible to the forum's members.") in message.body
    assert ModerationEntry.objects.get(post=post).action == "approve"
    # After FORUM_PREMODERATED_POSTS approved posts, the member's posts show at once.
    for _ in range(settings.FORUM_PREMODERATED_POSTS - 1):
        PostFactory(author=newcomer, thread=thread)
    client.post(thread_url(thread), {"body": "Now trusted.", "language": "en"})
    assert thread.posts.get(body="Now trusted.").status == Status.VISIBLE


def test_moderators_posts_are_never_held():
    for groups in [[MODERATORS], [PROGRAMME_STAFF]]:
        moderator = client_for(UserFactory(groups=groups))
        new_thread(moderator, title=f"Welcome {groups[0]}")
        assert Thread.objects.get(title=f"Welcome {groups[0]}").posts.get().status == Status.VISIBLE


# --- Reports and moderation ---------------------------------------------------------------------------------


def test_a_member_reports_a_post_once_and_a_moderator_hides_it_with_a_reason_kept_in_the_log():
    author = MemberFactory()
    post = PostFactory(author=author, thread=ThreadFactory(author=author), body=f"{MARKER} insult", language="ar")
    reader = client_for(MemberFactory())
    html = reader.get(thread_url(post.thread)).content.decode()
    assert f'href="/en/forum/posts/{post.pk}/report/"' in html
    assert reader.post(f"/en/forum/posts/{post.pk}/report/", {"reason": ""}).status_code == 400
    response = reader.post(f"/en/forum/posts/{post.pk}/report/", {"reason": "Insulting another member."})
    assert response.status_code == 200 and in_language("en", "Report sent") in response.content.decode()
    again = reader.post(f"/en/forum/posts/{post.pk}/report/", {"reason": "Again."})
    assert in_language("en", "You have already reported this post: the moderators will look at it.") in (
        again.content.decode()
    )
    assert Report.objects.filter(post=post).count() == 1

    moderator = client_for(UserFactory(groups=[MODERATORS]))
    queue = moderator.get("/en/forum/moderation/").content.decode()
    assert "Insulting another member." in queue and f"{MARKER} insult" in queue
    # Hiding needs a reason; the refusal says so.
    refused = moderator.post(f"/en/forum/posts/{post.pk}/moderate/", {"action": "hide", "reason": " "})
    assert refused.status_code == 400
    assert in_language("en", "Give a reason: the author receives it and it is kept in the moderation log.") in (
        refused.content.decode()
    )
    mail.outbox.clear()
    moderator.post(f"/en/forum/posts/{post.pk}/moderate/", {"action": "hide", "reason": "Rule 2: no insults."})
    post.refresh_from_db()
    assert post.status == Status.HIDDEN and not post.reports.filter(resolved=False).exists()
    # Members see a line saying so, not the text; the moderator still sees it; the author gets the reason.
    html = reader.get(thread_url(post.thread)).content.decode()
    assert MARKER not in html and in_language("en", "This post was hidden by a moderator.") in html
    assert f"{MARKER} insult" in moderator.get(thread_url(post.thread)).content.decode()
    (message,) = mail.outbox
    assert message.to == [author.email] and "Rule 2: no insults." in message.body
    log = moderator.get("/en/forum/moderation/").content.decode()
    assert "Rule 2: no insults." in log and in_language("en", "Hidden") in log
    # A decision not open from the post's state is refused server-side.
    assert moderator.post(f"/en/forum/posts/{post.pk}/moderate/", {"action": "approve"}).status_code == 400
    assert moderator.post(f"/en/forum/posts/{post.pk}/moderate/", {"action": "publish"}).status_code == 400


def test_removing_a_post_deletes_its_text_and_keeps_who_when_and_why():
    post = PostFactory(body=f"{MARKER} personal data of someone")
    moderator_user = UserFactory(groups=[PROGRAMME_STAFF])
    moderator = client_for(moderator_user)
    moderator.post(f"/en/forum/posts/{post.pk}/moderate/", {"action": "remove", "reason": "Personal data."})
    post.refresh_from_db()
    assert post.status == Status.REMOVED and post.body == ""
    entry = ModerationEntry.objects.get(post=post)
    assert (entry.action, entry.reason, entry.by) == ("remove", "Personal data.", moderator_user)
    assert MARKER not in moderator.get(thread_url(post.thread)).content.decode()


def test_members_cannot_moderate():
    post = PostFactory()
    member = client_for(MemberFactory())
    response = member.post(f"/en/forum/posts/{post.pk}/moderate/", {"action": "remove", "reason": "Mine now."})
    assert response.status_code == 403
    assert member.get("/en/forum/moderation/").status_code == 403
    post.refresh_from_db()
    assert post.status == Status.VISIBLE and not ModerationEntry.objects.exists()


def test_moderation_never_redirects_off_the_site():
    post = PostFactory(status=Status.HELD)
    response = client_for(UserFactory(groups=[MODERATORS])).post(
        f"/en/forum/posts/{post.pk}/moderate/", {"action": "approve", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/en/forum/moderation/"


# --- Bad input and rate limit -------------------------------------------------------------------------------


def test_bad_input_is_explained_and_what_was_typed_is_kept():
    client = client_for(MemberFactory())
    response = new_thread(client, title="", body="Kept text", language="xx")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kept text" in body and not Thread.objects.exists()
    response = new_thread(client, title="Long", body="x" * 5001)
    assert response.status_code == 400 and not Thread.objects.exists()


@override_settings(FORUM_RATE_LIMIT=2)
def test_each_member_writes_at_most_the_rate_limit_per_hour():
    member = client_for(trusted_member())
    thread = ThreadFactory()
    PostFactory(thread=thread)
    for number in range(2):
        assert member.post(thread_url(thread), {"body": f"Reply {number}", "language": "en"}).status_code == 302
    response = member.post(thread_url(thread), {"body": "One too many", "language": "en"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert in_language("en", "You have written a lot in the last hour. Please wait before writing again.") in body
    assert "One too many" in body and not thread.posts.filter(body="One too many").exists()
    # The limit is per member, not per address: another member from the same address still writes.
    other = client_for(trusted_member())
    assert other.post(thread_url(thread), {"body": "Mine", "language": "en"}).status_code == 302


# --- Sanitising ---------------------------------------------------------------------------------------------


class ElementsFound(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


INJECTIONS = [
    '<script>alert("x")</script>',
    '<img src="https://tracker.example/pixel.gif" onerror="alert(1)">',
    "![pixel](https://tracker.example/p.png)",
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    '"><svg onload=alert(1)>',
    "<iframe src=https://evil.example></iframe>",
    '<style>body{background:url("https://tracker.example/bg")}</style>',
    'http://ok.example/"onmouseover="alert(1)',
]


def test_members_text_is_shown_as_text_with_safe_links_and_mentions():
    client = client_for(trusted_member())
    body = (
        "\n\n".join(INJECTIONS) + "\n\nSee https://www.unodc.org/ and [[community-dialogue]], [[pillar-ii]], [[nope]]."
    )
    new_thread(client, title='<b onclick="x">Title</b>', body=body)
    thread = Thread.objects.get(title__startswith="<b ")
    html = client.get(thread_url(thread, "ar")).content.decode()
    post_html = html.split('class="forum-post__body">')[1].split("</div>")[0]
    # What reaches the browser is paragraphs, line breaks and links to web pages or the site: no other element, no
    # event handler, no source a browser would fetch by itself (an image, a frame, a style).
    elements = ElementsFound()
    elements.feed(post_html)
    assert {tag for tag, _attributes in elements.found} <= {"p", "br", "a", "bdi"}, elements.found
    for tag, attributes in elements.found:
        assert set(attributes) <= {"href", "rel", "class", "lang"}, (tag, attributes)
        if "href" in attributes:
            assert re.match(r"(https?://|/)", attributes["href"]), attributes
    assert "&lt;script&gt;" in post_html and "&lt;b onclick" in html
    assert "<b " not in html and 'onclick="x"' not in html
    assert '<a href="https://www.unodc.org/" rel="nofollow ugc">' in post_html
    # [[slug]] links a practice or a chapter, titled in the reader's language; an unknown slug stays text.
    assert (
        '<a class="mention" href="/ar/practices/community-dialogue/" lang="ar"><bdi>منتديات الحوار المجتمعي</bdi></a>'
        in (post_html)
    )
    assert 'href="/ar/handbook/pillar-ii/"' in post_html and "[[nope]]" in post_html


# --- A thread's summary in the news -------------------------------------------------------------------------


def test_a_moderator_with_news_rights_makes_a_draft_news_item_from_a_threads_summary():
    thread = PostFactory(body=f"{MARKER} private discussion").thread
    staff_only = client_for(UserFactory(groups=[PROGRAMME_STAFF]))
    assert "/summary/" not in staff_only.get(thread_url(thread)).content.decode()
    assert staff_only.get(f"/en/forum/threads/{thread.pk}/summary/").status_code == 403
    assert (
        client_for(MemberFactory(groups=[MEMBERS, EDITORS])).get(f"/en/forum/threads/{thread.pk}/summary/").status_code
        == 403
    )

    user = UserFactory(groups=[MODERATORS])
    moderator = client_for(user)
    assert f"/en/forum/threads/{thread.pk}/summary/" in moderator.get(thread_url(thread)).content.decode()
    assert moderator.post(f"/en/forum/threads/{thread.pk}/summary/", {"title": "T", "summary": ""}).status_code == 400
    response = moderator.post(
        f"/en/forum/threads/{thread.pk}/summary/",
        {"title": "What experts concluded on families", "summary": "Families are partners in prevention."},
    )
    thread.refresh_from_db()
    page = thread.news_item
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert isinstance(page, NewsPage) and page.live is False
    assert isinstance(page.get_parent().specific, NewsIndexPage) and page.locale.language_code == "en"
    assert page.latest_revision.user == user
    assert page.summary == "Families are partners in prevention."
    assert Client().get(f"/en/news/{page.slug}/").status_code == 404  # a draft: the news workflow publishes it
    assert MARKER not in str(page.body) + page.summary


# --- Never public -------------------------------------------------------------------------------------------


def test_forum_content_appears_in_no_public_output(client):
    thread = ThreadFactory(title=f"{MARKER} thread title")
    PostFactory(thread=thread, body=f"{MARKER} message body", status=Status.VISIBLE)
    PostFactory(thread=ThreadFactory(title=f"{MARKER} arabic", language="ar"), body=f"{MARKER} نص")
    public = [
        "/en/",
        "/ar/",
        "/en/practices/",
        "/en/news/",
        "/en/handbook/",
        f"/en/search/?q={MARKER}",
        f"/ar/search/?q={MARKER}",
        f"/en/search/suggest/?q={MARKER[:6]}",
        "/sitemap.xml",
        "/robots.txt",
        "/en/feeds/news/",
        "/en/feeds/practices/",
        f"/{API_PATH}pages/",
        f"/{API_PATH}practices/",
        f"/{API_PATH}openapi.json",
        f"/en/{OPEN_DATA_PATH}practices.csv",
        f"/ar/{OPEN_DATA_PATH}practices.json",
    ]
    for url in public:
        body = client.get(url).content.decode()
        if "/search/" in url:  # the search page repeats the query: what matters is that nothing is found
            assert "data-page-id" not in body
            body = body.replace(url.split("q=")[1], "")
        assert MARKER not in body, f"forum content leaks in {url}"
        assert "/forum/threads/" not in body, f"a thread is linked from {url}"
    # The forum's models are not indexed and are no pages.
    assert not hasattr(Thread, "search_fields") and not hasattr(Post, "search_fields")
