"""The demo content's data files stay consistent (codes that exist, regions and pillars covered, Arabic for every
English paragraph): the same check a content editor runs by hand with ``python demo/check.py``."""

import json
import shutil

from demo.check import CONTENT, check_content


def test_demo_content_check_passes():
    problems, summary = check_content()
    assert problems == []
    assert summary[0].startswith("taxonomy: pillar 4, region 4")


def test_demo_content_check_reports_a_missing_pillar(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    taxonomy = json.loads((folder / "taxonomy.json").read_text(encoding="utf-8"))
    taxonomy["pillar"] = taxonomy["pillar"][:3]
    (folder / "taxonomy.json").write_text(json.dumps(taxonomy, ensure_ascii=False), encoding="utf-8")
    problems, _summary = check_content(folder)
    assert "taxonomy.pillar: codes must be ['I', 'II', 'III', 'IV']" in problems


def test_demo_content_check_reports_an_untranslated_text_of_a_listed_page(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    french = json.loads((folder / "translations" / "fr.json").read_text(encoding="utf-8"))
    del french["about"]["intro"]
    french["pages"].append("no-such-page")
    (folder / "translations" / "fr.json").write_text(json.dumps(french, ensure_ascii=False), encoding="utf-8")
    problems, _summary = check_content(folder)
    assert "fr: about: untranslated .intro" in problems
    assert "fr: pages: no page 'no-such-page' in the English files" in problems


def test_demo_content_check_reports_an_untranslated_expert_or_centre(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    russian = json.loads((folder / "translations" / "ru.json").read_text(encoding="utf-8"))
    del russian["people"]["centres"]["sample-rehabilitation-centre"]["description"]
    (folder / "translations" / "ru.json").write_text(json.dumps(russian, ensure_ascii=False), encoding="utf-8")
    problems, _summary = check_content(folder)
    assert "ru: untranslated people.centres[1].description" in problems
