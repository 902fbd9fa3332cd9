from .coverage import CoveragePage
from .pages import CaseStudyIndexPage, CaseStudyPage, ChapterPage, HandbookPage
from .people import CentreOfExcellence, Expert
from .review import SafeguardsReviewTask
from .taxonomy import Country, Term, Vocabulary

__all__ = [
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "CentreOfExcellence",
    "ChapterPage",
    "Country",
    "CoveragePage",
    "Expert",
    "HandbookPage",
    "SafeguardsReviewTask",
    "Term",
    "Vocabulary",
]
