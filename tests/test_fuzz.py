"""Property-based fuzzing of every public GET endpoint's parameters: whatever a reader (or a bot) puts in the
URL, the answer is never a server error.

Each endpoint gets FUZZ_EXAMPLES generated requests (default 30, which keeps a developer's ``make test`` quick; CI
300; more with the environment variable). The number of requests per endpoint is written to
``tests/artifacts/fuzz_counts.json`` and printed at the end.
"""

import json
import os
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange.forms import issue_token
from exchange.models import ExchangeRequest
from forum.factories import MemberFactory, PostFactory
from handbook.models import CaseStudyPage, Country, Term

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LANGUAGES = ["en", "ar", "fr", "es", "ru", "zh-hans"]
COUNTS = Counter()  # requests per endpoint
VALUES = Counter()  # generated parameter values (and path segments) per endpoint
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Every character UTF-8 encodes: all but the surrogates, what st.text() draws from by default. Said by category, not
# as its default codec="utf-8": hypothesis finds a codec's characters by encoding each of the 1.1 million code points
# (and keeps them in .hypothesis/, which a fresh checkout, as CI's, does not have): 2-3 s of CPU. Every st.text here
# says it, or the first one without it pays that.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))


def text(**kwargs):
    return st.text(alphabet=ANY_CHARACTER, **kwargs)


# Hostile and odd values: any Unicode (right-to-left, combining, NUL, surrogates are not URL-encodable so skipped),
# numbers far outside any range, SQL and template syntax, very long strings.
odd_text = st.one_of(
    text(max_size=60),
    text(min_size=100, max_size=400),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "' OR 1=1 --", "{{ 7*7 }}", "%00", "../../etc/passwd"]),
    st.sampled_from(["<script>alert(1)</script>", "\u202e", "ًٌٍَُِّْ", "a" * 5000, "☃" * 300, "\x00", "\r\n"]),
)


