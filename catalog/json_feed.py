"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) for Django's syndication framework:
a `Feed` with `feed_type = JsonFeed` serves its items as JSON, from the same `item_*`
methods its Atom twin uses.

Extension keys (JSON Feed's own rule: they start with an underscore) given to the feed
(`feed_extra_kwargs`) or an item (`item_extra_kwargs`) are written as they are; so is
`next_url`, JSON Feed's link to the next page."""

from __future__ import annotations

import json
from datetime import datetime

from django.utils.feedgenerator import SyndicationFeed

VERSION = "https://jsonfeed.org/version/1.1"


def rfc3339(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _extensions(values: dict) -> dict:
    return {key: value for key, value in values.items() if key.startswith("_")}


class JsonFeed(SyndicationFeed):
    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.document(), ensure_ascii=False))

    def document(self) -> dict:
        feed = self.feed
        document = {
            "version": VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["subtitle"] or feed["description"],
            "language": feed["language"],
        }
        if feed.get("next_url"):
            document["next_url"] = feed["next_url"]
        document.update(_extensions(feed))
        document["items"] = [self.item_document(item) for item in self.items]
        return {key: value for key, value in document.items() if value is not None}

    @staticmethod
    def item_document(item: dict) -> dict:
        document = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_text": item["description"],
            "date_published": rfc3339(item["pubdate"]),
            "date_modified": rfc3339(item["updateddate"]),
            **_extensions(item),
        }
        return {key: value for key, value in document.items() if value is not None}
