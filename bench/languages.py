"""What a page costs to render in each shipped language against English, in-process with the page cache off.

The two languages are loaded in turn, request by request, and compared pair by pair: a machine that speeds up or
slows down meanwhile changes both alike, which timing one language after the other cannot promise.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from flask.testing import FlaskClient

LANGUAGES = ("es", "fr", "de", "ar")
PAIRED_REQUESTS = 30
MAX_FACTOR = 1.10  # a translated page renders within 10 % of the English one


@dataclass(frozen=True)
class LanguageCost:
    page: str
    language: str
    english_ms: float
    translated_ms: float
    ratio: float  # the median of the pair-by-pair ratios, translated over English

    def markdown(self) -> str:
        return (
            f"| {self.page} | {self.language} | {self.english_ms:.2f} | {self.translated_ms:.2f} | {self.ratio:.3f} |"
        )


def paired(client: FlaskClient, page: str, url: str, language: str, requests: int) -> LanguageCost:
    """English and `language` in turn (the reader has chosen no language, so the browser's Accept-Language wins)."""
    english: list[float] = []
    translated: list[float] = []
    for _ in range(requests):
        for timings, accept in ((english, "en"), (translated, language)):
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
            started = time.process_time()
            client.get(url)
            timings.append((time.process_time() - started) * 1000)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    ratios = [t / e for e, t in zip(english, translated, strict=True) if e > 0]
    return LanguageCost(page, language, statistics.median(english), statistics.median(translated),
                        statistics.median(ratios))  # fmt: skip


def measure(client: FlaskClient, pages: dict[str, str], requests: int = PAIRED_REQUESTS) -> list[LanguageCost]:
    """Every page in every shipped language against English, after each page's templates and catalogues are warm."""
    costs = []
    for page, url in pages.items():
        for language in ("en", *LANGUAGES):
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
            assert client.get(url).status_code == 200, f"{url} in {language} did not answer 200"
        costs += [paired(client, page, url, language, requests) for language in LANGUAGES]
    return costs
