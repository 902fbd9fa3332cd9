"""The admin's rich text editor, robust to input the editor's own JavaScript would never send.

Draftail posts its content as JSON; a hand-made request with anything else (raw HTML, say) made Wagtail's widget
fail with a server error. Such input is kept as plain text instead — escaped, so it cannot inject markup, and not
thrown away, so nothing the user sent is lost.
"""

import json

from wagtail.admin.rich_text import DraftailRichTextArea


def plain_text_contentstate(text):
    blocks = [
        {"key": f"k{index}", "type": "unstyled", "depth": 0, "text": line, "inlineStyleRanges": [], "entityRanges": []}
        for index, line in enumerate(str(text).splitlines() or [""])
    ]
    return json.dumps({"blocks": blocks, "entityMap": {}})


class RobustDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        raw = data.get(name)
        if raw is not None:
            try:
                json.loads(raw)
            except (TypeError, ValueError):
                data = data.copy()
                data[name] = plain_text_contentstate(raw)
        return super().value_from_datadict(data, files, name)