def get(client, endpoint, path, params=None):
    url = path + ("?" + urlencode(params, doseq=True) if params else "")
    response = client.get(url)
    COUNTS[endpoint] += 1
    VALUES[endpoint] += 1 + sum(len(v) if isinstance(v, list) else 1 for v in (params or {}).values())
    assert response.status_code < 500, f"{url[:300]} -> {response.status_code}"
    return response


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    ARTIFACTS.mkdir(exist_ok=True)
    report = {"requests": dict(COUNTS), "values": dict(VALUES)}
    (ARTIFACTS / "fuzz_counts.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("\nfuzzed requests per endpoint:", json.dumps(dict(COUNTS), sort_keys=True))
    print("generated values per endpoint:", json.dumps(dict(VALUES), sort_keys=True))


@pytest.fixture
def anonymous():
    with override_settings(SEARCH_RATE_LIMIT=10**9, EXCHANGE_RATE_LIMIT=10**9):  # the rate limits have their own tests
        yield Client()


@pytest.fixture
def vocabulary(db):
    def codes(vocabulary):
        return list(Term.objects.filter(vocabulary=vocabulary).values_list("code", flat=True).distinct())

    return {
        "pillar": codes("pillar"),
        "region": codes("region"),
        "theme": codes("theme"),
        "target": codes("target_group"),
        "country": list(Country.objects.values_list("code", flat=True)),
        "evidence": list(CaseStudyPage.EvidenceLevel.values),
        "validation": list(CaseStudyPage.ReviewStage.values),
    }


def post(client, endpoint, path, data):
    response = client.post(path, data)
    COUNTS[endpoint] += 1
    VALUES[endpoint] += sum(len(v) if isinstance(v, list) else 1 for v in data.values())
    assert response.status_code < 500, f"{path} {str(data)[:300]} -> {response.status_code}"
    return response


def param_values(valid):
    return st.lists(st.one_of(st.sampled_from(valid or ["x"]), odd_text), max_size=25)


@FUZZ
@given(data=st.data())
def test_practice_listing_filters_and_pagination(anonymous, vocabulary, data):
    params = {
        name: data.draw(param_values(valid), label=name)
        for name, valid in vocabulary.items()
        if data.draw(st.booleans(), label=f"use {name}")
    }
    params["page"] = data.draw(st.lists(odd_text, max_size=3), label="page")
    language = data.draw(st.sampled_from(LANGUAGES), label="language")
    get(anonymous, "practice listing", f"/{language}/practices/", params)


@FUZZ
@given(data=st.data())
def test_experts_and_centres_directories_filters_and_pagination(anonymous, vocabulary, data):
    valid = {**vocabulary, "language": ["en", "fr", "ar", "sw"]}
    params = {
        name: data.draw(param_values(values), label=name)
        for name, values in valid.items()
        if data.draw(st.booleans(), label=f"use {name}")
    }
    params["page"] = data.draw(st.lists(odd_text, max_size=3), label="page")
    language = data.draw(st.sampled_from(LANGUAGES), label="language")
    directory = data.draw(st.sampled_from(["experts", "centres"]), label="directory")
    get(anonymous, "directories", f"/{language}/{directory}/", params)


@FUZZ
@given(data=st.data())
def test_search_with_facets(anonymous, vocabulary, data):
    params = {
        name: data.draw(param_values(valid), label=name)
        for name, valid in {**vocabulary, "type": ["practice", "chapter", "news"]}.items()
        if data.draw(st.booleans(), label=f"use {name}")
    }
    params["q"] = data.draw(
        st.lists(st.one_of(st.sampled_from(["dialogue", "إرهاب", "community"]), odd_text), max_size=3)
    )
    params["page"] = data.draw(st.lists(odd_text, max_size=3), label="page")
    get(anonymous, "search", f"/{data.draw(st.sampled_from(LANGUAGES))}/search/", params)


@FUZZ
@given(query=st.lists(odd_text, max_size=3), language=st.sampled_from(LANGUAGES))
def test_search_suggestions(anonymous, query, language):
    get(anonymous, "search suggestions", f"/{language}/search/suggest/", {"q": query})


@FUZZ
@given(kind=st.lists(st.one_of(st.sampled_from(["news", "event"]), odd_text), max_size=3), page=st.lists(odd_text))
def test_news_listing(anonymous, kind, page):
    get(anonymous, "news listing", "/en/news/", {"kind": kind, "page": page})


@FUZZ
@given(
    prefix=st.one_of(st.sampled_from(LANGUAGES + ["EN", "ar-", "zh", "zh-hant", "xx", ""]), text(max_size=12)),
    section=st.sampled_from(
        [
            "",
            "practices/",
            "news/",
            "handbook/",
            "about/",
            "search/",
            "experts/",
            "centres/",
            "glossary/",
            "no-such-page/",
        ]
    ),
    params=st.dictionaries(text(max_size=10), odd_text, max_size=4),
)
def test_language_prefixes_and_sections(anonymous, prefix, section, params):
    get(anonymous, "language prefixes", "/" + quote(prefix, safe="") + "/" + section, params)


@FUZZ
@given(segments=st.lists(text(min_size=1, max_size=40), min_size=1, max_size=5), data=st.data())
def test_page_paths_and_case_studies(anonymous, segments, data):
    practice = data.draw(st.sampled_from(list(CaseStudyPage.objects.live().values_list("url_path", flat=True)[:20])))
    language_root = "/" + practice.strip("/").split("/", 2)[-1] if practice.count("/") > 2 else "/"
    path = "/" + data.draw(st.sampled_from(LANGUAGES)) + "/" + "/".join(quote(s, safe="") for s in segments) + "/"
    get(anonymous, "page paths", path, data.draw(st.dictionaries(text(max_size=8), odd_text, max_size=3)))
    get(anonymous, "case study pages", "/en" + language_root, {"page": data.draw(odd_text)})


@FUZZ
@given(doc_id=st.one_of(st.integers(min_value=-5, max_value=10**12).map(str), text(max_size=10)), name=text())
def test_documents_and_api_routes(anonymous, doc_id, name):
    get(anonymous, "documents", f"/documents/{quote(doc_id, safe='')}/{quote(name, safe='')}")
    get(anonymous, "api", "/api/v2/pages/", {"type": name, "limit": doc_id, "search": name})


EXCHANGE_FIELDS = [
    "kind",
    "title",
    "need",
    "pillar",
    "themes",
    "country",
    "practice",
    "requester_name",
    "institution",
    "email",
    "phone",
    "website",
    "token",
]


# Two requests per example, each rendering the whole form: a third of the examples keeps this test's time near
# the others'.
@settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))
@given(data=st.data())
def test_exchange_request_form(anonymous, vocabulary, data):
    """The public form's POST (valid values mixed with odd ones, any field missing or repeated) and its pre-filled
    GET: an answer in the reader's language (a form error, 302, 400 or 429), never a server error."""
    practices = list(CaseStudyPage.objects.live().values_list("pk", flat=True)[:5])
    valid = {
        "kind": [kind.value for kind in ExchangeRequest.Kind],
        "pillar": vocabulary["pillar"],
        "themes": vocabulary["theme"],
        "country": vocabulary["country"],
        "practice": [str(pk) for pk in practices],
        "email": ["someone@example.org"],
        "token": [issue_token(time.time() - 60), issue_token()],
    }
    fields = {
        name: data.draw(param_values(valid.get(name)), label=name)
        for name in EXCHANGE_FIELDS
        if data.draw(st.booleans(), label=f"use {name}")
    }
    language = data.draw(st.sampled_from(LANGUAGES), label="language")
    post(anonymous, "exchange form", f"/{language}/exchange/", fields)
    prefill = data.draw(st.one_of(st.sampled_from([str(pk) for pk in practices] or ["1"]), odd_text), label="practice")
    get(anonymous, "exchange form pre-filled", f"/{language}/exchange/", {"practice": prefill})


MEMBER_SIGN_UP_FIELDS = ["full_name", "organisation", "motivation", "email", "password1", "password2", "remember"]
MEMBER_SIGN_IN_FIELDS = ["login", "password", "remember"]


# Two requests per example, each rendering a whole form: a third of the examples, as for the exchange form.
@settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))
@given(data=st.data())
def test_member_sign_up_and_sign_in_forms(anonymous, data):
    """The members' sign-up and sign-in (django-allauth, accounts/members.py) with valid values mixed with odd
    ones, any field missing or repeated: form errors in the reader's language, a redirect, or 429; never a server
    error. The lockout and allauth's rate limits have their own tests (tests/test_members.py) and are off here,
    so every example reaches the forms."""
    passphrase = "a-long-member-passphrase"
    valid = {
        "email": ["someone@example.org", "x@y", "ﺱ@example.org"],
        "login": ["someone@example.org", "editor"],
        "password1": [passphrase],
        "password2": [passphrase],
        "password": [passphrase],
        "remember": ["on", "1"],
    }
    language = data.draw(st.sampled_from(LANGUAGES), label="language")
    with override_settings(ACCOUNT_RATE_LIMITS=False, AXES_ENABLED=False):
        for endpoint, path, names in [
            ("member sign-up", f"/{language}/members/signup/", MEMBER_SIGN_UP_FIELDS),
            ("member sign-in", f"/{language}/members/login/", MEMBER_SIGN_IN_FIELDS),
        ]:
            fields = {
                name: data.draw(param_values(valid.get(name)), label=name)
                for name in names
                if data.draw(st.booleans(), label=f"use {name}")
            }
            post(anonymous, endpoint, path, fields)


FORUM_FIELDS = ["title", "body", "language", "reason", "action", "next"]


@pytest.fixture
def forum_member(db):
    """A member past pre-moderation with no rate limit (it has its own test), and a thread to reply in."""
    member = MemberFactory()
    forum_post = PostFactory(author=member)
    with override_settings(FORUM_RATE_LIMIT=10**9, FORUM_PREMODERATED_POSTS=0):
        client = Client()
        client.force_login(member)
        yield client, forum_post


# Four requests per example: a third of the examples keeps this test's time near the others'.
@settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))
@given(data=st.data())
def test_forum_as_a_member(forum_member, vocabulary, data):
    """The forum's forms (a new thread, a reply, a report, a moderation attempt by a member) and its paths: a form
    error, a redirect, a refusal (403) or 404, never a server error."""
    client, forum_post = forum_member
    valid = {"language": LANGUAGES, "action": ["approve", "hide", "remove"], "next": ["/en/forum/"]}
    fields = {
        name: data.draw(param_values(valid.get(name)), label=name)
        for name in FORUM_FIELDS
        if data.draw(st.booleans(), label=f"use {name}")
    }
    language = data.draw(st.sampled_from(LANGUAGES), label="language")
    vocabulary_name = data.draw(st.sampled_from(["pillar", "theme", "region", "x"]), label="vocabulary")
    code = data.draw(st.one_of(st.sampled_from(vocabulary["pillar"] + vocabulary["theme"]), odd_text), label="code")
    post(client, "forum new thread", f"/{language}/forum/topics/{vocabulary_name}/{quote(code, safe='')}/", fields)
    post(client, "forum reply", f"/{language}/forum/threads/{forum_post.thread_id}/", fields)
    post(client, "forum report", f"/{language}/forum/posts/{forum_post.pk}/report/", fields)
    post(client, "forum moderation (refused)", f"/{language}/forum/posts/{forum_post.pk}/moderate/", fields)


def assert_clear_refusal(response):
    """A refusal says why: Wagtail's API problem details, or the export's message."""
    assert response.status_code in {200, 400, 404}, response.status_code
    if response.status_code == 400:
        message = response.json()["detail"] if response["Content-Type"].endswith("json") else response.content
        assert message


@FUZZ
@given(data=st.data())
def test_read_api_parameters(anonymous, vocabulary, data):
    endpoint = data.draw(st.sampled_from(["practices", "chapters", "news", "taxonomy"]), label="endpoint")
    params = {
        name: data.draw(param_values(valid), label=name)
        for name, valid in {
            **vocabulary,
            "locale": LANGUAGES,
            "kind": ["news", "event"],
            "limit": ["1", "20", "50", "51"],
            "offset": ["0", "2", "1000000", "1000001"],
        }.items()
        if data.draw(st.booleans(), label=f"use {name}")
    }
    assert_clear_refusal(get(anonymous, "read API", f"/api/v3/{endpoint}/", params))


@FUZZ
@given(
    endpoint=st.sampled_from(["practices", "chapters", "news"]),
    page_id=st.one_of(st.integers(min_value=-5, max_value=10**30).map(str), odd_text.filter(bool)),
)
def test_read_api_details(anonymous, endpoint, page_id):
    assert_clear_refusal(get(anonymous, "read API details", f"/api/v3/{endpoint}/{quote(page_id, safe='')}/"))


@FUZZ
@given(data=st.data())
def test_practice_exports(anonymous, vocabulary, data):
    params = {
        name: data.draw(param_values(valid), label=name)
        for name, valid in vocabulary.items()
        if data.draw(st.booleans(), label=f"use {name}")
    }
    language = data.draw(st.sampled_from(LANGUAGES), label="language")
    extension = data.draw(st.sampled_from(["csv", "json"]), label="format")
    assert_clear_refusal(get(anonymous, "practice exports", f"/{language}/data/practices.{extension}", params))
